package analysis

import (
	"regexp"
	"strconv"
	"strings"
)

// This file reads stated periods ("for up to 90 days", "12 months"), so
// that a statement whose period grows reads as a widening and one whose
// period shrinks as a narrowing (meaning.go).

var reDuration = regexp.MustCompile(`(?i)\b(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|sixty|ninety)[- ](hours?|days?|weeks?|months?|years?)\b`)

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
	"thirty": 30, "sixty": 60, "ninety": 90,
}

var unitHours = map[string]float64{"hour": 1, "day": 24, "week": 24 * 7, "month": 24 * 30, "year": 24 * 365}

// maxDuration returns the longest period stated in a text, in hours, or 0.
func maxDuration(text string) float64 {
	best := 0.0
	for _, m := range reDuration.FindAllStringSubmatch(text, -1) {
		n, ok := numberWords[strings.ToLower(m[1])]
		if !ok {
			v, err := strconv.Atoi(m[1])
			if err != nil {
				continue
			}
			n = v
		}
		unit := strings.TrimSuffix(strings.ToLower(m[2]), "s")
		if h := float64(n) * unitHours[unit]; h > best {
			best = h
		}
	}
	return best
}

// reStartOnly finds a period that bounds only when an action begins ("our
// purge script commences the deletion process within 90 days", "we will
// begin deleting it within 30 days"), not when it is done.
var reStartOnly = regexp.MustCompile(`(?i)\b(?:begins?|beginning|starts?|starting|commences?|commencing|initiates?|initiating)\b`)

// startsOnly reports whether a text that states a period says only when
// the action begins: the period then no longer bounds how long it takes.
func startsOnly(text string) bool { return reStartOnly.MatchString(text) }
