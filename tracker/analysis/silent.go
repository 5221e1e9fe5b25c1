package analysis

import (
	"regexp"
	"strings"
	"unicode"
)

// This file recognises the sentences that state nothing a change could
// alter: titles and headings, summaries of an update, overviews of what a
// section covers, definitions of generic terms, defined-term labels, and
// pointers to other documents or contact details. The reader (frames.go)
// skips them before it looks for statements.

// reChangeSummary matches a summary of an update ("We've clarified that
// you must be logged in …", "We have updated these Terms to …") or an entry
// of a change log ("2023, Aug 23: Adding advertisement cookies"): it
// describes changes the body of the document makes, where they are read.
var reChangeSummary = regexp.MustCompile(`(?i)^\W*(?:` +
	`(?:we['’]ve|we have)\s+(?:updated|clarified|added|removed|revised|made (?:some )?changes|changed|included|introduced|expanded|simplified|reorganized|reorganised)\b` +
	// a change-log entry: a date, a colon, then what changed ("2022, May 30:
	// updates to 2.2.2 to include location sharing")
	`|(?:\d{4},?\s+` + month + `\s+\d{1,2}|` + month + `\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+` + month + `\s+\d{4}|\d{4}-\d{2}-\d{2})\s*:)`)

// month matches a month's name or its abbreviation ("May", "Aug.", "September").
const month = `(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?`

// firstWord returns a sentence's first word in lower case, after any
// leading markup or punctuation ("* ", "“", "#"), as the expressions'
// "^\W*" skips it.
func firstWord(text string) string {
	t := strings.TrimLeftFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	w, _, _ := strings.Cut(t, " ")
	return strings.ToLower(w)
}

// reOverview matches a sentence that says what a document or section
// covers ("This section describes how we may share and disclose personal
// data", "We would like to explain how we collect, use and share …"): it
// names topics the sentences after it state.
var reOverview = regexp.MustCompile(`(?i)^\W*(?:(?:this|the following|below|these|our)\b[^.;:]{0,60}?\b(?:describes?|explains?|sets? out|outlines?|details|covers?|tells? you|informs? you|summari[sz]es?|(?:is|are)\b[^.;:]{0,20}?\b(?:designed|intended|meant) to (?:provide|give) you(?: with)?[^.;:]{0,50}?\binformation (?:on|about))|we (?:would like|want|aim|seek|wish) to (?:explain|describe|tell you|inform you|set out|outline))\b[^.;:]{0,20}?\b(?:how|what|why|when|which|the ways?|the types?|the categories)\b`)

// isOverview reports whether a sentence only says what its document or
// section covers (reOverview), in at most 40 words.
func isOverview(text string) bool {
	switch firstWord(text) {
	case "this", "the", "below", "these", "our", "we":
	default:
		return false // the expression's openings, checked cheaply first
	}
	return len(strings.Fields(text)) <= 40 && reOverview.MatchString(text)
}

// reDefinition matches a sentence that defines a generic term ("Cookies
// are small text files …", "A pixel is a piece of code …", "An Advertising
// ID is another identifier …"); reParty finds the words that name the
// company or the user, and reCompany those that name the company, which
// make a sentence a practice instead.
var (
	reDefinition = regexp.MustCompile(`^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:A|An|The)\s+)?(?:[\w’'.-]+\s+){0,3}?[\w’'.-]+["”’]?\s+(?:(?:is|are)\s+(?:a|an|small|tiny|another|simple|little|short|unique|pieces?|strings?|bits?|the practice of|the process of)|(?:means|refers to),?\s+(?:collectively,\s+[\w-]+|the|a|an|any|all|each|every|[A-Z][\w-]*|[\w-]+s))\b`)
	// reQuotedDefinition matches a quoted term defined: "“Personal Data”
	// means …", "\"Sensitive Personal Data\" includes …".
	reQuotedDefinition = regexp.MustCompile(`^\W*(?:\d+(?:\.\d+)*\.?\s+)?["“‘][^"”’]{1,40}["”’]\s+(?:means|includes|refers to|shall mean|is defined as)\b`)
	reParty            = regexp.MustCompile(`(?i)\b(?:we|us|our|ours|you|your|yours)\b`)
	reCompany          = regexp.MustCompile(`(?i)\b(?:we|us|our|ours)\b`)
)

// isDefinition reports whether a sentence only defines a generic term ("A
// cookie is a small file …", "Chargeback means the …"): it
// has the shape of reDefinition, its subject names neither the company nor
// the user, and the rest does not name the company ("Cookies are small
// text files that a website sends to your computer" defines; "… that we
// place on your device" states a practice).
func isDefinition(text string) bool {
	switch firstWord(text) {
	case "this", "that", "it", "which", "these", "those", "what":
		return false // "This means the affiliate responsible …" restates, it defines nothing
	}
	var loc []int
	switch {
	case strings.ContainsAny(text[:min(len(text), 12)], "\"“‘"):
		loc = reQuotedDefinition.FindStringIndex(text)
		if loc == nil {
			loc = reDefinition.FindStringIndex(text)
		}
	case strings.Contains(text, " is ") || strings.Contains(text, " are ") || strings.Contains(text, " mean") || strings.Contains(text, " refer"):
		loc = reDefinition.FindStringIndex(text)
	}
	return loc != nil &&
		!reParty.MatchString(text[:loc[1]]) && !reCompany.MatchString(text)
}

// titleWords are the words a title leaves in lower case.
var titleWords = map[string]bool{"of": true, "and": true, "the": true, "for": true, "to": true, "in": true,
	"on": true, "with": true, "a": true, "an": true, "or": true, "by": true, "your": true, "our": true}

// isTitle reports whether a sentence is a run-in title that only names a
// topic ("Ownership of Content.", "Kids and Accounts."): at most five words
// ending with a full stop, each capitalised or a small word. Titles state no
// practice; the sentences after them do. A name without the full stop
// ("Download Your Information", "EU-US Data Privacy Framework") may name a
// tool or a transfer mechanism, and is read. A numbered section heading
// ("10. Paid Services", "6. How long is my information kept?"), a short
// question ("How do we share your information?"), a short line in capitals
// ("HOW WE SHARE YOUR INFORMATION") and a capitalised phrase
// introducing a section ("Law and Forum for Legal Disputes:") are titles
// too.
func isTitle(text string, toks []token) bool { return isTitleLine(text, toks, false) }

// reBackToTop matches a "back to top" link at the end of a heading, as
// older pages put one after every section title: "CHILDREN ([top](#))".
var reBackToTop = regexp.MustCompile(`(?i)\s*[(\[]?\s*\b(?:back to |return to )?top\s*[)\]]?\s*$`)

// endsInTop reports whether a line ends in "top", before closing brackets:
// the only lines reBackToTop can match.
func endsInTop(t string) bool {
	t = strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == ')' || r == ']' })
	return len(t) >= 3 && strings.EqualFold(t[len(t)-3:], "top")
}

// isTitleLine is isTitle for a line that may be known to be numbered (an
// ordered list item, whose number the list marker took).
func isTitleLine(text string, toks []token, numbered bool) bool {
	t := strings.TrimSpace(text)
	marker := 0 // where the text after a section number starts
	if loc := reSectionNumber.FindStringIndex(t); loc != nil {
		numbered, t = true, t[loc[1]:]
		marker = len(text) - len(t)
		if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
			t = t[1 : len(t)-1] // "Article 5 (Disclosure of Personal Information)"
		}
	}
	if strings.HasSuffix(t, "?") && (len(toks) <= 8 || numbered && len(toks) <= 14) || len(toks) <= 10 && !strings.HasSuffix(t, ".") && t == strings.ToUpper(t) && !reCapsNegation.MatchString(t) {
		return true // a question or a line in capitals: "HOW WE SHARE YOUR INFORMATION"
	}
	if endsInTop(t) { // checked first: reBackToTop backtracks over the whole line
		if u := reBackToTop.ReplaceAllString(t, ""); u != t && u != "" && len(strings.Fields(u)) <= 10 && u == strings.ToUpper(u) && !reCapsNegation.MatchString(u) {
			return true // a heading in capitals with its "back to top" link: "CHILDREN (top)"
		}
	}
	colon := strings.HasSuffix(t, ":")
	switch {
	case len(toks) == 0 || len(toks) > 8:
		return false
	case numbered && !strings.HasSuffix(t, "."):
	case colon && len(toks) <= 6:
	case len(toks) > 5 || !strings.HasSuffix(t, "."):
		return false
	}
	if numbered && !colon && sentenceCaseTitle(t) {
		return true // "6. International transfers of personal data"
	}
	for _, tk := range toks {
		w := text[tk.start:tk.end]
		if titleWords[w] || isDigits(w) || tk.start < marker {
			continue
		}
		if w == "Not" || w == "No" || w == "Never" {
			return false // a control's name: "Do Not Track", "Do Not Sell My Data"
		}
		if r := w[0]; r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// isNameList reports whether a sentence only lists names, comma by comma
// ("Microsoft 365 Business Basic, Microsoft 365 Apps and Microsoft 365
// Copilot Chat"): every word capitalised, a number or a small word. A list
// of products or services states no practice; the sentence that
// introduces it does (read with it as a list's lead-in).
func isNameList(text string, toks []token) bool {
	if len(toks) <= 8 || !strings.Contains(text, ",") {
		return false
	}
	for _, tk := range toks {
		w := text[tk.start:tk.end]
		switch {
		case titleWords[w] || isDigits(w) || w == "app" || w == "apps": // "Microsoft 365 app"
		case w == "Not" || w == "No" || w == "Never" || w == strings.ToUpper(w) && len(w) > 4:
			return false // a control's name, or a sentence in capitals
		case w[0] < 'A' || w[0] > 'Z':
			return false
		}
	}
	return true
}

// sentenceCaseTitle reports whether a numbered line without a full stop
// reads as a section title in sentence case: a capitalised first word that
// is no subject pronoun ("We share …" states a practice), and no
// auxiliary or modal verb ("Data may be shared …").
func sentenceCaseTitle(t string) bool {
	words := strings.Fields(t)
	if len(words) == 0 || words[0][0] < 'A' || words[0][0] > 'Z' || strings.HasSuffix(t, ".") || strings.HasSuffix(t, ";") {
		return false
	}
	switch strings.ToLower(words[0]) {
	case "our", "your", "users", "not", "no", "never":
		return false
	case "how", "what", "why", "when", "where", "who", "which":
		// an indirect question names a topic: "How we share and disclose
		// personal data"
		return true
	}
	for _, w := range words { // auxiliaries and the subject pronouns "we", "you", "they"
		if entryVerbs[strings.ToLower(strings.Trim(w, ",:()"))] {
			return false
		}
	}
	return true
}

// reCapsNegation finds a negation in a line in capitals: "DO NOT SELL MY
// PERSONAL INFORMATION" names a control, not a topic.
var reCapsNegation = regexp.MustCompile(`\b(?:NOT|NO|NEVER)\b`)

// reSectionNumber matches a section number opening a line: "10. ", "3.1.1. ",
// "IV. ", "iii. ", "c. ", "Article 5 ", "§ 5 ".
var reSectionNumber = regexp.MustCompile(`^(?:(?:Article|Section|Clause|Chapter|Part|§)\s*\d+[A-Za-z]?\.?|\d+(?:\.\d+)*\.?|[IVXivx]+\.|[a-zA-Z]\.)\s+`)

// isDigits reports whether a word is all digits.
func isDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// reDefinedTerm matches a parenthesised defined term: ("Customer
// Content"), (collectively, “Services”), (the "Agreement").
var reDefinedTerm = regexp.MustCompile(`\((?:(?:collectively|together|each|individually|hereinafter)[,:]?\s+)?(?:the\s+|a\s+|an\s+)?["“'‘][^"”'’()]{1,80}["”'’]\)`)

// definedTerms marks the tokens of parenthesised defined terms: naming a
// defined term ("Customer Content") says nothing new about a practice.
// It returns nil when the sentence has none.
func definedTerms(text string, toks []token) []bool {
	spans := reDefinedTerm.FindAllStringIndex(text, -1)
	if spans == nil {
		return nil
	}
	out := make([]bool, len(toks))
	for k, t := range toks {
		for _, sp := range spans {
			if t.start >= sp[0] && t.end <= sp[1] {
				out[k] = true
			}
		}
	}
	return out
}

// reInfoCondition matches a condition that only asks for information or
// says where the reader lives: "If you would like to learn more about …",
// "If you reside outside of the United States".
var reInfoCondition = regexp.MustCompile(`(?i)^(?:if|where|when) you (?:(?:would like|want|wish|need) to (?:learn|know|find out|read|understand|see)\b|(?:reside|live|are located|are a resident|are an? (?:[\w-]+ ){0,2}(?:consumer|resident|user|customer))\b|have (?:any )?(?:questions|concerns|comments)\b)`)

// reRightsAsked finds a request the contact is for ("contact us to delete
// your data"): that is a right, not contact details.
var reRightsAsked = regexp.MustCompile(`(?i)\bto (?:request|exercise|delete|access|correct|opt|object|withdraw|update|remove|obtain|restrict|port)\b`)

// reContactUs matches the main clause of a sentence whose condition only
// asks questions ("If you have any questions about our practices, you can
// contact us at …"): contact details, no practice.
var reContactUs = regexp.MustCompile(`(?i)^(?:please )?(?:you (?:can|may) )?(?:contact|reach|email|e-mail|write to|get in touch with) (?:us|our)\b[^;]{0,80}$`)

// rePointer matches sentences that only point elsewhere ("Learn more in
// our Cookie Policy", "For more information, see …", "Please visit our
// Help Center"): they state no practice of their own.
var rePointer = regexp.MustCompile(`(?i)^(?:(?:for (?:more|further|detailed|additional|full) (?:information|details)(?: (?:about|on|regarding) [^.;]{0,120}?)?|to (?:learn|find out|read|understand) (?:more )?(?:about )?[^.;]{0,160}?|more information(?: about [^,.;]{0,80})?)[,:]? )?(?:please )?(?:(?:you can |you may )?(?:learn|find out|read) more|learn about|see|visit|read|review|refer to|check out|consult|go to|click|learn more|find out more|read more|more information|more details|for more (?:information|details))\b`)

// reMoreInfoIn matches sentences that say where more information is:
// "Further information about how we … can be found in our Privacy Notice."
var reMoreInfoIn = regexp.MustCompile(`(?i)^(?:further|more|additional) (?:information|details)\b.*\b(?:can be found|is available|are available|is set out|are set out|is described|are described)\b`)

// reTopicPointer matches a topic named with the document that covers it
// ("Cookies and similar technologies as described in our Cookie Policy"):
// group 1, the topic, must name no party ("We use cookies as described in
// …" states a practice).
var reTopicPointer = regexp.MustCompile(`(?i)^([^.;:]{1,60}?)\bas (?:described|set out|explained|detailed) in (?:our|the|this)\b[^.;:]{0,80}\.?$`)

// reDocumentPointer matches a sentence that presents a document ("Our
// Cookie Policy, which sets out information about …", "We have a help
// article which you can read to learn more about …").
var reDocumentPointer = regexp.MustCompile(`(?i)^(?:(?:our|the) [\w ’'-]{2,40}(?:policy|notice|statement|terms|guidelines),? which (?:sets out|explains|describes|provides|contains)\b|we have an? [\w ’'-]{2,40} (?:which|that) you can (?:read|consult|visit) to learn more\b|we (?:encourage|invite|recommend) you to (?:read|review|consult|visit) (?:our|the|this)\b)`)

// documentPointer reports whether t names a topic with the document that
// covers it (reTopicPointer, the topic naming no party) or presents a
// document (reDocumentPointer). The expressions run only on sentences
// holding their fixed words.
func documentPointer(t string) bool {
	topic := strings.Contains(t, " as ") && containsAny(t, topicPointerWords)
	document := containsAny(t, documentPointerWords)
	if document {
		first := firstWord(t)
		document = first == "our" || first == "the" || first == "we"
	}
	if !topic && !document {
		return false
	}
	if strings.Contains(t, "](") {
		t = reMarkdownLink.ReplaceAllString(t, "$1")
	}
	if m := reTopicPointer.FindStringSubmatch(t); topic && m != nil && !reParty.MatchString(m[1]) {
		return true
	}
	return document && reDocumentPointer.MatchString(t)
}

// topicPointerWords and documentPointerWords are the fixed words of
// reTopicPointer and reDocumentPointer.
var (
	topicPointerWords    = []string{"as described in", "as set out in", "as explained in", "as detailed in"}
	documentPointerWords = []string{" which sets out", " which explains", " which describes", " which provides", " which contains",
		"to learn more", "encourage you to", "invite you to", "recommend you to"}
)

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// reMarkdownLink matches a Markdown link, its text in group 1.
var reMarkdownLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// pointerStarts are the first words a pointer sentence can have; the
// expressions run only on sentences that start with one.
var pointerStarts = map[string]bool{
	"for": true, "to": true, "more": true, "please": true, "you": true, "learn": true, "find": true,
	"read": true, "see": true, "visit": true, "review": true, "refer": true, "check": true, "consult": true,
	"go": true, "click": true, "further": true, "additional": true,
}

// isPointer reports whether a sentence only points to another document or
// page: it starts with a pointer, or says where more information is found,
// and has at most 45 words.
func isPointer(text string) bool {
	t := strings.TrimLeft(text, "*_#>-( ")
	first, _, _ := strings.Cut(t, " ")
	if conditionWords[strings.ToLower(first)] {
		// "If you would like to learn more about our models, please refer
		// to …", "If you live outside the US, learn about … here": after a
		// condition that only asks for information or says where the
		// reader lives, the main clause is what the sentence does ("If you
		// would like to delete your account, go to Settings" is a right)
		cond, rest, ok := strings.Cut(t, ", ")
		if !ok || !reInfoCondition.MatchString(cond) || reRightsAsked.MatchString(cond) {
			return false // "If you are a customer and wish to opt out, …" asks for a right
		}
		t = rest
		first, _, _ = strings.Cut(t, " ")
		if reContactUs.MatchString(strings.TrimRight(t, ". ")) && !reRightsAsked.MatchString(t) {
			return true
		}
	}
	if documentPointer(t) {
		return len(strings.Fields(text)) <= 30
	}
	if !pointerStarts[strings.ToLower(strings.TrimRight(first, ",:"))] {
		return false
	}
	if !rePointer.MatchString(t) && !reMoreInfoIn.MatchString(t) || reRightsAsked.MatchString(t) {
		// "For more information or to opt out of interest-based ads, visit
		// …" gives a way to exercise a choice, not only a reference
		return false
	}
	return len(strings.Fields(text)) <= 45
}
