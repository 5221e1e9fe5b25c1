package ota

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadmeTitle(t *testing.T) {
	for _, tc := range []struct{ in, name, release string }{
		{"# Open Terms Archive — contrib — November 3, 2025 dataset\n\nThis dataset…", "Open Terms Archive — contrib", "2025-11-03"},
		{"\uFEFF# Open Terms Archive — services-all — 01/01/2022 dataset\n", "Open Terms Archive — services-all", "01/01/2022"},
		{"Intro\n\n# Open Terms Archive dataset (sample)\n\nVersions…", "Open Terms Archive dataset (sample)", ""},
		{"no heading at all\n## a second-level one\n", "", ""},
	} {
		name, release := readmeTitle([]byte(tc.in))
		if name != tc.name || release != tc.release {
			t.Errorf("%q: got %q, %q; want %q, %q", tc.in, name, release, tc.name, tc.release)
		}
	}
}

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestIdentityFromExport(t *testing.T) {
	v1, v2 := "\uFEFF# Privacy v1\n", "# Privacy v2\n"
	root := t.TempDir()
	dir := filepath.Join(root, "dataset-2024-05-06-0a1b2c3")
	writeFiles(t, dir, map[string]string{
		"README.md": "# Open Terms Archive — demo — May 6, 2024 dataset\n",
		"Acme/Privacy Policy/2024-01-02T03-04-05Z.md": v1,
		"Acme/Privacy Policy/2024-03-02T03-04-05Z.md": v2,
	})
	// A manifest beside the folder, as in the PolicyWatch test corpus: it
	// vouches for v1 (same SHA-256) but lists v2 with another hash.
	writeFiles(t, root, map[string]string{"manifest.json": `[{"source_repo": "Example/demo-versions", "versions": [
		{"file": "dataset-2024-05-06-0a1b2c3/Acme/Privacy Policy/2024-01-02T03-04-05Z.md", "sha256": "` + sha(v1) + `", "commit": "1111111111111111111111111111111111111111"},
		{"file": "dataset-2024-05-06-0a1b2c3/Acme/Privacy Policy/2024-03-02T03-04-05Z.md", "sha256": "` + sha("other") + `", "commit": "2222222222222222222222222222222222222222"}]}]`})
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	id := d.Identity()
	want := Identity{Name: "Open Terms Archive — demo", Release: "2024-05-06", Commit: "0a1b2c3", Manifest: 1, Mismatched: 1}
	if id != want {
		t.Errorf("identity %+v, want %+v", id, want)
	}
	var got []Entry
	if err := d.Walk(func(e Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d entries", len(got))
	}
	if got[0].Commit != "Example/demo-versions@1111111111111111111111111111111111111111" || got[1].Commit != "" {
		t.Errorf("commits %q, %q", got[0].Commit, got[1].Commit)
	}
	if string(got[0].Raw) != v1 || got[0].SHA256 != sha(v1) || got[0].Text != "# Privacy v1\n" {
		t.Errorf("raw %q (sha %s), text %q: the raw bytes must be the file's, BOM included", got[0].Raw, got[0].SHA256, got[0].Text)
	}

	// The same export zipped: the zip's top folder names it; no manifest
	// inside, so no per-file commit.
	zp := zipFolder(t, dir, "dataset-2024-05-06-0a1b2c3/", zip.Deflate)
	dz, err := Open(zp)
	if err != nil {
		t.Fatal(err)
	}
	defer dz.Close()
	if id := dz.Identity(); id != (Identity{Name: "Open Terms Archive — demo", Release: "2024-05-06", Commit: "0a1b2c3"}) {
		t.Errorf("zip identity %+v", id)
	}
}

func TestIdentityWithoutReadme(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-export")
	writeFiles(t, dir, map[string]string{"Acme/Terms of Service/2024-01-02T03-04-05Z.md": "# Terms\n",
		"manifest.json": `{"not": "a list of documents"}`})
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if id := d.Identity(); id != (Identity{Name: "my-export"}) {
		t.Errorf("identity %+v", id)
	}
	if s := d.Identity().String(); s != "my-export" {
		t.Errorf("String %q", s)
	}
}

func TestCorpusIdentity(t *testing.T) {
	dir := corpusDataset(t)
	hashes := manifestHashes(t)
	for _, p := range []string{dir, filepath.Dir(dir)} {
		d, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		id := d.Identity()
		if id.Name != "Open Terms Archive dataset (sample)" || id.Manifest != len(hashes) || id.Mismatched != 0 {
			t.Errorf("%s: identity %+v (manifest lists %d files)", p, id, len(hashes))
		}
		err = d.Walk(func(e Entry) error {
			repo, commit, ok := strings.Cut(e.Commit, "@")
			if !ok || !strings.HasPrefix(repo, "OpenTermsArchive/") || len(commit) != 40 {
				t.Errorf("%s: commit %q", e.Path, e.Commit)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
	}
}
