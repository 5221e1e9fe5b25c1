// Package plainlocale keeps the GUI toolkit from logging an error on every
// start of a system whose locale is "C.UTF-8" or "POSIX" with a codeset,
// the default of many Linux installations and containers.
//
// Fyne reads the user's language from LC_ALL, LC_MESSAGES or LANG during
// package initialisation; it accepts a bare "C" or "POSIX", but takes
// "C.UTF-8" for the language "C" and logs "Error parsing user locale C".
// Those locales name no language, and Fyne then uses English anyway, so
// this package sets LANGUAGE=en for them (when LANGUAGE is unset), which
// Fyne consults first. The main package imports it before the toolkit, and
// Go initialises it before the toolkit's packages (GODEBUG=inittrace=1
// shows the order).
package plainlocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	if neutral(effectiveLocale()) {
		os.Setenv("LANGUAGE", "en")
	}
}

// effectiveLocale is the first of LC_ALL, LC_MESSAGES and LANG that is set.
func effectiveLocale() string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// neutral reports whether a locale names no language: "C" or "POSIX"
// followed by a codeset or modifier ("C.UTF-8", "POSIX.utf8").
func neutral(locale string) bool {
	base, rest, found := strings.Cut(locale, ".")
	if !found {
		base, rest, found = strings.Cut(locale, "@")
	}
	return found && rest != "" && (base == "C" || base == "POSIX")
}
