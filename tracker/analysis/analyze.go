package analysis

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Analyze diffs two normalised texts and analyses every substantive hunk:
// findings with exposure, rationale and jurisdictions, then the record parts
// that read across findings. It never fails: with nil Rules it returns the
// diff with no findings.
func Analyze(oldText, newText string, opts Options) Result {
	ob, nb := parsePair(oldText, newText)
	hunks := diffBlocks(ob, nb)
	res := Result{Exposure: "none", Hunks: hunks, Findings: []Finding{}}
	var sides []hunkSides
	if opts.Rules != nil {
		sides = sentenceSides(hunks, sentenceKeys(ob), sentenceKeys(nb))
	}
	for k := range hunks {
		h := &hunks[k]
		if !h.Substantive {
			continue
		}
		res.Substantive = true
		res.AddedWords, res.RemovedWords = countWords(h, res.AddedWords, res.RemovedWords)
	}
	if opts.Rules != nil && res.Substantive {
		reader := newSentenceReader(opts.Rules, opts.Rules.selfTerms(opts.Platform.Name, firstHeading(ob), firstHeading(nb)))
		oldDoc := &docStatements{blocks: ob, reader: reader}
		newDoc := &docStatements{blocks: nb, reader: reader}
		deltas, aside := opts.Rules.confirmed(compareMeaning(hunks, sides, oldDoc, newDoc))
		res.SetAside = aside
		raw := findingsFromDeltas(opts.Rules, hunks, deltas)
		retro := retroactiveSentence(sides, oldText)
		for _, f := range pairAcrossHunks(raw) {
			c := opts.Rules.Category(f.Category)
			assess(&f, opts.Rules, c, &opts, retro, oldDoc, newDoc)
			f.Checklist = append([]string(nil), c.Checklist...)
			res.Findings = append(res.Findings, f)
		}
	}
	res.Findings = mergeFindings(res.Findings)
	for _, f := range res.Findings {
		if levelIndex(f.Exposure) > levelIndex(res.Exposure) {
			res.Exposure = f.Exposure
		}
	}
	if opts.Rules != nil && res.Substantive && len(res.Findings) == 0 {
		// substantive edits the rules do not classify still need a read:
		// the rubric's "editorial or clarifying change", low
		res.Exposure = LevelLow
	}
	if opts.Rules != nil {
		buildRecord(&res, opts.Rules, &opts)
	} else {
		res.Summary = summarise(&res, &Rules{})
		res.Rationale = changeRationale(&res)
	}
	res.emptyListsNotNull()
	return res
}

// emptyListsNotNull makes the record's empty lists empty arrays in its JSON
// form, so that scripts can iterate over them without a null check.
func (r *Result) emptyListsNotNull() {
	orEmpty := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Landscape == nil {
		r.Landscape = []Provision{}
	}
	if r.Flags == nil {
		r.Flags = []JurisdictionFlag{}
	}
	r.ContractImplications = orEmpty(r.ContractImplications)
	r.ComplianceConsiderations = orEmpty(r.ComplianceConsiderations)
	if r.Checklist == nil {
		r.Checklist = []ChecklistItem{}
	}
	if r.Hunks == nil {
		r.Hunks = []Hunk{}
	}
}

// pairAcrossHunks folds an added and a removed finding of the same category
// from the same changed region (a paragraph rewritten beyond block pairing)
// into one modified finding: the practice was restated differently. Its
// effect is the added side's when both move the same way, else "changes".
func pairAcrossHunks(fs []Finding) []Finding {
	var out []Finding
	open := map[string]int{} // category/region -> index in out
	for _, f := range fs {
		key := fmt.Sprintf("%s/%d", f.Category, f.region)
		if f.region > 0 && (f.Direction == OpAdded || f.Direction == OpRemoved) {
			if k, ok := open[key]; ok && out[k].Direction != f.Direction && out[k].Direction != OpModified {
				p := &out[k]
				added, removed := *p, f
				if f.Direction == OpAdded {
					added, removed = f, *p
				}
				merged := added
				merged.Direction = OpModified
				merged.deltas = append(append([]delta(nil), added.deltas...), removed.deltas...)
				if widens(added.Effect) == widens(removed.Effect) {
					merged.Effect = added.Effect
				} else {
					merged.Effect = EffectChanges
				}
				if merged.Before == "" {
					merged.Before = removed.Before
				}
				*p = merged
				continue
			}
			open[key] = len(out)
		}
		out = append(out, f)
	}
	return out
}

// widens reports whether an effect widens what the platform may do.
func widens(effect string) bool {
	return effect == EffectExpands || effect == EffectRemovesPromise
}

// reRetroactive finds new wording that makes a change retroactive or
// effective by posting alone — the rubric raises exposure one level for it.
var reRetroactive = regexp.MustCompile(`(?i)\bretroactiv\w*|\b(?:previously|already) (?:collected|provided|shared|posted|uploaded)\b|\beffective (?:immediately )?(?:when|upon|once) (?:we )?(?:post|posted|posting|publish\w*|publication)\b|\bby posting (?:the )?(?:revised|updated|new|modified)`)

// retroactiveSentence returns the first changed new sentence whose wording
// newly makes a change retroactive or effective by posting alone (wording
// the old version, oldText, does not use), or "". A posting-only clause
// that a rewrite merely carries over is no new retroactivity.
func retroactiveSentence(sides []hunkSides, oldText string) string {
	var old string
	for _, s := range sides {
		for _, n := range s.news {
			m := reRetroactive.FindString(n.text)
			if m == "" {
				continue
			}
			if old == "" {
				old = strings.ToLower(oldText)
			}
			if !strings.Contains(old, strings.ToLower(m)) {
				return n.text
			}
		}
	}
	return ""
}

// sentenceKeys returns the cosmetic keys of every sentence of a document.
func sentenceKeys(bs []*block) map[string]bool {
	m := map[string]bool{}
	for _, b := range bs {
		for _, s := range splitSentences(b.plain()) {
			if k := textKey(s.text); k != "" {
				m[k] = true
			}
		}
	}
	return m
}

func countWords(h *Hunk, added, removed int) (int, int) {
	switch h.Op {
	case OpAdded:
		added += len(tokenize(h.newBlock.plain()))
	case OpRemoved:
		removed += len(tokenize(h.oldBlock.plain()))
	case OpModified:
		oc, nc := changedTokens(tokenize(h.oldBlock.plain()), tokenize(h.newBlock.plain()))
		for _, c := range oc {
			if c {
				removed++
			}
		}
		for _, c := range nc {
			if c {
				added++
			}
		}
	}
	return added, removed
}

// mergeFindings folds findings that say the same thing into one: adjacent
// findings of one category, heading, direction and effect (their evidence
// joined), then findings anywhere in the change whose category, direction,
// effect and evidence are the same — a sentence repeated under many
// headings (a glossary entry, a per-section example) edited everywhere at
// once. The merged finding keeps the first heading, the highest exposure,
// and says in its rationale where else the wording changed.
func mergeFindings(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.Category == f.Category && p.Heading == f.Heading && p.Direction == f.Direction && p.Effect == f.Effect {
				if levelIndex(f.Exposure) > levelIndex(p.Exposure) {
					p.Exposure, p.Rationale = f.Exposure, f.Rationale
				}
				if len(p.Evidence) < 400 && !strings.Contains(p.Evidence, f.Evidence) {
					p.Evidence += " … " + f.Evidence
				}
				continue
			}
		}
		out = append(out, f)
	}
	out = mergeRepeats(out)
	out = mergeByEffect(out)
	if out == nil {
		out = []Finding{}
	}
	return out
}

// mergeByEffect folds the findings of one category that have the same
// effect into the first of them: a rewrite that widens sharing in eight
// sections is one finding about sharing, with its strongest evidence and
// the other places named, not eight. Findings of one category with
// different effects (one passage widens, another narrows) stay apart.
func mergeByEffect(fs []Finding) []Finding {
	type group struct {
		first    int
		headings []string
		more     int
	}
	byKey := map[string]*group{}
	var out []Finding
	var order []*group
	for _, f := range fs {
		key := f.Category + "\x00" + f.Effect
		if g, ok := byKey[key]; ok {
			p := &out[g.first]
			if levelIndex(f.Exposure) > levelIndex(p.Exposure) {
				// the stronger passage leads
				headings := append(g.headings, p.Heading)
				f.Direction = mergedDirection(p.Direction, f.Direction)
				*p = f
				g.headings = headings
			} else {
				p.Direction = mergedDirection(p.Direction, f.Direction)
				g.headings = append(g.headings, f.Heading)
				if len(p.Evidence) < 400 && !strings.Contains(p.Evidence, f.Evidence) {
					p.Evidence += " … " + f.Evidence
				}
			}
			p.deltas = append(p.deltas, f.deltas...)
			g.more++
			continue
		}
		g := &group{first: len(out)}
		byKey[key] = g
		order = append(order, g)
		out = append(out, f)
	}
	for _, g := range order {
		if g.more == 0 {
			continue
		}
		f := &out[g.first]
		var places []string
		seen := map[string]bool{f.Heading: true}
		for _, h := range g.headings {
			if h == "" {
				h = "(top of document)"
			}
			if !seen[h] {
				seen[h] = true
				places = append(places, h)
			}
		}
		shown := places
		if len(shown) > 3 {
			shown = shown[:3]
		}
		note := fmt.Sprintf(" %d other passage(s) of this change do the same", g.more)
		if len(shown) > 0 {
			note += ", under " + strings.Join(shown, "; ")
			if len(places) > len(shown) {
				note += fmt.Sprintf(" and %d more sections", len(places)-len(shown))
			}
		}
		f.Rationale = strings.TrimSpace(f.Rationale + note + ".")
	}
	return out
}

// mergedDirection is the direction of two merged findings.
func mergedDirection(a, b string) string {
	if a == b {
		return a
	}
	return OpModified
}

// mergeRepeats merges findings with the same category, direction, effect
// and evidence, wherever they are.
func mergeRepeats(fs []Finding) []Finding {
	type repeat struct {
		first    int
		headings []string
		exposure Level
		reason   string
	}
	byKey := map[string]*repeat{}
	var out []Finding
	var order []*repeat
	for _, f := range fs {
		key := f.Category + "\x00" + f.Direction + "\x00" + f.Effect + "\x00" + strings.ToLower(strings.Join(strings.Fields(f.Evidence), " "))
		if r, ok := byKey[key]; ok {
			if f.Heading != out[r.first].Heading && !slices.Contains(r.headings, f.Heading) {
				r.headings = append(r.headings, f.Heading)
			}
			if levelIndex(f.Exposure) > levelIndex(r.exposure) {
				r.exposure, r.reason = f.Exposure, f.Rationale
			}
			continue
		}
		r := &repeat{first: len(out), exposure: f.Exposure, reason: f.Rationale}
		byKey[key] = r
		order = append(order, r)
		out = append(out, f)
	}
	for _, r := range order {
		f := &out[r.first]
		f.Exposure, f.Rationale = r.exposure, r.reason
		if len(r.headings) == 0 {
			continue
		}
		shown := r.headings
		if len(shown) > 3 {
			shown = shown[:3]
		}
		for k, h := range shown {
			if h == "" {
				shown[k] = "(top of document)"
			}
		}
		more := ""
		if len(r.headings) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(r.headings)-len(shown))
		}
		places := "place"
		if len(r.headings) > 1 {
			places = "places"
		}
		f.Rationale = strings.TrimSpace(fmt.Sprintf("%s The same wording changed in %d other %s: %s%s.",
			f.Rationale, len(r.headings), places, strings.Join(shown, "; "), more))
	}
	return out
}
