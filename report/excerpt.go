package report

import (
	"strings"
	"unicode/utf8"

	"policywatch/tracker/analysis"
)

// Excerpt limits: a report shows the first substantive passages of a change,
// each clipped, and says how many more the archive holds.
const (
	maxExcerptBlocks = 6
	maxBlockChars    = 1200 // added or removed text per passage
	equalContext     = 90   // unchanged text kept on each side of an edit
)

// excerpt turns a change's hunks into the passages a report shows.
func excerpt(hunks []analysis.Hunk) ([]ExcerptBlock, int) {
	var out []ExcerptBlock
	more := 0
	for _, h := range hunks {
		if !h.Substantive {
			continue
		}
		if len(out) == maxExcerptBlocks {
			more++
			continue
		}
		b := ExcerptBlock{Op: h.Op, Heading: h.Heading}
		switch {
		case h.Op == analysis.OpAdded:
			b.Runs = []Run{{analysis.OpAdded, clip(h.New, maxBlockChars)}}
		case h.Op == analysis.OpRemoved:
			b.Runs = []Run{{analysis.OpRemoved, clip(h.Old, maxBlockChars)}}
		case len(h.Words) > 0:
			b.Runs = wordRuns(h.Words)
		default:
			b.Runs = []Run{{analysis.OpRemoved, clip(h.Old, maxBlockChars/2)}, {analysis.OpAdded, clip(h.New, maxBlockChars/2)}}
		}
		if len(b.Runs) > 0 {
			out = append(out, b)
		}
	}
	return out, more
}

// wordRuns merges a word diff into runs, trimming long unchanged stretches
// to some context around the edits.
func wordRuns(words []analysis.WordOp) []Run {
	var runs []Run
	for _, w := range words {
		if n := len(runs); n > 0 && runs[n-1].Op == w.Op {
			runs[n-1].Text += w.Text
			continue
		}
		runs = append(runs, Run{Op: w.Op, Text: w.Text})
	}
	budget := maxBlockChars
	out := runs[:0]
	for i, r := range runs {
		if r.Op == analysis.OpEqual {
			switch {
			case i == 0:
				r.Text = clipLeft(r.Text, equalContext)
			case i == len(runs)-1:
				r.Text = clip(r.Text, equalContext)
			case utf8.RuneCountInString(r.Text) > 2*equalContext+10:
				r.Text = clip(r.Text, equalContext) + " " + clipLeft(r.Text, equalContext)
			}
		} else {
			r.Text = clip(r.Text, max(budget, 80))
			budget -= utf8.RuneCountInString(r.Text)
		}
		if strings.TrimSpace(r.Text) == "" && r.Op == analysis.OpEqual {
			r.Text = " "
		}
		out = append(out, r)
		if budget <= 0 && i < len(runs)-1 {
			out = append(out, Run{Op: analysis.OpEqual, Text: " …"})
			break
		}
	}
	return out
}

// clip keeps the first n runes of s, at a word boundary, adding "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// clipLeft keeps the last n runes of s, at a word boundary, with a leading "…".
func clipLeft(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut := string(r[len(r)-n:])
	if i := strings.IndexByte(cut, ' '); i >= 0 && i < len(cut)/2 {
		cut = cut[i:]
	}
	return "…" + cut
}
