package analysis

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"policywatch/tracker/analysis/wordmodel"
)

// This file reads what a sentence states. A category is a set of frames;
// a frame is a few slots, each a set of concepts, that must all occur in
// one clause: "share" with "advertisers" is sharing with third parties,
// "use" with any data and "ads" is data used for advertising, "arbitration"
// alone is arbitration. A frame that matches makes a statement: the
// category, whether the clause negates it ("we do not sell"), the
// conditions the sentence puts on it ("with your consent", "unless you opt
// out", "when required by law"), and the concepts of the clause, which say
// what exactly is stated (which data, which recipients, which purpose).
// Comparing the statements of an old and a new sentence then says whether
// a practice was added, removed, widened, narrowed, or merely reworded
// (meaning.go).

// Frame is one way a sentence can state a category's practice.
type Frame struct {
	// ID names the frame in findings' Rule field.
	ID string `json:"id"`
	// All lists the slots: each is a set of concept ids (or "kind:K" for
	// every concept of kind K), and each must occur in the clause.
	All [][]string `json:"all"`
	// Protective marks a frame that states a safeguard (a right, a
	// control, a transfer mechanism, advance notice): adding it narrows
	// risk and removing it widens it.
	Protective bool `json:"protective,omitempty"`
	// Burden marks a frame of a protective category that states a hurdle
	// on the way to a safeguard, not the safeguard (an identity check
	// before a rights request is answered): adding it makes the safeguard
	// harder to use, and dropping it makes it easier.
	Burden bool `json:"burden,omitempty"`
	// GuardedBy lists concepts (a user's opt-out or right) that, named
	// before the match in its clause and outside a condition, make the
	// statement a safeguard over the practice: "you may opt out of the
	// sale of your information" states the opt-out, not a sale.
	GuardedBy []string `json:"guarded_by,omitempty"`
	// Within, when above 0, is the most words the slots' terms may span
	// ("sell" and "your data" within 6 words).
	Within int `json:"within,omitempty"`
	// None lists concepts (or "kind:K") that must not occur in the clause
	// ("sale" of "assets" in a merger is not a sale of data for ads).
	None []string `json:"none,omitempty"`
	// Cap, when set (low or medium), is the highest level a finding can
	// reach when all its statements were read by frames like this one:
	// a mere mention of an AI feature is not a new AI-training purpose.
	Cap string `json:"cap,omitempty"`
	// Outbound marks a frame whose first slot is an act of giving and whose
	// second is the one who receives: a receiver named before the act with
	// no "we" between them is the one acting ("advertisers provide us with
	// information", "third parties may share data with us"), so data comes
	// in, and the frame does not match there.
	Outbound bool `json:"outbound,omitempty"`
	// Agent marks a frame whose first slot is a party and whose second is
	// an act that party must perform: the party comes before the act with
	// no "we" or passive between them ("a payment processor will receive
	// your card details"), not after it ("we receive data from partners").
	Agent bool `json:"agent,omitempty"`
	// PurposeOf lists acts (concept ids) whose purpose the frame's match
	// must not be: when the match follows one of them done to data, with
	// "to" or "for" in between ("we collect your location … to protect
	// your account"), the sentence says why data is processed, not that a
	// safeguard is in place, and the frame does not match.
	PurposeOf []string `json:"purpose_of,omitempty"`
	// Entry marks a one-slot frame that reads a verbless entry naming its
	// concept first ("Independent claims adjusters", "Advertising partners
	// that help us measure our ads"): in a notice such a line lists who
	// receives data, under a lead-in or heading that says so. It matches
	// only when the concept opens the sentence and no act comes before a
	// relative clause ("that", "who", "which", "such as").
	Entry bool `json:"entry,omitempty"`
	// MainClause marks a frame that does not match when all its words lie
	// in conditional clauses: "if you have subscribed to a paid plan, we use
	// your data …" names a fee as the condition of something else, and
	// states no fee.
	MainClause bool `json:"main_clause,omitempty"`
	// ModelAtLeast, when above 0, makes the frame match only when the word
	// model gives the sentence at least this probability for the category.
	// It lets a frame one slot looser than a strict one ("consent" named,
	// without the act that gives it) read only the sentences whose words
	// resemble those labelled with the category. Without a word model the
	// frame never matches.
	ModelAtLeast float64 `json:"model_at_least,omitempty"`
	// WeAct marks a frame whose first slot is an act the organisation must
	// be named doing: "we" comes before it, with at most a modal, a negation or a
	// reservation between ("we may suspend your account", "we reserve the
	// right to remove content"). A passive or a noun names no one
	// ("cookies can be removed", "account termination"), and a request
	// is the user's ("requests to disable your account"). A rule for users
	// that forbids the act ("you may not remove content credentials") is
	// read too: it is a rule of conduct.
	WeAct bool `json:"we_act,omitempty"`

	slots     []conceptSet
	none      conceptSet
	purposeOf conceptSet
	guard     conceptSet
	// custom marks a frame of the user's rules file, whose readings the
	// word model does not judge
	custom bool
}

// conceptSet is a set of concept indexes.
type conceptSet []uint64

func newConceptSet(n int) conceptSet { return make(conceptSet, (n+63)/64) }

func (s conceptSet) add(i int) { s[i/64] |= 1 << (i % 64) }

func (s conceptSet) has(i int) bool { return i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0 }

func (s conceptSet) intersects(o conceptSet) bool {
	for i := range s {
		if i < len(o) && s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// union returns the members of s or o.
func (s conceptSet) union(o conceptSet) conceptSet {
	out := make(conceptSet, max(len(s), len(o)))
	copy(out, s)
	for i := range o {
		out[i] |= o[i]
	}
	return out
}

// subsetOf reports whether every member of s is in o.
func (s conceptSet) subsetOf(o conceptSet) bool {
	for i := range s {
		var w uint64
		if i < len(o) {
			w = o[i]
		}
		if s[i]&^w != 0 {
			return false
		}
	}
	return true
}

func (s conceptSet) equal(o conceptSet) bool { return s.subsetOf(o) && o.subsetOf(s) }

func (s conceptSet) empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

// minus returns the members of s not in o.
func (s conceptSet) minus(o conceptSet) conceptSet {
	out := make(conceptSet, len(s))
	for i := range s {
		var w uint64
		if i < len(o) {
			w = o[i]
		}
		out[i] = s[i] &^ w
	}
	return out
}

// members lists the indexes in s, in order.
func (s conceptSet) members() []int {
	var out []int
	for i, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			out = append(out, i*64+b)
			w &^= 1 << b
		}
	}
	return out
}

// compileFrames resolves a category's frames against the lexicon.
func (c *Category) compileFrames(lx *Lexicon) error {
	for fi := range c.Frames {
		fr := &c.Frames[fi]
		if fr.ID == "" {
			fr.ID = fmt.Sprintf("frame-%d", fi+1)
		}
		if len(fr.All) == 0 {
			return fmt.Errorf("frame %q: no slots", fr.ID)
		}
		fr.slots = nil
		for si, slot := range fr.All {
			set, err := lx.conceptsOf(slot)
			if err != nil {
				return fmt.Errorf("frame %q: slot %d: %w", fr.ID, si+1, err)
			}
			fr.slots = append(fr.slots, set)
		}
		var err error
		if fr.none, err = lx.optionalConcepts(fr.None); err != nil {
			return fmt.Errorf("frame %q: none: %w", fr.ID, err)
		}
		if fr.purposeOf, err = lx.optionalConcepts(fr.PurposeOf); err != nil {
			return fmt.Errorf("frame %q: purpose_of: %w", fr.ID, err)
		}
		if fr.guard, err = lx.optionalConcepts(fr.GuardedBy); err != nil {
			return fmt.Errorf("frame %q: guarded_by: %w", fr.ID, err)
		}
		if fr.Cap != "" && (levelIndex(fr.Cap) < 0 || levelIndex(fr.Cap) == len(levelNames)-1) {
			return fmt.Errorf("frame %q: cap %q is not low or medium", fr.ID, fr.Cap)
		}
		if fr.ModelAtLeast < 0 || fr.ModelAtLeast >= 1 {
			return fmt.Errorf("frame %q: model_at_least %v is not a probability below 1", fr.ID, fr.ModelAtLeast)
		}
	}
	return nil
}

// optionalConcepts is conceptsOf for an optional list: no ids give an
// empty set.
func (lx *Lexicon) optionalConcepts(ids []string) (conceptSet, error) {
	if len(ids) == 0 {
		return newConceptSet(len(lx.Concepts)), nil
	}
	return lx.conceptsOf(ids)
}

// conceptsOf resolves concept ids and "kind:K" entries to a set.
func (lx *Lexicon) conceptsOf(ids []string) (conceptSet, error) {
	set := newConceptSet(len(lx.Concepts))
	for _, id := range ids {
		if kind, ok := strings.CutPrefix(id, "kind:"); ok {
			n := 0
			for ci, cc := range lx.Concepts {
				if cc.Kind == kind {
					set.add(ci)
					n++
				}
			}
			if n == 0 {
				return nil, fmt.Errorf("no concept of kind %q", kind)
			}
			continue
		}
		ci := lx.conceptIndex(id)
		if ci < 0 {
			return nil, fmt.Errorf("unknown concept %q", id)
		}
		set.add(ci)
	}
	if set.empty() {
		return nil, fmt.Errorf("no concept")
	}
	return set, nil
}

// statement is what one clause of a sentence states about one category.
type statement struct {
	cat     int  // index in Rules.Categories
	frame   int  // index of the frame that matched
	negated bool // "we do not …", "no longer …"
	// farCue marks a statement that is not negated although a negation
	// stands earlier in its clause, too far to be read as its own: a
	// longer list between the two can be all a rewording changed.
	farCue     bool
	protective bool // the frame states a safeguard
	userRule   bool // a rule for users states it ("you may not …")
	// conds are the condition concepts of the sentence; concepts are the
	// meaning-bearing concepts of the clause that the category's frames
	// name (who, what data, which purpose): the rest of the clause does not
	// change what the statement says about this category.
	conds, concepts conceptSet
	first, last     int     // tokens of the frame's match
	durHours        float64 // longest period stated (compare_durations categories)
	// durStarts marks a period that bounds only when the action begins
	// ("commences the deletion process within 90 days")
	durStarts bool
	// values are the terms of distinct concepts the clause names ("posts",
	// "messages"), sorted lexTerm ids
	values []int
}

// clauseBreakWords start a new clause.
var clauseBreakWords = map[string]bool{
	"but": true, "however": true, "whereas": true, "although": true, "though": true, "except": true,
	"unless": true, "instead": true, "otherwise": true,
}

// clauses splits a sentence's tokens into clauses at semicolons and
// dashes, and before the words of clauseBreakWords. Parentheses and colons
// do not end a clause: legal drafting numbers the parts of one statement
// "(1) … (2) …" and introduces lists with a colon, and after a colon the
// semicolons only separate the parts of that list ("we may disclose it to:
// (a) …; (b) protect the rights …"). It returns [first, last] token ranges.
func clauses(text string, toks []token, w words) [][2]int {
	if len(toks) == 0 {
		return nil
	}
	var out [][2]int
	start := 0
	enumerating := false // after a colon, semicolons separate the parts of one list
	for k := 1; k < len(toks); k++ {
		gap := text[toks[k-1].end:toks[k].start]
		if strings.Contains(gap, ":") {
			enumerating = true
		}
		// "or otherwise …" goes on with the list it ends ("you may not copy,
		// sell or otherwise use …"): it is no new clause
		continues := w.lower[k] == "otherwise" && (w.lower[k-1] == "or" || w.lower[k-1] == "and") ||
			// "…, but only if you consent": a restriction of the same
			// statement, not a new one
			w.lower[k] == "but" && k+1 < len(toks) && w.lower[k+1] == "only" ||
			// "including but not limited to …", "such as, but not limited
			// to, …": the list goes on
			w.lower[k] == "but" && k+2 < len(toks) && w.lower[k+1] == "not" && w.lower[k+2] == "limited"
		semicolon := strings.Contains(gap, ";") && !enumerating
		if semicolon || strings.ContainsAny(gap, "—–") || strings.Contains(gap, " - ") || clauseBreakWords[w.lower[k]] && !continues {
			out = append(out, [2]int{start, k - 1})
			start = k
		}
	}
	return append(out, [2]int{start, len(toks) - 1})
}

// conditionWords open a conditional clause ("if you choose to share…",
// "when you link your account…"): what it names restricts the statement
// rather than widening it.
var conditionWords = map[string]bool{
	"if": true, "when": true, "whenever": true, "where": true, "unless": true, "once": true,
	"provided": true, "wherever": true,
}

// relativeWords introduce a clause inside a condition ("if you use
// features that we offer"): a "we" after them does not start the statement.
var relativeWords = map[string]bool{"that": true, "which": true, "as": true, "than": true, "what": true, "whom": true}

// conditionalTokens marks the tokens of conditional clauses: from a
// condition word to the next comma or clause end; at the start of a
// sentence up to the first comma ("If you have created a profile with your
// Instagram account, we …"), or up to the "we" that starts the statement
// when no comma is written.
func conditionalTokens(text string, toks []token, w words) []bool {
	in := make([]bool, len(toks))
	for k := 0; k < len(toks); k++ {
		if !conditionWords[w.lower[k]] {
			continue
		}
		j := k
		for ; j < len(toks); j++ {
			if j > k+1 && w.lower[j] == "we" && !relativeWords[w.lower[j-1]] {
				break // "If you signed up by e-mail we won't …": the statement starts
			}
			if j > k+3 && w.lower[k+1] == "you" && mainSubjectAt(w, j) {
				break // "If you live in the UK these Terms will …": so does it here
			}
			in[j] = true
			if j+1 < len(toks) && strings.ContainsAny(text[toks[j].end:toks[j+1].start], ",;") {
				break
			}
		}
		k = j
	}
	return in
}

// clauseModals are the modals that follow the subject of a main clause.
var clauseModals = map[string]bool{"will": true, "shall": true, "may": true, "must": true, "can": true,
	"would": true, "could": true, "might": true}

// determiners open a noun phrase.
var determiners = map[string]bool{"the": true, "this": true, "these": true, "that": true, "those": true,
	"your": true, "our": true, "such": true, "any": true, "all": true}

// mainSubjectAt reports whether word j starts the subject of a main clause
// that an unpunctuated "if you …" runs into: a word right before a modal
// ("… residence Terms will"), or a determiner two words before one ("…
// Kingdom these Terms will").
func mainSubjectAt(w words, j int) bool {
	if w.lower[j] == "you" || w.lower[j-1] == "you" {
		return false
	}
	return j+1 < len(w.lower) && clauseModals[w.lower[j+1]] ||
		determiners[w.lower[j]] && j+2 < len(w.lower) && clauseModals[w.lower[j+2]]
}

// conditionNegations marks the tokens of a conditional clause that lie
// within four words of its condition word: a negation there ("if you do
// not want", "unless you don't agree") negates the condition, not what the
// sentence states. A cue further into an unpunctuated condition ("If you
// signed up with your e-mail we won't use …") is the statement's own.
func conditionNegations(conditional []bool, w words) []bool {
	out := make([]bool, len(conditional))
	for k := range conditional {
		if !conditional[k] {
			continue
		}
		for j := k - 1; j >= 0 && j >= k-4 && conditional[j]; j-- {
			// "if you do not …", and a condition coordinated with it: "if
			// you have no account or are not logged in"
			if conditionWords[w.lower[j]] || w.lower[j] == "or" || w.lower[j] == "and" {
				out[k] = true
				break
			}
		}
	}
	return out
}

// protectiveCueReach is how many words before a safeguard's match a
// negation may stand to deny it ("you cannot opt out", "you will not be
// able to delete"); a cue further away negates something else ("you will
// not be discriminated against for exercising your rights").
const protectiveCueReach = 4

// userModals are the modals of a rule addressed to users ("you may not",
// "you must not", "you shall not", "you will not" + an active verb).
var userModals = map[string]bool{"may": true, "must": true, "shall": true, "should": true, "will": true}

// userProhibitions marks the negation words of rules addressed to users:
// "you may not …", "you agree not to …", "users must not …", "you are not
// permitted to …", "the following is not allowed: …". "You will not be
// charged" (passive: the user is spared something) is not one.
func userProhibitions(w words) []bool {
	out := make([]bool, len(w.lower))
	user := func(x int) bool {
		return x >= 0 && (w.lower[x] == "you" || w.lower[x] == "users" || w.lower[x] == "user")
	}
	for k := range w.lower {
		switch w.lower[k] {
		case "not":
			if k+1 < len(w.lower) && w.lower[k+1] == "be" {
				continue
			}
			if imperativeAt(w, k-1) && w.lower[k-1] == "do" {
				out[k] = true // "Do not use the service to …", "Please do not share …"
				continue
			}
			if userWarranty(w, k) {
				out[k] = true // "you represent and warrant that … does not infringe"
				continue
			}
			if k+1 < len(w.lower) && (w.lower[k+1] == "permitted" || w.lower[k+1] == "allowed") &&
				k >= 2 && isBeForm(w.lower[k-1]) && (user(k-2) || w.lower[k-2] == "following") {
				out[k] = true // "you are not permitted to …", "the following is not allowed:"
				continue
			}
			if k >= 2 && userModals[w.lower[k-1]] && user(k-2) ||
				k >= 1 && (w.lower[k-1] == "agree" || w.lower[k-1] == "agrees") ||
				k >= 2 && w.lower[k-1] == "to" && w.lower[k-2] == "agree" {
				out[k] = true
			}
		case "dont", "never":
			if imperativeAt(w, k) {
				out[k] = true // "Don't post …", "Never share your password"
			}
		case "wont", "mustnt", "shouldnt", "shant":
			if user(k-1) && !(k+1 < len(w.lower) && w.lower[k+1] == "be") {
				out[k] = true
			}
		}
	}
	return out
}

// ruledList returns the token after which a rule for users governs the
// rest of the sentence: the colon that opens the list of what a user
// prohibition forbids ("You agree that you will not: (i) modify …; (vi)
// use the Services to … civil liability …"). Every item of that list is
// conduct the rule rules out, whatever clause breaks it holds. A semicolon,
// or a "we" opening the company's own statement ("you may not …, and we
// may share it with: …"), ends the prohibition first. It returns
// len(toks) when the sentence has no such list.
func ruledList(text string, toks []token, w words, userRule []bool) int {
	if !slices.Contains(userRule, true) {
		return len(toks)
	}
	ruled := false
	for k := 1; k < len(toks); k++ {
		ruled = ruled || userRule[k-1]
		if ruled && w.lower[k] == "we" {
			return len(toks)
		}
		gap := text[toks[k-1].end:toks[k].start]
		if strings.Contains(gap, ";") {
			return len(toks) // the prohibition ended before any list
		}
		if ruled && strings.Contains(gap, ":") {
			return k - 1
		}
	}
	return len(toks)
}

// ruleGoverns reports whether a user prohibition in the clause (tokens
// from..last) rules the match starting at first: one stands in the clause
// up to the match's end, and no "we" opens the company's own statement
// between it and the match ("you may not misuse the Services, and we may
// share …").
func ruleGoverns(w words, userRule []bool, from, first, last int) bool {
	for k := last; k >= from; k-- {
		if !userRule[k] {
			continue
		}
		for j := k + 1; j < first; j++ {
			if w.lower[j] == "we" {
				return false
			}
		}
		return true
	}
	return false
}

// guardedBefore reports whether a hit naming a concept of guard (a user's
// opt-out or right) ends before the match starting at first, outside a
// condition: the match is then what the safeguard is over.
func guardedBefore(in []conceptHit, guard conceptSet, conditional []bool, first int) bool {
	for _, h := range in {
		if h.last >= first {
			break
		}
		if conditional[h.first] {
			continue
		}
		if slices.ContainsFunc(h.concepts, guard.has) {
			return true
		}
	}
	return false
}

// negatedPurpose reports whether the words from..first-1 deny an act and
// then name its purpose: "not" or "never" right before (or one word before)
// an act, then an infinitive ("to" and an act in its plain form) before
// first, or at it. What first starts is then part of the denied act's
// purpose.
func negatedPurpose(lx *Lexicon, in []conceptHit, w words, from, first int) bool {
	for k := from; k < first; k++ {
		if w.lower[k] != "not" && w.lower[k] != "never" {
			continue
		}
		for v := k + 1; v <= k+2 && v < first; v++ {
			if !actAt(lx, in, v) {
				continue
			}
			for j := v + 1; j < first; j++ {
				if purposeBreaks[w.lower[j]] {
					break // "for any purpose other than to train …"
				}
				// the infinitive may be the match's own first word ("we do
				// not use the content you provide … to train our models")
				if infinitiveAt(lx, in, w, j) {
					return true
				}
			}
		}
	}
	return false
}

// purposeBreaks end the denied act before a purpose: what follows "other
// than", "except", "unless" or "but" is what the company does.
var purposeBreaks = map[string]bool{"than": true, "except": true, "unless": true, "but": true}

// actAt reports whether an act (a concept of kind action) starts at word k.
func actAt(lx *Lexicon, in []conceptHit, k int) bool {
	return slices.ContainsFunc(in, func(h conceptHit) bool { return h.first == k && slices.ContainsFunc(h.concepts, lx.actions.has) })
}

// infinitiveAt reports whether words k and k+1 are an infinitive: "to" and
// an act in its plain form ("to improve", not "to improved" or "to
// sharing").
func infinitiveAt(lx *Lexicon, in []conceptHit, w words, k int) bool {
	if w.lower[k] != "to" || k+1 >= len(w.lower) {
		return false
	}
	v := w.lower[k+1]
	return !strings.HasSuffix(v, "ed") && !strings.HasSuffix(v, "ing") && actAt(lx, in, k+1)
}

// imperativeAt reports whether word k opens the sentence as an order to
// the user: it is the first word, or follows only an imperative opener
// ("Please do not …").
func imperativeAt(w words, k int) bool {
	return k == 0 || k == 1 && imperativeOpeners[w.lower[0]]
}

// userActors are the words naming the user as the one who acts.
var userActors = map[string]bool{"you": true, "user": true, "users": true, "member": true, "members": true}

// objectMarkers are the words before a "you" that is the object of what
// someone else does ("without providing notice to you, to remove …",
// "we will notify you and suspend …"): the verb after it is not the user's.
var objectMarkers = map[string]bool{"to": true, "for": true, "with": true, "from": true, "about": true,
	"by": true, "of": true, "against": true, "notify": true, "inform": true, "tell": true, "contact": true,
	"remind": true, "warn": true}

// imperativeOpeners are the words that open advice to the user ("Please
// review …", "Carefully check …", "Always keep …").
var imperativeOpeners = map[string]bool{"please": true, "carefully": true, "always": true, "kindly": true}

// userActFillers may stand between the user and the verb of what the user
// does ("you may at any time choose to delete", "users can also share").
var userActFillers = map[string]bool{"may": true, "can": true, "could": true, "might": true, "will": true,
	"shall": true, "must": true, "should": true, "also": true, "then": true, "at": true, "any": true, "time": true,
	"choose": true, "chooses": true, "decide": true, "decides": true, "want": true, "wants": true, "wish": true,
	"wishes": true, "elect": true, "elects": true, "to": true, "always": true, "still": true, "be": true,
	"able": true, "easily": true, "directly": true, "yourself": true, "themselves": true, "permanently": true,
	"immediately": true, "promptly": true, "manually": true, "voluntarily": true, "only": true}

// userBefore reports whether a word of userActors stands within n words
// before k.
func userBefore(w words, k, n int) bool {
	for j := max(0, k-n); j < k; j++ {
		if userActors[w.lower[j]] {
			return true
		}
	}
	return false
}

// userActions marks the words of actions the user performs: the verb after
// "you" and its modals ("you may terminate your account", "users can
// choose to share their posts"), and the verb of "your only remedy is to
// stop using the service". A category whose practice is the company's act
// (Category.CompanyActs) is not stated by them.
func userActions(w words) []bool {
	out := make([]bool, len(w.lower))
	for k := 0; k < len(w.lower); k++ {
		start := -1
		switch {
		case userActors[w.lower[k]] && (k == 0 || !objectMarkers[w.lower[k-1]]):
			start = k + 1
		case k == 0 && imperativeOpeners[w.lower[0]]:
			// "Carefully review responses before sharing them", "Please
			// check …": advice to the user; its verbs are the user's until
			// a "that" or a "we" opens what the company says ("Please note
			// that we share …")
			for j := 1; j < len(w.lower) && w.lower[j] != "that" && w.lower[j] != "we"; j++ {
				out[j] = true
			}
			continue
		case w.lower[k] == "remedy":
			// "your only remedy (with respect to …) is to terminate"
			for j := k + 1; j+1 < len(w.lower) && j-k < 60; j++ {
				if (w.lower[j] == "is" || w.lower[j] == "be") && w.lower[j+1] == "to" {
					start = j + 2
					break
				}
			}
		case w.lower[k] == "responsible" && k+1 < len(w.lower) && w.lower[k+1] == "for" && userBefore(w, k, 4):
			// "you are solely responsible for keeping … and for restricting …"
			for j := k + 2; j < len(w.lower) && j-k < 30; j++ {
				if strings.HasSuffix(w.lower[j], "ing") && (j == k+2 || w.lower[j-1] == "for" || w.lower[j-1] == "and") {
					out[j] = true
				}
			}
		}
		if start < 0 {
			continue
		}
		j := start
		for j < len(w.lower) && j-start < 6 && userActFillers[w.lower[j]] {
			j++
		}
		if j < len(w.lower) {
			out[j] = true
		}
	}
	return out
}

// userWarranty reports whether word k lies in what the user represents
// or warrants: "you represent and warrant that …" within 40 words before.
func userWarranty(w words, k int) bool {
	for j := k - 1; j >= 1 && j >= k-40; j-- {
		if (w.lower[j] == "represent" || w.lower[j] == "warrant") && userBefore(w, j, 2) {
			return true
		}
	}
	return false
}

// dataDescriptions marks the hits that only say where data came from: a
// party's act right after the data it describes, as a reduced relative
// clause ("the personal information you submit", "data that you provide
// to us"). The clause's practice is what is done with that data, so such a
// hit neither states nor rules out a practice of its own.
func dataDescriptions(lx *Lexicon, hits []conceptHit, w words) []bool {
	out := make([]bool, len(hits))
	for i, h := range hits {
		if w.lower[h.first] != "you" || !lx.hasKind(h, KindParty) {
			continue
		}
		k := h.first - 1
		if k >= 0 && (w.lower[k] == "that" || w.lower[k] == "which") {
			k--
		}
		if k < 0 {
			continue
		}
		d := slices.IndexFunc(hits[:i], func(d conceptHit) bool { return d.last == k && lx.hasKind(d, KindData) })
		if d < 0 {
			continue
		}
		// "information you provide to third-party websites": the user's act,
		// unless the clause's act came first ("we will not share the data
		// you submit to any third party")
		actBefore := slices.ContainsFunc(hits[:d], func(a conceptHit) bool { return slices.ContainsFunc(a.concepts, lx.actions.has) })
		out[i] = !givenToOthers(w, h.last+1, actBefore)
	}
	return out
}

// givenToOthers reports whether the words from k say the user gives the
// data to someone but us, or while doing something else ("information you
// provide to third-party websites", "… you disclose while using other
// services"): then the user's act is what the clause is about. A "to" or
// "with" after the description belongs to the clause's own act when that
// came first (actBefore).
func givenToOthers(w words, k int, actBefore bool) bool {
	if k >= len(w.lower) {
		return false
	}
	switch w.lower[k] {
	case "to", "with":
		return !actBefore && k+1 < len(w.lower) && w.lower[k+1] != "us"
	case "while", "when":
		return true
	}
	return false
}

// relativeAux are the auxiliaries of a negated relative clause ("that is
// not", "who do not").
var relativeAux = map[string]bool{"is": true, "are": true, "was": true, "were": true, "do": true, "does": true,
	"did": true, "has": true, "have": true, "may": true, "can": true, "will": true}

// relativePronouns open a relative clause.
var relativePronouns = map[string]bool{"that": true, "which": true, "who": true, "whom": true}

// relativeNegations are the negation words a relative clause uses, in the
// lower-case form without apostrophes that words hold.
var relativeNegations = map[string]bool{"not": true, "never": true, "no": true, "dont": true, "doesnt": true,
	"didnt": true, "isnt": true, "arent": true, "wasnt": true, "werent": true, "cannot": true, "cant": true,
	"wont": true, "hasnt": true, "havent": true}

// markRelativeNegations marks in skip the negation words of relative
// clauses ("a person or body that is not part of the Meta Companies",
// "users who do not have an account", "those who have chosen not to
// receive …"): the negation describes a noun, it is not the company
// promising anything.
func markRelativeNegations(skip []bool, w words) {
	for k := range skip {
		if !relativeNegations[w.lower[k]] {
			continue
		}
		if k >= 1 && relativePronouns[w.lower[k-1]] ||
			k >= 2 && relativeAux[w.lower[k-1]] && relativePronouns[w.lower[k-2]] ||
			k >= 2 && choiceVerbs[w.lower[k-1]] && (relativePronouns[w.lower[k-2]] ||
				k >= 3 && relativeAux[w.lower[k-2]] && relativePronouns[w.lower[k-3]]) {
			skip[k] = true
		}
	}
}

// markDeniedDuties marks in skip the negation words that deny a duty, not
// a practice ("Google isn't legally required to use … dispute resolution
// platforms", "we are not obliged to monitor content"): the company keeps
// the choice, it promises nothing either way.
func markDeniedDuties(skip []bool, w words) {
	for k := range skip {
		if !relativeNegations[w.lower[k]] {
			continue
		}
		j := k + 1
		if j < len(w.lower) && (w.lower[j] == "legally" || w.lower[j] == "contractually") {
			j++
		}
		if j < len(w.lower) && dutyWords[w.lower[j]] {
			skip[k] = true
		}
	}
}

// dutyWords are the words of a duty a negation can deny.
var dutyWords = map[string]bool{"required": true, "obliged": true, "obligated": true, "bound": true}

// deniesEndorsement reports whether the negation word at k denies an
// endorsement ("do not endorse", "does not sponsor").
func deniesEndorsement(w words, k int) bool {
	if k+1 >= len(w.lower) {
		return false
	}
	switch w.lower[k+1] {
	case "endorse", "endorses", "sponsor", "sponsors", "recommend", "recommends":
		return true
	}
	return false
}

// choiceVerbs are the verbs of a choice a relative clause can deny ("users
// who have chosen not to receive personalised ads").
var choiceVerbs = map[string]bool{"chose": true, "chosen": true, "choose": true, "chooses": true,
	"opted": true, "opt": true, "opts": true, "elected": true, "elect": true, "elects": true,
	"decided": true, "decide": true, "decides": true, "prefer": true, "prefers": true, "preferred": true}

// reading is what the engine reads in one sentence.
type reading struct {
	toks  []token
	words words
	hits  []conceptHit
	stmts []statement
}

// selfTerms returns the lexicon terms of kind "service" that name the
// platform itself: in its name and in the documents' titles ("Zoom Privacy
// Statement"). A policy naming its own service is not linking to another
// one.
func (r *Rules) selfTerms(names ...string) map[int]bool {
	if r.Lexicon == nil {
		return nil
	}
	self := map[int]bool{}
	for _, n := range names {
		toks := tokenize(n)
		for _, h := range r.Lexicon.match(readWords(n, toks)) {
			for _, ci := range h.concepts {
				if r.Lexicon.Concepts[ci].Kind == "service" {
					self[h.term] = true
				}
			}
		}
	}
	return self
}

// firstHeading returns the plain text of a document's first heading, which
// usually names the service ("Threads Supplemental Privacy Policy").
func firstHeading(bs []*block) string {
	for _, b := range bs {
		if b.kind == kindHeading {
			return b.plain()
		}
	}
	return ""
}

// read returns the statements of a sentence for every category; self
// holds the terms that name the platform itself (see selfTerms).
func (r *Rules) read(text string, toks []token, self map[int]bool) reading {
	rd := reading{toks: toks}
	if r.Lexicon == nil || len(toks) == 0 || isPointer(text) || isTitle(text, toks) || isNameList(text, toks) || reChangeSummary.MatchString(text) || isOverview(text) || isDefinition(text) || len(toks) <= 12 && isDateLine(text) {
		return rd
	}
	lx := r.Lexicon
	rd.words = readWords(text, toks)
	rd.hits = lx.match(rd.words)
	if len(self) > 0 {
		rd.hits = slices.DeleteFunc(rd.hits, func(h conceptHit) bool { return self[h.term] })
	}
	if defs := definedTerms(text, toks); defs != nil {
		rd.hits = slices.DeleteFunc(rd.hits, func(h conceptHit) bool { return defs[h.first] })
	}
	if len(rd.hits) == 0 {
		return rd
	}
	n := len(lx.Concepts)
	// conditions: condition concepts anywhere, and whatever a conditional
	// clause names
	conds := newConceptSet(n)
	conditional := conditionalTokens(text, toks, rd.words)
	for _, h := range rd.hits {
		for _, ci := range h.concepts {
			if lx.Concepts[ci].Kind == KindCondition || conditional[h.first] {
				conds.add(ci)
			}
		}
	}
	// notCues marks negation words that are not the statement's: a
	// condition's own ("if you don't want …"), a relative clause's ("a body
	// that is not part of …"), and one inside a matched term, which is part
	// of a name or of the term's meaning ("the Do Not Sell My Personal
	// Information link", "countries that may not have the same data
	// protection"), unless the term names the user acting ("you will not")
	notCues := conditionNegations(conditional, rd.words)
	markRelativeNegations(notCues, rd.words)
	markDeniedDuties(notCues, rd.words)
	inTerm := make([]bool, len(notCues)) // negations that are part of a term's meaning
	for _, h := range rd.hits {
		if lx.hasKind(h, KindParty) {
			continue // "you will not": the user's own negation
		}
		for k := h.first + 1; k <= h.last; k++ {
			if w := rd.words.lower[k]; w == "not" || w == "no" {
				notCues[k], inTerm[k] = true, true
			}
		}
	}
	userRule := userProhibitions(rd.words)
	listRule := ruledList(text, toks, rd.words, userRule)
	userAct := userActions(rd.words)
	wes := agentCounts(rd.words)
	inner := innerWords(lx, rd.hits, len(rd.words.lower))
	modelAgrees := r.modelCheck(text)
	describesData := dataDescriptions(lx, rd.hits, rd.words)
	for _, cl := range clauses(text, toks, rd.words) {
		all := newConceptSet(n)     // every concept of the clause
		meaning := newConceptSet(n) // those that say what is stated
		var in []conceptHit
		for hi, h := range rd.hits {
			if h.first < cl[0] || h.last > cl[1] || describesData[hi] {
				continue
			}
			in = append(in, h)
			for _, ci := range h.concepts {
				all.add(ci)
				if conditional[h.first] {
					continue // it restricts the statement: a condition
				}
				switch lx.Concepts[ci].Kind {
				case KindNeutral, KindCondition, KindTime, KindModal, KindRegion:
				default:
					meaning.add(ci)
				}
			}
		}
		if len(in) == 0 {
			continue
		}
		companyIn, companyAll := companyHits(lx, in, all, userAct)
		clauseStart := len(rd.stmts)
		var cues []int // the negation cue before each statement of the clause
		for k := range r.Categories {
			c := &r.Categories[k]
			hits, set := in, all
			if c.CompanyActs {
				hits, set = companyIn, companyAll
			}
			for fi := range c.Frames {
				fr := &c.Frames[fi]
				first, last, ok := fr.matchIn(hits, set, wes, inner)
				if ok && fr.Entry && !isEntry(lx, rd.hits, rd.words, first) {
					ok = false
				}
				if !ok || len(fr.PurposeOf) > 0 && purposeOfAct(lx, in, rd.words, fr.purposeOf, fr.slotAt(hits, first, last)) ||
					fr.ModelAtLeast > 0 && !modelAgrees(c.ID, fr.ModelAtLeast) ||
					fr.WeAct && !fr.weActsIn(hits, rd.words, last) && !ruleGoverns(rd.words, userRule, cl[0], first, last) {
					continue
				}
				if allConditional(conditional, first, last) && (fr.MainClause ||
					r.Negation.cueBefore(text, toks, first) >= 0 || r.Negation.cueInside(text, toks, first, last, inTerm)) {
					// a match wholly inside conditions is read again from
					// the main clause when the frame asks for it (a fee named
					// as the condition of something else) or when the
					// condition is negated ("if you don't delete your
					// account": a condition, not a promise; the main clause
					// may still state the practice: "even when you do not
					// share your location, we may estimate your approximate
					// location")
					rest, restSet := outsideCondition(hits, conditional, n)
					if first, last, ok = fr.matchIn(rest, restSet, wes, inner); !ok {
						continue
					}
				}
				// a safeguard is denied only by a cue right before it
				protective := (fr.Protective || c.Protective) && !fr.Burden ||
					guardedBefore(in, fr.guard, conditional, first)
				cue := r.Negation.cueBefore(text, toks, first)
				if cue >= 0 && deniesEndorsement(rd.words, cue) {
					// "we do not endorse any third-party websites,
					// advertisements …": a disclaimer of what others offer,
					// neither a promise nor a practice
					continue
				}
				neg := cue >= 0 && !notCues[cue] && (!protective || first-cue <= protectiveCueReach) ||
					r.Negation.cueInside(text, toks, first, last, notCues)
				// a rule for users ("you may not post …", "you agree not to
				// bring class actions") is no promise by the company: it is the
				// practice of categories about rules for users, and nothing
				// the company does for the others
				// a user rule anywhere before the match in its clause makes
				// the rest of the clause the conduct it rules out ("you may not
				// create content with the purpose of removing …"); in the list
				// a prohibition opens, even a safeguard is conduct ruled out
				// ("The following is not permitted: circumventing any
				// technology used … to protect the Content")
				byRule := !protective && ruleGoverns(rd.words, userRule, cl[0], first, last) || first > listRule
				if byRule {
					if !c.UserRules {
						continue
					}
					neg = false
				}
				// meaning ∩ signature, without the verbs
				concepts := meaning.minus(meaning.minus(c.signature)).minus(lx.actions)
				farCue := !neg && first > cl[0] && r.Negation.cueInside(text, toks, cl[0], first-1, notCues)
				if farCue && !protective && negatedPurpose(lx, in, rd.words, cl[0], first) {
					// "X does not use your data to improve … or provide you
					// more relevant ads": the purpose of a denied act
					neg, farCue = true, false
				}
				rd.stmts = append(rd.stmts, statement{cat: k, frame: fi, negated: neg, farCue: farCue,
					protective: protective, userRule: byRule, conds: conds, concepts: concepts, first: first, last: last,
					values: distinctValues(lx, in, concepts, conditional)})
				cues = append(cues, cue)
				break // one statement per clause and category: its first frame
			}
		}
		rd.stmts = append(rd.stmts[:clauseStart], negatedObjects(r, rd.stmts[clauseStart:], cues)...)
	}
	return rd
}

// modelCheck returns a check of whether the word model gives the sentence
// at least probability p for a category (false without a model or weights
// for it). The sentence is vectorised once, on the first check.
func (r *Rules) modelCheck(text string) func(category string, p float64) bool {
	var vec *wordmodel.Vector
	return func(category string, p float64) bool {
		if r.WordModel == nil {
			return false
		}
		if vec == nil {
			v := r.WordModel.Vectorize(text)
			vec = &v
		}
		q, ok := r.WordModel.ProbabilityOf(category, *vec)
		return ok && q >= p
	}
}

// isEntry reports whether a sentence is a verbless entry opened by the hit
// at word first: the hit starts one of its first two words, or follows
// only entryLeads ("With our business partners."), and no act is named
// before a relative clause or an example begins.
func isEntry(lx *Lexicon, hits []conceptHit, w words, first int) bool {
	if first > 1 && slices.ContainsFunc(w.lower[:first], func(l string) bool { return !entryLeads[l] }) {
		return false
	}
	end := len(w.lower)
	for k, l := range w.lower {
		if l == "that" || l == "who" || l == "which" || l == "whom" || l == "such" || l == "including" || l == "like" {
			end = k
			break
		}
	}
	if slices.ContainsFunc(w.lower[:end], func(l string) bool { return entryVerbs[l] }) {
		return false // "Web publishers are able to …": a sentence, not an entry
	}
	return !slices.ContainsFunc(hits, func(h conceptHit) bool {
		return h.first < end && slices.ContainsFunc(h.concepts, lx.actions.has)
	})
}

// entryLeads are the words that may open an entry before the hit it names
// at any distance ("With our trusted partners"): prepositions, determiners
// and the adjectives that pick recipients out ("trusted", "selected").
var entryLeads = map[string]bool{"with": true, "to": true, "among": true, "our": true, "your": true, "the": true,
	"certain": true, "some": true, "select": true, "selected": true, "trusted": true, "other": true}

// entryVerbs are the auxiliaries and subject pronouns that make a line a
// sentence rather than an entry of a list.
var entryVerbs = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"will": true, "would": true, "may": true, "might": true, "can": true, "could": true, "shall": true,
	"should": true, "must": true, "do": true, "does": true, "did": true, "have": true, "has": true, "had": true,
	"we": true, "you": true, "they": true}

// slotAt returns the word where the first hit of the frame's first slot
// within first..last begins.
func (fr *Frame) slotAt(hits []conceptHit, first, last int) int {
	for _, h := range hits {
		if h.first >= first && h.last <= last && slices.ContainsFunc(h.concepts, fr.slots[0].has) {
			return h.first
		}
	}
	return first
}

// purposeOfAct reports whether the frame's act at word at is the purpose of
// one of acts, done to data named before at: the act, then an infinitive
// ("to" and an act in its plain form) up to at ("we collect and use your
// information in order to … protect the security of our platform", "we
// may retain that data to protect our services from fraud"). "We use
// encryption to protect your data" names its data after the purpose (a
// safeguard), and "metadata related to encrypted messages" has no
// infinitive.
func purposeOfAct(lx *Lexicon, in []conceptHit, w words, acts conceptSet, at int) bool {
	if !slices.ContainsFunc(in, func(d conceptHit) bool { return d.last < at && lx.hasKind(d, KindData) }) {
		return false
	}
	for _, a := range in {
		if a.last >= at || !slices.ContainsFunc(a.concepts, acts.has) {
			continue
		}
		for k := a.last + 1; k < at; k++ {
			if infinitiveAt(lx, in, w, k) {
				return true
			}
		}
		// "we retain … for dispute resolution", "… for the investigation"
		if at-1 > a.last && w.lower[at-1] == "for" || at-2 > a.last && w.lower[at-2] == "for" && determiners[w.lower[at-1]] {
			return true
		}
		// "we retain … to meet our accounting, dispute resolution and
		// compliance purposes": a list of purposes
		for k := at + 1; k < len(w.lower) && k <= at+6; k++ {
			if w.lower[k] == "purposes" || w.lower[k] == "purpose" {
				return true
			}
		}
	}
	return false
}

// negatedObjects drops the statements of a clause that are what a negated
// disclaimer is about: in "under no circumstances will we be liable for
// content that is transmitted …" the negation denies liability, and the
// transmission is its object, not a promise not to transmit. A safeguard
// stays what it is ("we cannot guarantee security" denies one). A disclaimer
// is a statement of a category marked Disclaims; cues holds each
// statement's negation cue (-1 for none).
func negatedObjects(r *Rules, stmts []statement, cues []int) []statement {
	out := stmts[:0]
	for i, st := range stmts {
		governed := false
		for j, d := range stmts {
			if j != i && st.negated && !st.protective && d.negated && r.Categories[d.cat].Disclaims && !r.Categories[st.cat].Disclaims &&
				cues[i] >= 0 && cues[j] == cues[i] && d.first < st.last {
				governed = true
				break
			}
		}
		if !governed {
			out = append(out, st)
		}
	}
	return out
}

// companyHits returns a clause's hits and concepts without the actions the
// user performs (see userActions); when there are none it returns in and
// all as they are.
func companyHits(lx *Lexicon, in []conceptHit, all conceptSet, userAct []bool) ([]conceptHit, conceptSet) {
	var out []conceptHit
	dropped := false
	for _, h := range in {
		if userAct[h.first] && slices.ContainsFunc(h.concepts, lx.actions.has) {
			dropped = true
			continue
		}
		out = append(out, h)
	}
	if !dropped {
		return in, all
	}
	set := newConceptSet(len(lx.Concepts))
	for _, h := range out {
		for _, ci := range h.concepts {
			set.add(ci)
		}
	}
	return out, set
}

// allConditional reports whether tokens first..last all lie in
// conditional clauses.
func allConditional(conditional []bool, first, last int) bool {
	for k := first; k <= last && k < len(conditional); k++ {
		if !conditional[k] {
			return false
		}
	}
	return true
}

// outsideCondition returns the hits that lie outside conditional clauses,
// and their concepts.
func outsideCondition(hits []conceptHit, conditional []bool, n int) ([]conceptHit, conceptSet) {
	set := newConceptSet(n)
	var out []conceptHit
	for _, h := range hits {
		if conditional[h.first] {
			continue
		}
		out = append(out, h)
		for _, ci := range h.concepts {
			set.add(ci)
		}
	}
	return out, set
}

// distinctValues lists the terms of the clause's hits that belong to a
// distinct concept of the statement (outside conditional clauses), sorted.
func distinctValues(lx *Lexicon, hits []conceptHit, concepts conceptSet, conditional []bool) []int {
	var out []int
	for _, h := range hits {
		if conditional[h.first] {
			continue
		}
		for _, ci := range h.concepts {
			if lx.Concepts[ci].Distinct && concepts.has(ci) {
				if !slices.Contains(out, h.term) {
					out = append(out, h.term)
				}
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// matchIn reports whether every slot of the frame has a concept among the
// clause's hits (within Within words, and none of None in the clause), and
// the token span of the match: the earliest hits, or the tightest window
// when the frame bounds it.
func (fr *Frame) matchIn(hits []conceptHit, all conceptSet, wes, inner []int) (int, int, bool) {
	for _, s := range fr.slots {
		if !s.intersects(all) {
			return 0, 0, false
		}
	}
	if fr.none.intersects(all) {
		return 0, 0, false
	}
	// candidate hits per slot
	cands := make([][]conceptHit, len(fr.slots))
	for si, s := range fr.slots {
		for _, h := range hits {
			for _, ci := range h.concepts {
				if s.has(ci) {
					cands[si] = append(cands[si], h)
					break
				}
			}
		}
	}
	if fr.Outbound && len(cands) >= 2 {
		// keep the acts that some receiver does not precede as their agent
		cands[0] = slices.DeleteFunc(slices.Clone(cands[0]), func(act conceptHit) bool {
			return !slices.ContainsFunc(cands[1], func(rcv conceptHit) bool { return !inbound(act, rcv, wes) })
		})
		if len(cands[0]) == 0 {
			return 0, 0, false
		}
	}
	if fr.Agent && len(cands) >= 2 {
		// keep the acts that some party before them performs
		cands[1] = slices.DeleteFunc(slices.Clone(cands[1]), func(act conceptHit) bool {
			return !slices.ContainsFunc(cands[0], func(party conceptHit) bool { return inbound(act, party, wes) })
		})
		if len(cands[1]) == 0 {
			return 0, 0, false
		}
	}
	if fr.Within <= 0 {
		// the earliest hit of each slot; a one-word hit fills one slot only
		// (a phrase such as "you may object" is built to fill two)
		first, last := -1, -1
		var used []int
		for _, cs := range cands {
			k := slices.IndexFunc(cs, func(h conceptHit) bool { return h.first < h.last || !slices.Contains(used, h.first) })
			if k < 0 {
				return 0, 0, false
			}
			h := cs[k]
			used = append(used, h.first)
			if first < 0 || h.first < first {
				first = h.first
			}
			last = max(last, h.last)
		}
		return first, last, true
	}
	// the tightest window holding one hit of each slot
	if fr.Within < listWindow {
		inner = nil
	}
	width := func(f, l int) int {
		if inner == nil {
			return l - f + 1
		}
		return l - f + 1 - (inner[l+1] - inner[f])
	}
	best, bf, bl := -1, 0, 0
	var used []int // the words filling earlier slots: a one-word hit fills one slot
	var walk func(si, first, last int, act conceptHit)
	walk = func(si, first, last int, act conceptHit) {
		if si == len(cands) {
			if w := width(first, last); w <= fr.Within && (best < 0 || w < best) {
				best, bf, bl = w, first, last
			}
			return
		}
		for _, h := range cands[si] {
			if fr.Outbound && si == 1 && inbound(act, h, wes) || fr.Agent && si == 1 && !inbound(h, act, wes) ||
				h.first == h.last && slices.Contains(used, h.first) {
				continue
			}
			f, l := h.first, h.last
			if si > 0 {
				f, l = min(f, first), max(l, last)
			}
			if si == 0 {
				act = h
			}
			if width(f, l) <= fr.Within {
				used = append(used, h.first)
				walk(si+1, f, l, act)
				used = used[:len(used)-1]
			}
		}
	}
	walk(0, 0, 0, conceptHit{})
	return bf, bl, best >= 0
}

// listWindow is the shortest window (Within) counted with innerWords: the
// frames that reach across a clause; short windows stay literal.
const listWindow = 12

// innerWords returns, for each word, how many words before it continue a
// matched data term (every word of the term but its first): a long frame
// window counts a term such as "Automatically Collected Personal Data" as
// one word, so a list of named data does not push the act out of reach of
// its recipient. Other terms keep their length.
func innerWords(lx *Lexicon, hits []conceptHit, n int) []int {
	cont := make([]bool, n)
	for _, h := range hits {
		if !lx.hasKind(h, KindData) {
			continue
		}
		for k := h.first + 1; k <= h.last && k < n; k++ {
			cont[k] = true
		}
	}
	out := make([]int, n+1)
	for k, c := range cont {
		out[k+1] = out[k]
		if c {
			out[k+1]++
		}
	}
	return out
}

// inbound reports whether a receiver is the agent of an act of giving: it
// comes before the act with no "we" or passive between them (wes counts
// them before each word, see agentCounts).
func inbound(act, rcv conceptHit, wes []int) bool {
	return rcv.last < act.first && wes[act.first] == wes[rcv.last]
}

// agentCounts returns, for each word, how many agent shifts occur before
// it: a "we" (the company acts), or a form of "be" before a participle (a
// passive: in "service providers will be given access to your data" the
// providers receive).
func agentCounts(w words) []int {
	out := make([]int, len(w.lower)+1)
	for k, l := range w.lower {
		out[k+1] = out[k]
		if l == "we" || isBeForm(l) && k+1 < len(w.lower) && participle(w.lower[k+1]) {
			out[k+1]++
		}
	}
	return out
}

// weLeadIn holds the words that may stand between "we" and the act it
// performs: modals, adverbs, a reservation of the right or discretion, and
// a negation ("we will not terminate your account without notice" is the
// organisation's promise about its own act).
var weLeadIn = map[string]bool{
	"may": true, "might": true, "will": true, "can": true, "could": true, "shall": true, "would": true,
	"also": true, "then": true, "immediately": true, "promptly": true, "further": true, "additionally": true,
	"reserve": true, "reserves": true, "retain": true, "the": true, "right": true, "to": true,
	"at": true, "in": true, "our": true, "sole": true, "absolute": true, "discretion": true, "and": true, "or": true,
	"not": true, "never": true,
}

// weActsIn reports whether "we" performs one of the frame's acts (its
// first slot) named up to word last: "we" comes before the act with only
// weLeadIn words or other such acts between ("we may suspend or
// terminate your account").
func (fr *Frame) weActsIn(hits []conceptHit, w words, last int) bool {
	acts := make([]bool, len(w.lower))
	for _, h := range hits {
		if h.last <= last && slices.ContainsFunc(h.concepts, fr.slots[0].has) {
			for k := h.first; k <= h.last; k++ {
				acts[k] = true
			}
		}
	}
	for at := range acts {
		if !acts[at] || at > 0 && acts[at-1] {
			continue
		}
		for k := at - 1; k >= 0 && k >= at-10; k-- {
			if l := w.lower[k]; l == "we" {
				return true
			} else if !weLeadIn[l] && !acts[k] {
				break
			}
		}
	}
	return false
}

// isBeForm reports whether a word is a form of "be" that makes a passive.
func isBeForm(word string) bool {
	switch word {
	case "be", "is", "are", "was", "were", "been", "being":
		return true
	}
	return false
}

// participle reports whether a word reads as a past participle: regular
// ("shared", "disclosed") or one of the irregular verbs of giving.
func participle(word string) bool {
	switch word {
	case "given", "made", "sent", "shown", "told":
		return true
	}
	return strings.HasSuffix(word, "ed")
}
