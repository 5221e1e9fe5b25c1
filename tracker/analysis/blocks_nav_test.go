package analysis

import "testing"

// hasNavContent must agree with counting tokenize's keys.
func FuzzHasNavContent(f *testing.F) {
	for _, s := range []string{"", "Learn more", "see also | back to top", "Learn MORE about cookies", "l'earn", "«read» the", "Visits", "über"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for _, tok := range tokenize(s) {
			want = want || !navFiller[tok.key]
		}
		if got := hasNavContent(s); got != want {
			t.Errorf("hasNavContent(%q) = %v, want %v", s, got, want)
		}
	})
}
