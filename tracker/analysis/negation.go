package analysis

import (
	"strings"
)

// Effects of a finding on the practice it describes.
const (
	EffectExpands        = "expands"
	EffectNarrows        = "narrows"
	EffectRemovesPromise = "removes-promise"
	EffectAddsPromise    = "adds-promise"
	EffectChanges        = "changes"
)

// sideSentence is one changed sentence of a hunk's old or new side, with
// the tokens that changed and, once read, its statements.
type sideSentence struct {
	sentence
	lead    string // the list's lead-in, for a sentence of a list item (block.lead)
	toks    []token
	changed []bool // per token: inserted (new side) or deleted (old side)
	paired  bool   // matched with a similar sentence of the other version
	partner *sideSentence
	// elsewhere: the sentence exists verbatim (same key) in the other version
	elsewhere bool
	// underRule marks a sentence of a block led by a rule for users
	// ("Don't use the services to do harm. Among other things, this
	// includes … selling data obtained from our services"): what it lists
	// is conduct the rule forbids (see ruleLed)
	underRule bool
	read      bool        // stmts are set
	stmts     []statement // what the sentence states (frames.go)
}

func joinKeys(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

func bagOf(toks []token) map[string]int {
	m := make(map[string]int, len(toks))
	for _, t := range toks {
		m[t.key]++
	}
	return m
}

var clauseBreakChars = ",;:()"

// cueBefore returns the index of the token starting a negation cue within
// the window before token i, or -1. The look-back stops at clause
// punctuation and at break words ("but", "unless"). A parenthesis ("(such
// as poll results)") is stepped over without counting its words, and each
// comma of a list ("audio, video, chat or files") widens the window, so a
// negated verb keeps its scope over a long list of objects; function words
// are not counted.
func (n *Negation) cueBefore(text string, toks []token, i int) int {
	breaks := n.breaks
	lower := func(k int) string { return strings.ToLower(text[toks[k].start:toks[k].end]) }
	budget := n.Window
	for k := i - 1; k >= 0 && budget > 0; k-- {
		gap := text[toks[k].end:toks[k+1].start]
		if strings.Contains(gap, ")") {
			open := openingParen(text, toks, k)
			if open < 0 {
				return -1
			}
			k = open // the token before "(": its gap to the group holds "("
			gap = strings.ReplaceAll(text[toks[k].end:toks[k+1].start], "(", "")
			if strings.Contains(gap, ")") {
				return -1
			}
		}
		if strings.ContainsAny(gap, clauseBreakChars) {
			if strings.TrimSpace(gap) != "," || !listComma(text, toks, k+1, i, lower) {
				return -1
			}
			budget += 3
		}
		w := lower(k)
		if !functionWords[w] {
			budget--
		}
		if breaks[w] {
			return -1
		}
		for _, cue := range n.cues {
			if len(cue) == 0 || k+len(cue) > i {
				continue
			}
			ok := true
			for x, cw := range cue {
				if lower(k+x) != cw {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if boundNotNegation(cue[0], k, len(toks), lower) || withoutManner(cue[0], k, i, len(toks), lower) {
				continue
			}
			return k
		}
	}
	return -1
}

// withoutManner reports whether the cue "without" at k only says how
// something is done: "without limitation", "without undue delay", or a
// verb in -ing ("without changing your settings") other than the one the
// match at i starts with. Such a phrase negates nothing after it: "without
// limiting our other rights, we may suspend your account" states a
// practice, while "without sharing your data" still denies the sharing and
// "without prior notice" the notice.
func withoutManner(w string, k, i, n int, lower func(int) string) bool {
	if w != "without" || k+1 >= n {
		return false
	}
	next := lower(k + 1)
	return withoutBound[next] || strings.HasSuffix(next, "ing") && k+1 != i
}

// withoutBound are the words after "without" that make a phrase of manner.
var withoutBound = map[string]bool{"limitation": true, "limiting": true, "further": true, "undue": true, "delay": true}

// notNegating are the words after "not" or "no" that make a phrase
// which negates nothing: "not only", "not limited to", "not hesitate to", "no later than",
// "no less than".
var notNegating = map[string]bool{"only": true, "limited": true, "later": true, "less": true, "fewer": true, "hesitate": true,
	"earlier": true, "sooner": true}

// boundNotNegation reports whether the cue word at k is part of a phrase
// that negates nothing: "whether or not", "including but not limited to",
// "no later than 30 days".
func boundNotNegation(w string, k, n int, lower func(int) string) bool {
	if w != "not" && w != "no" {
		return false
	}
	if w == "not" && k > 0 && lower(k-1) == "or" {
		return true
	}
	return k+1 < n && notNegating[lower(k+1)]
}

// functionWords do not count towards the negation window: "does not use
// any of your audio or other content to train" is five content words.
var functionWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "of": true,
	"any": true, "all": true, "other": true, "your": true, "our": true, "to": true, "such": true, "as": true}

// openingParen returns the index of the token before the "(" that opens
// the group ending after token k, or -1 when there is none (or the group
// is at the start of the sentence).
func openingParen(text string, toks []token, k int) int {
	for m := k; m >= 1; m-- {
		if strings.Contains(text[toks[m-1].end:toks[m].start], "(") {
			return m - 1
		}
	}
	return -1
}

// listComma reports whether the comma before token j separates items of a
// list ("audio, video, chat, screen sharing or files") rather than
// clauses: short items (at most four words each) lead to an "and"/"or",
// with no pronoun (which would start a new clause: "…data, we and our
// partners share it"). The "and"/"or" usually comes before token end; it
// may also follow it, within the same clause, when the word at end is
// itself an item of the list ("we will not sell, rent, or loan your data").
func listComma(text string, toks []token, j, end int, lower func(int) string) bool {
	item := 0
	for x := j; x < len(toks) && x <= j+12; x++ {
		gap := text[toks[x-1].end:toks[x].start]
		if x > end && strings.ContainsAny(gap, clauseBreakChars) && strings.TrimSpace(gap) != "," {
			return false
		}
		if x > j && strings.Contains(gap, ",") {
			item = 0
		}
		switch w := lower(x); w {
		case "and", "or":
			return x > j
		case "we", "you", "they", "it", "he", "she", "i", "who", "which", "that", "this", "these":
			return false
		}
		if item++; item > 4 {
			return false
		}
	}
	return false
}

// strongCues are negation words that negate a signal even inside its match
// ("we will not change these terms").
var strongCues = map[string]bool{
	"not": true, "never": true, "don't": true, "doesn't": true, "won't": true, "cannot": true,
	"can't": true, "isn't": true, "aren't": true, "wouldn't": true, "shouldn't": true,
}

// cueInside reports whether a strong negation cue sits inside the tokens
// first..last of a match, leaving out the tokens skip marks.
func (n *Negation) cueInside(text string, toks []token, first, last int, skip []bool) bool {
	for k := first; k <= last && k < len(toks); k++ {
		if k < len(skip) && skip[k] {
			continue
		}
		w := strings.ToLower(text[toks[k].start:toks[k].end])
		if strongCues[w] {
			if boundNotNegation(w, k, len(toks), func(x int) string { return strings.ToLower(text[toks[x].start:toks[x].end]) }) {
				continue
			}
			return true
		}
	}
	return false
}
