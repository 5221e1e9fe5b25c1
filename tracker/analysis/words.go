package analysis

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// wordDiff computes the display word diff of two block texts: words are
// whitespace-separated runs compared exactly, so link targets and quote
// changes stay visible. Adjacent runs of the same kind are merged.
func wordDiff(oldText, newText string) []WordOp {
	ow, nw := fields(oldText), fields(newText)
	if out, ok := substitutionDiff(ow, nw, oldText, newText); ok {
		return out
	}
	ops := diffSeq(ow, nw, func(s string) string { return s })
	var out []WordOp
	for _, op := range ops {
		text := strings.Join(op.items, " ")
		if n := len(out); n > 0 && out[n-1].Op == op.op {
			out[n-1].Text += " " + text
			continue
		}
		out = append(out, WordOp{Op: op.op, Text: text})
	}
	return out
}

// substitutionDiff is the word diff of two texts with as many words each
// that differ only by substitutions, the common case of a changed link
// target or quote style: each run of differing words is one removal and one
// addition. It applies only when no differing word of one text occurs
// anywhere in the other, so that no alignment could match more words than
// the positional one; otherwise ok is false and the caller runs the full
// diff. For such texts the result is a shortest edit script, as the full
// diff's is.
func substitutionDiff(ow, nw []string, oldText, newText string) (out []WordOp, ok bool) {
	if len(ow) != len(nw) || len(ow) == 0 {
		return nil, false
	}
	for k := range ow {
		if ow[k] != nw[k] && (strings.Contains(newText, ow[k]) || strings.Contains(oldText, nw[k])) {
			return nil, false
		}
	}
	add := func(op string, words []string) {
		text := strings.Join(words, " ")
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += " " + text
			return
		}
		out = append(out, WordOp{Op: op, Text: text})
	}
	for k := 0; k < len(ow); {
		j := k
		same := ow[k] == nw[k]
		for j < len(ow) && (ow[j] == nw[j]) == same {
			j++
		}
		if same {
			add(OpEqual, nw[k:j])
		} else {
			add(OpRemoved, ow[k:j])
			add(OpAdded, nw[k:j])
		}
		k = j
	}
	return out, true
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
