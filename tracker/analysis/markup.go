package analysis

import "strings"

// This file holds hand-written equivalents of the Markdown link expressions
// of text.go (reImage, reLink, reRefLink, reLinkTail, reFootnote,
// reBareURL) for plainText, the diff's hottest path: policies carry
// thousands of links with long tracking URLs, where Go's backtracking
// matcher dominated the run time. Each function replaces exactly what
// re.ReplaceAllString would (leftmost-first, non-overlapping matches);
// TestMarkupMatchesRegexps and FuzzMarkupMatchesRegexps hold them to it.
// The expressions stay the specification and are still used elsewhere.

// destEnd returns the index just past the ")" that closes a link
// destination starting at i (just after "("), following
// (?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\) — without the optional title
// when title is false — or -1 when there is none.
func destEnd(s string, i int, title bool) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == ')':
			return i + 1
		case c == '(':
			j := i + 1
			for j < len(s) && s[j] != '(' && s[j] != ')' {
				j++
			}
			if j == len(s) || s[j] != ')' {
				return -1
			}
			i = j + 1
		case isRESpace(c):
			if !title {
				return -1
			}
			for i < len(s) && isRESpace(s[i]) {
				i++
			}
			if i == len(s) || s[i] != '"' {
				return -1
			}
			k := strings.IndexByte(s[i+1:], '"')
			if k < 0 {
				return -1
			}
			k += i + 2 // past the closing quote
			if k < len(s) && s[k] == ')' {
				return k + 1
			}
			return -1
		default:
			i++
		}
	}
	return -1
}

// rewriter builds a string from s with some spans replaced, copying only
// once something is replaced (and only once: strings.Builder hands its
// buffer over without a copy).
type rewriter struct {
	s    string
	b    strings.Builder
	last int
	used bool
}

func (w *rewriter) replace(from, to int, with string) {
	if !w.used {
		w.b.Grow(len(w.s))
		w.used = true
	}
	w.b.WriteString(w.s[w.last:from])
	w.b.WriteString(with)
	w.last = to
}

func (w *rewriter) result() string {
	if !w.used {
		return w.s
	}
	w.b.WriteString(w.s[w.last:])
	return w.b.String()
}

// stripImages is reImage.ReplaceAllString(s, "$1") when keep is true, and
// reImage.ReplaceAllString(s, " ") otherwise.
func stripImages(s string, keep bool) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.Index(s[p:], "![")
		if k < 0 {
			break
		}
		p += k
		t := p + 2
		if e := strings.IndexByte(s[t:], ']'); e >= 0 {
			e += t
			if e+1 < len(s) && s[e+1] == '(' {
				if end := destEnd(s, e+2, true); end >= 0 {
					w.replace(p, end, groupOr(s[t:e], keep))
					p = end
					continue
				}
			}
		}
		p++
	}
	return w.result()
}

func groupOr(group string, keep bool) string {
	if keep {
		return group
	}
	return " "
}

// linkTextEnd returns the index of the "]" closing a link text that starts
// at i (just after "["), following [^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*, or -1.
func linkTextEnd(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ']':
			return i
		case '[':
			j := i + 1
			for j < len(s) && s[j] != '[' && s[j] != ']' {
				j++
			}
			if j == len(s) || s[j] != ']' {
				return -1
			}
			i = j + 1
		default:
			i++
		}
	}
	return -1
}

// stripLinks is reLink.ReplaceAllString(s, "$1") when keep is true, and
// reLink.ReplaceAllString(s, " ") otherwise.
func stripLinks(s string, keep bool) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '[')
		if k < 0 {
			break
		}
		p += k
		if e := linkTextEnd(s, p+1); e >= 0 && e+1 < len(s) && s[e+1] == '(' {
			if end := destEnd(s, e+2, true); end >= 0 {
				w.replace(p, end, groupOr(s[p+1:e], keep))
				p = end
				continue
			}
		}
		p++
	}
	return w.result()
}

// stripRefLinks is reRefLink.ReplaceAllString(s, "$1").
func stripRefLinks(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '[')
		if k < 0 {
			break
		}
		p += k
		j := p + 1
		for j < len(s) && s[j] != '[' && s[j] != ']' {
			j++
		}
		if j > p+1 && j+1 < len(s) && s[j] == ']' && s[j+1] == '[' {
			e := j + 2
			for e < len(s) && s[e] != '[' && s[e] != ']' {
				e++
			}
			if e < len(s) && s[e] == ']' {
				w.replace(p, e+1, s[p+1:j])
				p = e + 1
				continue
			}
		}
		p++
	}
	return w.result()
}

// stripLinkTails is reLinkTail.ReplaceAllString(s, " ").
func stripLinkTails(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.Index(s[p:], "](")
		if k < 0 {
			break
		}
		p += k
		if end := destEnd(s, p+2, false); end >= 0 {
			w.replace(p, end, " ")
			p = end
			continue
		}
		p++
	}
	return w.result()
}

// stripFootnotes is reFootnote.ReplaceAllString(s, "").
func stripFootnotes(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '[')
		if k < 0 {
			break
		}
		p += k
		j := p + 1
		for j < len(s) && j < p+4 && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j > p+1 && j < len(s) && s[j] == ']' {
			w.replace(p, j+1, "")
			p = j + 1
			continue
		}
		p++
	}
	return w.result()
}

// stripBareURLs is reBareURL.ReplaceAllString(s, " ").
func stripBareURLs(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); p++ {
		var n int
		switch {
		case strings.HasPrefix(s[p:], "http://"):
			n = 7
		case strings.HasPrefix(s[p:], "https://"):
			n = 8
		case strings.HasPrefix(s[p:], "www."):
			n = 4
		default:
			continue
		}
		end := p + n
		for end < len(s) && !urlStop(s[end]) {
			end++
		}
		if end > p+n {
			w.replace(p, end, " ")
			p = end - 1
		}
	}
	return w.result()
}

// urlStop reports whether a byte ends a bare URL: [\s<>()\]].
func urlStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r', '<', '>', '(', ')', ']':
		return true
	}
	return false
}

// stripLinkURLs is reLinkURL.ReplaceAllString(s, "]("): link targets
// dropped, for comparing texts whose links were only redirected.
func stripLinkURLs(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.Index(s[p:], "](")
		if k < 0 {
			break
		}
		p += k
		end := p + 2
		for end < len(s) && s[end] != ')' && !isRESpace(s[end]) {
			end++
		}
		w.replace(p, end, "](")
		p = end
	}
	return w.result()
}

// stripBR is reBR.ReplaceAllString(s, "\n"): <br>, <br/>, <BR /> …
func stripBR(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '<')
		if k < 0 {
			break
		}
		p += k
		if p+2 < len(s) && (s[p+1]|0x20) == 'b' && (s[p+2]|0x20) == 'r' {
			i := p + 3
			for i < len(s) && isRESpace(s[i]) {
				i++
			}
			if i < len(s) && s[i] == '/' {
				i++
			}
			if i < len(s) && s[i] == '>' {
				w.replace(p, i+1, "\n")
				p = i + 1
				continue
			}
		}
		p++
	}
	return w.result()
}

// stripAutoLinks is reAutoLink.ReplaceAllString(s, "$1"): <https://…> and
// <mailto:…> keep their address.
func stripAutoLinks(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '<')
		if k < 0 {
			break
		}
		p += k
		rest := s[p+1:]
		n := 0
		switch {
		case strings.HasPrefix(rest, "http:"):
			n = 5
		case strings.HasPrefix(rest, "https:"):
			n = 6
		case strings.HasPrefix(rest, "mailto:"):
			n = 7
		}
		if n > 0 {
			i := p + 1 + n
			for i < len(s) && s[i] != '>' && !isRESpace(s[i]) {
				i++
			}
			if i > p+1+n && i < len(s) && s[i] == '>' {
				w.replace(p, i+1, s[p+1:i])
				p = i + 1
				continue
			}
		}
		p++
	}
	return w.result()
}

// stripHTMLTags is reHTMLTag.ReplaceAllString(s, " ").
func stripHTMLTags(s string) string {
	w := rewriter{s: s}
	for p := 0; p < len(s); {
		k := strings.IndexByte(s[p:], '<')
		if k < 0 {
			break
		}
		p += k
		i := p + 1
		if i < len(s) && s[i] == '/' {
			i++
		}
		if i < len(s) && ('a' <= s[i]|0x20 && s[i]|0x20 <= 'z') {
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				w.replace(p, i+e+1, " ")
				p = i + e + 1
				continue
			}
		}
		p++
	}
	return w.result()
}
