package ota

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policywatch/internal/sharedtest"
)

// corpusDataset returns the shared corpus's dataset folder, or skips.
func corpusDataset(t testing.TB) string {
	t.Helper()
	return sharedtest.Corpus(t)
}

// manifestHashes maps "dataset/<service>/<type>/<file>" to its SHA-256.
func manifestHashes(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(sharedtest.Require(t, "corpus", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		Versions []struct {
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range docs {
		for _, v := range d.Versions {
			out[v.File] = v.SHA256
		}
	}
	return out
}

// zipFolder writes dir into a zip under prefix, returning the zip's path.
func zipFolder(t *testing.T, dir, prefix string, method uint16) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "dataset.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + filepath.ToSlash(rel), Method: method})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCorpus walks a dataset made from the corpus and checks everything.
func checkCorpus(t *testing.T, d *Dataset, hashes map[string]string, prefix string) {
	t.Helper()
	docs := d.Documents()
	if len(docs) != 34 || d.Len() != 389 {
		t.Fatalf("%d documents, %d versions; want 34, 389", len(docs), d.Len())
	}
	total := 0
	for i, doc := range docs {
		total += doc.Count
		if i > 0 && (docs[i-1].Service > doc.Service || docs[i-1].Service == doc.Service && docs[i-1].TermsType >= doc.TermsType) {
			t.Errorf("documents not sorted at %v", doc)
		}
	}
	if total != 389 {
		t.Errorf("counts add up to %d", total)
	}
	var prev Entry
	seen := 0
	perDoc := map[string]int{}
	err := d.Walk(func(e Entry) error {
		seen++
		key := e.Service + "/" + e.TermsType
		perDoc[key]++
		if prev.Service == e.Service && prev.TermsType == e.TermsType && !prev.FetchedAt.Before(e.FetchedAt) {
			t.Errorf("%s: not oldest first (%v then %v)", key, prev.FetchedAt, e.FetchedAt)
		}
		if prev.Service != "" && (prev.Service != e.Service || prev.TermsType != e.TermsType) && perDoc[key] != 1 {
			t.Errorf("%s: versions not grouped", key)
		}
		sum := sha256.Sum256([]byte(e.Text))
		want, ok := hashes["dataset/"+strings.TrimPrefix(e.Path, prefix)]
		if !ok {
			t.Errorf("%s not in manifest", e.Path)
		} else if hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s: content hash differs from the manifest", e.Path)
		}
		if e.FetchedAt.Location() != time.UTC || e.FetchedAt.IsZero() {
			t.Errorf("%s: fetched at %v", e.Path, e.FetchedAt)
		}
		prev = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 389 {
		t.Errorf("walked %d versions", seen)
	}
	for _, doc := range docs {
		if perDoc[doc.Service+"/"+doc.TermsType] != doc.Count {
			t.Errorf("%v: walked %d", doc, perDoc[doc.Service+"/"+doc.TermsType])
		}
	}
}

func TestCorpusFolder(t *testing.T) {
	dir := corpusDataset(t)
	hashes := manifestHashes(t)
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	checkCorpus(t, d, hashes, "")

	// The corpus root (dataset/ plus declarations, manifest, licences) works too.
	d2, err := Open(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	checkCorpus(t, d2, hashes, "dataset/")
}

func TestCorpusZip(t *testing.T) {
	dir := corpusDataset(t)
	hashes := manifestHashes(t)
	for _, tc := range []struct {
		prefix string
		method uint16
	}{{"", zip.Store}, {"dataset/", zip.Store}} {
		zp := zipFolder(t, dir, tc.prefix, tc.method)
		d, err := Open(zp)
		if err != nil {
			t.Fatal(err)
		}
		checkCorpus(t, d, hashes, tc.prefix)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if err := d.Walk(func(Entry) error { return nil }); err == nil {
			t.Errorf("walk after close succeeded")
		}
	}
}

func TestWalkStopsOnError(t *testing.T) {
	d, err := Open(corpusDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stop := errors.New("stop")
	n := 0
	err = d.Walk(func(Entry) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("walk returned %v after %d entries", err, n)
	}
}

// smallDataset writes a tiny dataset folder.
func smallDataset(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Acme/Privacy Policy/2024-01-02T03-04-05Z.md":   "# Privacy v1\n",
		"Acme/Privacy Policy/2023-06-01T00-00-00Z.md":   "# Privacy v0\n",
		"Acme/Terms of Service/2024-02-01T00-00-00Z.md": "# Terms\n",
		"README.md":                     "readme",
		"LICENSE":                       "licence",
		"Acme/Privacy Policy/notes.txt": "ignored",
		"Acme/Privacy Policy/2024-13-01T00-00-00Z.md": "bad month: ignored",
		".git/x/y/2024-01-01T00-00-00Z.md":            "hidden: ignored",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSmallDataset(t *testing.T) {
	dir := smallDataset(t)
	for _, p := range []string{dir, zipFolder(t, dir, "x-versions/", zip.Deflate)} {
		d, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		want := []DocumentRef{{"Acme", "Privacy Policy", 2}, {"Acme", "Terms of Service", 1}}
		if got := d.Documents(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("documents %v", got)
		}
		var texts []string
		d.Walk(func(e Entry) error { texts = append(texts, e.Text); return nil })
		if strings.Join(texts, "") != "# Privacy v0\n# Privacy v1\n# Terms\n" {
			t.Errorf("walk order/text: %q", texts)
		}
		d.Close()
	}
}

func TestBadDatasets(t *testing.T) {
	dir := corpusDataset(t)
	// Stored, not deflated: compressing 21 MB is slow under -race, and the
	// deflate path is covered by TestSmallDataset.
	data, err := os.ReadFile(zipFolder(t, dir, "", zip.Store))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// Truncated: the central directory is gone.
	for _, frac := range []int{2, 10} {
		p := write("truncated.zip", data[:len(data)*(frac-1)/frac])
		_, err := Open(p)
		if err == nil || !strings.Contains(err.Error(), "not a valid zip archive") {
			t.Errorf("truncated to %d/%d: %v", frac-1, frac, err)
		}
	}
	// Not a zip at all.
	if _, err := Open(write("policy.zip", []byte("# just markdown"))); err == nil || !strings.Contains(err.Error(), "not a valid zip archive") {
		t.Errorf("markdown file as zip: %v", err)
	}
	// Central directory intact, one file's data corrupted: caught in Open.
	stored := data
	i := bytes.Index(stored, []byte("Privacy"))
	j := bytes.Index(stored[i+200:], []byte(" the "))
	corrupt := bytes.Clone(stored)
	corrupt[i+200+j+1] = 'X'
	if _, err := Open(write("corrupt.zip", corrupt)); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupted entry: %v", err)
	}
	// No version files.
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "README.md"), []byte("x"), 0o644)
	if _, err := Open(empty); err == nil || !strings.Contains(err.Error(), "no version files") {
		t.Errorf("empty dataset: %v", err)
	}
	if _, err := Open(filepath.Join(tmp, "missing")); err == nil {
		t.Errorf("missing path accepted")
	}
	// Two files for the same version (under two top folders).
	dup := t.TempDir()
	for _, top := range []string{"a", "b"} {
		p := filepath.Join(dup, top, "Acme", "Privacy Policy", "2024-01-01T00-00-00Z.md")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	if _, err := Open(dup); err == nil || !strings.Contains(err.Error(), "two files") {
		t.Errorf("duplicate versions: %v", err)
	}
}

func TestParsePath(t *testing.T) {
	at := time.Date(2025, 1, 5, 13, 32, 18, 0, time.UTC)
	cases := []struct {
		in      string
		svc, tt string
		ok      bool
	}{
		{"Discord/Privacy Policy/2025-01-05T13-32-18Z.md", "Discord", "Privacy Policy", true},
		{"dataset/Discord/Privacy Policy/2025-01-05T13-32-18Z.md", "Discord", "Privacy Policy", true},
		{"./x-versions/Google Generative AI Services/Terms of Service/2025-01-05T13-32-18Z.md", "Google Generative AI Services", "Terms of Service", true},
		{`Discord\Privacy Policy\2025-01-05T13-32-18Z.md`, "Discord", "Privacy Policy", true},
		{"README.md", "", "", false},
		{"dataset/README.md", "", "", false},
		{"LICENSE", "", "", false},
		{"Discord/Privacy Policy.md", "", "", false},
		{"Discord/Privacy Policy/2025-01-05T13-32-18Z.txt", "", "", false},
		{"Discord/Privacy Policy/2025-01-05.md", "", "", false},
		{"Discord/Privacy Policy/2025-01-05T13:32:18Z.md", "", "", false},
		{"Discord/Privacy Policy/2025-02-30T13-32-18Z.md", "", "", false},
		{"a/b/Discord/Privacy Policy/2025-01-05T13-32-18Z.md", "", "", false},
		{"/Privacy Policy/2025-01-05T13-32-18Z.md", "", "", false},
		{".git/Privacy Policy/2025-01-05T13-32-18Z.md", "", "", false},
		{"__MACOSX/Discord/Privacy Policy/2025-01-05T13-32-18Z.md", "", "", false},
	}
	for _, tc := range cases {
		svc, tt, got, ok := ParsePath(tc.in)
		if ok != tc.ok || svc != tc.svc || tt != tc.tt || (ok && !got.Equal(at)) {
			t.Errorf("ParsePath(%q) = %q %q %v %v", tc.in, svc, tt, got, ok)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	f.Add("Discord/Privacy Policy/2025-01-05T13-32-18Z.md")
	f.Add("dataset/A/B/2000-01-01T00-00-00Z.md")
	f.Add("a\\b\\1999-12-31T23-59-59Z.md")
	f.Add("README.md")
	f.Fuzz(func(t *testing.T, rel string) {
		svc, tt, at, ok := ParsePath(rel)
		if !ok {
			return
		}
		if svc == "" || tt == "" || strings.ContainsAny(svc+tt, "/\\") {
			t.Fatalf("bad parts %q %q from %q", svc, tt, rel)
		}
		// Round trip.
		svc2, tt2, at2, ok2 := ParsePath(svc + "/" + tt + "/" + at.Format(TimeLayout) + ".md")
		if !ok2 || svc2 != svc || tt2 != tt || !at2.Equal(at) {
			t.Fatalf("round trip of %q failed", rel)
		}
	})
}

func TestKindForTermsType(t *testing.T) {
	cases := map[string]string{
		"Privacy Policy":             "privacy-policy",
		"Business Privacy Policy":    "privacy-policy",
		"Terms of Service":           "terms-of-service",
		"Terms of Use":               "terms-of-service",
		"User Agreement":             "terms-of-service",
		"Community Guidelines":       "community-guidelines",
		"Cookies Policy":             "cookie-policy",
		"Cookie Policy":              "cookie-policy",
		"Trackers Policy":            "cookie-policy",
		"Data Processing Agreement":  "data-processing-agreement",
		"Acceptable Use Policy":      "acceptable-use-policy",
		"Generative AI Usage Policy": "ai-terms",
		"AI Terms":                   "ai-terms",
		"Fees":                       "fee-schedule",
		"Seller Fee Schedule":        "fee-schedule",
		"Pricing":                    "fee-schedule",
		"Feedback Policy":            "other",
		"Imprint":                    "other",
		"Developer Terms":            "other",
		"Maintained Terms":           "other",
		"":                           "other",
	}
	for in, want := range cases {
		if got := KindForTermsType(in); got != want {
			t.Errorf("KindForTermsType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := map[string]string{
		"Google Generative AI Services": "google-generative-ai-services",
		"ChatGPT":                       "chatgpt",
		"Meta AI":                       "meta-ai",
		"  X / Twitter  ":               "x-twitter",
		"Société Générale":              "societe-generale",
		"McDonald's":                    "mcdonalds",
		"Ünïcödé--Name__2":              "unicode-name-2",
		"":                              "",
		"!!!":                           "",
	}
	for in, want := range cases {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkOpenWalkCorpus(b *testing.B) {
	dir := corpusDataset(b)
	for b.Loop() {
		d, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Walk(func(Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}
