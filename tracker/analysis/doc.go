// Package analysis is PolicyWatch's change-analysis engine: it diffs two
// versions of a normalised policy text (Markdown-like), separates cosmetic
// edits from substantive ones, classifies every substantive edit into the
// DESIGN category ids using a human-editable rules file, and turns the
// findings into an analysis record: exposure level with a written rationale,
// regulatory landscape, jurisdiction flags, contract implications,
// compliance considerations and a due-diligence checklist.
//
// The package is pure: it imports no GUI, no SQL and no other PolicyWatch
// package. The rules file is passed in as bytes (see ParseRules); the
// application embeds resources/rules.json and may merge a user file over it
// (MergeRules).
//
// Pipeline:
//
//	Diff:     text ─► blocks (headings, paragraphs, list items, table rows)
//	          ─► block diff (Myers, github.com/sergi/go-diff) on cosmetic keys
//	          ─► pair similar removed/added blocks into modified hunks
//	          ─► moved blocks, cosmetic checks (quotes, punctuation, link
//	             targets, date bumps, navigation links) ─► word diff
//	Read:     each changed sentence ─► words folded to their base form
//	          (inflect.go) ─► concepts of the rules' lexicon, each word
//	          claimed by the longest term (lexicon.go); titles, overviews,
//	          definitions and pointers state nothing (silent.go) ─► clauses ─►
//	          statements: a category's frame whose slots all occur in one
//	          clause, with its negation ("we do not sell"), its conditions
//	          ("with your consent", an "if …" clause) and what it names
//	          (frames.go)
//	Compare:  new statements against the sentence they replaced, or any
//	          statement of the old version that already said as much ─►
//	          added, removed, widened, narrowed, negated or the same
//	          (a rewording: no finding) ─► effect on the practice
//	          (expands, narrows, adds or removes a promise) (meaning.go)
//	Exposure: effect and category ─► profile caps, the raises that bear on
//	          the finding, floors ─► level and rationale; provisions only
//	          from frameworks that apply (exposure.go)
//	Mentions: a whole document's statements of a category, for "how other
//	          tracked platforms handle this"
//
// Speed: the diff's hot paths use hand-written matchers in place of the
// Markdown expressions they replaced (lines.go, markup.go); spec_test.go
// keeps the expressions and the tests hold each matcher to its expression.
// bench/diffbench times the diff against git diff --no-index. A change is
// read once per distinct sentence (the two versions share most of theirs).
//
// Choices where DESIGN is silent: a finding is a change of meaning, not a
// keyword in a changed sentence — a sentence reworded without changing what
// it states, or restating what the old version said elsewhere, gives no
// finding; findings of one category with the same effect are one finding
// that names the other places; removing a promise ("we do not sell") is a
// finding in its own right; cosmetic equivalence folds case, punctuation,
// quote styles, link targets and simple plural/verb "-s" endings.
package analysis
