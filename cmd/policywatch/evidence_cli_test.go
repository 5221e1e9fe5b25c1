package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/tracker/evidence"
)

func init() {
	// Tests keep signing keys in the file beside their database, never in
	// the desktop keyring of whoever runs them.
	os.Setenv("POLICYWATCH_SECRETS", "file")
}

// fixtureDataset is the project's own three-version dataset.
var fixtureDataset = filepath.Join("..", "..", "tracker", "testdata", "evidence-dataset")

func TestEvidenceCommands(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := cli(t, db, "import-ota", "--quiet", fixtureDataset)
	if code != 0 || !strings.Contains(out, "checkpoint 2") && !strings.Contains(out, "checkpoint ") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "signed") {
		t.Errorf("import did not sign a checkpoint: %s", out)
	}
	if info, err := os.Stat(db + ".secrets"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("signing key file beside the database: %v %v", info, err)
	}
	code, out, errOut = cli(t, db, "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit log OK") || !strings.Contains(out, "Checked 3 versions") {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}

	// text prints what the version's hash covers, --raw the file as imported.
	code, js, _ := cli(t, db, "documents", "--json", "--platform", "acme-cloud")
	var docs []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(js), &docs); code != 0 || err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v %s", err, js)
	}
	code, js, _ = cli(t, db, "history", "--json", jsonNumber(docs[0].ID))
	if code != 0 {
		t.Fatalf("history: %s", js)
	}
	var h struct {
		Versions []struct {
			ID     int64  `json:"id"`
			SHA256 string `json:"sha256"`
			Raw    string `json:"raw_sha256"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(js), &h); err != nil || len(h.Versions) != 3 {
		t.Fatalf("history --json: %v %s", err, js)
	}
	v := h.Versions[1]
	code, text, _ := cli(t, db, "text", "2")
	if code != 0 || evidence.SHA256Hex([]byte(text)) != v.SHA256 {
		t.Errorf("text 2 does not hash to the version's SHA-256 %s", v.SHA256)
	}
	file, err := os.ReadFile(filepath.Join(fixtureDataset, "Acme Cloud", "Privacy Policy", "2024-06-10T08-00-00Z.md"))
	if err != nil {
		t.Fatal(err)
	}
	if code, raw, _ := cli(t, db, "text", "--raw", "2"); code != 0 || raw != string(file) || evidence.SHA256Hex(file) != v.Raw {
		t.Errorf("text --raw 2 is not the imported file (exit %d)", code)
	}
	if code, _, errOut := cli(t, db, "text", "99"); code != 1 || !strings.Contains(errOut, "version 99") {
		t.Errorf("text of a missing version: %d %s", code, errOut)
	}

	// Reviews need a named reviewer.
	code, _, errOut = cli(t, db, "changes", "review", "1")
	if code != 1 || !strings.Contains(errOut, "--name") {
		t.Fatalf("review without an identity: %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, db, "profile", "set", "--name", "Jane Doe", "--email", "not-an-address"); code != 2 || !strings.Contains(errOut, "e-mail") {
		t.Errorf("bad e-mail: %d %s", code, errOut)
	}
	if code, out, errOut := cli(t, db, "profile", "set", "--name", "Jane Doe", "--email", "jane@acme.example"); code != 0 || !strings.Contains(out, "Jane Doe <jane@acme.example>") {
		t.Fatalf("profile set identity: %d %s %s", code, out, errOut)
	}
	if code, out, _ := cli(t, db, "profile"); code != 0 || !strings.Contains(out, "Reviewer:         \"Jane Doe\" <jane@acme.example>") && !strings.Contains(out, "Jane Doe <jane@acme.example>") {
		t.Errorf("profile shows the reviewer: %s", out)
	}
	if code, out, errOut := cli(t, db, "changes", "review", "1", "--note", "checked with counsel"); code != 0 || !strings.Contains(out, "reviewed by Jane Doe") {
		t.Fatalf("review: %d %s %s", code, out, errOut)
	}
	code, js, _ = cli(t, db, "changes", "--json")
	if code != 0 || !strings.Contains(js, `"reviewed": true`) {
		t.Errorf("changes --json after review: %s", js)
	}
	if code, out, errOut := cli(t, db, "changes", "unreview", "1"); code != 0 || !strings.Contains(out, "withdrawn") {
		t.Fatalf("unreview: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := cli(t, db, "changes", "unreview", "1"); code != 1 || !strings.Contains(errOut, "not marked reviewed") {
		t.Errorf("second unreview: %d %s", code, errOut)
	}
	code, js, _ = cli(t, db, "audit", "--json")
	var log []evidence.Entry
	if err := json.Unmarshal([]byte(js), &log); err != nil {
		t.Fatal(err)
	}
	var review, unreview *evidence.Entry
	for i := range log {
		switch log[i].Action {
		case evidence.ActionReview:
			review = &log[i]
		case evidence.ActionUnreview:
			unreview = &log[i]
		}
	}
	if review == nil || unreview == nil || review.Actor != `"Jane Doe" <jane@acme.example>` && review.Actor != "Jane Doe <jane@acme.example>" || !strings.Contains(review.Detail, "checked with counsel") {
		t.Fatalf("review entries: %+v %+v", review, unreview)
	}

	// An exported checkpoint holds a later log to what it was.
	cpFile := filepath.Join(t.TempDir(), "cp.json")
	if code, out, errOut := cli(t, db, "audit", "checkpoint", "--out", cpFile); code != 0 || !strings.Contains(out, "checkpoint written") {
		t.Fatalf("audit checkpoint: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := cli(t, db, "audit", "verify", "--checkpoint", cpFile); code != 0 {
		t.Fatalf("verify against the exported checkpoint: %d %s %s", code, out, errOut)
	}
	if code, out, _ := cli(t, db, "audit", "key"); code != 0 || !strings.Contains(out, db+".secrets") {
		t.Errorf("audit key: %s", out)
	}
	// A checkpoint of another archive does not fit this one.
	other := tempDB(t)
	cli(t, other, "profile", "set", "--jurisdictions", "EU")
	otherCP := filepath.Join(t.TempDir(), "other.json")
	if code, _, errOut := cli(t, other, "audit", "checkpoint", "--out", otherCP); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut = cli(t, db, "audit", "verify", "--checkpoint", otherCP)
	if code != 1 || !strings.Contains(out, "FAIL") || !strings.Contains(out, "archive") {
		t.Errorf("verify against another archive's checkpoint: %d %s %s", code, out, errOut)
	}
}

func TestForeignDatabaseIsRefused(t *testing.T) {
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("not a database"), 0o600)
	code, _, errOut := cli(t, notes, "documents")
	if code != 1 || !strings.Contains(errOut, "not a PolicyWatch archive") {
		t.Errorf("documents on a text file: %d %s", code, errOut)
	}
	if b, _ := os.ReadFile(notes); string(b) != "not a database" {
		t.Error("the file was written to")
	}
}
