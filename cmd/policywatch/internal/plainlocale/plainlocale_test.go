package plainlocale

import "testing"

func TestNeutral(t *testing.T) {
	for locale, want := range map[string]bool{
		"C.UTF-8": true, "C.utf8": true, "POSIX.UTF-8": true, "C@euro": true,
		"C": false, "POSIX": false, "": false, "en_US.UTF-8": false, "de_DE": false, "Catalan.UTF-8": false,
	} {
		if got := neutral(locale); got != want {
			t.Errorf("neutral(%q) = %v, want %v", locale, got, want)
		}
	}
}
