package analysis

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns Markdown-like block text into plain text, tokens and
// sentences. Plain text is what signals are matched against and what
// evidence quotes; token keys are what cosmetic comparisons use.

var (
	reBR        = regexp.MustCompile(`(?i)<br\s*/?>`)
	reImage     = regexp.MustCompile(`!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)`)
	reLink      = regexp.MustCompile(`\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)`)
	reRefLink   = regexp.MustCompile(`\[([^\[\]]+)\]\[[^\[\]]*\]`)
	reAutoLink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	reLinkTail  = regexp.MustCompile(`\]\((?:[^()\s]|\([^()]*\))*\)`)
	reBareURL   = regexp.MustCompile(`(?:https?://|www\.)[^\s<>()\]]+`)
	reHTMLTag   = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	reEmphasis  = regexp.MustCompile(`\*+|__+|~~|` + "`+")
	reSpaces    = regexp.MustCompile(`[ \t\f\v\x{00A0}\x{2000}-\x{200B}\x{202F}\x{205F}\x{3000}]+`)
	quoteFolder = strings.NewReplacer(
		"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "«", `"`, "»", `"`, "″", `"`,
		"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'", "`", "'",
		"–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-",
		"\u00ad", "", "\u200b", "", "\ufeff", "",
	)
)

// plainText strips Markdown and HTML markup from a block: links and images
// keep their text, emphasis and tags go, entities are decoded, quotes and
// dashes are folded to ASCII, runs of spaces collapse. Line breaks (including
// <br> and table cell borders) are kept as "\n" so sentences split there.
func plainText(md string) string {
	s := reBR.ReplaceAllString(md, "\n")
	s = reImage.ReplaceAllString(s, "$1")
	s = reLink.ReplaceAllString(s, "$1")
	s = reRefLink.ReplaceAllString(s, "$1")
	s = reAutoLink.ReplaceAllString(s, "$1")
	s = reLinkTail.ReplaceAllString(s, " ")
	s = reBareURL.ReplaceAllString(s, " ")
	s = reHTMLTag.ReplaceAllString(s, " ")
	s = reEmphasis.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = quoteFolder.Replace(s)
	s = strings.ReplaceAll(s, "\\", "")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(reSpaces.ReplaceAllString(l, " "))
		l = strings.Trim(l, "| ")
		l = strings.ReplaceAll(l, " | ", "\n")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// token is one word of a plain text with its byte span.
type token struct {
	start, end int
	key        string // cosmetic key: lower case, no apostrophes, stemmed
}

// tokenize splits plain text into words (letters, digits, inner apostrophes).
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += w
			continue
		}
		j := i + w
		for j < len(s) {
			r2, w2 := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r2) {
				j += w2
				continue
			}
			if r2 == '\'' && j+w2 < len(s) {
				r3, _ := utf8.DecodeRuneInString(s[j+w2:])
				if unicode.IsLetter(r3) {
					j += w2
					continue
				}
			}
			break
		}
		toks = append(toks, token{start: i, end: j, key: wordKey(s[i:j])})
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordKey folds a word for cosmetic comparison: lower case, apostrophes
// removed, and a light stem so that "ads"/"ad", "gives"/"give",
// "policies"/"policy" compare equal.
func wordKey(w string) string {
	w = strings.ToLower(strings.ReplaceAll(w, "'", ""))
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) >= 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// textKey is the cosmetic key of a text: its token keys joined by spaces.
func textKey(s string) string {
	toks := tokenize(s)
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

// sentence is a span of a plain text.
type sentence struct {
	start, end int
	text       string
}

var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "inc": true, "ltd": true, "co": true,
	"no": true, "art": true, "arts": true, "sec": true, "u.s": true, "u.k": true,
	"mr": true, "ms": true, "dr": true, "st": true, "vs": true, "para": true,
	"cf": true, "approx": true, "corp": true, "llc": true, "s.a": true, "b.v": true,
}

// splitSentences splits plain text at line breaks and at sentence-ending
// punctuation followed by a space and a capital, digit, quote or bracket,
// skipping common abbreviations.
func splitSentences(s string) []sentence {
	var out []sentence
	add := func(a, b int) {
		for a < b && (s[a] == ' ' || s[a] == '\n') {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, sentence{start: a, end: b, text: s[a:b]})
		}
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			add(start, i)
			start = i + 1
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '"' || s[j] == '\'' || s[j] == ')') {
			j++
		}
		if j >= len(s) || s[j] != ' ' || j+1 >= len(s) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[j+1:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '\'' || r == '(' || r == '[') {
			continue
		}
		if c == '.' {
			k := i
			for k > start && s[k-1] != ' ' && s[k-1] != '(' {
				k--
			}
			if abbreviations[strings.ToLower(s[k:i])] || (i-k == 1 && unicode.IsUpper(rune(s[k]))) {
				continue
			}
		}
		add(start, j)
		start = j + 1
	}
	add(start, len(s))
	return out
}

// shorten trims a text to about max bytes at a word boundary, adding "…".
func shorten(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndex(s[:max], " ")
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
