package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"policywatch/internal/testpolicies"
)

// testDataset writes the project's own test policies as a dataset folder.
func testDataset(t *testing.T) string {
	t.Helper()
	dir, err := testpolicies.WriteDataset(filepath.Join(t.TempDir(), "dataset"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// A change of a test policy that adds AI training (among other things).
const (
	snapOld = "Pixel Snap/Privacy Policy/2025-04-08T18-00-00Z.md"
	snapNew = "Pixel Snap/Privacy Policy/2026-08-05T18-00-00Z.md"
)

func TestCheckChangesChecklistFlow(t *testing.T) {
	db := tempDB(t)
	dataset := testDataset(t)
	oldText, _ := os.ReadFile(filepath.Join(dataset, snapOld))
	newText, _ := os.ReadFile(filepath.Join(dataset, snapNew))
	var mu sync.Mutex
	body := string(oldText)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	if code, _, errOut := cli(t, db, "platforms", "add", "--name", "Pixel Snap", "--url", srv.URL+"/privacy", "--kind", "privacy-policy"); code != 0 {
		t.Fatalf("add: %s", errOut)
	}
	code, out, errOut := cli(t, db, "check", "--concurrency", "2")
	if code != 0 || !strings.Contains(out, "checked 1, changed 1, unchanged 0, failed 0") {
		t.Fatalf("first check: %d %s %s", code, out, errOut)
	}
	mu.Lock()
	body = string(newText)
	mu.Unlock()
	code, out, _ = cli(t, db, "check", "--platform", "pixel-snap")
	if code != 0 || !strings.Contains(out, "changed 1") || !strings.Contains(out, "→ change #") {
		t.Fatalf("second check: %d %s", code, out)
	}
	code, out, _ = cli(t, db, "changes", "--json", "--min-exposure", "medium", "--platform", "pixel-snap")
	var changes []changeJSON
	if err := json.Unmarshal([]byte(out), &changes); err != nil || code != 0 || len(changes) != 1 {
		t.Fatalf("changes --json: %d %v %s", code, err, out)
	}
	c := changes[0]
	if !c.Substantive || c.Platform != "pixel-snap" || c.Kind != "privacy-policy" || len(c.Findings) == 0 || c.FromVersion == 0 {
		t.Fatalf("change: %+v", c)
	}
	ai := false
	for _, f := range c.Findings {
		ai = ai || f.Category == "ai-training"
		if f.Evidence == "" || len(f.Jurisdictions) == 0 {
			t.Errorf("finding without evidence or jurisdictions: %+v", f)
		}
	}
	if !ai {
		t.Error("Pixel Snap's AI-training change was not flagged")
	}
	if code, _, _ := cli(t, db, "changes", "--min-exposure", "extreme"); code != 2 {
		t.Errorf("bad --min-exposure: exit %d", code)
	}
	code, out, _ = cli(t, db, "checklist", "--json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil || code != 0 || len(items) == 0 {
		t.Fatalf("checklist --json: %v %s", err, out)
	}
	id := fmt.Sprint(int64(items[0]["id"].(float64)))
	if code, _, errOut := cli(t, db, "checklist", "set", id, "--status", "in-progress", "--owner", "dpo@acme.example", "--note", "asked vendor"); code != 0 {
		t.Fatalf("checklist set: %s", errOut)
	}
	if code, _, _ := cli(t, db, "checklist", "set", id, "--status", "finished"); code != 2 {
		t.Error("unknown status accepted")
	}
	_, out, _ = cli(t, db, "audit", "--json")
	if !strings.Contains(out, "checklist.update") || !strings.Contains(out, "in-progress") {
		t.Errorf("audit log lacks the checklist change: %s", out)
	}
	if code, out, _ := cli(t, db, "audit", "verify"); code != 0 {
		t.Errorf("audit verify: %s", out)
	}
	_, out, _ = cli(t, db, "documents", "--json")
	if !strings.Contains(out, `"status": "changed"`) {
		t.Errorf("documents --json lacks the last check: %s", out)
	}
}

func TestAnalyzeAndDiffFiles(t *testing.T) {
	db := tempDB(t)
	dataset := testDataset(t)
	oldP, newP := filepath.Join(dataset, snapOld), filepath.Join(dataset, snapNew)
	code, out, errOut := cli(t, db, "analyze", oldP, newP, "--json", "--jurisdictions", "EU,US-CA")
	if code != 0 {
		t.Fatalf("analyze: %s", errOut)
	}
	var res struct {
		Substantive bool   `json:"substantive"`
		Exposure    string `json:"exposure"`
		Findings    []struct {
			Category      string `json:"category"`
			Direction     string `json:"direction"`
			Jurisdictions []struct {
				Code       string `json:"code"`
				Provisions []struct {
					Framework, Citation, Title string
				} `json:"provisions"`
			} `json:"jurisdictions"`
			Checklist []string `json:"checklist"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Substantive || res.Exposure != "high" || len(res.Findings) == 0 {
		t.Fatalf("analyze result: %+v", res)
	}
	for _, f := range res.Findings {
		for _, j := range f.Jurisdictions {
			if j.Code != "EU" && j.Code != "US-CA" && j.Code != "US" { // US federal law applies with a US state
				t.Errorf("jurisdiction %s flagged outside --jurisdictions", j.Code)
			}
		}
	}
	code, out, _ = cli(t, db, "analyze", oldP, oldP)
	if code != 0 || !strings.Contains(out, "No substantive change") {
		t.Errorf("self-analysis: %s", out)
	}
	// with nothing to report, every list of the record is an empty array
	_, out, _ = cli(t, db, "analyze", "--json", oldP, oldP)
	var empty map[string]any
	if err := json.Unmarshal([]byte(out), &empty); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"findings", "landscape", "jurisdiction_flags", "contract_implications", "compliance_considerations", "checklist_items", "hunks"} {
		if list, ok := empty[key].([]any); !ok || len(list) != 0 {
			t.Errorf("analyze --json of identical files: %s = %v, want []", key, empty[key])
		}
	}
	code, out, _ = cli(t, db, "diff", oldP, newP)
	if code != 0 || len(out) < 100 {
		t.Errorf("diff: %d %q", code, out)
	}
	if code, _, _ := cli(t, db, "analyze", oldP); code != 2 {
		t.Error("analyze with one file: want exit 2")
	}
	if code, _, errOut := cli(t, db, "diff", oldP, filepath.Join(t.TempDir(), "missing.md")); code != 1 || !strings.Contains(errOut, "missing.md") {
		t.Errorf("diff with a missing file: %d %s", code, errOut)
	}
	if code, _, _ := cli(t, db, "analyze", oldP, newP, "--jurisdictions", "MARS"); code != 2 {
		t.Error("unknown jurisdiction accepted")
	}
}

func TestImportOTACommand(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := cli(t, db, "import-ota", testDataset(t))
	if code != 0 || !strings.Contains(out, "imported 4 documents") {
		t.Fatalf("import-ota: %d %s %s", code, out, errOut)
	}
	_, out, _ = cli(t, db, "changes", "--json", "--platform", "northwind-chat")
	var changes []changeJSON
	json.Unmarshal([]byte(out), &changes)
	if versions := len(testpolicies.Versions("Northwind Chat/Privacy Policy")) + len(testpolicies.Versions("Northwind Chat/Terms of Service")); len(changes) != versions-2 {
		t.Errorf("%d changes for %d versions of 2 documents", len(changes), versions)
	}
	if code, _, errOut := cli(t, db, "import-ota", filepath.Join(t.TempDir(), "nope.zip")); code != 1 || errOut == "" {
		t.Errorf("missing dataset: %d %q", code, errOut)
	}
}
