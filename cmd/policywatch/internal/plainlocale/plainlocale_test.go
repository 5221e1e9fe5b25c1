package plainlocale

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

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

// The package's init runs in a child test process started with a neutral
// locale and with a named one; only the first gets LANGUAGE=en.
func TestInitSetsLanguage(t *testing.T) {
	if os.Getenv("PLAINLOCALE_CHILD") != "" {
		fmt.Print(os.Getenv("LANGUAGE"))
		return
	}
	for lang, want := range map[string]string{"C.UTF-8": "en", "de_DE.UTF-8": ""} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestInitSetsLanguage$")
		cmd.Env = append(os.Environ(), "PLAINLOCALE_CHILD=1", "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v", err)
		}
		if got := strings.TrimSuffix(strings.TrimSpace(string(out)), "PASS"); got != want {
			t.Errorf("LANG=%s: LANGUAGE = %q, want %q", lang, got, want)
		}
	}
}
