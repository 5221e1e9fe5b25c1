package analysis

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fast paths of fastpath.go against their plain references.

var fastpathSeeds = []string{
	"", " ", "a", "a b", "  a  b  ", "a\tb\nc", "héllo wörld", "a\u00a0b", "x\u2028y", "\xff\xfe bad",
	"twelve chars", "exactly 8", "abcdefgh ijklmnop", "a  b", "trailing ", " leading", "\u3000wide space",
}

func FuzzFields(f *testing.F) {
	for _, s := range fastpathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fields(s), strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("fields(%q) = %q, strings.Fields gives %q", s, got, want)
		}
	})
}

func FuzzJoinedFields(f *testing.F) {
	for _, s := range fastpathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := joinedFields(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("joinedFields(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzCommonPrefixLen(f *testing.F) {
	f.Add("", "")
	f.Add(strings.Repeat("a", 70)+"b", strings.Repeat("a", 70)+"c")
	f.Add("same", "same")
	f.Fuzz(func(t *testing.T, x, y string) {
		want := 0
		for want < len(x) && want < len(y) && x[want] == y[want] {
			want++
		}
		if got := commonPrefixLen(x, y); got != want {
			t.Errorf("commonPrefixLen(%q, %q) = %d, want %d", x, y, got, want)
		}
	})
}

// sharedFieldsLen cuts the shared start back to whole fields: what it keeps
// is a prefix of both texts whose fields are the same in both.
func FuzzSharedFieldsLen(f *testing.F) {
	f.Add("we share data", "we sell data")
	f.Add("a b c", "a b c")
	f.Add("ab", "ac")
	f.Fuzz(func(t *testing.T, x, y string) {
		k := sharedFieldsLen(x, y)
		if k > len(x) || k > len(y) || x[:k] != y[:k] {
			t.Fatalf("sharedFieldsLen(%q, %q) = %d is not a shared prefix", x, y, k)
		}
		if x == y {
			if k != len(x) {
				t.Errorf("equal texts: %d, want %d", k, len(x))
			}
			return
		}
		// the fields before k are whole in both texts
		if k > 0 && k < len(x) && !isFieldSpace(x[k]) && !isFieldSpace(x[k-1]) {
			t.Errorf("sharedFieldsLen(%q, %q) = %d cuts a field of x", x, y, k)
		}
	})
}

// changedWindow returns the differing middles: the texts are prefix +
// window + suffix with the same prefix and suffix.
func FuzzChangedWindow(f *testing.F) {
	f.Add("we share your data", "we sell your data")
	f.Add("abc", "abc")
	f.Add("héllo", "hello")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		wa, wb := changedWindow(a, b)
		ia, ib := strings.Index(a, wa), strings.Index(b, wb)
		if ia < 0 || ib < 0 {
			t.Fatalf("changedWindow(%q, %q) = %q, %q: not parts of the texts", a, b, wa, wb)
		}
		if a == b && (wa != "" || wb != "") && wa != wb {
			t.Errorf("equal texts give different windows %q, %q", wa, wb)
		}
	})
}
