package report

import (
	"archive/zip"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// defectModel is a hand-built report with what once printed badly: Markdown
// in changed text, provisions whose citation repeats the framework, an
// e-mail owner, checklist notes, a character the font lacks (ⓘ), more
// platforms than a chart used to show, a platform with one change, and
// findings whose passage is not the first of its change.
func defectModel(t *testing.T) *Model {
	t.Helper()
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	m := &Model{Title: "Defects", Organisation: "Northwind", GeneratedAt: at.AddDate(0, 1, 0), AppVersion: "t",
		Fingerprint: strings.Repeat("a", 64), Rules: rules, Deterministic: true}
	var id int64
	for i := 0; i < 19; i++ {
		name := fmt.Sprintf("Platform %02d", i)
		ps := &PlatformSection{Slug: fmt.Sprintf("p%02d", i), Name: name, Exposure: "high"}
		n := 1 + i%3
		for k := 0; k < n; k++ {
			id++
			c := &Change{ChangeSummary: tracker.ChangeSummary{Change: tracker.Change{ID: id, DetectedAt: at.Add(time.Duration(k) * time.Hour),
				Substantive: true, Exposure: "high", Summary: "Starts training AI on posts."}, PlatformSlug: ps.Slug, PlatformName: name,
				Kind: tracker.KindPrivacyPolicy}, DocumentURL: "https://example.com/privacy"}
			c.Record = analysis.Result{Substantive: true, Exposure: "high", Summary: "Starts training AI on posts.",
				Rationale: "High: trains models ⓘ.",
				Findings: []analysis.Finding{{Category: "ai-training", Direction: "modified", Exposure: "high", Heading: "Use",
					Evidence: "We use your posts to train our models."}},
				Landscape: []analysis.Provision{{Framework: "PECR", Citation: "PECR reg. 6", Title: "Cookie rule", Jurisdictions: []string{"UK"}},
					{Framework: "Unfair Contract Terms Directive", Citation: "Directive 93/13/EEC Annex 1(j)", Title: "Unilateral changes", Jurisdictions: []string{"EU"}}},
				Hunks: []analysis.Hunk{
					{Op: "modified", Heading: "Highlights", Substantive: true, Old: "x", New: "y",
						Words: []analysis.WordOp{{Op: "equal", Text: "Highlights: **Overview** of"}, {Op: "removed", Text: "old"}, {Op: "added", Text: "new"}, {Op: "equal", Text: "things."}}},
					{Op: "modified", Heading: "Use", Substantive: true,
						Words: []analysis.WordOp{{Op: "equal", Text: "We use your"}, {Op: "removed", Text: "data"}, {Op: "added", Text: "posts"},
							{Op: "equal", Text: "to"}, {Op: "removed", Text: "improve services."}, {Op: "added", Text: "train our models."},
							{Op: "equal", Text: "See [our AI page](https://example.com/ai) for details."}}},
				}}
			c.Checklist = []ChecklistItem{{ChecklistRow: tracker.ChecklistRow{ChecklistItem: tracker.ChecklistItem{ID: 900 + id, ChangeID: id,
				Category: "ai-training", Text: "Check the opt-out.", Status: tracker.StatusInProgress,
				Owner: "data-protection-officer@northwind-health.example", DueDate: "2025-07-15", Note: "asked the vendor on 3 June"},
				PlatformName: name, Kind: tracker.KindPrivacyPolicy, Exposure: "high"}, PlatformSlug: ps.Slug}}
			ps.Changes = append(ps.Changes, c)
			m.Changes = append(m.Changes, c)
			m.Checklist = append(m.Checklist, c.Checklist...)
		}
		m.Platforms = append(m.Platforms, ps)
	}
	m.Evidence = []Evidence{{CitedVersion: tracker.CitedVersion{VersionInfo: tracker.VersionInfo{ID: 1, StatedDate: "2024-03"}, PlatformName: "Platform 00"}},
		{CitedVersion: tracker.CitedVersion{VersionInfo: tracker.VersionInfo{ID: 2, StatedDate: "2024-03-05"}, PlatformName: "Platform 00"}}}
	m.Recount()
	return m
}

func TestPDFDefectsStayFixed(t *testing.T) {
	m := defectModel(t)
	path := writePDF(t, m)
	text := pdfText(t, path)
	flat := strings.Join(strings.Fields(text), " ")
	name := m.Rules.CategoryName("ai-training")
	for _, want := range []string{
		"PECR reg. 6", "Unfair Contract Terms Directive 93/13/EEC Annex 1(j)", // labelled once
		"of 19 platforms", "Platform 18", // every platform
		"Highlights: Overview of",                // Markdown rendered
		"We use your data to improve services.",  // before
		"We use your posts to train our models.", // after
		"#901", "asked the vendor on 3 June",     // checklist ids and notes
		"data-protection-officer@northwind-health.example", // owner not cut inside the address
		"(i)", name, "[1] https://example.com/ai",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, bad := range []string{"**", "PECR PECR", "Directive Directive", "1 platforms", "ai-training ·", " ? "} {
		if strings.Contains(flat, bad) {
			t.Errorf("the PDF still prints %q", bad)
		}
	}
	appendix := text[strings.LastIndex(text, titleOtherPassages):]
	if !strings.Contains(strings.Join(strings.Fields(appendix), " "), "Highlights: Overview of old things.") {
		t.Error("the passage no finding quotes is not in the appendix")
	}

	all := *m
	all.Excerpts = ExcerptsAll
	flatAll := strings.Join(strings.Fields(pdfText(t, writePDF(t, &all))), " ")
	if strings.Contains(flatAll, titleOtherPassages) {
		t.Error("--excerpts all still has the appendix")
	}
	if !strings.Contains(flatAll, "Highlights: Overview of new things.") {
		t.Error("--excerpts all does not print the other passage with its change")
	}
}

// The running header of a platform section's first page names that
// platform, not the one before.
func TestPDFHeaderNamesItsPlatform(t *testing.T) {
	m := defectModel(t)
	path := writePDF(t, m)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Skip("pdftotext:", err)
	}
	sections := 0
	for _, pg := range strings.Split(string(out), "\f") {
		lines := strings.Split(strings.TrimLeft(pg, "\n"), "\n")
		if len(lines) < 3 {
			continue
		}
		// a platform section starts with its name as a heading and the
		// "N change(s) · highest exposure" line under it
		for k := 1; k+1 < len(lines) && k < 8; k++ {
			if strings.Contains(lines[k+1], "highest exposure") {
				name := strings.TrimSpace(lines[k])
				sections++
				if !strings.Contains(lines[0], name) {
					t.Errorf("header %q on the first page of %q", strings.TrimSpace(lines[0]), name)
				}
			}
		}
	}
	// the first platform starts on the chapter's own page, under its intro
	if sections < len(m.Platforms)-1 {
		t.Errorf("found %d platform sections starting a page, want %d", sections, len(m.Platforms)-1)
	}
}

func TestXLSXDefectsStayFixed(t *testing.T) {
	m := defectModel(t)
	path := writeXLSX(t, m)
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dim := regexp.MustCompile(`<dimension ref="([^"]+)"`)
	col := regexp.MustCompile(`<col [^>]*min="(\d+)"`)
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := string(b)
		if mm := dim.FindStringSubmatch(s); mm == nil || !strings.Contains(mm[1], ":") {
			t.Errorf("%s declares dimension %v", f.Name, mm)
		}
		last := 0
		for _, c := range col.FindAllStringSubmatch(s, -1) {
			var n int
			fmt.Sscan(c[1], &n)
			if n < last {
				t.Errorf("%s: column definitions out of order (%d after %d)", f.Name, n, last)
				break
			}
			last = n
		}
	}
	x := openXLSX(t, path)
	h := header(t, x, sheetEvidence)
	for _, row := range []int{2, 3} {
		cell := cellName(h["Stated date"], row)
		v, _ := x.GetCellValue(sheetEvidence, cell, excelize.Options{RawCellValue: true})
		if _, err := fmt.Sscanf(v, "%f", new(float64)); err != nil {
			t.Errorf("stated date %s = %q, want a date serial", cell, v)
		}
	}
	fh := header(t, x, sheetFindings)
	for _, c := range []string{"Before", "After", "Category"} {
		if fh[c] == 0 {
			t.Fatalf("Findings lacks %s", c)
		}
	}
	if v, _ := x.GetCellValue(sheetFindings, cellName(fh["Category"], 2)); v != m.Rules.CategoryName("ai-training") {
		t.Errorf("Findings category = %q, want the name", v)
	}
	runs, err := x.GetCellRichText(sheetFindings, cellName(fh["After"], 2))
	if err != nil || len(runs) == 0 {
		t.Fatalf("After is not rich text: %v %v", runs, err)
	}
	underlined := false
	for _, r := range runs {
		if r.Font != nil && r.Font.Underline != "" && strings.Contains(r.Text, "posts") {
			underlined = true
		}
	}
	if !underlined {
		t.Errorf("added words are not underlined in %+v", runs)
	}
}

var updatePages = flag.Bool("update-pages", false, "rewrite the PDF page goldens in testdata/pages")

// TestPDFFirstPagesLookRight renders the first pages of a hand-built
// report (cover, contents, executive summary with its charts, the first
// platform section) to PNG with pdftoppm and compares them with goldens
// under a tolerance: a moved chart, a legend past the margin or overlapping
// labels change far more pixels than font antialiasing does. Rewrite the
// goldens after an intended change with -update-pages and look at them.
func TestPDFFirstPagesLookRight(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	m := defectModel(t)
	path := writePDF(t, m)
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "5", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(pages) != 5 {
		t.Fatalf("%d pages rendered", len(pages))
	}
	for _, p := range pages {
		golden := filepath.Join("testdata", "pages", filepath.Base(p))
		if *updatePages {
			b, _ := os.ReadFile(p)
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if share, err := pixelsDiffer(p, golden); err != nil {
			t.Errorf("%s: %v (rewrite the goldens with -update-pages)", golden, err)
		} else if share > 0.01 {
			t.Errorf("%s: %.2f%% of pixels differ (tolerance 1%%); this run's page is %s", golden, 100*share, p)
		}
	}
}

// pixelsDiffer is the share of pixels of two PNGs of the same size that
// differ by more than a sixth of the channel range.
func pixelsDiffer(a, b string) (float64, error) {
	load := func(p string) (image.Image, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return png.Decode(f)
	}
	ia, err := load(a)
	if err != nil {
		return 0, err
	}
	ib, err := load(b)
	if err != nil {
		return 0, err
	}
	if ia.Bounds() != ib.Bounds() {
		return 1, fmt.Errorf("size %v, golden %v", ia.Bounds(), ib.Bounds())
	}
	n := 0
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := ia.At(x, y).RGBA()
			r2, g2, b2, _ := ib.At(x, y).RGBA()
			if d(r1, r2) > 0x2AAA || d(g1, g2) > 0x2AAA || d(b1, b2) > 0x2AAA {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy()), nil
}

func d(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// A reading the word model set aside is listed after the change's
// findings, so a reader sees what was ruled out and why.
func TestPDFListsSetAsideReadings(t *testing.T) {
	m := defectModel(t)
	m.Changes[0].Record.SetAside = []analysis.SetAside{{Category: "liability", Rule: "liability/liability",
		Sentence: "A note on accuracy: assistants answer by predicting the next word.", Probability: 0.03}}
	m.Changes[0].View = nil
	m.Recount()
	text := pdfText(t, writePDF(t, m))
	for _, want := range []string{"Readings set aside", "read by rule liability/liability", "A note on accuracy: assistants answer by predicting the next word.", "probability of 0.03"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}
