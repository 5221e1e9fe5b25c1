package analysis

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file compares what the old and the new version state. For every
// changed sentence it takes the statements the sentence makes (frames.go)
// and sets them against those of the sentence it replaced:
//
//   - the same statement (same category, polarity, conditions and
//     concepts): a rewording, no finding;
//   - a statement the old sentence did not make: added — unless a single
//     statement anywhere in the old version already said as much (the
//     sentence moved or was split off), then no finding; but words an edit
//     inserted into the sentence, or a name or number the old version
//     never mentions, make it new wherever else the practice is stated;
//   - a statement the new version no longer makes anywhere (or whose words
//     an edit deleted from its sentence): removed;
//   - the same practice with more concepts (another recipient, another data
//     type) or a condition dropped ("with your consent"): widened; with
//     fewer, or a condition or control added: narrowed; a negation added or
//     dropped: a promise made or withdrawn; a longer or shorter stated
//     period (retention), or one that now bounds only when the action
//     begins: widened or narrowed.
//
// What a delta does to the practice is its effect: expands, narrows,
// adds-promise, removes-promise or changes. For a protective statement (a
// right, a control, a safeguard) and for a promise ("we do not sell") the
// direction turns round: adding one narrows the risk, dropping one widens it.

// deltaKind says how a statement changed.
type deltaKind int

const (
	deltaAdded deltaKind = iota
	deltaRemoved
	deltaWidened
	deltaNarrowed
	deltaChanged
	deltaNegated   // the new sentence negates what the old one stated
	deltaUnnegated // the new sentence states what the old one negated
)

// delta is one change of meaning, for one category.
type delta struct {
	cat    int
	kind   deltaKind
	effect string
	hunk   int // hunk the delta belongs to (the new sentence's, else the old one's)
	// old and new sentences and their statements (nil when absent)
	oldS, newS   *sideSentence
	oldSt, newSt *statement
}

// docStatements reads every sentence of one version once, when a changed
// sentence's statement must be looked for elsewhere in it.
type docStatements struct {
	lower  string // the version's blocks in lower case, built on first use (namesNew)
	blocks []*block
	reader *sentenceReader
	done   bool
	byCat  [][]statement
}

func (d *docStatements) statements(cat int) []statement {
	if !d.done {
		d.done = true
		d.byCat = make([][]statement, len(d.reader.rules.Categories))
		for _, b := range d.blocks {
			if b.kind == kindHeading || b.nav() || b.numberedTitle() || glossaryHeaded(b.path) {
				continue
			}
			sents := splitSentences(b.plain())
			led := ruleLed(sents) || ruleHeaded(b.path)
			for _, s := range sents {
				sts := d.reader.statements(withLead(b.lead, s.text), nil)
				if led {
					sts = underUserRule(d.reader.rules, sts)
				}
				for _, st := range sts {
					d.byCat[st.cat] = append(d.byCat[st.cat], st)
				}
			}
		}
	}
	return d.byCat[cat]
}

// sentenceReader reads sentences for one analysis, once per distinct
// sentence: two versions of a policy share most of their sentences.
type sentenceReader struct {
	rules *Rules
	self  map[int]bool // terms naming the platform itself
	seen  map[string][]statement
}

func newSentenceReader(rules *Rules, self map[int]bool) *sentenceReader {
	return &sentenceReader{rules: rules, self: self, seen: map[string][]statement{}}
}

// withLead returns what a list item's sentence says read after its list's
// lead-in ("We share your information with: data brokers"); text alone
// when there is none.
func withLead(lead, text string) string {
	if lead == "" {
		return text
	}
	return lead + " " + text
}

// statements returns what a sentence states (toks may be nil); the slice
// is shared: callers must not modify it.
func (sr *sentenceReader) statements(text string, toks []token) []statement {
	if sts, ok := sr.seen[text]; ok {
		return sts
	}
	if toks == nil {
		toks = tokenize(text)
	}
	sts := sr.rules.read(text, toks, sr.self).stmts
	for k := range sts {
		sts[k].durHours = statementDuration(sr.rules, &sts[k], text)
		sts[k].durStarts = sts[k].durHours > 0 && startsOnly(text)
	}
	sr.seen[text] = sts
	return sts
}

// affirmed reports whether the version states the category's practice
// itself (a statement that is neither negated nor a safeguard).
func (d *docStatements) affirmed(cat int) bool {
	for _, st := range d.statements(cat) {
		if !st.negated && !st.protective {
			return true
		}
	}
	return false
}

// novel returns what st names that no statement of its category and
// polarity in the version names, counting only what the rubric weighs (a
// recipient, a service, a purpose or a sensitive kind of data: the
// lexicon's "weighty" concepts and their distinct terms), so that naming
// one more ordinary data item is not a new practice. It reports whether
// there is any.
func (d *docStatements) novel(st *statement) (conceptSet, []int, bool) {
	return d.novelAmong(st, nil)
}

// novelAmong is novel counting only the statements keep accepts (all of
// them when keep is nil); keep sees only statements of st's polarity.
func (d *docStatements) novelAmong(st *statement, keep func(o *statement) bool) (conceptSet, []int, bool) {
	lx := d.reader.rules.Lexicon
	concepts := st.concepts.minus(st.concepts.minus(lx.weighty)) // st.concepts ∩ weighty
	values := slices.DeleteFunc(slices.Clone(st.values), func(v int) bool {
		return !slices.ContainsFunc(lx.terms[v].concepts, lx.weighty.has)
	})
	stated := false
	for _, o := range d.statements(st.cat) {
		if o.negated != st.negated || o.protective != st.protective || keep != nil && !keep(&o) {
			continue
		}
		stated = true
		concepts = concepts.minus(o.concepts)
		values = slices.DeleteFunc(values, func(v int) bool {
			_, ok := slices.BinarySearch(o.values, v)
			return ok
		})
	}
	// a practice the version does not state at all is new whatever it names
	return concepts, values, !stated || !concepts.empty() || len(values) > 0
}

// coveredTogether reports whether the statements of sts with st's polarity
// name, between them, everything st names: a right or a promise that a
// rewrite spread over several sentences is still there. For a safeguard
// what counts is which safeguards it names (its distinct terms: "right to
// access", "opt out"), not the words around them.
func coveredTogether(sts []statement, st *statement) bool {
	concepts := st.concepts
	if st.protective && !st.negated && len(st.values) > 0 {
		concepts = nil
	}
	values := slices.Clone(st.values)
	for _, o := range sts {
		if o.cat != st.cat || o.negated != st.negated || o.protective != st.protective {
			continue
		}
		concepts = concepts.minus(o.concepts)
		values = slices.DeleteFunc(values, func(v int) bool {
			_, ok := slices.BinarySearch(o.values, v)
			return ok
		})
		if concepts.empty() && len(values) == 0 {
			return true
		}
	}
	return false
}

// statementDuration returns the longest period the sentence states, in
// hours, for categories that compare durations; 0 otherwise.
func statementDuration(r *Rules, st *statement, text string) float64 {
	if !r.Categories[st.cat].CompareDurations {
		return 0
	}
	return maxDuration(text)
}

// sameMeaning reports whether two statements say the same thing.
func sameMeaning(a, b *statement) bool {
	return a.cat == b.cat && a.negated == b.negated && a.protective == b.protective &&
		a.concepts.equal(b.concepts) && a.conds.equal(b.conds) && a.durHours == b.durHours && a.durStarts == b.durStarts &&
		slices.Equal(a.values, b.values)
}

// covers reports whether statement a says at least what b says: the same
// polarity, every concept and distinct term of b, no condition b lacks, and
// no shorter period.
func covers(a, b *statement) bool {
	return a.cat == b.cat && a.negated == b.negated && a.protective == b.protective &&
		b.concepts.subsetOf(a.concepts) && condsDropped(a, b).empty() && subset(b.values, a.values) &&
		(b.durHours == 0 || a.durHours > b.durHours || a.durHours == b.durHours && (a.durStarts || !b.durStarts))
}

// subset reports whether every member of the sorted list a is in the
// sorted list b.
func subset(a, b []int) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}

// coveredBy reports whether one statement of sts covers st.
func coveredBy(sts []statement, st *statement) bool {
	for k := range sts {
		if covers(&sts[k], st) {
			return true
		}
	}
	return false
}

// compareMeaning returns the deltas of a change: sides are the changed
// sentences of each hunk, oldDoc and newDoc read whole versions.
func compareMeaning(hunks []Hunk, sides []hunkSides, oldDoc, newDoc *docStatements) []delta {
	disclaims := func(cat int) bool { return newDoc.reader.rules.Categories[cat].Disclaims }
	read := func(s *sideSentence) []statement {
		if !s.read {
			s.read = true
			text, toks := s.text, s.toks
			if s.lead != "" {
				text, toks = withLead(s.lead, s.text), nil // a list item, read after its lead-in
			}
			// a copy of its own: statements are compared by address
			s.stmts = slices.Clone(newDoc.reader.statements(text, toks))
			if s.underRule {
				s.stmts = underUserRule(newDoc.reader.rules, s.stmts)
			}
		}
		return s.stmts
	}
	var out []delta
	matchedOld := map[*statement]bool{}
	compare := func(hk int, o, n *sideSentence, ps, ns *statement) {
		matchedOld[ps] = true
		if sameMeaning(ps, ns) {
			return
		}
		kind := compareStatements(ps, ns)
		if kind < 0 || renamesService(newDoc.reader.rules.Lexicon, ps, ns) {
			return
		}
		// what the sentence says more may be said elsewhere already
		// (a longer period is the sentence's own: another sentence's
		// period is about other data)
		if (kind == deltaWidened || kind == deltaChanged) && !widensPeriodOnly(ps, ns) && coveredBy(oldDoc.statements(ns.cat), ns) {
			return
		}
		out = append(out, delta{cat: ns.cat, kind: kind, hunk: hk, oldS: o, newS: n, oldSt: ps, newSt: ns,
			effect: effectOfDelta(kind, ps, ns, disclaims(ns.cat))})
	}
	for hk, side := range sides {
		for _, n := range side.news {
			sts := read(n)
			for k := range sts {
				ns := &sts[k]
				// the sentence it replaced, else an unpaired old sentence of
				// the same block that made a statement of this category
				if n.partner != nil {
					pst := read(n.partner)
					if i := bestCounterpart(pst, ns, nil); i >= 0 {
						compare(hk, n.partner, n, &pst[i], ns)
						continue
					}
				}
				if o, ps := unpairedCounterpart(regionOlds(hunks, sides, hk), ns, matchedOld, read); ps != nil {
					compare(hk, o, n, ps, ns)
					continue
				}
				if !editedIn(n, ns) && !oldDoc.namesNew(n.text, n.toks) && coveredBy(oldDoc.statements(ns.cat), ns) {
					continue // restated: it moved, or was split off another sentence
				}
				out = append(out, delta{cat: ns.cat, kind: deltaAdded, hunk: hk, newS: n, oldS: n.partner, newSt: ns,
					effect: effectOfDelta(deltaAdded, nil, ns, disclaims(ns.cat))})
			}
		}
	}
	for hk, side := range sides {
		for _, o := range side.olds {
			sts := read(o)
			for k := range sts {
				os := &sts[k]
				if matchedOld[os] {
					continue
				}
				// a promise or a safeguard counts as kept when the new version
				// still names all of it, in one sentence or several
				if !editedIn(o, os) && coveredBy(newDoc.statements(os.cat), os) ||
					((os.negated || os.protective) && coveredTogether(newDoc.statements(os.cat), os)) {
					continue // still stated elsewhere in the new version
				}
				out = append(out, delta{cat: os.cat, kind: deltaRemoved, hunk: hk, oldS: o, newS: o.partner, oldSt: os,
					effect: effectOfDelta(deltaRemoved, os, nil, disclaims(os.cat))})
			}
		}
	}
	return out
}

// regionOlds lists the changed old sentences of every hunk in the same
// changed region as hunk hk (a rewritten stretch of the document).
func regionOlds(hunks []Hunk, sides []hunkSides, hk int) []*sideSentence {
	r := hunks[hk].region
	if r == 0 {
		return sides[hk].olds
	}
	var out []*sideSentence
	for k := range sides {
		if hunks[k].region == r {
			out = append(out, sides[k].olds...)
		}
	}
	return out
}

// unpairedCounterpart returns an old sentence of the block, without a
// partner, whose statement of ns's category is not compared yet: a
// paragraph reworded so much that its sentences did not pair still
// restates its practices.
func unpairedCounterpart(olds []*sideSentence, ns *statement, matched map[*statement]bool, read func(*sideSentence) []statement) (*sideSentence, *statement) {
	for _, o := range olds {
		if o.partner != nil {
			continue
		}
		sts := read(o)
		// an unrelated sentence of the same stretch that happens to deny
		// what this one states is no evidence of a reversal: only a
		// sentence paired by its wording can flip a negation
		if i := bestCounterpart(sts, ns, matched); i >= 0 && sts[i].negated == ns.negated {
			return o, &sts[i]
		}
	}
	return nil, nil
}

// bestCounterpart returns the index of the statement of sts (a partner
// sentence's) that ns is best compared with: same category, not yet
// compared (when matched is given), the same polarity first, then the most
// shared concepts; -1 when there is none.
func bestCounterpart(sts []statement, ns *statement, matched map[*statement]bool) int {
	best, bestScore := -1, -1
	for i := range sts {
		ps := &sts[i]
		if ps.cat != ns.cat || (matched != nil && matched[ps]) {
			continue
		}
		score := 0
		if ps.negated == ns.negated {
			score += 1000
		}
		for _, c := range ns.concepts.members() {
			if ps.concepts.has(c) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// renamesService reports whether two statements differ only in the named
// services they name, one for one ("the Facebook Companies" → "the Meta
// Companies", "Twitter" → "X"): a rebranding, not a new practice.
func renamesService(lx *Lexicon, ps, ns *statement) bool {
	if ps.negated != ns.negated || !ps.concepts.equal(ns.concepts) || !ps.conds.equal(ns.conds) || ps.durHours != ns.durHours {
		return false
	}
	service := func(v int) bool {
		for _, ci := range lx.terms[v].concepts {
			if lx.Concepts[ci].Kind == "service" {
				return true
			}
		}
		return false
	}
	// changed counts the values of a that b lacks, or -1 when one of them
	// is not a service
	changed := func(a, b []int) int {
		n := 0
		for _, v := range a {
			if _, ok := slices.BinarySearch(b, v); !ok {
				if !service(v) {
					return -1
				}
				n++
			}
		}
		return n
	}
	added, removed := changed(ns.values, ps.values), changed(ps.values, ns.values)
	return added > 0 && added == removed
}

// condsDropped returns the conditions of from that to lacks. A concept to
// names in its main clause is not dropped: punctuation moves where a
// conditional clause ends ("if you live in the UK, this Agreement …").
func condsDropped(from, to *statement) conceptSet {
	return from.conds.minus(to.conds).minus(to.concepts)
}

// widensPeriodOnly reports whether ns says no more than ps but for its
// period: longer, or now bounding only when the action begins.
func widensPeriodOnly(ps, ns *statement) bool {
	return ns.durHours > 0 && ns.concepts.minus(ps.concepts).empty() && condsDropped(ps, ns).empty() && subset(ns.values, ps.values)
}

// compareStatements says how ns differs from ps, or -1 when it says the
// same.
func compareStatements(ps, ns *statement) deltaKind {
	switch {
	case !ps.negated && ns.negated && ps.farCue, ps.negated && !ns.negated && ns.farCue:
		return -1 // a negation moved out of reach, not a promise made or withdrawn
	case !ps.negated && ns.negated:
		return deltaNegated
	case ps.negated && !ns.negated:
		return deltaUnnegated
	}
	wider := !ns.concepts.minus(ps.concepts).empty() || !condsDropped(ps, ns).empty() || !subset(ns.values, ps.values)
	narrower := !ps.concepts.minus(ns.concepts).empty() || !condsDropped(ns, ps).empty() || !subset(ps.values, ns.values)
	if ps.durHours > 0 && ns.durHours > 0 {
		wider = wider || ns.durHours > ps.durHours || ns.durHours == ps.durHours && ns.durStarts && !ps.durStarts
		narrower = narrower || ns.durHours < ps.durHours || ns.durHours == ps.durHours && ps.durStarts && !ns.durStarts
	}
	switch {
	case wider && narrower:
		return deltaChanged
	case wider:
		return deltaWidened
	case narrower:
		return deltaNarrowed
	}
	return -1
}

// effectOfDelta turns a delta into its effect on the practice. For the
// practice itself (not negated, not a safeguard) adding or widening it
// expands it and dropping or narrowing it narrows it. A promise not to do
// it ("we do not sell") and a safeguard ("you can opt out") work the other
// way round: adding or widening one adds a promise, dropping one removes
// it. A negated safeguard ("you can no longer opt out") takes a protection
// away when it appears. A safeguard restated with fewer details is
// reworded, not withdrawn. In a category that disclaims (liability), a
// negated statement ("we are not liable for …") is the practice itself, a
// disclaimer: negated or not, saying more of it expands it and dropping it
// narrows it.
func effectOfDelta(kind deltaKind, ps, ns *statement, disclaims bool) string {
	st := ns
	if st == nil || kind == deltaRemoved {
		st = ps
	}
	grows := kind == deltaAdded || kind == deltaWidened // the statement says more
	if disclaims && !st.protective {
		switch {
		case kind == deltaChanged:
			return EffectChanges
		case grows || kind == deltaNegated:
			return EffectExpands
		}
		return EffectNarrows
	}
	switch kind {
	case deltaNegated: // "we sell" → "we do not sell"; "you can opt out" → "you cannot"
		if ns.protective {
			return EffectRemovesPromise
		}
		return EffectAddsPromise
	case deltaUnnegated: // "we do not sell" → "we sell"; "you cannot opt out" → "you can"
		if ns.protective {
			return EffectAddsPromise
		}
		return EffectRemovesPromise
	case deltaChanged:
		return EffectChanges
	}
	switch {
	case st.protective && !st.negated: // a safeguard
		if grows {
			return EffectAddsPromise
		}
		if kind == deltaNarrowed {
			return EffectChanges
		}
		return EffectRemovesPromise
	case st.protective && st.negated: // a safeguard denied
		if grows {
			return EffectRemovesPromise
		}
		if kind == deltaNarrowed {
			return EffectChanges
		}
		return EffectAddsPromise
	case st.negated: // a promise not to do it
		if grows {
			return EffectAddsPromise
		}
		return EffectRemovesPromise
	}
	if grows {
		return EffectExpands
	}
	return EffectNarrows
}

// effectRank orders effects by how much they call for action.
func effectRank(e string) int {
	switch e {
	case EffectRemovesPromise:
		return 4
	case EffectExpands:
		return 3
	case EffectChanges:
		return 2
	case EffectNarrows:
		return 1
	}
	return 0
}

// findingsFromDeltas groups deltas into findings, one per hunk and
// category, in hunk order.
func findingsFromDeltas(rules *Rules, hunks []Hunk, ds []delta) []Finding {
	type key struct{ hunk, cat int }
	groups := map[key][]delta{}
	var order []key
	for _, d := range ds {
		k := key{d.hunk, d.cat}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], d)
	}
	slices.SortStableFunc(order, func(a, b key) int {
		if a.hunk != b.hunk {
			return a.hunk - b.hunk
		}
		return a.cat - b.cat
	})
	var out []Finding
	for _, k := range order {
		g := groups[k]
		slices.SortStableFunc(g, func(a, b delta) int { return effectRank(b.effect) - effectRank(a.effect) })
		c := &rules.Categories[k.cat]
		h := &hunks[k.hunk]
		f := Finding{Category: c.ID, Heading: h.Heading, Effect: g[0].effect, region: h.region, deltas: g}
		added, removed := true, true
		for _, d := range g {
			added = added && d.kind == deltaAdded
			removed = removed && d.kind == deltaRemoved
		}
		switch {
		case added:
			f.Direction = OpAdded
		case removed:
			f.Direction = OpRemoved
		default:
			f.Direction = OpModified
		}
		f.fillEvidence(rules)
		out = append(out, f)
	}
	return out
}

// fillEvidence sets a finding's evidence, before/after sentences, rule and
// explanation from its deltas, the one that calls for most action first.
func (f *Finding) fillEvidence(rules *Rules) {
	var ev []string
	seen := map[*sideSentence]bool{}
	for _, d := range f.deltas {
		s := d.newS
		if d.kind == deltaRemoved || s == nil {
			s = d.oldS
		}
		if s == nil || seen[s] {
			continue
		}
		seen[s] = true
		ev = append(ev, shorten(s.text, 320))
		if len(ev) == 2 {
			break
		}
	}
	f.Evidence = strings.Join(ev, " … ")
	d := f.deltas[0]
	if d.oldS != nil && (d.kind != deltaAdded || d.oldS.partner == d.newS) {
		f.Before = shorten(d.oldS.text, 600)
	}
	if d.newS != nil && d.kind != deltaRemoved {
		f.After = shorten(d.newS.text, 600)
	}
	if d.kind == deltaRemoved && d.newS != nil {
		f.After = shorten(d.newS.text, 600)
	}
	st := d.newSt
	if st == nil {
		st = d.oldSt
	}
	c := &rules.Categories[d.cat]
	f.Rule = c.frameRule(st)
	switch {
	case st.negated && c.Disclaims:
		f.Rule += " (disclaimer)"
	case st.negated:
		f.Rule += " (promise)"
	}
	f.Explanation = explainDelta(rules, &d)
	if fr := &c.Frames[st.frame]; fr.ModelAtLeast > 0 && rules.WordModel != nil {
		s := d.newS
		if st == d.oldSt || s == nil {
			s = d.oldS
		}
		if s == nil {
			return
		}
		if p, ok := rules.WordModel.Probability(c.ID, s.text); ok {
			f.Explanation += fmt.Sprintf(" The sentence names only part of what the category's strict frames ask for; frame %s reads it because the word model gives it %.2f for %s (%.2f needed).",
				fr.ID, p, c.Label, fr.ModelAtLeast)
		}
	}
}

// explainDelta says in words what changed in the statement.
func explainDelta(rules *Rules, d *delta) string {
	lx := rules.Lexicon
	names := func(s conceptSet) string {
		var ls []string
		for _, ci := range s.members() {
			ls = append(ls, lx.Concepts[ci].label())
		}
		return joinAnd(ls)
	}
	what := func(st *statement) string {
		s := "the practice"
		switch {
		case st.negated && rules.Categories[st.cat].Disclaims:
			s = "a disclaimer"
		case st.negated:
			s = "a promise not to do it"
		case st.protective:
			s = "a safeguard"
		}
		if n := names(st.concepts); n != "" {
			s += " (" + n + ")"
		}
		return s
	}
	// conditions named by condition terms; a conditional clause's other
	// concepts are summed up as "a condition"
	condNames := func(s conceptSet) string {
		var ls []string
		other := false
		for _, ci := range s.members() {
			if lx.Concepts[ci].Kind == KindCondition {
				ls = append(ls, lx.Concepts[ci].label())
			} else {
				other = true
			}
		}
		if other {
			ls = append(ls, "an \"if …\" or \"when …\" condition")
		}
		return joinAnd(ls)
	}
	switch d.kind {
	case deltaAdded:
		return "The new version states " + what(d.newSt) + ", which no sentence of the old version states in full."
	case deltaRemoved:
		return "The new version no longer states " + what(d.oldSt) + " anywhere."
	case deltaNegated:
		return "The sentence now negates what it stated (" + names(d.newSt.concepts) + ")."
	case deltaUnnegated:
		return "The sentence no longer negates it: it now states " + names(d.newSt.concepts) + "."
	}
	var parts []string
	if more := d.newSt.concepts.minus(d.oldSt.concepts); !more.empty() {
		parts = append(parts, "adds "+names(more))
	}
	if more := termsNotIn(lx, d.newSt.values, d.oldSt.values); more != "" {
		parts = append(parts, "now names "+more)
	}
	if less := d.oldSt.concepts.minus(d.newSt.concepts); !less.empty() {
		parts = append(parts, "drops "+names(less))
	}
	if less := termsNotIn(lx, d.oldSt.values, d.newSt.values); less != "" {
		parts = append(parts, "no longer names "+less)
	}
	if dropped := d.oldSt.conds.minus(d.newSt.conds); !dropped.empty() {
		parts = append(parts, "drops "+condNames(dropped))
	}
	if added := d.newSt.conds.minus(d.oldSt.conds); !added.empty() {
		parts = append(parts, "adds "+condNames(added))
	}
	if d.oldSt.durHours > 0 && d.newSt.durHours > 0 && d.oldSt.durHours != d.newSt.durHours {
		if d.newSt.durHours > d.oldSt.durHours {
			parts = append(parts, "states a longer period")
		} else {
			parts = append(parts, "states a shorter period")
		}
	}
	if d.oldSt.durHours > 0 && d.oldSt.durHours == d.newSt.durHours && d.oldSt.durStarts != d.newSt.durStarts {
		if d.newSt.durStarts {
			parts = append(parts, "now says only when the action begins within the period, not when it is done")
		} else {
			parts = append(parts, "now says the action is done within the period, not only begun")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "The reworded sentence " + joinAnd(parts) + "."
}

// termsNotIn quotes the terms of a that b lacks.
func termsNotIn(lx *Lexicon, a, b []int) string {
	var out []string
	for _, id := range a {
		if _, ok := slices.BinarySearch(b, id); !ok {
			out = append(out, fmt.Sprintf("%q", lx.terms[id].text))
		}
	}
	return joinAnd(out)
}

// frameRule names the frame that read a statement of the category
// ("category/frame-id").
func (c *Category) frameRule(st *statement) string { return c.ID + "/" + c.Frames[st.frame].ID }

// confirmed drops the deltas the word model rules out: those whose every
// sentence (the old one, the new one, or both) the model gives a
// probability below its threshold for the delta's category. A rule's
// reading stands when any of its sentences is plausible for the category,
// so a rewording that moves a sentence across the threshold does not turn
// into a finding of its own. Readings of a user's own frames are not
// judged: the model was trained on the built-in ones. It returns the kept
// deltas and the readings it set aside, one per category and sentence.
func (r *Rules) confirmed(ds []delta) ([]delta, []SetAside) {
	m := r.WordModel
	if m == nil {
		return ds, nil
	}
	var aside []SetAside
	seen := map[string]bool{}
	kept := slices.DeleteFunc(ds, func(d delta) bool {
		c := &r.Categories[d.cat]
		for _, st := range []*statement{d.oldSt, d.newSt} {
			if st != nil && c.Frames[st.frame].custom {
				return false
			}
		}
		var probs [2]float64 // of the old and the new sentence
		for i, s := range []*sideSentence{d.oldS, d.newS} {
			if s == nil {
				continue
			}
			// judged as it was read: a list item after its lead-in
			p, vetoed := m.Vetoes(c.ID, withLead(s.lead, s.text))
			if !vetoed {
				return false
			}
			probs[i] = p
		}
		st, s, p := d.newSt, d.newS, probs[1]
		if st == nil {
			st, s, p = d.oldSt, d.oldS, probs[0]
		}
		if s != nil && !seen[c.ID+"\x00"+s.text] {
			seen[c.ID+"\x00"+s.text] = true
			aside = append(aside, SetAside{Category: c.ID, Rule: c.frameRule(st),
				Sentence: shorten(s.text, 320), Probability: math.Round(p*1000) / 1000})
		}
		return true
	})
	return kept, aside
}

// editedIn reports whether the words that make statement st of a sentence
// edited in place (a prose sentence paired with its old wording, not a
// list item read after its lead-in) were inserted, or deleted, by the edit.
func editedIn(n *sideSentence, st *statement) bool {
	if n.partner == nil || n.lead != "" || len(n.changed) != len(n.toks) || !prose(n.text, n.toks) {
		return false
	}
	for i := st.first; i <= st.last && i < len(n.changed); i++ {
		if n.changed[i] {
			return true
		}
	}
	return false
}

// namesNew reports whether a sentence of prose names something the
// version never mentions: a capitalised word (a product, a company, a law)
// that occurs nowhere in it, in any case, or a number of up to three
// digits (an age, a period, an amount) it never states. Such a sentence
// states its practice of something new, though the version states the
// practice itself.
func (d *docStatements) namesNew(text string, toks []token) bool {
	if !prose(text, toks) {
		return false
	}
	if d.lower == "" {
		var b strings.Builder
		for _, bl := range d.blocks {
			b.WriteString(strings.ToLower(bl.raw))
			b.WriteByte('\n')
		}
		d.lower = b.String()
	}
	for i, t := range toks {
		w := text[t.start:t.end]
		if i > 0 && len(w) >= 3 && capitalised(w) && !containsWord(d.lower, strings.ToLower(w)) {
			return true
		}
		if isDigits(w) && len(w) <= 3 && !containsWord(d.lower, w) {
			return true // a new number: an age, a period, an amount
		}
	}
	return false
}

// prose reports whether a sentence reads as prose: no more than two in
// five of its words after the first are capitalised. A menu, a footer or a
// title line is no prose.
func prose(text string, toks []token) bool {
	n := 0
	for _, t := range toks[min(1, len(toks)):] {
		if capitalised(text[t.start:t.end]) {
			n++
		}
	}
	return 5*n <= 2*len(toks)
}

// capitalised reports whether a word starts with a capital letter.
func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// containsWord reports whether w occurs in s as a whole word (not inside
// a longer word).
func containsWord(s, w string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (i == 0 || !isWordRune(before)) && (end == len(s) || !isWordRune(after)) {
			return true
		}
		from = i + 1
	}
}
