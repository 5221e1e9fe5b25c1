// Package record is the view model of one change's analysis record: the
// sections a reader sees, in one order, with category names instead of ids,
// provisions labelled once, each finding's sentence before and after the
// change with the changed words marked, and every changed passage rendered
// from its Markdown-like text sentence by sentence.
//
// The desktop app, the PDF and XLSX reports and `policywatch analyze` all
// render a Record, so the four show the same sections in the same order
// (Sections). The package imports no GUI or PDF library.
//
// Choices made where the design is silent:
//   - Section order follows DESIGN's analysis record: summary, regulatory
//     landscape, governance exposure, then the findings that set it (with
//     their evidence), jurisdiction flags, contract and vendor implications,
//     compliance considerations, due-diligence checklist, how other tracked
//     platforms handle this, and last the changed passages.
//   - A finding's sentence before and after is the one the analysis
//     recorded, with the words that differ marked; for records analysed
//     before findings carried them, Build derives them from the change's
//     hunks: the evidence is looked up (letters and digits only,
//     case-folded) in the passages under its heading, then anywhere, and
//     the sentence pair of the passage that holds it is the before and
//     after.
//   - A passage is flagged when a finding's evidence was found in it.
//     Passages are kept in document order; FlaggedFirst gives the order a
//     report prints them in.
//   - A rewritten paragraph is shown sentence by sentence rather than as an
//     interleaved word diff: each changed sentence before and after, each
//     unchanged one once. Sentences replaced without a shared word between
//     them are one rewrite. Edits that change only markup (a link's
//     address) show as unchanged.
package record

import (
	"fmt"
	"strings"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// Section is one part of the analysis record.
type Section int

// The record's sections.
const (
	SectionSummary Section = iota
	SectionLandscape
	SectionExposure
	SectionFindings
	SectionFlags
	SectionContract
	SectionCompliance
	SectionChecklist
	SectionOthers
	SectionPassages
)

// Sections lists the record's sections in the one order every renderer uses.
var Sections = []Section{SectionSummary, SectionLandscape, SectionExposure, SectionFindings, SectionFlags,
	SectionContract, SectionCompliance, SectionChecklist, SectionOthers, SectionPassages}

// Title is the section's heading.
func (s Section) Title() string {
	switch s {
	case SectionSummary:
		return "Summary"
	case SectionLandscape:
		return "Regulatory landscape"
	case SectionExposure:
		return "Governance exposure"
	case SectionFindings:
		return "Findings and evidence"
	case SectionFlags:
		return "Jurisdiction flags"
	case SectionContract:
		return "Contract and vendor implications"
	case SectionCompliance:
		return "Compliance considerations"
	case SectionChecklist:
		return "Due-diligence checklist"
	case SectionOthers:
		return "How other tracked platforms handle this"
	case SectionPassages:
		return "What changed"
	}
	return ""
}

// Record is the view model of one change's analysis record.
type Record struct {
	Substantive bool
	// Exposure is none, low, medium or high; Rationale explains it.
	Exposure  string
	Summary   string
	Rationale string
	// AddedWords and RemovedWords count the substantive words changed.
	AddedWords, RemovedWords int

	Findings  []Finding
	Landscape []Provision
	Flags     []Flag
	Contract  []string
	// Compliance holds the compliance considerations.
	Compliance []string
	Checklist  []Item
	// Others quote how other tracked platforms treat the same categories.
	Others []Other
	// Passages are the change's passages in document order, cosmetic ones
	// included.
	Passages []Passage
	// SetAside lists the rules' readings the word model ruled out, as
	// lines for the findings section ("Liability, read in “…”: set aside,
	// probability 0.03").
	SetAside []string
}

// Finding is one category engaged by one changed passage.
type Finding struct {
	// Category is the category id; CategoryName its name from the rules.
	Category, CategoryName string
	// Direction is added, removed or modified; Effect what the edit does
	// (expands, narrows, removes-promise, adds-promise, changes).
	Direction, Effect string
	Exposure          string
	Heading           string
	Rule              string
	Rationale         string
	// Evidence is the sentence(s) the rules matched, as the analysis
	// recorded them.
	Evidence string
	// Explanation says in words what changed in the statement.
	Explanation string
	// Before and After are the sentence as it read before and after the
	// change, changed words marked; Before is nil for a sentence the change
	// added and After nil for one it removed.
	Before, After []Span
	// Passage is the index in Record.Passages of the passage that holds the
	// evidence, or -1.
	Passage int
	// Jurisdictions flagged, with the provisions engaged in each.
	Jurisdictions []JurisdictionRef
}

// JurisdictionRef is one jurisdiction of a finding.
type JurisdictionRef struct {
	Code string
	// Provisions are labels as ProvisionLabel makes them, with titles.
	Provisions []string
}

// Provision is one entry of the regulatory landscape.
type Provision struct {
	// Label names the provision once ("GDPR Art. 6(1)", "PECR reg. 6").
	Label string
	Title string
	Why   string
	// Framework is the framework's short name.
	Framework     string
	Jurisdictions []string
	// Categories are the names of the categories that engage it.
	Categories []string
}

// Flag is one jurisdiction's engagement by the change.
type Flag struct {
	Code     string
	Exposure string
	// Categories are category names.
	Categories []string
	Frameworks []string
}

// Item is one due-diligence step. Stored changes carry the item's id and
// state; a comparison outside the archive only the text.
type Item struct {
	ID           int64
	Category     string
	CategoryName string
	Text         string
	Status       string
	Owner        string
	Due          string
	Note         string
	Overdue      bool
}

// Other is how another tracked platform's latest document treats one of
// the change's categories.
type Other struct {
	CategoryName string
	Platform     string
	Kind         string
	VersionID    int64
	FetchedAt    time.Time
	SHA256       string
	Quote        string
}

// Input is what Build reads besides the analysis result.
type Input struct {
	// Rules name the categories; nil shows ids.
	Rules *analysis.Rules
	// Checklist holds the stored items of the change; without it the record
	// lists the analysis's checklist templates.
	Checklist []tracker.ChecklistRow
	// Today (YYYY-MM-DD) marks open items due before it as overdue.
	Today string
	// Others are the comparables of the change (tracker.Service.Comparables).
	Others []tracker.Comparable
	// OthersPerCategory caps the platforms quoted per category (0: no cap).
	OthersPerCategory int
}

// Build makes the view model of an analysis record.
func Build(res analysis.Result, in Input) *Record {
	r := &Record{Substantive: res.Substantive, Exposure: orDefault(string(res.Exposure), tracker.ExposureNone),
		Summary: res.Summary, Rationale: res.Rationale, AddedWords: res.AddedWords, RemovedWords: res.RemovedWords,
		Contract: res.ContractImplications, Compliance: res.ComplianceConsiderations}
	name := func(id string) string { return CategoryName(in.Rules, id) }
	names := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = name(id)
		}
		return out
	}
	r.Passages = make([]Passage, len(res.Hunks))
	for i, h := range res.Hunks {
		r.Passages[i] = newPassage(i, h)
	}
	for _, a := range res.SetAside {
		r.SetAside = append(r.SetAside, fmt.Sprintf("%s, read by rule %s in \u201c%s\u201d: set aside, the word model gives it a probability of %.2f",
			name(a.Category), a.Rule, a.Sentence, a.Probability))
	}
	loc := newLocator(r.Passages)
	for _, f := range res.Findings {
		fd := Finding{Category: f.Category, CategoryName: name(f.Category), Direction: f.Direction, Effect: f.Effect,
			Exposure: string(f.Exposure), Heading: f.Heading, Rule: f.Rule, Rationale: f.Rationale, Evidence: f.Evidence, Explanation: f.Explanation, Passage: -1}
		for _, j := range f.Jurisdictions {
			jr := JurisdictionRef{Code: j.Code}
			for _, p := range j.Provisions {
				jr.Provisions = append(jr.Provisions, ProvisionLabel(p.Framework, p.Citation)+" ("+p.Title+")")
			}
			fd.Jurisdictions = append(fd.Jurisdictions, jr)
		}
		loc.locate(&fd, f)
		if fd.Passage >= 0 {
			p := &r.Passages[fd.Passage]
			p.Flagged = true
			if !contains(p.Categories, fd.CategoryName) {
				p.Categories = append(p.Categories, fd.CategoryName)
			}
		}
		r.Findings = append(r.Findings, fd)
	}
	for _, p := range res.Landscape {
		r.Landscape = append(r.Landscape, Provision{Label: ProvisionLabel(p.Framework, p.Citation), Title: p.Title, Why: p.Why,
			Framework: p.Framework, Jurisdictions: p.Jurisdictions, Categories: names(p.Categories)})
	}
	for _, f := range res.Flags {
		r.Flags = append(r.Flags, Flag{Code: f.Code, Exposure: string(f.Exposure), Categories: names(f.Categories), Frameworks: f.Frameworks})
	}
	if in.Checklist != nil {
		for _, it := range in.Checklist {
			open := it.Status == tracker.StatusOpen || it.Status == tracker.StatusInProgress
			r.Checklist = append(r.Checklist, Item{ID: it.ID, Category: it.Category, CategoryName: name(it.Category), Text: it.Text,
				Status: it.Status, Owner: it.Owner, Due: it.DueDate, Note: it.Note,
				Overdue: open && it.DueDate != "" && in.Today != "" && it.DueDate < in.Today})
		}
	} else {
		for _, it := range res.Checklist {
			r.Checklist = append(r.Checklist, Item{Category: it.Category, CategoryName: name(it.Category), Text: it.Text})
		}
	}
	perCategory := map[string]int{}
	for _, c := range in.Others {
		if len(c.Excerpts) == 0 {
			continue
		}
		if in.OthersPerCategory > 0 && perCategory[c.Category] >= in.OthersPerCategory {
			continue
		}
		perCategory[c.Category]++
		r.Others = append(r.Others, Other{CategoryName: name(c.Category), Platform: c.PlatformName, Kind: c.Kind,
			VersionID: c.VersionID, FetchedAt: c.FetchedAt, SHA256: c.SHA256, Quote: strings.Join(c.Excerpts, " … ")})
	}
	return r
}

// SetAsideNote introduces the readings the word model set aside, shown
// after a change's findings.
const SetAsideNote = "Readings set aside: the rules read these sentences as the category named, but the word model (trained on labelled sentences) finds that very unlikely, so no finding was raised."

// Empty is what a renderer shows for a section with nothing in it, or ""
// when the section has content.
func (r *Record) Empty(s Section) string {
	switch s {
	case SectionSummary:
		if r.Summary == "" {
			return "No summary."
		}
	case SectionLandscape:
		if len(r.Landscape) == 0 {
			return "No framework is engaged for the jurisdictions in the profile."
		}
	case SectionExposure:
		if r.Rationale == "" {
			return "No findings, so no exposure."
		}
	case SectionFindings:
		if len(r.Findings) == 0 {
			if !r.Substantive {
				return "Cosmetic change only (wording, punctuation, layout or a date): no provision changed meaning."
			}
			return "No provision of the rules was engaged."
		}
	case SectionFlags:
		if len(r.Flags) == 0 {
			return "No jurisdiction is flagged."
		}
	case SectionContract, SectionCompliance:
		if s == SectionContract && len(r.Contract) == 0 || s == SectionCompliance && len(r.Compliance) == 0 {
			return "None identified."
		}
	case SectionChecklist:
		if len(r.Checklist) == 0 {
			return "No due-diligence step: the change engages no provision."
		}
	case SectionOthers:
		if len(r.Others) == 0 {
			if len(r.Findings) == 0 {
				return "Nothing to compare: the change has no findings."
			}
			return "No other tracked platform's archived documents address these categories."
		}
	case SectionPassages:
		if len(r.Passages) == 0 {
			return "The two versions have the same text."
		}
	}
	return ""
}

// FlaggedFirst returns the indexes of the substantive passages with the
// flagged ones first, each group in document order.
func (r *Record) FlaggedFirst() []int {
	var flagged, other []int
	for i, p := range r.Passages {
		switch {
		case !p.Substantive:
		case p.Flagged:
			flagged = append(flagged, i)
		default:
			other = append(other, i)
		}
	}
	return append(flagged, other...)
}

// Cosmetic returns the indexes of the passages that change no meaning.
func (r *Record) Cosmetic() []int {
	var out []int
	for i, p := range r.Passages {
		if !p.Substantive {
			out = append(out, i)
		}
	}
	return out
}

// CategoryNames returns the names of the record's finding categories, in
// the order they first appear.
func (r *Record) CategoryNames() []string {
	var out []string
	for _, f := range r.Findings {
		if !contains(out, f.CategoryName) {
			out = append(out, f.CategoryName)
		}
	}
	return out
}

// CategoryName is the name the rules give category id, or the id itself
// when the rules do not know it.
func CategoryName(rules *analysis.Rules, id string) string {
	if rules == nil {
		return id
	}
	return rules.CategoryName(id)
}

// CategoryNames maps category ids to their names.
func CategoryNames(rules *analysis.Rules, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = CategoryName(rules, id)
	}
	return out
}

// ProvisionLabel names a provision once: the framework and the citation,
// without the words they share ("PECR" + "PECR reg. 6" is "PECR reg. 6",
// "UK Online Safety Act" + "Online Safety Act 2023" is "UK Online Safety
// Act 2023"); a citation that already names the framework stands alone.
func ProvisionLabel(framework, citation string) string {
	framework, citation = strings.TrimSpace(framework), strings.TrimSpace(citation)
	switch {
	case framework == "":
		return citation
	case citation == "":
		return framework
	case strings.Contains(citation, framework):
		return citation
	}
	fw, cw := strings.Fields(framework), strings.Fields(citation)
	for k := min(len(fw), len(cw)); k >= 1; k-- {
		if equalFold(fw[len(fw)-k:], cw[:k]) {
			return strings.Join(append(append([]string{}, fw[:len(fw)-k]...), cw...), " ")
		}
	}
	for _, part := range strings.Split(fw[len(fw)-1], "/") {
		if len(fw) == 1 && strings.EqualFold(part, cw[0]) {
			return citation // "CJEU/EDPB" + "EDPB Opinion 28/2024"
		}
	}
	if strings.EqualFold(fw[0], cw[0]) {
		return framework + ": " + citation
	}
	return framework + " " + citation
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
