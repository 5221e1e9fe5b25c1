package analysis

import (
	"bufio"
	"fmt"
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
			bw.WriteString("\n")
		}
		heading := h.Heading
		if heading == "" {
			heading = "(top of document)"
		}
		tag := h.Op
		if !h.Substantive {
			reason := h.Reason
			if reason == "" {
				reason = "cosmetic"
			}
			tag += ", not substantive: " + reason
		}
		fmt.Fprintf(bw, "@@ %s @@ %s\n", tag, heading)
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
			var b strings.Builder
			for i, op := range h.Words {
				if i > 0 {
					b.WriteByte(' ')
				}
				switch op.Op {
				case OpAdded:
					b.WriteString("{+" + op.Text + "+}")
				case OpRemoved:
					b.WriteString("[-" + op.Text + "-]")
				default:
					b.WriteString(op.Text)
				}
			}
			writePrefixed(bw, "  ", b.String())
		}
	}
}

func writePrefixed(w *bufio.Writer, prefix, text string) {
	for _, line := range strings.Split(text, "\n") {
		w.WriteString(prefix)
		w.WriteString(line)
		w.WriteByte('\n')
	}
}
