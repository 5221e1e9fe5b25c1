package analysis

import (
	"errors"
	"regexp"
	"sort"
	"strings"
)

// This file compiles the rules file's phrase syntax (see Signal) into RE2
// expressions.

// phraseToRegexp compiles the phrase syntax documented on Signal.
func phraseToRegexp(p string) (string, error) {
	toks, err := lexPhrase(p)
	if err != nil {
		return "", err
	}
	body, rest, err := parseSeq(toks)
	if err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", errors.New("unbalanced ')'")
	}
	if body == "" {
		return "", errors.New("empty phrase")
	}
	return `\b` + body + `\b`, nil
}

func lexPhrase(p string) ([]string, error) {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range p {
		switch r {
		case ' ', '\t', '-', '/':
			flush()
		case '(', ')', '|':
			flush()
			toks = append(toks, string(r))
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks, nil
}

const (
	phraseSep = `[\s\-/]+`
	phraseGap = `(?:[\s\-/,]+[\w']+){0,6}?[\s\-/,]+`
)

// parseSeq parses a sequence up to ')' or '|' and returns its expression.
func parseSeq(toks []string) (string, []string, error) {
	var parts []string
	var seps []string
	pendingGap := false
	for len(toks) > 0 {
		t := toks[0]
		if t == ")" || t == "|" {
			break
		}
		toks = toks[1:]
		var piece string
		switch {
		case t == "...":
			pendingGap = true
			continue
		case t == "(":
			var alts []string
			for {
				s, rest, err := parseSeq(toks)
				if err != nil {
					return "", nil, err
				}
				alts = append(alts, s)
				if len(rest) == 0 {
					return "", nil, errors.New("unbalanced '('")
				}
				toks = rest[1:]
				if rest[0] == ")" {
					break
				}
			}
			sort.SliceStable(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
			optional := false
			var nonEmpty []string
			for _, a := range alts {
				if a == "" {
					optional = true
				} else {
					nonEmpty = append(nonEmpty, a)
				}
			}
			piece = `(?:` + strings.Join(nonEmpty, "|") + `)`
			if optional {
				// an optional group carries its own trailing separator
				if len(parts) > 0 || pendingGap {
					seps = append(seps, "")
					sep := phraseSep
					if pendingGap {
						sep = phraseGap
					}
					parts = append(parts, `(?:`+sep+piece+`)?`)
					pendingGap = false
					continue
				}
				piece += `?`
			}
		default:
			piece = wordExpr(t)
		}
		if len(parts) > 0 {
			if pendingGap {
				seps = append(seps, phraseGap)
			} else {
				seps = append(seps, phraseSep)
			}
		}
		pendingGap = false
		parts = append(parts, piece)
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(seps[i-1])
		}
		b.WriteString(p)
	}
	return b.String(), toks, nil
}

func wordExpr(w string) string {
	star := strings.HasSuffix(w, "*")
	w = strings.TrimSuffix(w, "*")
	e := regexp.QuoteMeta(w)
	e = strings.ReplaceAll(e, "'", `'?`)
	if star {
		e += `[\w']*`
	}
	return e
}
