package analysis

import (
	"fmt"
	"slices"
	"strings"
)

// This file sets a finding's exposure level and jurisdictions. The level
// answers "how much must this organisation do about this change", following
// the verified reference's rubric as its notes ask it to be read: each
// adjustment applies only where it bears on the finding.
//
//   - A narrowing, an added promise or an added safeguard is Low.
//   - A new or widened practice starts at the category's default level
//     (new_practice_exposure when the old version did not state the practice
//     at all; High when it involves a high_with concept such as precise
//     location); a reworded practice that both widens and narrows is Medium.
//   - An added sentence that names nothing (no concept, no distinct term,
//     no period) the old version did not already state for its category,
//     and drops no condition it was stated under, clarifies the existing
//     practice: Low where the category's level is
//     Medium (a High category restated stays Medium, the rubric's
//     processing within existing purposes).
//   - Removing a promise is judged as the practice it allowed; removing a
//     user right or control is High; removing another safeguard (a transfer
//     mechanism, a notice period) is Medium.
//   - A sentence that applies only to minors (its condition names them:
//     "if you are under the appropriate age") is at most Low for an
//     organisation that serves none, the rubric's change not reaching it;
//     so is a provision for the users of regions outside every
//     jurisdiction of the profile ("if you live in the United Kingdom", a
//     section "for users in Brazil"; regions.go).
//   - lower_with: a new or widened practice whose sentence names one of
//     the category's de-escalation triggers (AI training only with opt-in
//     consent or on de-identified data, tracking gated on consent, optional
//     account linkage, checks tied to a legal duty) is lowered one level.
//   - cap_unless: a category that reaches the organisation only through a
//     profile fact (children's rules, health data) is capped when the
//     profile says the fact is false.
//   - escalate: one raise, for widenings only, when a listed fact holds
//     (the organisation serves children, the platform is a VLOP or
//     gatekeeper for the matters those acts regulate); a change whose new
//     wording makes it retroactive or effective by posting alone (wording
//     the old version did not use) raises a widening once.
//   - Negotiated B2B terms lower by one; a verified prohibition's floor
//     holds for widenings; a category none of whose provisions applies in
//     the organisation's jurisdictions is lowered by one.
//
// Provisions are cited only from frameworks that apply: in a jurisdiction
// of the profile (a US state implies US federal law), and only when the
// framework's required facts hold (no payment-services law for a chat
// app's policy unless the organisation or platform handles financial data).

// inScope reports whether a jurisdiction is flagged under the options: every
// code without a profile; the profile's codes, and US federal law when the
// profile names a US state.
func inScope(opts *Options, code string) bool {
	if opts.Profile == nil {
		return true
	}
	for _, c := range opts.Profile.Jurisdictions {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == code || (code == "US" && strings.HasPrefix(c, "US-")) {
			return true
		}
	}
	return false
}

// applies reports whether a framework's required facts hold for a finding
// of category c.
func applies(fw Framework, c *Category, opts *Options) bool {
	for _, fact := range fw.Requires {
		if fact == "minors" && c.AboutMinors {
			continue
		}
		if ok, _ := profileFact(opts, fact); !ok {
			return false
		}
	}
	return true
}

// jurisdictionsFor groups a category's verified provisions by in-scope
// jurisdiction code, in DESIGN code order, leaving out frameworks that do
// not apply.
func jurisdictionsFor(r *Rules, c *Category, opts *Options) []Jurisdiction {
	by := map[string][]ProvisionRef{}
	for _, p := range c.Provisions {
		if !p.Verified {
			continue
		}
		fw := r.Frameworks[p.Framework]
		if !inScope(opts, fw.Jurisdiction) || !applies(fw, c, opts) {
			continue
		}
		by[fw.Jurisdiction] = append(by[fw.Jurisdiction], ProvisionRef{Framework: fw.Name, Citation: p.Citation, Title: p.Title})
	}
	var out []Jurisdiction
	for _, code := range JurisdictionCodes {
		if ps, ok := by[code]; ok {
			out = append(out, Jurisdiction{Code: code, Provisions: ps})
		}
	}
	return out
}

// profileFact reports whether a profile or platform fact holds, and says it
// in words.
func profileFact(opts *Options, fact string) (bool, string) {
	p := opts.Profile
	switch fact {
	case "serves_children":
		return p != nil && p.ServesChildren, "the organisation serves children"
	case "health_data":
		return p != nil && p.HealthData, "the organisation processes health data"
	case "financial_data":
		return p != nil && p.FinancialData, "the organisation processes financial data"
	case "financial":
		if opts.Platform.Financial {
			return true, platformName(opts) + " provides financial services"
		}
		return p != nil && p.FinancialData, "the organisation processes financial data"
	case "advertises":
		return p != nil && p.Advertises, "the organisation advertises on the platform"
	case "vlop":
		return opts.Platform.VLOP, platformName(opts) + " is a designated DSA very large online platform"
	case "gatekeeper":
		return opts.Platform.Gatekeeper, platformName(opts) + " is a designated DMA gatekeeper"
	case "allows_minors":
		return opts.Platform.AllowsMinors, platformName(opts) + " admits under-18 users"
	case "minors":
		if opts.Platform.AllowsMinors {
			return true, platformName(opts) + " admits under-18 users"
		}
		return p != nil && p.ServesChildren, "the organisation serves children"
	}
	return false, ""
}

// factKnownFalse reports whether the profile states that a fact is false:
// without a profile nothing is known, so nothing is capped.
func factKnownFalse(opts *Options, fact string) bool {
	if opts.Profile == nil {
		return false
	}
	ok, _ := profileFact(opts, fact)
	return !ok
}

func platformName(opts *Options) string {
	if opts.Platform.Name != "" {
		return opts.Platform.Name
	}
	return "the platform"
}

// assess sets f.Exposure, f.Rationale and f.Jurisdictions. retro is a
// changed sentence whose new wording makes the change retroactive or
// effective by posting alone ("" when there is none); oldDoc and newDoc read the two versions.
func assess(f *Finding, r *Rules, c *Category, opts *Options, retro string, oldDoc, newDoc *docStatements) {
	f.Jurisdictions = jurisdictionsFor(r, c, opts)
	var why []string
	lvl := 0
	widening := false
	st := f.mainStatement()
	switch f.Effect {
	case EffectNarrows:
		why = append(why, "the change narrows "+c.Label+" (a narrowing is low)")
	case EffectAddsPromise:
		why = append(why, "the change adds "+promiseOf(c)+" (an added protection is low)")
	case EffectChanges:
		if st != nil && oldDoc != nil && detailsExisting(oldDoc, st) {
			// a rewording that gains and loses details but names nothing the
			// old version did not already state for the category: the
			// rubric's editorial or clarifying change
			why = append(why, fmt.Sprintf("the change rewords %s both ways, and every recipient, data type and purpose it names was already stated for it in the old version: a rewording of the existing practice (low)", c.Label))
			break
		}
		lvl = 1
		why = append(why, "the change rewords "+c.Label+" both ways, within the existing practice (medium)")
	case EffectExpands, EffectRemovesPromise:
		widening = true
		lvl = levelIndex(c.DefaultExposure)
		switch {
		case f.Effect == EffectRemovesPromise && c.UserControl && f.deltas[0].kind == deltaRemoved &&
			stillOffered(newDoc, f.deltas[0].oldSt):
			// a rewrite that drops one sentence offering a right while the
			// new version still offers that kind of right elsewhere is not
			// evidence that the right is gone: it needs checking, not action
			lvl, widening = 1, false
			why = append(why, fmt.Sprintf("a sentence offering %s was removed, but the new version still states %s of the same kind (%s): check that this one is still offered (medium)",
				promiseOf(c), promiseOf(c), c.Frames[f.deltas[0].oldSt.frame].ID))
		case f.Effect == EffectRemovesPromise && c.UserControl:
			lvl = 2
			why = append(why, "the change removes or weakens "+promiseOf(c)+", a user right or control (high)")
		case f.Effect == EffectRemovesPromise && lvl > 1 && f.deltas[0].kind == deltaRemoved &&
			stillPromised(newDoc, f.deltas[0].oldSt):
			// a rewrite that drops one sentence promising not to do it while
			// the new version still makes that kind of promise elsewhere:
			// the promise needs checking, not action
			lvl, widening = 1, false
			why = append(why, fmt.Sprintf("a sentence making %s was removed, but the new version still makes %s of the same kind (%s): check that this one is still made (medium)",
				promiseOf(c), promiseOf(c), c.Frames[f.deltas[0].oldSt.frame].ID))
		case f.Effect == EffectRemovesPromise && st != nil && st.protective && !st.negated:
			lvl = 1
			why = append(why, "the change removes a safeguard ("+promiseOf(c)+"), so records and contracts need updating (medium)")
		case st != nil && !c.highWith.empty() && c.highWith.intersects(st.concepts):
			lvl = 2
			why = append(why, fmt.Sprintf("the change widens %s and involves %s (high)", c.Label, conceptNames(r, c.highWith, st.concepts)))
		case c.NewPracticeExposure != "" && oldDoc != nil && !oldDoc.affirmed(categoryIndex(r, c)):
			lvl = levelIndex(c.NewPracticeExposure)
			why = append(why, fmt.Sprintf("the old version did not state %s at all, so this is a new practice (%s)", c.Label, c.NewPracticeExposure))
		case f.Effect == EffectRemovesPromise:
			why = append(why, fmt.Sprintf("the change withdraws %s, which lets the practice widen (%s for %s)", promiseOf(c), c.DefaultExposure, c.Label))
		case lvl == 2 && st != nil && oldDoc != nil && f.deltas[0].newSt == st && !novelIn(oldDoc, st):
			// a high category restated with nothing the old version lacked:
			// processing within existing purposes, the rubric's medium
			lvl = 1
			why = append(why, fmt.Sprintf("the change widens %s, but every recipient, data type and purpose it names was already stated for it in the old version: a change within the existing practice (medium)", c.Label))
		case lvl == 1 && st != nil && oldDoc != nil && f.deltas[0].kind == deltaAdded && f.deltas[0].newSt == st &&
			restates(oldDoc, st):
			// an added sentence whose every concept and named term the old
			// version already stated for this category, and which sets no
			// period: a clarification of the existing practice
			lvl = 0
			named := ""
			if n := conceptNames(r, st.concepts, st.concepts); n != "" {
				named = " (" + n + ")"
			}
			why = append(why, fmt.Sprintf("the added sentence states %s, but the old version already stated everything it names for it%s: a clarification of the existing practice (low)", c.Label, named))
		case lvl == 1 && st != nil && oldDoc != nil && f.deltas[0].kind == deltaAdded && f.deltas[0].newSt == st &&
			detailsExisting(oldDoc, st):
			// an added sentence naming no recipient, data type or purpose
			// the old version did not already state for this category, and
			// setting no period: it describes the existing practice in more
			// words, one level down as for the high categories above
			lvl = 0
			why = append(why, fmt.Sprintf("the added sentence states %s, but every recipient, data type and purpose it names was already stated for it in the old version: more detail on the existing practice (low)", c.Label))
		default:
			why = append(why, fmt.Sprintf("the change adds or widens %s (%s for this category)", c.Label, c.DefaultExposure))
		}
	}
	// the raises bear only on a practice the change makes new (a recipient,
	// purpose or sensitive kind of data its category did not name before):
	// a VLOP's or a gatekeeper's regime, or the organisation's minors, are
	// not engaged by a restatement of what the platform already did
	if widening && f.Effect == EffectExpands && st != nil && f.deltas[0].newSt == st && oldDoc != nil && !novelIn(oldDoc, st) {
		widening = false
	}
	if f.Effect == EffectExpands && st != nil && lvl > 0 && (c.lowerWith.intersects(st.conds) || c.lowerWith.intersects(st.concepts)) {
		lvl--
		why = append(why, fmt.Sprintf("the sentence %s (-1)", c.LowerBecause))
	}
	if widening {
		for _, fact := range c.Escalate {
			if ok, text := profileFact(opts, fact); ok {
				lvl++
				why = append(why, text+", which the rules for this category regulate (+1)")
				break
			}
		}
		if retro != "" {
			lvl++
			why = append(why, fmt.Sprintf("the change is retroactive or takes effect by posting alone (%q) (+1)", shorten(retro, 120)))
		}
	}
	if opts.Profile != nil && opts.Profile.B2BNegotiated && lvl > 0 {
		lvl--
		why = append(why, "negotiated B2B terms override the consumer policy (-1)")
	}
	if opts.Profile != nil && len(f.Jurisdictions) == 0 && lvl > 0 {
		lvl--
		why = append(why, "no provision of this category applies in the organisation's jurisdictions (-1)")
	}
	lvl = clampLevel(lvl)
	for fact, capLevel := range c.CapUnless {
		if factKnownFalse(opts, fact) && lvl > levelIndex(capLevel) {
			lvl = levelIndex(capLevel)
			_, text := profileFact(opts, fact)
			why = append(why, fmt.Sprintf("at most %s: it reaches the organisation only if %s, and the profile says not", capLevel, text))
		}
	}
	capped := false
	if st != nil && !c.AboutMinors && st.conds.intersects(r.minors) && factKnownFalse(opts, "serves_children") && lvl > 0 {
		// "if you are under the appropriate age, you cannot opt in": a
		// rule only for minors does not reach an organisation that serves
		// none
		lvl, capped = 0, true
		why = append(why, "at most low: the sentence applies only to minors, and the profile says the organisation serves none")
	}
	if lvl > 0 && !capped {
		if regions := r.outsideRegions(f, opts); regions != "" {
			// "If you live in the United Kingdom, the contracting entity
			// is …": a provision for users elsewhere does not reach the
			// organisation
			lvl, capped = 0, true
			why = append(why, fmt.Sprintf("at most low: the provision applies only to users in %s, where the organisation does not operate", regions))
		}
	}
	if c.UserRuleExposure != "" && st != nil && st.userRule && lvl > levelIndex(c.UserRuleExposure) {
		lvl, capped = levelIndex(c.UserRuleExposure), true
		why = append(why, fmt.Sprintf("at most %s: a rule for users' own conduct, which binds the organisation's staff as users, not its processing", c.UserRuleExposure))
	}
	if fc := frameCap(f, c); fc >= 0 && lvl > fc {
		lvl, capped = fc, true
		if fr := &c.Frames[f.mainStatement().frame]; fr.ModelAtLeast > 0 {
			why = append(why, fmt.Sprintf("at most %s: the sentence states only part of what a reading of %s asks for (%s), and the word model confirmed the rest", levelNames[fc], c.Label, fr.ID))
		} else {
			why = append(why, fmt.Sprintf("at most %s: the sentence names %s (%s) but states no new use of data for it", levelNames[fc], c.Label, fr.ID))
		}
	}
	if widening && !capped && c.Floor != nil && lvl < levelIndex(c.Floor.Level) && len(c.CapUnless) == 0 {
		lvl = levelIndex(c.Floor.Level)
		why = append(why, fmt.Sprintf("never below %s because of %s", c.Floor.Level, c.Floor.Because))
	}
	if opts.Platform.EULeadAuthority != "" && hasCode(f.Jurisdictions, "EU") {
		why = append(why, "EU lead supervisory authority: "+opts.Platform.EULeadAuthority)
	}
	f.Exposure = levelNames[lvl]
	f.Rationale = capitalise(string(f.Exposure)) + ": " + strings.Join(why, "; ") + "."
}

// mainStatement returns the statement behind a finding's main delta.
func (f *Finding) mainStatement() *statement {
	if len(f.deltas) == 0 {
		return nil
	}
	d := f.deltas[0]
	if d.newSt != nil {
		return d.newSt
	}
	return d.oldSt
}

// frameCap returns the level index a finding's frames cap it at, or -1:
// the highest cap among its statements' frames, none when one of them has
// no cap.
func frameCap(f *Finding, c *Category) int {
	out := -1
	for _, d := range f.deltas {
		st := d.newSt
		if st == nil {
			st = d.oldSt
		}
		if st == nil || c.Frames[st.frame].Cap == "" {
			return -1
		}
		out = max(out, levelIndex(c.Frames[st.frame].Cap))
	}
	return out
}

// stillOffered reports whether the new version states a safeguard of the
// same category and frame as the removed safeguard st (another sentence
// offering the same kind of right or control).
func stillOffered(newDoc *docStatements, st *statement) bool {
	return st != nil && st.protective && !st.negated && stillStated(newDoc, st)
}

// stillPromised reports whether the new version still makes a promise of
// the same kind (the same frame, negated) as the removed promise st.
func stillPromised(newDoc *docStatements, st *statement) bool {
	return st != nil && !st.protective && st.negated && stillStated(newDoc, st)
}

// stillStated reports whether the new version makes a statement of st's
// category and frame with st's polarity.
func stillStated(newDoc *docStatements, st *statement) bool {
	if newDoc == nil {
		return false
	}
	return slices.ContainsFunc(newDoc.statements(st.cat), func(o statement) bool {
		return o.frame == st.frame && o.protective == st.protective && o.negated == st.negated
	})
}

// promiseOf names a category's protective commitment.
func promiseOf(c *Category) string {
	if c.Promise != "" {
		return c.Promise
	}
	return "a commitment on " + c.Label
}

// conceptNames names the concepts of want found in have.
func conceptNames(r *Rules, want, have conceptSet) string {
	var ls []string
	for _, ci := range want.members() {
		if have.has(ci) {
			ls = append(ls, r.Lexicon.Concepts[ci].label())
		}
	}
	return joinAnd(ls)
}

// categoryIndex returns c's index in r.Categories.
func categoryIndex(r *Rules, c *Category) int {
	for k := range r.Categories {
		if &r.Categories[k] == c {
			return k
		}
	}
	return -1
}

func hasCode(js []Jurisdiction, code string) bool {
	for _, j := range js {
		if j.Code == code {
			return true
		}
	}
	return false
}

func clampLevel(l int) int {
	if l < 0 {
		return 0
	}
	if l >= len(levelNames) {
		return len(levelNames) - 1
	}
	return l
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// joinAnd joins clauses as "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// restates reports whether an added statement only clarifies what the old
// version already stated for its category: one old statement of the same
// polarity names every recipient, purpose and sensitive kind of data it
// names (the lexicon's weighty concepts), the old statements together name
// every concept and distinct term it names (when it states no condition,
// each under no condition), and it sets no period of its own.
func restates(oldDoc *docStatements, st *statement) bool {
	if st.durHours > 0 {
		return false
	}
	// a condition replaced by another is no widening, but a condition
	// dropped with none in its place is: only old statements without a
	// condition count for an unconditional one
	olds := slices.DeleteFunc(slices.Clone(oldDoc.statements(st.cat)), func(o statement) bool {
		return st.conds.empty() && !condsDropped(&o, st).empty()
	})
	weighty := st.concepts.minus(st.concepts.minus(oldDoc.reader.rules.Lexicon.weighty))
	return coveredTogether(olds, st) && slices.ContainsFunc(olds, func(o statement) bool {
		return o.negated == st.negated && o.protective == st.protective && weighty.subsetOf(o.concepts)
	})
}

// detailsExisting reports whether an added statement only details a
// practice the old version already stated: old statements of its category
// with the same polarity and stated by the same party (the company, or a
// rule for users) name between them every recipient, data type and purpose
// it names (the lexicon's weighty concepts and their distinct terms): naming
// one more ordinary data item is no new practice. For a statement
// with no condition only old statements under no condition it drops count,
// and nothing it names may have been stated only under such a condition.
// It sets no period of its own.
func detailsExisting(oldDoc *docStatements, st *statement) bool {
	if st.durHours > 0 {
		return false
	}
	n := len(oldDoc.reader.rules.Lexicon.Concepts)
	unconditional, conditional := newConceptSet(n), newConceptSet(n)
	_, _, novel := oldDoc.novelAmong(st, func(o *statement) bool {
		if o.userRule != st.userRule {
			return false
		}
		if st.conds.empty() && !condsDropped(o, st).empty() {
			conditional = conditional.union(o.concepts)
			return false
		}
		unconditional = unconditional.union(o.concepts)
		return true
	})
	return !novel && !st.concepts.intersects(conditional.minus(unconditional))
}

// novelIn reports whether a statement names something (a recipient, a data
// type, a purpose) that no statement of its category in the old version
// names.
func novelIn(oldDoc *docStatements, st *statement) bool {
	_, _, novel := oldDoc.novel(st)
	return novel
}
