package analysis

import (
	"bufio"
	"io"
	"strings"
)

// FormatDiff writes hunks in a human-readable form that does not rely on
// colour: each hunk starts with its operation and heading path; modified
// hunks show the word diff with [-removed-] and {+added+} markers; added and
// removed blocks are prefixed with "+ " and "- "; cosmetic hunks say why.
func FormatDiff(w io.Writer, hunks []Hunk) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	for k, h := range hunks {
		if k > 0 {
			bw.WriteByte('\n')
		}
		heading := h.Heading
		if heading == "" {
			heading = "(top of document)"
		}
		bw.WriteString("@@ ")
		bw.WriteString(h.Op)
		if !h.Substantive {
			reason := h.Reason
			if reason == "" {
				reason = "cosmetic"
			}
			bw.WriteString(", not substantive: ")
			bw.WriteString(reason)
		}
		bw.WriteString(" @@ ")
		bw.WriteString(heading)
		bw.WriteByte('\n')
		switch h.Op {
		case OpAdded:
			writePrefixed(bw, "+ ", h.New)
		case OpRemoved:
			writePrefixed(bw, "- ", h.Old)
		case OpMoved:
			writePrefixed(bw, "> ", h.New)
		default:
			if len(h.Words) == 0 {
				writePrefixed(bw, "- ", h.Old)
				writePrefixed(bw, "+ ", h.New)
				continue
			}
			// word runs are fields joined by spaces: one line
			bw.WriteString("  ")
			for i, op := range h.Words {
				if i > 0 {
					bw.WriteByte(' ')
				}
				switch op.Op {
				case OpAdded:
					bw.WriteString("{+")
					bw.WriteString(op.Text)
					bw.WriteString("+}")
				case OpRemoved:
					bw.WriteString("[-")
					bw.WriteString(op.Text)
					bw.WriteString("-]")
				default:
					bw.WriteString(op.Text)
				}
			}
			bw.WriteByte('\n')
		}
	}
}

// writePrefixed writes each line of text with prefix before it.
func writePrefixed(w *bufio.Writer, prefix, text string) {
	for {
		line, rest, more := strings.Cut(text, "\n")
		w.WriteString(prefix)
		w.WriteString(line)
		w.WriteByte('\n')
		if !more {
			return
		}
		text = rest
	}
}
