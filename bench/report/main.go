// Command reportbench times PolicyWatch's report writers on synthetic but
// realistic report models, one mode per process so that /usr/bin/time -v
// measures each one's peak memory (see run.sh):
//
//	-mode xlsx      WriteXLSX of a report with N checklist rows (default 100,000)
//	-mode baseline  excelize's StreamWriter writing the same checklist cells, no logic
//	-mode pdf       WritePDF of a report with N changes (default 1,000) whose
//	                analysis records come from real corpus document pairs
//
// It prints one line: mode, rows or changes, wall seconds spent writing, CPU
// seconds (user + system) spent writing, file size.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"policywatch/report"
	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func main() {
	mode := flag.String("mode", "xlsx", "xlsx, baseline or pdf")
	n := flag.Int("n", 0, "checklist rows (xlsx, baseline) or changes (pdf); 0 = 100000 or 1000")
	corpus := flag.String("corpus", "../shared/corpus/dataset", "Open Terms Archive dataset folder (pdf mode)")
	out := flag.String("out", "", "output file (default: a temporary file, removed)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to FILE")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*mode, *n, *corpus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(mode string, n int, corpus, out string) error {
	if out == "" {
		dir, err := os.MkdirTemp("", "reportbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		out = filepath.Join(dir, "report."+map[bool]string{true: "pdf", false: "xlsx"}[mode == "pdf"])
	}
	ctx := context.Background()
	switch mode {
	case "xlsx", "baseline":
		if n == 0 {
			n = 100000
		}
		items := checklistItems(n)
		start, cpu := time.Now(), cpuTime()
		var err error
		if mode == "xlsx" {
			m := &report.Model{Title: "Benchmark", Organisation: "Bench Org", GeneratedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				AppVersion: "bench", Checklist: items}
			err = report.WriteXLSX(ctx, m, out)
		} else {
			err = baseline(items, out)
		}
		if err != nil {
			return err
		}
		return report1(mode, n, time.Since(start), cpuTime()-cpu, out)
	case "pdf":
		if n == 0 {
			n = 1000
		}
		m, err := pdfModel(corpus, n)
		if err != nil {
			return err
		}
		start, cpu := time.Now(), cpuTime()
		if err := report.WritePDF(ctx, m, out); err != nil {
			return err
		}
		return report1(mode, n, time.Since(start), cpuTime()-cpu, out)
	}
	return fmt.Errorf("unknown mode %q", mode)
}

func report1(mode string, n int, wall, cpu time.Duration, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("%s\t%d\t%.3f\t%.3f\t%d\n", mode, n, wall.Seconds(), cpu.Seconds(), info.Size())
	return nil
}

var statuses = []string{"open", "in-progress", "done", "not-applicable"}

// checklistItems makes n items shaped like the real ones.
func checklistItems(n int) []report.ChecklistItem {
	base := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	texts := []string{
		"Map which of the platform's services now share or combine data from your organisational accounts, and whether an unlinked option exists.",
		"Redo the DPIA / legitimate-interest balancing for the affected flows and confirm the privacy notice to your own users mentions the new use.",
		"Check that confidential, client or employee data are kept out of AI features until the terms are accepted by legal.",
		"=SUM(A1) Update the record of processing and your privacy notice where linked data reach advertising or other services.",
	}
	out := make([]report.ChecklistItem, n)
	for i := range out {
		detected := base.Add(time.Duration(i%400) * 24 * time.Hour)
		due := detected.AddDate(0, 0, 14)
		it := &out[i]
		it.ID = int64(i + 1)
		it.ChangeID = int64(i/8 + 1)
		it.Category = "third-party-sharing"
		it.Seq = i%8 + 1
		it.Text = texts[i%len(texts)]
		it.Status = statuses[i%len(statuses)]
		it.Owner = []string{"", "Zoë Ångström", "privacy team"}[i%3]
		it.DueDate = due.Format("2006-01-02")
		it.Due = due
		it.Overdue = i%5 == 0
		it.Note = []string{"", "asked the vendor for the DPA annex"}[i%2]
		it.EvidenceRef = fmt.Sprintf("change #%d: version #%d (sha256 3f2a9c81d0e4) → #%d (sha256 9b77e0c2aa51)", it.ChangeID, 2*it.ChangeID, 2*it.ChangeID+1)
		it.PlatformName = []string{"Discord", "Reddit", "Snapchat", "Zoom"}[i%4]
		it.Kind = "privacy-policy"
		it.Exposure = []string{"high", "medium", "low"}[i%3]
		it.DetectedAt = detected
	}
	return out
}

// baseline writes the same cells with excelize's StreamWriter and nothing
// else: no validation, formatting, table or other sheets; one date style,
// created once (a time.Time without a style makes excelize look a date
// style up for every cell, which would flatter the comparison).
func baseline(items []report.ChecklistItem, path string) error {
	f := excelize.NewFile()
	defer f.Close()
	dateFmt := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	head := []interface{}{"Item ID", "Change ID", "Detected", "Platform", "Document", "Change exposure", "Category", "Item",
		"Status", "Owner", "Due date", "Overdue at report date", "Note", "Evidence reference"}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := make([]interface{}, len(head))
	for i, it := range items {
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = it.ID, it.ChangeID, excelize.Cell{StyleID: date, Value: it.DetectedAt}, it.PlatformName, it.Kind, it.Exposure, it.Category
		row[7], row[8], row[9], row[10] = it.Text, it.Status, it.Owner, excelize.Cell{StyleID: date, Value: it.Due}
		row[11], row[12], row[13] = strconv.FormatBool(it.Overdue), it.Note, it.EvidenceRef
		for j, v := range row { // empty text is no cell, as in the report
			if v == "" {
				row[j] = nil
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// pdfModel builds a report of n changes from real analysis records: the
// consecutive versions of the corpus's documents, analysed with the
// built-in rules, repeated across platforms and dates.
func pdfModel(corpus string, n int) (*report.Model, error) {
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		return nil, err
	}
	profile := &analysis.Profile{Jurisdictions: []string{"EU", "UK", "US-CA"}, Advertises: true, Role: "controller"}
	var records []analysis.Result
	docs, _ := filepath.Glob(filepath.Join(corpus, "*", "Privacy Policy"))
	sort.Strings(docs)
	for _, dir := range docs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		sort.Strings(files)
		if len(files) < 2 {
			continue
		}
		a, err := os.ReadFile(files[len(files)-2])
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(files[len(files)-1])
		if err != nil {
			return nil, err
		}
		res := analysis.Analyze(string(a), string(b), analysis.Options{Profile: profile, Rules: rules,
			Platform: analysis.PlatformFacts{Name: filepath.Base(filepath.Dir(dir))}})
		if res.Substantive {
			records = append(records, res)
		}
		if len(records) == 12 {
			break
		}
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("no document pairs under %s", corpus)
	}
	base := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	m := &report.Model{Title: "Platform policy change report", Organisation: "Bench Org", Period: "2025",
		Scope: "all platforms", GeneratedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), AppVersion: "bench"}
	platforms := map[string]*report.PlatformSection{}
	for i := 0; i < n; i++ {
		rec := records[i%len(records)]
		name := fmt.Sprintf("Platform %02d", i%40)
		c := &report.Change{Record: rec, DocumentURL: "https://example.com/" + name + "/privacy"}
		c.ID, c.DocumentID = int64(i+1), int64(i%40+1)
		c.DetectedAt = base.Add(time.Duration(i) * 8 * time.Hour)
		c.Substantive, c.Exposure, c.Summary, c.Rationale = rec.Substantive, string(rec.Exposure), rec.Summary, rec.Rationale
		c.AddedWords, c.RemovedWords = rec.AddedWords, rec.RemovedWords
		c.PlatformSlug, c.PlatformName, c.Kind = tracker.Slugify(name), name, tracker.KindPrivacyPolicy
		c.From = tracker.VersionInfo{ID: int64(2*i + 1), DocumentID: c.DocumentID, FetchedAt: c.DetectedAt.Add(-24 * time.Hour), URL: c.DocumentURL, HTTPStatus: 200, SHA256: hash(2 * i), Source: "check"}
		c.To = tracker.VersionInfo{ID: int64(2*i + 2), DocumentID: c.DocumentID, FetchedAt: c.DetectedAt, URL: c.DocumentURL, HTTPStatus: 200, SHA256: hash(2*i + 1), Source: "check"}
		seen := map[string]bool{}
		for _, f := range rec.Findings {
			if !seen[f.Category] {
				seen[f.Category] = true
				c.Categories = append(c.Categories, f.Category)
			}
		}
		sort.Strings(c.Categories)
		for j, item := range rec.Checklist {
			ci := report.ChecklistItem{}
			ci.ID, ci.ChangeID, ci.Category, ci.Seq, ci.Text = int64(i*100+j+1), c.ID, item.Category, j+1, item.Text
			ci.Status, ci.DueDate, ci.PlatformName, ci.Kind, ci.Exposure = statuses[j%4], c.DetectedAt.AddDate(0, 0, 14).Format("2006-01-02"), name, c.Kind, c.Exposure
			c.Checklist = append(c.Checklist, ci)
			m.Checklist = append(m.Checklist, ci)
		}
		for _, v := range []tracker.VersionInfo{c.From, c.To} {
			m.Evidence = append(m.Evidence, report.Evidence{CitedVersion: tracker.CitedVersion{VersionInfo: v, PlatformName: name, Kind: c.Kind, CitedBy: []int64{c.ID}}})
		}
		m.Changes = append(m.Changes, c)
		p := platforms[name]
		if p == nil {
			p = &report.PlatformSection{Slug: c.PlatformSlug, Name: name, Exposure: c.Exposure}
			platforms[name] = p
			m.Platforms = append(m.Platforms, p)
		}
		p.Changes = append(p.Changes, c)
	}
	sort.Slice(m.Platforms, func(i, j int) bool { return m.Platforms[i].Name < m.Platforms[j].Name })
	m.Recount()
	return m, nil
}

func hash(i int) string {
	h := sha256.Sum256([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(h[:])
}
