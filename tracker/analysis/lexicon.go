package analysis

import (
	"fmt"
	"slices"
	"strings"
)

// This file holds the rules file's vocabulary. A concept ("act-share",
// "rcp-advertisers", "dat-location"…) is a set of terms, each a sequence
// of words matched on folded word forms (see inflect.go), so one term
// covers its inflections: "share" matches "shares", "shared", "sharing".
// In a term, "word*" matches any word starting with "word", "=word"
// matches that very word form only (case-sensitive when it has capitals:
// "=US" is the country, not "us"), and "..." skips up to three words. A sentence is read left to right and each word
// belongs to the longest term that matches there, so "government-issued
// ID" is an identity document, not a government, and "cookie policy" is a
// document's name, not a tracker. Categories are then frames over
// concepts (frames.go), not phrases.

// Concept kinds with a meaning for the engine. Other kinds (recipient,
// object…) are for people reading the file and for the "kind:…" shorthand
// in frames.
const (
	// KindNeutral terms only claim their words so that shorter terms do
	// not match inside them ("parent company", "privacy policy").
	KindNeutral = "neutral"
	// KindCondition terms qualify a statement ("with your consent").
	KindCondition = "condition"
	// KindTime terms state a period; they do not change a statement's
	// meaning by themselves (durations are compared separately).
	KindTime = "time"
	// KindModal terms ("you can") frame a user's ability.
	KindModal = "modal"
	// KindAction terms are verbs and their nouns ("share", "disclosure").
	// Which verb a sentence uses matters for matching a frame, not for
	// whether two statements say the same: "we share" and "we disclose"
	// are the same statement, and a restated practice is not widened
	// because its verb changed.
	KindAction = "action"
	// KindData terms name data; a list of them counts as one word each in
	// a frame's window (innerWords).
	KindData = "data"
	// KindParty terms name who acts ("you will not"); a negation inside
	// one is the actor's own, not part of the term's meaning.
	KindParty = "party"
	// KindRegion terms name a place whose users a provision may be limited
	// to ("if you live in the United Kingdom"); Concept.Regions gives its
	// jurisdiction codes.
	KindRegion = "region"
)

// maxGap is how many words "..." may skip.
const maxGap = 3

// Lexicon lists the concepts the frames are written over.
type Lexicon struct {
	// About explains the lexicon to a person editing it; it is not used.
	About []string `json:"about,omitempty"`
	// Concepts, each with its terms.
	Concepts []Concept `json:"concepts"`

	actions  conceptSet            // concepts of kind "action"
	weighty  conceptSet            // concepts that make a practice new (Concept.Weighty)
	terms    []*lexTerm            // every compiled term, by id
	index    map[string][]*lexTerm // first folded word → terms, longest first
	prefixed []*lexTerm            // terms whose first word is a prefix or an exact form
	// reach holds, per index list (and for prefixed under ""), the most
	// words any term from position k of the list on can span: matching
	// stops once no later term can end as far as the best match so far
	reach map[string][]int
	byID  map[string]int // concept id → index in Concepts
}

// Concept is one meaning with the terms that express it.
type Concept struct {
	// ID names the concept in frames ("act-share").
	ID string `json:"id"`
	// Kind groups concepts (action, data, recipient, condition, neutral…).
	Kind string `json:"kind"`
	// Label is how findings name the concept ("advertisers"); by default
	// the id without its prefix.
	Label string `json:"label,omitempty"`
	// Terms that express the concept.
	Terms []string `json:"terms"`
	// Weighty marks a concept that makes a practice new when a statement
	// names it for the first time: a recipient, a purpose (advertising, AI),
	// a sensitive kind of data. Concepts of kind "recipient" and "service"
	// are weighty anyway.
	Weighty bool `json:"weighty,omitempty"`
	// Distinct marks a concept whose terms name different things rather
	// than one thing in several words: "posts", "messages" and "photos"
	// are all user content, but a sentence that adds "messages" to "posts"
	// widens what it says. Statements compare such terms one by one.
	Distinct bool `json:"distinct,omitempty"`
	// Regions are the DESIGN jurisdiction codes a concept of kind "region"
	// names ("UK" for "the United Kingdom").
	Regions []string `json:"regions,omitempty"`
}

// lexTerm is one compiled term; a term listed under several concepts
// carries all of them.
type lexTerm struct {
	id       int    // index in Lexicon.terms
	text     string // the term as first written, for explanations
	words    []lexWord
	concepts []int
	// second is the folded second word when it is a plain word: a quick
	// test that rules most candidates out before matchAt
	second string
}

type lexWord struct {
	folded string // folded word, when not a prefix, an exact form or a gap
	prefix string // lower-case prefix for "word*"
	exact  string // the word form for "=word"
	cased  bool   // exact is compared case-sensitively
	gap    bool   // "..."
}

// conceptHit is a term found in a sentence: tokens first..last.
type conceptHit struct {
	first, last int
	term        int // lexTerm id
	concepts    []int
}

// hasKind reports whether a hit names a concept of the kind.
func (lx *Lexicon) hasKind(h conceptHit, kind string) bool {
	return slices.ContainsFunc(h.concepts, func(ci int) bool { return lx.Concepts[ci].Kind == kind })
}

// label returns how findings name a concept.
func (c *Concept) label() string {
	if c.Label != "" {
		return c.Label
	}
	id := c.ID
	if i := strings.IndexByte(id, '-'); i > 0 && i <= 4 {
		id = id[i+1:]
	}
	return strings.ReplaceAll(id, "-", " ")
}

// compile validates and indexes the lexicon.
func (lx *Lexicon) compile() error {
	lx.index = map[string][]*lexTerm{}
	lx.terms = nil
	lx.prefixed = nil
	lx.byID = map[string]int{}
	byText := map[string]*lexTerm{}
	for ci, c := range lx.Concepts {
		if c.ID == "" {
			return fmt.Errorf("rules: lexicon: concept %d has no id", ci)
		}
		if _, dup := lx.byID[c.ID]; dup {
			return fmt.Errorf("rules: lexicon: concept %q defined more than once", c.ID)
		}
		lx.byID[c.ID] = ci
		if len(c.Terms) == 0 {
			return fmt.Errorf("rules: lexicon: concept %q has no terms", c.ID)
		}
		if (c.Kind == KindRegion) != (len(c.Regions) > 0) {
			return fmt.Errorf("rules: lexicon: concept %q: a region concept, and only one, lists jurisdiction codes", c.ID)
		}
		for _, code := range c.Regions {
			if !slices.Contains(JurisdictionCodes, code) {
				return fmt.Errorf("rules: lexicon: concept %q: unknown jurisdiction code %q", c.ID, code)
			}
		}
		for _, raw := range c.Terms {
			words, err := compileTerm(raw)
			if err != nil {
				return fmt.Errorf("rules: lexicon: concept %q: term %q: %w", c.ID, raw, err)
			}
			key := termKey(words)
			if t, ok := byText[key]; ok {
				if !slices.Contains(t.concepts, ci) {
					t.concepts = append(t.concepts, ci)
				}
				continue
			}
			t := &lexTerm{id: len(lx.terms), text: raw, words: words, concepts: []int{ci}}
			if len(words) > 1 && !words[1].gap && words[1].prefix == "" && words[1].exact == "" {
				t.second = words[1].folded
			}
			lx.terms = append(lx.terms, t)
			byText[key] = t
			if words[0].prefix != "" || words[0].exact != "" {
				lx.prefixed = append(lx.prefixed, t)
			} else {
				lx.index[words[0].folded] = append(lx.index[words[0].folded], t)
			}
		}
	}
	lx.actions = newConceptSet(len(lx.Concepts))
	lx.weighty = newConceptSet(len(lx.Concepts))
	for ci, c := range lx.Concepts {
		if c.Kind == KindAction {
			lx.actions.add(ci)
		}
		if c.Weighty || c.Kind == "recipient" || c.Kind == "service" {
			lx.weighty.add(ci)
		}
	}
	longestFirst := func(a, b *lexTerm) int { return len(b.words) - len(a.words) }
	for k := range lx.index {
		slices.SortStableFunc(lx.index[k], longestFirst)
	}
	slices.SortStableFunc(lx.prefixed, longestFirst)
	lx.reach = map[string][]int{"": reachOf(lx.prefixed)}
	for k, ts := range lx.index {
		lx.reach[k] = reachOf(ts)
	}
	return nil
}

// reachOf returns, for each position of a term list, the most words a term
// from there on can span (a gap "..." may skip maxGap words).
func reachOf(ts []*lexTerm) []int {
	out := make([]int, len(ts))
	most := 0
	for k := len(ts) - 1; k >= 0; k-- {
		span := 0
		for _, w := range ts[k].words {
			if w.gap {
				span += maxGap
			} else {
				span++
			}
		}
		most = max(most, span)
		out[k] = most
	}
	return out
}

// compileTerm parses one term into words.
func compileTerm(raw string) ([]lexWord, error) {
	var out []lexWord
	for _, part := range strings.Fields(raw) {
		if !strings.HasPrefix(part, "=") {
			part = strings.ToLower(part)
		}
		if part == "..." {
			if len(out) == 0 {
				return nil, fmt.Errorf(`"..." cannot start a term`)
			}
			out = append(out, lexWord{gap: true})
			continue
		}
		if exact, ok := strings.CutPrefix(part, "="); ok {
			if len(tokenize(exact)) != 1 {
				return nil, fmt.Errorf("%q: an exact form is one word", part)
			}
			out = append(out, lexWord{exact: strings.ReplaceAll(exact, "'", ""), cased: exact != strings.ToLower(exact)})
			continue
		}
		prefix := strings.HasSuffix(part, "*")
		part = strings.TrimSuffix(part, "*")
		toks := tokenize(part)
		if len(toks) == 0 {
			return nil, fmt.Errorf("%q has no word", part)
		}
		for k, t := range toks {
			w := strings.ToLower(part[t.start:t.end])
			if prefix && k == len(toks)-1 {
				out = append(out, lexWord{prefix: strings.ReplaceAll(w, "'", "")})
				continue
			}
			out = append(out, lexWord{folded: foldWord(w)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty term")
	}
	if out[len(out)-1].gap {
		return nil, fmt.Errorf(`"..." cannot end a term`)
	}
	return out, nil
}

func termKey(ws []lexWord) string {
	var b strings.Builder
	for _, w := range ws {
		switch {
		case w.gap:
			b.WriteString("…")
		case w.prefix != "":
			b.WriteString(w.prefix + "*")
		case w.exact != "":
			b.WriteString("=" + w.exact)
		default:
			b.WriteString(w.folded)
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// words are a sentence's words as the lexicon reads them.
type words struct {
	raw    []string // as written, apostrophes removed
	lower  []string // lower case, apostrophes removed
	folded []string
}

// readWords lowers and folds the tokens of text.
func readWords(text string, toks []token) words {
	w := words{raw: make([]string, len(toks)), lower: make([]string, len(toks)), folded: make([]string, len(toks))}
	for i, t := range toks {
		r := strings.ReplaceAll(text[t.start:t.end], "'", "")
		l := strings.ToLower(r)
		w.raw[i], w.lower[i], w.folded[i] = r, l, foldWord(l)
	}
	return w
}

// match finds the concepts of a sentence, each word claimed by the longest
// term that matches there; terms of the same length that match at the same
// place ("ai models" and "ai model*") give their concepts together.
func (lx *Lexicon) match(w words) []conceptHit {
	var hits []conceptHit
	var same []*lexTerm
	for i := 0; i < len(w.folded); {
		bestEnd := -1
		same = same[:0]
		consider := func(t *lexTerm) {
			end, ok := t.matchAt(w, i)
			switch {
			case !ok || end < bestEnd:
			case end > bestEnd:
				bestEnd, same = end, append(same[:0], t)
			default:
				same = append(same, t)
			}
		}
		// no term from k on can end at or beyond bestEnd once
		// i+reach[k]-1 < bestEnd: the longest match is already found
		scan := func(ts []*lexTerm, reach []int) {
			for k, t := range ts {
				if i+reach[k]-1 < bestEnd {
					return
				}
				if t.second != "" && (i+1 >= len(w.folded) || w.folded[i+1] != t.second) {
					continue
				}
				consider(t)
			}
		}
		scan(lx.index[w.folded[i]], lx.reach[w.folded[i]])
		scan(lx.prefixed, lx.reach[""])
		if len(same) == 0 {
			i++
			continue
		}
		concepts := same[0].concepts
		for _, t := range same[1:] {
			for _, ci := range t.concepts {
				if !slices.Contains(concepts, ci) {
					concepts = append(slices.Clip(concepts), ci)
				}
			}
		}
		hits = append(hits, conceptHit{first: i, last: bestEnd, term: same[0].id, concepts: concepts})
		i = bestEnd + 1
	}
	return hits
}

// matchAt reports whether the term matches the words from i on, and the
// index of its last word.
func (t *lexTerm) matchAt(w words, i int) (int, bool) {
	pos := i
	for k := 0; k < len(t.words); k++ {
		tw := t.words[k]
		if tw.gap {
			next := t.words[k+1]
			found := -1
			for j := pos; j < len(w.folded) && j <= pos+maxGap; j++ {
				if next.matches(w, j) {
					found = j
					break
				}
			}
			if found < 0 {
				return 0, false
			}
			pos = found
			continue
		}
		if pos >= len(w.folded) || !tw.matches(w, pos) {
			return 0, false
		}
		pos++
	}
	return pos - 1, true
}

func (tw lexWord) matches(w words, i int) bool {
	switch {
	case tw.prefix != "":
		return strings.HasPrefix(w.lower[i], tw.prefix)
	case tw.cased:
		return w.raw[i] == tw.exact
	case tw.exact != "":
		return w.lower[i] == tw.exact
	}
	return w.folded[i] == tw.folded
}

// conceptIndex returns the index of a concept id, or -1.
func (lx *Lexicon) conceptIndex(id string) int {
	if i, ok := lx.byID[id]; ok {
		return i
	}
	return -1
}
