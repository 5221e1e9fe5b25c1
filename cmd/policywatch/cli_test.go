package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command layer against db and returns exit code, stdout, stderr.
func cli(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--db", db}, args...)
	code := run(context.Background(), full, &out, &errb)
	return code, out.String(), errb.String()
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "cli.db") }

func TestVersionAndUsage(t *testing.T) {
	db := tempDB(t)
	if code, out, _ := cli(t, db, "version"); code != 0 || !strings.HasPrefix(out, "policywatch ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errOut := cli(t, db, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, db, "documents", "--bogus"); code != 2 || !strings.Contains(errOut, "Usage") {
		t.Errorf("bad flag: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, db, "history", "abc"); code != 2 {
		t.Errorf("bad id: exit %d", code)
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	db := tempDB(t)
	t.Setenv("POLICYWATCH_DB", db)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"profile", "set", "--jurisdictions", "EU"}, &out, &errb); code != 0 {
		t.Fatalf("profile set: %d %s", code, errb.String())
	}
	code, js, _ := cli(t, db, "profile", "--json")
	if code != 0 || !strings.Contains(js, `"EU"`) {
		t.Errorf("profile set through POLICYWATCH_DB not in %s: %s", db, js)
	}
}

func TestPlatformsTrackDocumentsAudit(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := cli(t, db, "platforms", "--json")
	if code != 0 {
		t.Fatalf("platforms: %d %s", code, errOut)
	}
	var platforms []platformJSON
	if err := json.Unmarshal([]byte(out), &platforms); err != nil || len(platforms) < 40 {
		t.Fatalf("platforms --json: %d entries, %v", len(platforms), err)
	}
	if code, out, _ := cli(t, db, "documents", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("documents before tracking: %d %q", code, out)
	}
	if code, _, errOut := cli(t, db, "platforms", "track", "revolut"); code != 0 {
		t.Fatalf("track: %d %s", code, errOut)
	}
	if code, _, _ := cli(t, db, "platforms", "track", "nope"); code != 1 {
		t.Errorf("tracking an unknown slug: exit %d, want 1", code)
	}
	code, out, _ = cli(t, db, "platforms", "add", "--name", "Acme", "--url", "https://acme.example/privacy",
		"--kind", "privacy-policy", "--select", "main", "--remove", ".cookie-banner", "--render", "browser")
	if code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("platforms add: %d %q", code, out)
	}
	if code, _, _ := cli(t, db, "platforms", "add", "--name", "Acme"); code != 2 {
		t.Errorf("platforms add without --url: exit %d, want 2", code)
	}
	if code, _, errOut := cli(t, db, "platforms", "add", "--name", "Acme", "--url", "https://acme.example/terms", "--render", "js"); code != 2 || !strings.Contains(errOut, "--render") {
		t.Errorf("platforms add --render js: exit %d %q, want 2", code, errOut)
	}
	code, out, _ = cli(t, db, "documents", "--json")
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil || code != 0 {
		t.Fatalf("documents --json: %v %q", err, out)
	}
	var acme map[string]any
	platformsSeen := map[string]bool{}
	for _, d := range docs {
		platformsSeen[d["platform"].(string)] = true
		if d["platform"] == "acme" {
			acme = d
		}
		for _, key := range []string{"id", "platform", "kind", "url", "render", "tracked", "versions", "last_check"} {
			if _, ok := d[key]; !ok {
				t.Errorf("document lacks %q: %v", key, d)
			}
		}
	}
	if !platformsSeen["revolut"] || acme == nil || acme["last_check"] != nil || acme["tracked"] != true || acme["render"] != "browser" {
		t.Fatalf("documents after tracking: %v", docs)
	}
	id := int64(acme["id"].(float64))
	code, out, _ = cli(t, db, "history", jsonNumber(id), "--json")
	if code != 0 || !strings.Contains(out, `"versions": []`) {
		t.Errorf("history: %d %s", code, out)
	}
	if code, out, _ := cli(t, db, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %d %s", code, out)
	}
	code, out, _ = cli(t, db, "audit", "--json")
	if code != 0 || !strings.Contains(out, "platform.track") || !strings.Contains(out, "document.add") {
		t.Errorf("audit log lacks tracking entries: %s", out)
	}
	if code, _, _ := cli(t, db, "platforms", "untrack", "revolut"); code != 0 {
		t.Error("untrack failed")
	}
}

func jsonNumber(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func TestProfileSetValidates(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := cli(t, db, "profile", "set", "--jurisdictions", "EU,XX"); code != 2 || !strings.Contains(errOut, "XX") {
		t.Errorf("unknown jurisdiction: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, db, "profile", "set", "--jurisdictions", "EU,US-CA", "--children", "--organisation", "Acme"); code != 0 {
		t.Fatal("profile set failed")
	}
	_, out, _ := cli(t, db, "profile", "--json")
	var p map[string]any
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p["serves_children"] != true || p["organisation"] != "Acme" || len(p["jurisdictions"].([]any)) != 2 {
		t.Errorf("profile: %v", p)
	}
	_, text, _ := cli(t, db, "profile")
	if !strings.Contains(text, "EU, US-CA") {
		t.Errorf("profile text: %s", text)
	}
}

func TestPlatformsDiscover(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Widget Ltd | Home</title></head><body><p>Hello</p>
			<footer><a href="/privacy">Privacy notice</a> <a href="/terms">Terms of use</a> <a href="/jobs">Jobs</a></footer></body></html>`)
	}))
	defer srv.Close()
	db := tempDB(t)
	code, out, errOut := cli(t, db, "platforms", "discover", srv.URL, "--json")
	var d struct {
		Platform  string `json:"platform"`
		Documents []struct {
			Kind, URL, Source string
			Best              bool
		} `json:"documents"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.Platform != "Widget Ltd" || len(d.Documents) != 2 {
		t.Fatalf("discover --json: %d %s %s", code, out, errOut)
	}
	if d.Documents[0].Kind != "privacy-policy" || d.Documents[0].Source != "footer" || !d.Documents[0].Best {
		t.Errorf("first document: %+v", d.Documents[0])
	}
	code, out, errOut = cli(t, db, "platforms", "discover", srv.URL, "--add")
	if code != 0 || !strings.Contains(out, "added 2 document(s) to Widget Ltd") {
		t.Fatalf("discover --add: %d %s %s", code, out, errOut)
	}
	_, out, _ = cli(t, db, "documents", "--json", "--platform", "widget-ltd")
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 2 || docs[0]["tracked"] != true {
		t.Fatalf("documents after --add: %s", out)
	}
	if code, _, _ := cli(t, db, "platforms", "discover"); code != 2 {
		t.Errorf("discover without a URL: exit %d", code)
	}
}
