package analysis

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffSeqSpec is diffSeq as first written: one id per distinct key for every
// item. diffSeq must give exactly the same runs.
func diffSeqSpec(a, b []string) []seqOp {
	ids := map[string]rune{}
	next := rune(1)
	conv := func(xs []string) []rune {
		rs := make([]rune, len(xs))
		for i, x := range xs {
			r, ok := ids[x]
			if !ok {
				r = next
				next++
				if next == 0xD800 {
					next = 0xE000
				}
				ids[x] = r
			}
			rs[i] = r
		}
		return rs
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out []seqOp
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(conv(a), conv(b), false) {
		n := utf8.RuneCountInString(d.Text)
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

func checkDiffSeq(t *testing.T, a, b []string) {
	t.Helper()
	got := diffSeq(a, b, func(s string) string { return s })
	want := diffSeqSpec(a, b)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("diffSeq(%q, %q)\n got %v\nwant %v", a, b, got, want)
	}
}

// TestDiffSeqMatchesSpec compares diffSeq with one id per key on random
// sequences over tiny alphabets, where go-diff's clean-up shifts edits over
// repeated items, and with long shared prefixes and suffixes.
func TestDiffSeqMatchesSpec(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := func(n, alphabet int) []string {
		w := make([]string, n)
		for i := range w {
			w[i] = string(rune('a' + rng.Intn(alphabet)))
		}
		return w
	}
	for k := 0; k < 3000; k++ {
		alphabet := 1 + rng.Intn(4)
		pre, suf := words(rng.Intn(8), alphabet), words(rng.Intn(8), alphabet)
		a := append(append(append([]string{}, pre...), words(rng.Intn(6), alphabet)...), suf...)
		b := append(append(append([]string{}, pre...), words(rng.Intn(6), alphabet)...), suf...)
		checkDiffSeq(t, a, b)
	}
	for _, c := range [][2]string{
		{"a b c x a b c", "a b c a b c"}, {"a a a b a a a", "a a a a a a"}, {"x y z", "x y z"}, {"", "a"},
		{"a b a b a b q a b a b", "a b a b a b a b a b"}, {"p q r s t u v", "p q r X s t u v"},
	} {
		checkDiffSeq(t, strings.Fields(c[0]), strings.Fields(c[1]))
	}
}

func FuzzDiffSeq(f *testing.F) {
	f.Add("a b c x a b c", "a b c a b c")
	f.Add("a a a b a a a", "a a a a a a")
	f.Fuzz(func(t *testing.T, a, b string) {
		checkDiffSeq(t, strings.Fields(a), strings.Fields(b))
	})
}
