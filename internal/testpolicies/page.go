package testpolicies

import (
	"fmt"
	"strings"
	"time"
)

// Page wraps a policy text (Markdown paragraphs, "#" headings) in an HTML
// page as a site would serve it: navigation around <main>, and a footer
// that changes on every call, so tests can check that page chrome is
// neither archived nor taken for a change.
func Page(text string) string {
	var b strings.Builder
	b.WriteString("<html><head><title>Policy</title></head><body><nav><a href='/'>Home</a> <a href='/jobs'>Jobs</a></nav><main>")
	b.WriteString(Paragraphs(text))
	b.WriteString("</main><footer>© Example " + time.Now().Format("15:04:05.000") + "</footer></body></html>")
	return b.String()
}

// Paragraphs renders a policy's text as HTML: "# " paragraphs as headings,
// the others as paragraphs (pages that build the policy with scripts use it
// alone).
func Paragraphs(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.TrimSpace(para)
		switch {
		case para == "":
		case strings.HasPrefix(para, "#"):
			fmt.Fprintf(&b, "<h2>%s</h2>", strings.TrimLeft(para, "# "))
		default:
			fmt.Fprintf(&b, "<p>%s</p>", para)
		}
	}
	return b.String()
}
