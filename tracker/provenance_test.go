package tracker_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/tracker"

	"policywatch/internal/tampertest"
	"policywatch/tracker/storetest"
)

// TestImportKeepsProvenance: imported versions keep the source file's
// SHA-256, the dataset's name and release (README title) and each file's
// source commit (manifest), the log vouches for them, and Provenance says
// "imported from …, file hash …" rather than an HTTP status.
func TestImportKeepsProvenance(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	ctx := context.Background()
	docs, err := svc.Documents(ctx, "acme-cloud")
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v %v", docs, err)
	}
	h, err := svc.DocumentHistory(ctx, docs[0].ID)
	if err != nil || len(h.Versions) != 3 {
		t.Fatalf("history: %+v %v", h.Versions, err)
	}
	commits := []string{"1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222", "3333333333333333333333333333333333333333"}
	for i, v := range h.Versions {
		file := "Acme Cloud/Privacy Policy/" + v.FetchedAt.UTC().Format("2006-01-02T15-04-05Z") + ".md"
		b, err := os.ReadFile(filepath.Join("testdata", "evidence-dataset", filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		want := tracker.Origin{Dataset: "Open Terms Archive — evidence test", Release: "2025-01-15",
			Commit: "Example/evidence-test-versions@" + commits[i], File: file}
		if v.Origin == nil || *v.Origin != want {
			t.Errorf("version %d origin %+v, want %+v", v.ID, v.Origin, want)
		}
		if v.RawSHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("version %d raw SHA-256 %s is not the file's %x", v.ID, v.RawSHA256, sum)
		}
		p := v.Provenance()
		if !strings.HasPrefix(p, "imported from Open Terms Archive — evidence test, release 2025-01-15, commit Example/evidence-test-versions@"+commits[i]) ||
			!strings.Contains(p, "file "+file) || !strings.HasSuffix(p, "file hash "+v.RawSHA256) || strings.Contains(p, "HTTP") {
			t.Errorf("version %d provenance %q", v.ID, p)
		}
	}
	// The provenance is evidence: rewriting it in SQL is named.
	tampertest.Exec(t, path, `UPDATE versions SET origin_commit = 'Example/evidence-test-versions@9999' WHERE id = 2`)
	storetest.WantProblem(t, svc, nil, "version 2", "dataset_commit")
}

func TestProvenanceOfFetchedVersions(t *testing.T) {
	for _, tc := range []struct {
		v    tracker.VersionInfo
		want string
	}{
		{tracker.VersionInfo{Source: tracker.SourceCheck, URL: "https://example.com/privacy", HTTPStatus: 200}, "fetched from https://example.com/privacy, HTTP 200"},
		{tracker.VersionInfo{Source: tracker.SourceReExtract, URL: "https://example.com/privacy"}, "re-extracted from the archived bytes fetched from https://example.com/privacy"},
		{tracker.VersionInfo{Source: tracker.SourceImport, RawSHA256: "ab12"}, "imported from a dataset whose name was not recorded, file hash ab12"},
	} {
		if got := tc.v.Provenance(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.v, got, tc.want)
		}
	}
}
