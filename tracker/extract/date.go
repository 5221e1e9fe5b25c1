package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

// statedLabel matches the labels that introduce a document's own date.
const statedLabel = `(?i)\b(?:` +
	`last\s+(?:updated|modified|revised|amended|changed|update|revision)` +
	`|(?:date\s+)?(?:updated|revised|modified|amended)` +
	`|effective(?:\s+date)?` +
	`|date\s+of\s+(?:last\s+)?(?:revision|update|modification)` +
	`|version\s+date|in\s+(?:effect|force)\s+(?:from|since|as\s+of)` +
	`|(?m:^)dated` + // "Dated: June 9, 2010" opening a line, not "a letter dated …"
	`)\b`

// statedDateRE finds a label followed, within a short gap without digits or
// sentence ends, by a full date in one of the usual forms.
var statedDateRE = regexp.MustCompile(statedLabel + `[^\d.!?;]{0,30}?` +
	`(?:` +
	`(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})\b` +
	`|(?P<m1>` + monthNames + `)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?P<y1>\d{4})\b` +
	`|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>` + monthNames + `)\.?(?:\s*,\s*|\s+)(?P<y2>\d{4})\b` +
	`|(?P<na>\d{1,2})(?P<sep>[/.])(?P<nb>\d{1,2})[/.](?P<ny>\d{4})\b` +
	`)`)

// statedMonthRE finds a label followed by a month name and a four-digit year
// without a day ("Last updated: June 2024", "Effective as of March 2025").
// Month names are also words ("May", "march"), so the gap is much narrower
// than statedDateRE's: only punctuation, "as of", "from" or "since" may
// separate the label from the month ("became effective in May 2018" is
// prose about the GDPR, not the document's date), and the year must follow
// the month directly.
var statedMonthRE = regexp.MustCompile(statedLabel +
	`[\s:,|\-]*(?:(?:as\s+of|from|since)\s+)?` +
	`(?P<mm>` + monthNames + `)\.?(?:\s*,\s*|\s+)(?P<my>\d{4})\b`)

// markup that can sit between a label and its date in Markdown text.
var (
	mdLinkRE   = regexp.MustCompile(`\[([^\]\n]*)\]\([^)\n]*\)`)
	mdNoise    = strings.NewReplacer("**", "", "__", "", "*", "", "_", "", "#", "", "`", "")
	monthIndex = map[string]time.Month{
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	}
)

// StatedDate finds the date a document states for itself ("Last updated:
// January 5, 2025", "Effective date: 2025-01-05", "Updated: 5 January 2025",
// "Effective as of …", "Last modified …") and returns it as YYYY-MM-DD, or ""
// when the text states none. The first labelled date in the text wins.
// Numeric dates with "/" are read month first (US), with "." day first.
//
// A month without a day ("Last updated: June 2024") is returned as YYYY-MM
// (ISO 8601 reduced precision): the document does not say which day, and an
// invented first of the month would misdate the evidence. It is a fallback:
// a labelled full date anywhere in the text wins over it, so a text that
// states a full date gives that date whether or not it also names a month.
func StatedDate(text string) string {
	return statedDate(Normalize(text))
}

// statedDate is StatedDate on text that is already normalised.
func statedDate(norm string) string {
	// The full pattern is slow on a long text; run it only on short windows
	// around the label keywords, in text order, with Markdown markup removed.
	lower := asciiLower(norm)
	var at []int
	for _, kw := range labelKeywords {
		for off := 0; ; {
			i := strings.Index(lower[off:], kw)
			if i < 0 {
				break
			}
			at = append(at, off+i)
			off += i + len(kw)
		}
	}
	if strings.HasPrefix(lower, "dated") {
		at = append(at, 0) // "\ndated" finds the label on any line but the first
	}
	sort.Ints(at)
	// Full dates first: the windows are kept for the month-only fallback.
	windows := make([]string, 0, len(at))
	names := statedDateRE.SubexpNames()
	for _, pos := range at {
		start, end := max(pos-16, 0), min(pos+120, len(norm))
		window := mdNoise.Replace(mdLinkRE.ReplaceAllString(strings.ToValidUTF8(norm[start:end], ""), "$1"))
		windows = append(windows, window)
		for _, m := range statedDateRE.FindAllStringSubmatch(window, -1) {
			g := map[string]string{}
			for i, n := range names {
				if n != "" && m[i] != "" {
					g[n] = m[i]
				}
			}
			if d, ok := dateFrom(g); ok {
				return d
			}
		}
	}
	mm, my := statedMonthRE.SubexpIndex("mm"), statedMonthRE.SubexpIndex("my")
	for _, window := range windows {
		for _, m := range statedMonthRE.FindAllStringSubmatch(window, -1) {
			if d, ok := monthFrom(m[mm], m[my]); ok {
				return d
			}
		}
	}
	return ""
}

// labelKeywords locate candidate labels (lower case); every label of
// statedDateRE contains one of them.
var labelKeywords = []string{"updat", "effective", "modifi", "revis", "amend", "changed", "version date", "in effect", "in force", "\ndated"}

// asciiLower lower-cases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func dateFrom(g map[string]string) (string, bool) {
	var y, d int
	var mon time.Month
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch {
	case g["iy"] != "":
		y, mon, d = atoi(g["iy"]), time.Month(atoi(g["im"])), atoi(g["id"])
	case g["m1"] != "":
		y, mon, d = atoi(g["y1"]), monthIndex[strings.ToLower(g["m1"])[:3]], atoi(g["d1"])
	case g["m2"] != "":
		y, mon, d = atoi(g["y2"]), monthIndex[strings.ToLower(g["m2"])[:3]], atoi(g["d2"])
	case g["ny"] != "":
		a, b := atoi(g["na"]), atoi(g["nb"])
		y = atoi(g["ny"])
		if g["sep"] == "/" && a <= 12 {
			mon, d = time.Month(a), b
		} else if g["sep"] == "/" {
			mon, d = time.Month(b), a
		} else {
			mon, d = time.Month(b), a
		}
	default:
		return "", false
	}
	if y < 1990 || y > 2100 || mon < 1 || mon > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, mon, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 February and the like
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, int(mon), d), true
}

// monthFrom formats a month name and a year as YYYY-MM.
func monthFrom(month, year string) (string, bool) {
	y, err := strconv.Atoi(year)
	mon := monthIndex[strings.ToLower(month)[:3]]
	if err != nil || y < 1990 || y > 2100 || mon == 0 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d", y, int(mon)), true
}
