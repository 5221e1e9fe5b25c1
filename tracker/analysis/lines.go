package analysis

// Hand-written equivalents of blocks.go's line expressions (reATX,
// reSetext1, reSetext2, reRule, reTableRow, reListItem), which every
// Markdown-looking line of both versions went through. Each returns exactly
// what its expression's match (and submatches) give; TestLineMatchers and
// FuzzLineMatchers hold them to it.

// leadRESpace returns the number of leading RE2 \s bytes of line.
func leadRESpace(line string) int {
	i := 0
	for i < len(line) && isRESpace(line[i]) {
		i++
	}
	return i
}

// onlyRESpace reports whether s is all RE2 \s.
func onlyRESpace(s string) bool { return leadRESpace(s) == len(s) }

// matchATX is reATX.FindStringSubmatch(line): ok, with the number of '#'
// and the heading text.
func matchATX(line string) (level int, text string, ok bool) {
	i := leadRESpace(line)
	if i > 3 {
		return 0, "", false
	}
	j := i
	for j < len(line) && line[j] == '#' {
		j++
	}
	level = j - i
	if level < 1 || level > 6 || j == len(line) || !isRESpace(line[j]) {
		return 0, "", false
	}
	rest := line[j+leadRESpace(line[j:]):]
	// the text is the shortest prefix of rest followed by \s*#*\s*$
	e := len(rest)
	for e > 0 && isRESpace(rest[e-1]) {
		e--
	}
	for e > 0 && rest[e-1] == '#' {
		e--
	}
	for e > 0 && isRESpace(rest[e-1]) {
		e--
	}
	return level, rest[:e], true
}

// matchRun is ^\s{0,3}c+\s*$ (reSetext1 for '=', reSetext2 for '-').
func matchRun(line string, c byte) bool {
	i := leadRESpace(line)
	if i > 3 || i == len(line) || line[i] != c {
		return false
	}
	for i < len(line) && line[i] == c {
		i++
	}
	return onlyRESpace(line[i:])
}

// matchRule is reRule.MatchString(line): a thematic break of three or more
// '-', '*' or '_' (mixed, spaces between allowed).
func matchRule(line string) bool {
	i := leadRESpace(line)
	if i > 3 || i == len(line) || !isRuleChar(line[i]) {
		return false
	}
	n := 0
	for ; i < len(line); i++ {
		switch c := line[i]; {
		case isRuleChar(c):
			n++
		case isRESpace(c):
		default:
			return false
		}
	}
	return n >= 3
}

func isRuleChar(c byte) bool { return c == '-' || c == '*' || c == '_' }

// matchTableRow is reTableRow.MatchString(line).
func matchTableRow(line string) bool {
	i := leadRESpace(line)
	return i < len(line) && line[i] == '|'
}

// matchListItem is reListItem.FindStringSubmatch(line): ok, with the item
// text (the third submatch).
func matchListItem(line string) (text string, ok bool) {
	i := leadRESpace(line)
	switch {
	case i < len(line) && (line[i] == '*' || line[i] == '+' || line[i] == '-'):
		i++
	case len(line)-i >= 3 && line[i:i+3] == "•":
		i += 3
	default:
		j := i
		for j < len(line) && j < i+3 && '0' <= line[j] && line[j] <= '9' {
			j++
		}
		if j == i || j == len(line) || (line[j] != '.' && line[j] != ')') {
			return "", false
		}
		i = j + 1
	}
	if i == len(line) || !isRESpace(line[i]) {
		return "", false
	}
	return line[i+leadRESpace(line[i:]):], true
}
