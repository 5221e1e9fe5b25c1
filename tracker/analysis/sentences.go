package analysis

import (
	"regexp"
	"sort"
	"strings"
)

// reEmail matches an e-mail address.
var reEmail = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)

// contactPronouns are the words that make a sentence with an address a
// statement ("you can write to dpo@… to exercise your rights").
var contactPronouns = map[string]bool{"you": true, "your": true, "we": true, "our": true, "u": true}

// isContactLine reports whether a sentence is only contact details: an
// e-mail address with at most twenty other words (a name, a postal
// address, "email:") and no "you", "we" or "our", or the recipient line of
// a postal address ("Attn: Copyright Agent"). Such a line names no
// practice, whatever words its address holds ("copyright@…").
func isContactLine(text string, toks []token) bool {
	loc := reEmail.FindAllStringIndex(text, -1)
	if loc == nil {
		return isRecipientLine(text, toks)
	}
	n := 0
	for _, t := range toks {
		inAddress := false
		for _, l := range loc {
			if t.start >= l[0] && t.end <= l[1] {
				inAddress = true
				break
			}
		}
		if inAddress {
			continue
		}
		if contactPronouns[t.key] {
			return false
		}
		n++
	}
	return n <= 20
}

// isRecipientLine reports whether a sentence is the recipient line of a
// postal address: "Attn" or "Attention:" and at most eight more words, none
// of them "you", "we" or "our".
func isRecipientLine(text string, toks []token) bool {
	if len(toks) == 0 || len(toks) > 9 {
		return false
	}
	switch first := toks[0]; {
	case first.key == "attn":
	case first.key == "attention" && strings.HasPrefix(strings.TrimLeft(text[first.end:], " "), ":"):
	default:
		return false
	}
	for _, t := range toks[1:] {
		if contactPronouns[t.key] {
			return false
		}
	}
	return true
}

// This file finds, for every substantive hunk, the sentences that really
// changed and which of their words changed. A sentence that exists anywhere
// in the other version is unchanged (moved, or split off into another
// block). The others are paired with their most similar counterpart — first
// inside the same modified block, then anywhere in the change, so that a
// paragraph moved to another section and lightly edited only counts for
// the edited words — and diffed word by word. Unpaired sentences count as
// wholly added or removed.

// hunkSides holds the changed sentences of one hunk.
type hunkSides struct {
	olds, news []*sideSentence
}

const (
	sentencePairDice    = 0.5
	sentencePairContain = 0.8
	maxPosting          = 200 // tokens in more sentences than this are not indexed
)

// buildSide lists the sentences of one side of a hunk, noting which exist
// anywhere in the other version (other holds its sentence keys).
func buildSide(b *block, other map[string]bool) []*sideSentence {
	if b == nil || b.kind == kindHeading || b.numberedTitle() || glossaryHeaded(b.path) {
		return nil
	}
	var out []*sideSentence
	sents := splitSentences(b.plain())
	led := ruleLed(sents) || ruleHeaded(b.path)
	for _, s := range sents {
		toks := tokenize(s.text)
		if len(toks) == 0 || isPointer(s.text) || isContactLine(s.text, toks) {
			continue
		}
		ch := make([]bool, len(toks))
		for i := range ch {
			ch[i] = true
		}
		out = append(out, &sideSentence{sentence: s, lead: b.lead, toks: toks, changed: ch, elsewhere: other[joinKeys(toks)], underRule: led})
	}
	return out
}

// ruleLeads open a rule for users in the imperative.
var ruleLeads = []string{"don't ", "don’t ", "do not ", "never "}

// ruleLed reports whether a block is led by a rule for users: its first
// sentence is an imperative prohibition ("Don't use the services to do
// harm to others."). Every sentence of the block then describes conduct
// the rule forbids.
func ruleLed(sents []sentence) bool {
	if len(sents) == 0 {
		return false
	}
	first := strings.ToLower(strings.TrimLeft(sents[0].text, "*_ "))
	for _, lead := range ruleLeads {
		if strings.HasPrefix(first, lead) {
			return true
		}
	}
	return false
}

// ruleHeaded reports whether a block sits under a heading that is a rule
// for users ("Don't abuse our services", "Do not misuse the Services"): its
// items list the conduct the rule forbids. A heading in the user's own
// voice ("Do Not Sell or Share My Personal Information") or naming the
// Do Not Track signal is a control, not a rule.
func ruleHeaded(path []string) bool {
	if len(path) == 0 {
		return false
	}
	h := strings.ToLower(strings.TrimLeft(path[len(path)-1], "*_# "))
	return ruleLed([]sentence{{text: h}}) && !strings.Contains(h, "track") && !reFirstPerson.MatchString(h)
}

// glossaryHeaded reports whether a block sits in a document's glossary:
// under a heading "Definitions", "Glossary" or "Defined terms", at any
// level ("Definitions > commercial guarantee"). What it says defines a
// word the document uses; the provisions are where the document uses it,
// so a glossary entry states none. "Key terms" is not one: some captures
// put a whole policy under an introduction of that name.
func glossaryHeaded(path []string) bool {
	for _, h := range path {
		if reGlossary.MatchString(strings.ToLower(strings.Trim(h, "*_# "))) {
			return true
		}
	}
	return false
}

// reGlossary matches the title of a glossary section, numbered or not.
var reGlossary = regexp.MustCompile(`^(?:[0-9]+[.)]?\s*|[a-z][.)]\s+)?(?:definitions?|glossary|defined terms|interpretation and definitions)\s*:?$`)

// reFirstPerson finds the user's own voice in a heading.
var reFirstPerson = regexp.MustCompile(`\b(?:my|me|i)\b`)

// underUserRule keeps, of a sentence's statements, what a rule for users
// states: the practice of the categories about rules for users, as a rule
// (not negated, and marked as a rule for users, which caps its exposure
// where the category says so); nothing of the others.
func underUserRule(rules *Rules, sts []statement) []statement {
	var out []statement
	for _, st := range sts {
		if !rules.Categories[st.cat].UserRules {
			continue
		}
		st.negated, st.userRule = false, true
		out = append(out, st)
	}
	return out
}

// dropUnchanged removes the sentences that exist in the other version
// (moved, split off, or repeated elsewhere) unless they were paired with a
// changed sentence of the same block: a sentence reworded here but still
// present verbatim in another section of the other version is a rewording,
// not a new sentence.
func dropUnchanged(side []*sideSentence) []*sideSentence {
	out := side[:0]
	for _, s := range side {
		if !s.elsewhere || (s.paired && !s.partner.elsewhere) {
			out = append(out, s)
		}
	}
	return out
}

// sentenceSides computes the changed sentences of every substantive hunk.
func sentenceSides(hunks []Hunk, oldSents, newSents map[string]bool) []hunkSides {
	sides := make([]hunkSides, len(hunks))
	for k := range hunks {
		h := &hunks[k]
		if !h.Substantive {
			continue
		}
		olds := buildSide(h.oldBlock, newSents)
		news := buildSide(h.newBlock, oldSents)
		pairSentences(olds, news)
		sides[k].olds, sides[k].news = dropUnchanged(olds), dropUnchanged(news)
	}
	var olds, news []*sideSentence
	for _, s := range sides {
		for _, o := range s.olds {
			if !o.paired {
				olds = append(olds, o)
			}
		}
		for _, n := range s.news {
			if !n.paired {
				news = append(news, n)
			}
		}
	}
	pairIndexed(olds, news)
	return sides
}

type sentCand struct {
	o, n  int
	score float64
}

func pairOK(ob, nb map[string]int, no, nn int) (float64, bool) {
	d, c := similarity(ob, nb, no, nn)
	if d >= sentencePairDice || (c >= sentencePairContain && min(no, nn) >= 4) {
		return d + 0.1*c, true
	}
	return 0, false
}

// pairSentences pairs the sentences of one modified block, all against all.
func pairSentences(olds, news []*sideSentence) {
	if len(olds) == 0 || len(news) == 0 {
		return
	}
	nbags := make([]map[string]int, len(news))
	for j, n := range news {
		nbags[j] = bagOf(n.toks)
	}
	var cands []sentCand
	for i, o := range olds {
		ob := bagOf(o.toks)
		for j, n := range news {
			if score, ok := pairOK(ob, nbags[j], len(o.toks), len(n.toks)); ok {
				cands = append(cands, sentCand{i, j, score})
			}
		}
	}
	applyPairs(olds, news, cands)
}

// pairIndexed pairs sentences across the whole change, using an inverted
// index of old sentences' words to find candidates.
func pairIndexed(olds, news []*sideSentence) {
	if len(olds) == 0 || len(news) == 0 {
		return
	}
	obags := make([]map[string]int, len(olds))
	index := map[string][]int{}
	for i, o := range olds {
		obags[i] = bagOf(o.toks)
		for k := range obags[i] {
			index[k] = append(index[k], i)
		}
	}
	var cands []sentCand
	shared := map[int]int{}
	for j, n := range news {
		nb := bagOf(n.toks)
		clear(shared)
		for k := range nb {
			if p := index[k]; len(p) <= maxPosting {
				for _, i := range p {
					shared[i]++
				}
			}
		}
		for i, c := range shared {
			// cheap bound before the exact similarity
			if 2*c < len(obags[i])/2 && 2*c < len(nb)/2 {
				continue
			}
			if score, ok := pairOK(obags[i], nb, len(olds[i].toks), len(n.toks)); ok {
				cands = append(cands, sentCand{i, j, score})
			}
		}
	}
	applyPairs(olds, news, cands)
}

// applyPairs takes candidates best first and diffs each chosen pair.
func applyPairs(olds, news []*sideSentence, cands []sentCand) {
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		if cands[a].n != cands[b].n {
			return cands[a].n < cands[b].n
		}
		return cands[a].o < cands[b].o
	})
	for _, c := range cands {
		o, n := olds[c.o], news[c.n]
		if o.paired || n.paired {
			continue
		}
		o.paired, n.paired = true, true
		o.partner, n.partner = n, o
		o.changed, n.changed = changedTokens(o.toks, n.toks)
	}
}
