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
//	Classify: changed sentences of each substantive hunk ─► category signals
//	          (with negation) ─► findings (added / removed / modified)
//	Exposure: category default ─► change effect ─► organisation profile and
//	          platform facts ─► level and rationale
//	Mentions: a whole document's sentences that state a category's practice
//	          (same sentences, signals and negation as Classify), for "how
//	          other tracked platforms handle this"
//
// Speed: the diff's hot paths use hand-written matchers in place of the
// Markdown expressions they replaced (lines.go, markup.go); spec_test.go
// keeps the expressions and the tests hold each matcher to its expression.
// bench/diffbench times the diff against git diff --no-index.
//
// Choices where DESIGN is silent: a modified block only yields a finding for
// a category when a signal match overlaps words that actually changed (so a
// rename elsewhere in a long sentence does not flag every category the
// sentence mentions); removing a negated promise ("we do not sell") is a
// finding in its own right; cosmetic equivalence folds case, punctuation,
// quote styles, link targets and simple plural/verb "-s" endings.
package analysis
