package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func writePDF(t *testing.T, m *Model) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := WritePDF(context.Background(), m, path); err != nil {
		t.Fatalf("write pdf: %v", err)
	}
	if dir := os.Getenv("REPORT_KEEP"); dir != "" { // keep a copy to look at
		if b, err := os.ReadFile(path); err == nil {
			os.WriteFile(filepath.Join(dir, t.Name()+".pdf"), b, 0o644)
		}
	}
	return path
}

// pdfText extracts a PDF's text with poppler's pdftotext, whitespace
// collapsed so wrapped lines read as one.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; `make test` installs it")
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfPages opens a PDF with a Go reader: its page count and outline.
func pdfPages(t *testing.T, path string) (int, pdf.Outline) {
	t.Helper()
	f, r, err := pdf.Open(path)
	if err != nil {
		t.Fatalf("open pdf: %v", err)
	}
	defer f.Close()
	return r.NumPage(), r.Outline()
}

func TestPDFReadBack(t *testing.T) {
	fx := newFixture(t)
	m := build(t, fx.svc, Filter{}, Options{})
	path := writePDF(t, m)
	text := pdfText(t, path)
	pages, outline := pdfPages(t, path)
	if pages < 10 {
		t.Errorf("%d pages", pages)
	}
	mustContain := []string{
		"Platform policy change report", "Prepared for Acme Données SAS", "PolicyWatch 1.2.3-test", m.Fingerprint,
		"Generated 2025-04-15 12:00 UTC", "Contents", titleSummary, titlePlatforms, titleChecklist, titleMonitoring,
		titleEvidence, titleMethodology, "This report is not legal advice.",
		"CHANGES BY EXPOSURE", "TOP HIGH-EXPOSURE CHANGES", "REGULATORY LANDSCAPE", "GOVERNANCE EXPOSURE: HIGH",
		"JURISDICTION FLAGS", "CONTRACT AND VENDOR IMPLICATIONS", "COMPLIANCE CONSIDERATIONS", "WHAT CHANGED",
		"HOW OTHER TRACKED PLATFORMS HANDLE THIS", "in this report (change #", "DUE-DILIGENCE CHECKLIST", "FAILED CHECKS", "blocked ×3",
		"FINDINGS AND EVIDENCE", "Before", "After", titleOtherPassages,
		"Zoë Ångström", "Vos données", "=SUM(A1) We may sell your personal information",
		fmt.Sprintf("Page 1 of %d", pages), fmt.Sprintf("Page %d of %d", pages, pages),
	}
	for _, p := range m.Platforms {
		mustContain = append(mustContain, p.Name)
	}
	for _, c := range m.Changes {
		mustContain = append(mustContain, fmt.Sprintf("Change #%d", c.ID))
		for _, pv := range c.View.Landscape {
			mustContain = append(mustContain, pv.Label)
		}
	}
	for _, v := range m.Evidence {
		mustContain = append(mustContain, "SHA-256 "+v.SHA256, v.URL)
	}
	for _, mon := range m.Monitoring {
		if mon.LastHash != "" {
			mustContain = append(mustContain, mon.LastHash)
		}
	}
	for _, s := range mustContain {
		if !strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("the PDF text lacks %q", s)
		}
	}
	// Contents page numbers point at the chapters.
	re := regexp.MustCompile(`Evidence appendix (\d+)`)
	if mm := re.FindStringSubmatch(text); mm == nil || mm[1] == "1" {
		t.Errorf("contents entry for the evidence appendix: %v", mm)
	}
	if strings.Contains(text, "{pw") || strings.Contains(text, "{nb}") {
		t.Error("unresolved page-number placeholders in the PDF")
	}
	// Bookmarks: chapters at the top level, platforms under their chapter,
	// changes under their platform.
	var top []string
	for _, o := range outline.Child {
		top = append(top, o.Title)
		if o.Title == titlePlatforms {
			if len(o.Child) != len(m.Platforms) || len(o.Child[0].Child) == 0 {
				t.Errorf("platform bookmarks %+v", o.Child)
			}
		}
	}
	wantTop := []string{"Contents", titleSummary, titlePlatforms, titleChecklist, titleMonitoring, titleEvidence, titleOtherPassages, titleMethodology}
	if strings.Join(top, "|") != strings.Join(wantTop, "|") {
		t.Errorf("bookmarks %v, want %v", top, wantTop)
	}
}

func TestPDFDeterministic(t *testing.T) {
	fx := newFixture(t)
	f := Filter{Platforms: []string{"northwind-chat", "pixel-snap"}}
	a, err := os.ReadFile(writePDF(t, build(t, fx.svc, f, Options{Deterministic: true})))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(writePDF(t, build(t, fx.svc, f, Options{Deterministic: true})))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two deterministic exports differ (%d and %d bytes)", len(a), len(b))
	}
	// A different filter gives a different report.
	c, err := os.ReadFile(writePDF(t, build(t, fx.svc, Filter{Platforms: []string{"northwind-chat"}}, Options{Deterministic: true})))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Error("different filters gave identical PDFs")
	}
}

// TestPDFLongAndForeignText renders text that must wrap and break across
// pages, words longer than a line, and characters the font lacks.
func TestPDFLongAndForeignText(t *testing.T) {
	at := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	long := strings.Repeat("The platform may share personal data with partners for advertising purposes. ", 120)
	word := strings.Repeat("x", 900)
	c := &Change{ChangeSummary: tracker.ChangeSummary{Change: tracker.Change{ID: 7, DetectedAt: at, Substantive: true,
		Exposure: "high", Summary: long, Rationale: "CJK 日本語 and emoji 😀 → arrows"}, PlatformSlug: "x", PlatformName: "Example", Kind: "privacy-policy"},
		DocumentURL: "https://example.com/" + word,
		Record: analysis.Result{ContractImplications: []string{long}, Findings: []analysis.Finding{{Category: "ai-training",
			Direction: "added", Exposure: "high", Evidence: word}},
			Hunks: []analysis.Hunk{{Op: "modified", Heading: "Heading", Substantive: true,
				Words: []analysis.WordOp{{Op: "equal", Text: long}, {Op: "removed", Text: long}, {Op: "added", Text: word + " " + long}}}}},
	}
	m := &Model{Title: "Long", Organisation: "Org", GeneratedAt: at, AppVersion: "t", Fingerprint: strings.Repeat("0", 64),
		Changes: []*Change{c}, Platforms: []*PlatformSection{{Slug: "x", Name: "Example", Exposure: "high", Changes: []*Change{c}}}}
	m.Recount()
	path := writePDF(t, m)
	pages, _ := pdfPages(t, path)
	if pages < 6 {
		t.Errorf("%d pages for text that needs many", pages)
	}
	text := pdfText(t, path)
	for _, s := range []string{"CJK ??? and emoji ? -> arrows", "xxxxxxxxxxxxxxxxxxxx", fmt.Sprintf("Page %d of %d", pages, pages)} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF text lacks %q", s)
		}
	}
}
