package tracker

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Churn: parts of a page that change on every request (request ids,
// nonces, "generated at" times, rotating banners) must not make every
// check a new version. When a check finds text that differs from the
// latest version, it captures the page once more: if the two captures
// differ, their differences are the page's volatile spans, and a change
// that lies wholly within them is churn. Such a check fails with reason
// "churn" (nothing is archived) and the document keeps a ChurnNote with the
// spans and a remove selector that would leave them out. A change outside
// the volatile spans is archived as usual.

// ReasonChurn marks a check whose only differences are spans that change
// on every request.
const ReasonChurn = "churn"

// ChurnNote records that a document's page changes on every request.
type ChurnNote struct {
	DetectedAt time.Time `json:"detected_at"`
	// Spans are excerpts of the text that changed between two captures.
	Spans []string `json:"spans"`
	// SuggestRemove is a CSS selector whose removal would leave the
	// volatile spans out, or "" when none was found.
	SuggestRemove string `json:"suggest_remove,omitempty"`
}

// MarshalChurn is how stores keep a churn note: JSON, or "" for none.
func MarshalChurn(n *ChurnNote) string {
	if n == nil {
		return ""
	}
	b, err := json.Marshal(n)
	if err != nil {
		return ""
	}
	return string(b)
}

// UnmarshalChurn reads what MarshalChurn wrote.
func UnmarshalChurn(s string) (*ChurnNote, error) {
	if s == "" {
		return nil, nil
	}
	n := new(ChurnNote)
	if err := json.Unmarshal([]byte(s), n); err != nil {
		return nil, fmt.Errorf("churn note: %w", err)
	}
	return n, nil
}

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// changedSpans returns the ranges of b (expanded to whole words) that a
// diff from a to b inserts or replaces, and the offsets in b where it only
// deletes.
func changedSpans(a, b string) (spans []span, deletions []int) {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 2 * time.Second
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false))
	pos := 0
	for i, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			pos += len(d.Text)
		case diffmatchpatch.DiffInsert:
			spans = append(spans, wordSpan(b, pos, pos+len(d.Text)))
			pos += len(d.Text)
		case diffmatchpatch.DiffDelete:
			// A deletion followed by an insertion is a replacement: the
			// insertion's span covers it.
			if i+1 < len(diffs) && diffs[i+1].Type == diffmatchpatch.DiffInsert {
				continue
			}
			deletions = append(deletions, pos)
		}
	}
	return spans, deletions
}

// wordSpan widens [start, end) of s to whole words.
func wordSpan(s string, start, end int) span {
	for start > 0 && isWordByte(s[start-1]) {
		start--
	}
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	return span{start, end}
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '-' || c == ':' || c == '.' || c == '_' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}

// onlyChurn reports whether every difference between the latest archived
// text and a capture lies within the spans in which the capture differs
// from a second capture moments later.
func onlyChurn(latest, capture, again string) bool {
	volatile, volatileDeletions := changedSpans(again, capture) // ranges of capture that vary
	volatile = append(volatile, pointSpans(capture, volatileDeletions)...)
	if len(volatile) == 0 {
		return false
	}
	changed, deletions := changedSpans(latest, capture)
	if len(changed) == 0 && len(deletions) == 0 {
		return false
	}
	within := func(s span) bool {
		for _, v := range volatile {
			if s.start >= v.start && s.end <= v.end {
				return true
			}
		}
		return false
	}
	for _, s := range changed {
		if !within(s) {
			return false
		}
	}
	for _, p := range deletions {
		if !within(wordSpan(capture, p, p)) {
			return false
		}
	}
	return true
}

// pointSpans turns deletion offsets into the words around them.
func pointSpans(s string, points []int) []span {
	out := make([]span, 0, len(points))
	for _, p := range points {
		out = append(out, wordSpan(s, p, p))
	}
	return out
}

// volatileExcerpts returns up to three excerpts of capture (with a little
// context) where it differs from again, for the churn note.
func volatileExcerpts(capture, again string) []string {
	spans, deletions := changedSpans(again, capture)
	spans = append(spans, pointSpans(capture, deletions)...)
	var out []string
	seen := map[string]bool{}
	for _, s := range spans {
		if len(out) == 3 {
			break
		}
		start, end := s.start, s.end
		for i := 0; i < 3 && start > 0; i++ { // three words of context each side
			start = strings.LastIndexAny(capture[:start-1], " \n") + 1
		}
		for i := 0; i < 3 && end < len(capture); i++ {
			if j := strings.IndexAny(capture[end+1:], " \n"); j >= 0 {
				end += 1 + j
			} else {
				end = len(capture)
			}
		}
		ex := strings.Join(strings.Fields(capture[start:end]), " ")
		if ex != "" && !seen[ex] {
			seen[ex] = true
			out = append(out, ex)
		}
	}
	return out
}

// volatileWords returns the words of capture that differ from again,
// longest first: what a remove selector must catch.
func volatileWords(capture, again string) []string {
	spans, _ := changedSpans(again, capture)
	var words []string
	for _, s := range spans {
		for _, w := range strings.FieldsFunc(capture[s.start:s.end], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(w) >= 2 {
				words = append(words, w)
			}
		}
	}
	for i := 1; i < len(words); i++ { // longest first; few words
		for j := i; j > 0 && len(words[j]) > len(words[j-1]); j-- {
			words[j], words[j-1] = words[j-1], words[j]
		}
	}
	return words
}
