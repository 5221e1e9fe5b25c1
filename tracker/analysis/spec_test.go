package analysis

import (
	"regexp"
	"strings"
)

// The expressions and replacer below specify the hand-written matchers of
// lines.go, markup.go and text.go (foldQuotes), which replaced them on the
// diff's hot path: lines_test.go and markup_test.go check, on real policies
// and by fuzzing, that each matcher gives exactly what its expression gives.

var (
	// Markdown and HTML markup stripped by plainText (markup.go)
	reBR        = regexp.MustCompile(`(?i)<br\s*/?>`)
	reImage     = regexp.MustCompile(`!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)`)
	reLink      = regexp.MustCompile(`\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)`)
	reRefLink   = regexp.MustCompile(`\[([^\[\]]+)\]\[[^\[\]]*\]`)
	reAutoLink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	reLinkTail  = regexp.MustCompile(`\]\((?:[^()\s]|\([^()]*\))*\)`)
	reFootnote  = regexp.MustCompile(`\[\d{1,3}\]`)
	reBareURL   = regexp.MustCompile(`(?:https?://|www\.)[^\s<>()\]]+`)
	reHTMLTag   = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	quoteFolder = strings.NewReplacer(
		"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "«", `"`, "»", `"`, "″", `"`,
		"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'", "`", "'",
		"–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-",
		"\u00ad", "", "\u200b", "", "\ufeff", "",
	)
)

// Markdown line syntax recognised by parseBlocks (lines.go), and links
// split over lines (joinSplitLinks).
var (
	reSplitLink = regexp.MustCompile(`\[[ \t]*\n\s*([^\[\]\n]+?)\s*\n\s*\]\(`)
	reATX       = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	reSetext1   = regexp.MustCompile(`^\s{0,3}=+\s*$`)
	reSetext2   = regexp.MustCompile(`^\s{0,3}-+\s*$`)
	reRule      = regexp.MustCompile(`^\s{0,3}([-*_])(\s*[-*_]){2,}\s*$`)
	reTableRow  = regexp.MustCompile(`^\s*\|`)
	reListItem  = regexp.MustCompile(`^(\s*)([*+\-•]|\d{1,3}[.)])\s+(.*)$`)
)

// reLinkURL matches a link target, dropped when comparing link texts (stripLinkURLs).
var reLinkURL = regexp.MustCompile(`\]\(([^)\s]*)`)
