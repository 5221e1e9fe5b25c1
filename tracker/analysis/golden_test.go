package analysis

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// goldenPairs are real consecutive versions from the shared corpus.
var goldenPairs = []struct {
	name, old, new string
}{
	{"threads-account-linkage", "Threads/Privacy Policy/2025-01-25T12-35-14Z.md", "Threads/Privacy Policy/2025-05-14T00-34-58Z.md"},
	{"google-transfers", "Google/Privacy Policy/2020-08-18T14-30-28Z.md", "Google/Privacy Policy/2020-09-30T13-30-22Z.md"},
	{"zoom-biometrics", "Zoom/Privacy Policy/2024-03-17T06-48-06Z.md", "Zoom/Privacy Policy/2024-08-05T18-19-53Z.md"},
}

// goldenRecord is the part of a Result the goldens pin down: the full
// findings and record, plus hunk statistics rather than every hunk's text.
type goldenRecord struct {
	Substantive              bool               `json:"substantive"`
	Exposure                 string             `json:"exposure"`
	Summary                  string             `json:"summary"`
	Rationale                string             `json:"rationale"`
	Findings                 []Finding          `json:"findings"`
	Flags                    []JurisdictionFlag `json:"jurisdiction_flags"`
	Landscape                int                `json:"landscape_provisions"`
	Checklist                []ChecklistItem    `json:"checklist_items"`
	ContractImplications     []string           `json:"contract_implications"`
	ComplianceConsiderations []string           `json:"compliance_considerations"`
	Hunks                    map[string]int     `json:"hunks"`
	AddedWords               int                `json:"added_words"`
	RemovedWords             int                `json:"removed_words"`
}

func TestGoldenAnalyses(t *testing.T) {
	opts := Options{
		Rules:    testRules(t),
		Profile:  &Profile{Jurisdictions: []string{"EU", "US-CA", "UK"}, Advertises: true, Role: "controller"},
		Platform: PlatformFacts{Name: "Example Platform", EULeadAuthority: "Irish Data Protection Commission", VLOP: true},
	}
	for _, p := range goldenPairs {
		t.Run(p.name, func(t *testing.T) {
			res := Analyze(corpusFile(t, p.old), corpusFile(t, p.new), opts)
			rec := goldenRecord{
				Substantive: res.Substantive, Exposure: string(res.Exposure), Summary: res.Summary, Rationale: res.Rationale,
				Findings: res.Findings, Flags: res.Flags, Landscape: len(res.Landscape), Checklist: res.Checklist,
				ContractImplications: res.ContractImplications, ComplianceConsiderations: res.ComplianceConsiderations,
				Hunks: map[string]int{}, AddedWords: res.AddedWords, RemovedWords: res.RemovedWords,
			}
			for _, h := range res.Hunks {
				key := h.Op
				if !h.Substantive {
					key += " (not substantive)"
				}
				rec.Hunks[key]++
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rec); err != nil {
				t.Fatalf("marshal: %v", err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", p.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatalf("write golden: %v", err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run go test -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("analysis of %s differs from %s; rerun with -update after checking the change\n got: %s", p.name, path, truncate(string(got), 3000))
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
