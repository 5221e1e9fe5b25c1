package extract

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// maxSuggestedText bounds the text of an element SuggestRemove proposes to
// remove: a line of page furniture, not a section of the document.
const maxSuggestedText = 300

var plainIdent = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// SuggestRemove proposes a CSS selector for a remove setting that would
// leave out the element of an HTML page holding one of words (the
// volatile words of a page that changes on every request, longest first):
// the smallest element whose text contains the word, named by its id, its
// classes, or its position under the nearest named ancestor. It returns ""
// when the page is not HTML or no short element holds any of the words.
func SuggestRemove(body []byte, contentType string, words []string) string {
	if kindOf(body, contentType) != kindHTML {
		return ""
	}
	p, err := parse(body, contentType)
	if err != nil {
		return ""
	}
	for _, w := range words {
		var best *goquery.Selection
		p.doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), w) {
				best = s // document order: a descendant comes after its ancestor
			}
		})
		if best == nil || len(strings.TrimSpace(best.Text())) > maxSuggestedText {
			continue
		}
		if sel := selectorFor(p.doc, best); sel != "" {
			return sel
		}
	}
	return ""
}

// selectorFor names an element so that the selector matches it (and
// nothing with more text than maxSuggestedText).
func selectorFor(doc *goquery.Document, s *goquery.Selection) string {
	var candidates []string
	if id, ok := s.Attr("id"); ok && plainIdent.MatchString(id) {
		candidates = append(candidates, "#"+id)
	}
	tag := goquery.NodeName(s)
	if classes := plainClasses(s); classes != "" {
		candidates = append(candidates, tag+classes)
	}
	// Position under the nearest ancestor with an id or classes.
	path := []string{fmt.Sprintf("%s:nth-of-type(%d)", tag, nthOfType(s.Get(0)))}
	for a := s.Parent(); a.Length() > 0 && goquery.NodeName(a) != "body" && len(path) < 4; a = a.Parent() {
		if id, ok := a.Attr("id"); ok && plainIdent.MatchString(id) {
			candidates = append(candidates, "#"+id+" > "+strings.Join(path, " > "))
			break
		}
		if classes := plainClasses(a); classes != "" {
			candidates = append(candidates, goquery.NodeName(a)+classes+" > "+strings.Join(path, " > "))
			break
		}
		path = append([]string{fmt.Sprintf("%s:nth-of-type(%d)", goquery.NodeName(a), nthOfType(a.Get(0)))}, path...)
	}
	for _, c := range candidates {
		if _, err := cascadia.ParseGroup(c); err != nil {
			continue
		}
		found := doc.Find(c)
		ok := found.Length() > 0 && found.IndexOfSelection(s) >= 0
		found.Each(func(_ int, f *goquery.Selection) {
			ok = ok && len(strings.TrimSpace(f.Text())) <= maxSuggestedText
		})
		if ok {
			return c
		}
	}
	return ""
}

func plainClasses(s *goquery.Selection) string {
	cls, _ := s.Attr("class")
	var b strings.Builder
	for _, c := range strings.Fields(cls) {
		if plainIdent.MatchString(c) {
			b.WriteString("." + c)
		}
	}
	return b.String()
}

func nthOfType(n *html.Node) int {
	i := 1
	for sib := n.PrevSibling; sib != nil; sib = sib.PrevSibling {
		if sib.Type == html.ElementNode && sib.Data == n.Data {
			i++
		}
	}
	return i
}
