package analysis

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// wordDiff computes the display word diff of two block texts: words are
// whitespace-separated runs compared exactly, so link targets and quote
// changes stay visible. Adjacent runs of the same kind are merged.
func wordDiff(oldText, newText string) []WordOp {
	if out, ok := substitutionDiff(oldText, newText); ok {
		return out
	}
	ow, nw := fields(oldText), fields(newText)
	var out []WordOp
	for _, op := range diffSeq(ow, nw, func(s string) string { return s }) {
		out = appendWordOp(out, op.op, strings.Join(op.items, " "))
	}
	return out
}

// appendWordOp appends a run of words, merging it into the last run when
// that is of the same kind.
func appendWordOp(out []WordOp, op, text string) []WordOp {
	if n := len(out); n > 0 && out[n-1].Op == op {
		out[n-1].Text += " " + text
		return out
	}
	return append(out, WordOp{Op: op, Text: text})
}

// substitutionDiff is the word diff of two texts with as many words each
// that differ only by substitutions, the common case of a changed link
// target or quote style: each run of differing words is one removal and one
// addition (pairedWords). It applies only when no differing word of one
// text occurs anywhere in the other, so that no alignment could match more
// words than the positional one; otherwise ok is false and the caller runs
// the full diff. For such texts the result is a shortest edit script, as
// the full diff's is (TestSubstitutionDiffMatchesFullDiff).
func substitutionDiff(oldText, newText string) ([]WordOp, bool) {
	out, ok := pairedWords("", oldText, newText, "")
	if !ok || len(out) == 0 {
		return nil, false // different numbers of words, or none
	}
	// A differing word of one text that is a word of the other could be
	// matched by another alignment.
	var (
		changedOld, changedNew []string // the differing words of each text
		lenOld, lenNew         uint64   // bit n%64 set when such a word has n bytes
	)
	for _, op := range out {
		switch op.Op {
		case OpRemoved:
			changedOld, lenOld = appendWords(changedOld, lenOld, op.Text)
		case OpAdded:
			changedNew, lenNew = appendWords(changedNew, lenNew, op.Text)
		}
	}
	if hasField(newText, changedOld, lenOld) || hasField(oldText, changedNew, lenNew) {
		return nil, false
	}
	return out, true
}

// appendWords appends the words of a single-spaced run to words, setting
// bit n%64 of lengths for each word of n bytes.
func appendWords(words []string, lengths uint64, run string) ([]string, uint64) {
	for w := range strings.SplitSeq(run, " ") {
		words = append(words, w)
		lengths |= 1 << (len(w) % 64)
	}
	return words, lengths
}

// hasField reports whether a field of s is one of words. lengths has bit
// n%64 set for the length n of each word, a cheap first filter. A few
// words are looked for in s directly, each occurrence checked for white
// space (or an end) on both sides; more are compared field by field.
func hasField(s string, words []string, lengths uint64) bool {
	if len(words) <= 4 {
		for _, w := range words {
			for p := 0; ; {
				k := strings.Index(s[p:], w)
				if k < 0 {
					break
				}
				at, end := p+k, p+k+len(w)
				if (at == 0 || spaceBefore(s, at)) && (end == len(s) || spaceAt(s, end)) {
					return true
				}
				p = at + 1
			}
		}
		return false
	}
	for i := skipSpace(s, 0); i < len(s); i = skipSpace(s, i) {
		e := fieldEnd(s, i)
		if f := s[i:e]; lengths&(1<<(len(f)%64)) != 0 && slices.Contains(words, f) {
			return true
		}
		i = e
	}
	return false
}

// spaceAt reports whether the character at s[i] is white space.
func spaceAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiSpace[c] != 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// spaceBefore reports whether the character ending at s[i] is white space.
func spaceBefore(s string, i int) bool {
	if c := s[i-1]; c < utf8.RuneSelf {
		return asciiSpace[c] != 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}

// seqOp is a run of a sequence diff.
type seqOp struct {
	op    string // equal, added, removed
	items []string
	from  int // index of the first item in its own sequence
}

// diffSeq diffs two sequences of items by their keys with Myers' algorithm
// (go-diff on one rune per distinct key).
func diffSeq(a, b []string, key func(string) string) []seqOp {
	st := seqPool.Get().(*seqState)
	defer func() {
		if len(st.ids) > 1<<12 {
			st.ids = map[string]rune{} // clearing a huge map costs its size
		} else {
			clear(st.ids)
		}
		seqPool.Put(st)
	}()
	// A common prefix longer than either side's changed middle can never
	// take part in go-diff's clean-up shifts (an edit would have to contain
	// all of it), so its items need no distinct ids: they get rune 1, which
	// never occurs in the middle, and skip the map. For the same reason only
	// mid+1 of them need be given to go-diff: the rest are added back to the
	// leading equality afterwards. The same holds for the common suffix.
	// go-diff's result is the same as with an id per distinct key for every
	// item (TestDiffSeqMatchesSpec).
	pre, suf := 0, 0
	for pre < len(a) && pre < len(b) && key(a[pre]) == key(b[pre]) {
		pre++
	}
	for suf < len(a)-pre && suf < len(b)-pre && key(a[len(a)-1-suf]) == key(b[len(b)-1-suf]) {
		suf++
	}
	mid := max(len(a), len(b)) - pre - suf
	if pre <= mid {
		pre = 0
	}
	if suf <= mid {
		suf = 0
	}
	stubPre, stubSuf := min(pre, mid+1), min(suf, mid+1)
	next := rune(2)
	conv := func(rs []rune, xs []string) []rune {
		rs = rs[:0]
		for range stubPre {
			rs = append(rs, 1)
		}
		for _, x := range xs[pre : len(xs)-suf] {
			k := key(x)
			r, ok := st.ids[k]
			if !ok {
				r = next
				next++
				if next == 0xD800 {
					next = 0xE000
				}
				st.ids[k] = r
			}
			rs = append(rs, r)
		}
		for range stubSuf {
			rs = append(rs, 1)
		}
		return rs
	}
	st.ra, st.rb = conv(st.ra, a), conv(st.rb, b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMainRunes(st.ra, st.rb, false)
	out := make([]seqOp, 0, len(diffs))
	i, j := 0, 0
	for k, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		if d.Type == diffmatchpatch.DiffEqual {
			// the items left out of the stubs (the first and last runs
			// are the equalities holding them)
			if k == 0 {
				n += pre - stubPre
			}
			if k == len(diffs)-1 {
				n += suf - stubSuf
			}
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			out = append(out, seqOp{op: OpEqual, items: b[j : j+n], from: j})
			i += n
			j += n
		case diffmatchpatch.DiffDelete:
			out = append(out, seqOp{op: OpRemoved, items: a[i : i+n], from: i})
			i += n
		case diffmatchpatch.DiffInsert:
			out = append(out, seqOp{op: OpAdded, items: b[j : j+n], from: j})
			j += n
		}
	}
	return out
}

// seqState is diffSeq's reusable scratch space.
type seqState struct {
	ids    map[string]rune
	ra, rb []rune
}

var seqPool = sync.Pool{New: func() any { return &seqState{ids: map[string]rune{}} }}

// changedTokens diffs two token lists by key and reports, for each side,
// which token indexes were removed (old) or added (new).
func changedTokens(ot, nt []token) (oldChanged, newChanged []bool) {
	ok := make([]string, len(ot))
	for i, t := range ot {
		ok[i] = t.key
	}
	nk := make([]string, len(nt))
	for i, t := range nt {
		nk[i] = t.key
	}
	oldChanged = make([]bool, len(ot))
	newChanged = make([]bool, len(nt))
	for _, op := range diffSeq(ok, nk, func(s string) string { return s }) {
		switch op.op {
		case OpRemoved:
			for k := range op.items {
				oldChanged[op.from+k] = true
			}
		case OpAdded:
			for k := range op.items {
				newChanged[op.from+k] = true
			}
		}
	}
	return oldChanged, newChanged
}
