package analysis

import (
	"regexp"
	"slices"
	"strings"
)

// This file reads the regional scope of a provision: a sentence or a
// section heading that limits what it says to the users of some countries
// ("If you live in the United Kingdom, …", "Additional terms for users in
// Brazil"). A change to a provision for users outside every jurisdiction
// of the organisation does not reach it: the rubric's "change not reaching
// the organisation", as for a rule only for minors.

// reScopeCue finds the words that limit a provision to the users of a
// place; the region named right after them is the scope.
var reScopeCue = regexp.MustCompile(`(?i)\b(?:if you (?:live|reside|are located|are based|are a resident|are resident)|(?:users?|members?|customers?|consumers?|residents?|people|individuals|those) (?:who (?:live|reside|are located|are based) )?(?:in|of|from|located in|based in|resident in|residing in)|you (?:live|reside|are located) in|residents? of|applicable to users in|for users in)\b`)

// scopeReach is how many words after a scope cue its region may start.
const scopeReach = 6

// regionScope returns the jurisdiction codes a text limits itself to: the
// regions named right after its scope cues or right before a word for
// their people ("California residents"), or nil when it names none or
// names a place it excludes ("if you live outside the EEA").
func (r *Rules) regionScope(text string) []string {
	if r.Lexicon == nil {
		return nil
	}
	toks := tokenize(text)
	w := readWords(text, toks)
	lx := r.Lexicon
	var codes []string
	add := func(h conceptHit) {
		for _, ci := range h.concepts {
			for _, code := range lx.Concepts[ci].Regions {
				if !slices.Contains(codes, code) {
					codes = append(codes, code)
				}
			}
		}
	}
	hits := lx.match(w)
	for _, h := range hits {
		// "California residents", "UK users": the region names whose
		// users the text is for, unless it excludes it ("non-EU users")
		if h.last+1 < len(w.lower) && scopedPeople[w.lower[h.last+1]] && (h.first == 0 || w.lower[h.first-1] != "non") {
			add(h)
		}
	}
	for _, cue := range reScopeCue.FindAllStringIndex(text, -1) {
		at := slices.IndexFunc(toks, func(t token) bool { return t.start >= cue[1] })
		if at < 0 {
			continue
		}
		for _, h := range hits {
			if h.first < at || h.first > at+scopeReach {
				continue
			}
			for k := at; k < h.first; k++ {
				switch w.lower[k] {
				case "outside", "except", "other", "not", "excluding":
					return nil // "outside the EEA", "other than the UK": the rest of the world
				}
			}
			add(h)
		}
	}
	return codes
}

// scopedPeople are the words that, right after a region, say the text is
// for the people of that region ("California residents").
var scopedPeople = map[string]bool{"residents": true, "resident": true, "users": true, "user": true,
	"consumers": true, "customers": true, "members": true, "individuals": true}

// findingScope returns the regions a finding's provision is limited to:
// those its sentence names, else those of the nearest heading that names
// some.
func (r *Rules) findingScope(f *Finding) []string {
	if len(f.deltas) > 0 {
		d := f.deltas[0]
		s := d.newS
		if s == nil {
			s = d.oldS
		}
		if s != nil {
			if codes := r.regionScope(s.text); len(codes) > 0 {
				return codes
			}
		}
	}
	path := strings.Split(f.Heading, " > ")
	for k := len(path) - 1; k >= 0; k-- {
		if codes := r.regionScope(path[k]); len(codes) > 0 {
			return codes
		}
	}
	return nil
}

// regionReaches reports whether a provision for the users of a region
// reaches an organisation: the profile names the region, a US or Canadian
// state or province of a country it names, or the country of a state it
// names.
func regionReaches(opts *Options, code string) bool {
	if inScope(opts, code) {
		return true
	}
	country, _, _ := strings.Cut(code, "-")
	return country != code && inScope(opts, country)
}

// outsideRegions returns the regions a finding is limited to, in words,
// when the organisation has a profile and none of them reaches it; "" when
// the finding reaches it.
func (r *Rules) outsideRegions(f *Finding, opts *Options) string {
	if opts.Profile == nil || len(opts.Profile.Jurisdictions) == 0 {
		return ""
	}
	codes := r.findingScope(f)
	if len(codes) == 0 || slices.ContainsFunc(codes, func(c string) bool { return regionReaches(opts, c) }) {
		return ""
	}
	names := make([]string, len(codes))
	for k, code := range codes {
		names[k] = r.regionName(code)
	}
	return joinAnd(names)
}

// regionName returns how the lexicon names a jurisdiction code (the label
// of its region concept, "the United Kingdom"), or the code.
func (r *Rules) regionName(code string) string {
	for _, c := range r.Lexicon.Concepts {
		if c.Kind == KindRegion && c.Label != "" && slices.Contains(c.Regions, code) {
			return c.Label
		}
	}
	return code
}
