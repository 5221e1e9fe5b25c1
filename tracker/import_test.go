package tracker_test

import (
	"archive/zip"
	"bufio"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"

	"policywatch/internal/sharedtest"

	"policywatch/internal/testpolicies"
)

// testDataset writes the project's own test policies as a dataset folder.
func testDataset(t *testing.T) string {
	t.Helper()
	dir, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// subsetDataset copies a few services of the corpus into a new dataset folder,
// for tests that import more than once; it skips when the corpus is absent.
func subsetDataset(t *testing.T, services ...string) string {
	t.Helper()
	corpusDir := sharedtest.Corpus(t)
	dir := t.TempDir()
	for _, svc := range services {
		err := filepath.WalkDir(filepath.Join(corpusDir, svc), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(corpusDir, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			dest := filepath.Join(dir, rel)
			if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
				return err
			}
			return os.WriteFile(dest, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// zipDataset writes a dataset folder as a zip under one top folder, as exported.
func zipDataset(t *testing.T, corpusDir string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dataset.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		w, err := zw.Create("pga-versions/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestImportTestDataset imports the project's own dataset as a folder, then
// again as a zip, which adds nothing.
func TestImportTestDataset(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	dir := testDataset(t)
	sum, err := svc.ImportOTA(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 4 || sum.Versions != 9 || sum.NewVersions != 9 || sum.NewChanges != 5 {
		t.Fatalf("import summary %+v", sum)
	}
	docs, err := svc.Documents(ctx, "northwind-chat")
	if err != nil || len(docs) != 2 {
		t.Fatalf("northwind-chat documents: %d, %v", len(docs), err)
	}
	for _, d := range docs {
		// not in the catalog: kept at their dataset address, untracked
		if d.Tracked || !strings.HasPrefix(d.URL, "ota:") {
			t.Errorf("imported custom document: %+v", d.Document)
		}
	}
	h, err := svc.DocumentHistory(ctx, docs[0].ID)
	if err != nil || len(h.Versions) < 2 || h.Versions[0].FetchedAt.Year() != 2025 || h.Versions[0].Source != "import" {
		t.Fatalf("history keeps original dates: %+v %v", h.Versions, err)
	}
	again, err := svc.ImportOTA(ctx, zipDataset(t, dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.NewVersions != 0 || again.NewChanges != 0 || again.Versions != 9 {
		t.Fatalf("re-import added data: %+v", again)
	}
}

func TestImportCorpusFolderAndZip(t *testing.T) {
	corpusDir := sharedtest.Corpus(t)
	ctx := context.Background()
	svc, _ := newTestService(t)
	var progressed int
	sum, err := svc.ImportOTA(ctx, corpusDir, func(p tracker.ImportProgress) { progressed = p.Done })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 34 || sum.Versions != 389 || sum.NewVersions < 380 || progressed != 34 {
		t.Fatalf("import summary %+v (progress %d)", sum, progressed)
	}
	if sum.NewChanges != sum.NewVersions-sum.Documents {
		t.Errorf("want a change per consecutive pair: %d changes for %d versions in %d documents", sum.NewChanges, sum.NewVersions, sum.Documents)
	}
	docs, err := svc.Documents(ctx, "threads")
	if err != nil || len(docs) == 0 {
		t.Fatalf("threads documents: %v", err)
	}
	for _, d := range docs {
		if !d.Tracked || !strings.HasPrefix(d.URL, "https://") {
			t.Errorf("imported catalog document not tracked at its catalog URL: %+v", d.Document)
		}
	}
	h, err := svc.DocumentHistory(ctx, docs[0].ID)
	if err != nil || len(h.Versions) < 2 || h.Versions[0].FetchedAt.Year() > 2025 || h.Versions[0].Source != "import" {
		t.Fatalf("history keeps original dates: %+v %v", h.Versions, err)
	}
	// Re-importing the same data, as a zip under a top folder, adds nothing.
	again, err := svc.ImportOTA(ctx, zipDataset(t, corpusDir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.NewVersions != 0 || again.NewChanges != 0 || again.Versions != 389 {
		t.Fatalf("re-import added data: %+v", again)
	}

}

func TestImportZipMatchesFolder(t *testing.T) {
	ctx := context.Background()
	dir := testDataset(t)
	svc1, _ := newTestService(t)
	fromDir, err := svc1.ImportOTA(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc2, _ := newTestService(t)
	fromZip, err := svc2.ImportOTA(ctx, zipDataset(t, dir), nil)
	// The dataset's name comes from the folder or the zip's top folder.
	if fromDir.Dataset.Name != filepath.Base(dir) || fromZip.Dataset.Name != "pga-versions" {
		t.Errorf("dataset names %q (folder) and %q (zip)", fromDir.Dataset.Name, fromZip.Dataset.Name)
	}
	fromZip.Dataset = fromDir.Dataset
	if err != nil || fromZip != fromDir || fromZip.Documents != 4 {
		t.Fatalf("zip import %+v vs folder %+v: %v", fromZip, fromDir, err)
	}
}

func TestImportCorruptZipChangesNothing(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	good := zipDataset(t, testDataset(t))
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for name, bytes := range map[string][]byte{
		"truncated": data[:len(data)/2],
		"garbage":   []byte("this is not a zip archive at all"),
	} {
		bad := filepath.Join(t.TempDir(), name+".zip")
		if err := os.WriteFile(bad, bytes, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportOTA(ctx, bad, nil); err == nil {
			t.Errorf("%s zip imported without error", name)
		}
	}
	if n, _ := svc.CountChanges(ctx, tracker.ChangeFilter{}); n != 0 {
		t.Errorf("a failed import left %d changes", n)
	}
	docs, _ := svc.Documents(ctx, "")
	for _, d := range docs {
		if d.Versions != 0 {
			t.Errorf("a failed import left versions for %s", d.PlatformSlug)
		}
	}
	if _, err := svc.ImportOTA(ctx, filepath.Join(t.TempDir(), "missing"), nil); err == nil {
		t.Error("missing path imported")
	}
}

// TestImportSubprocess is the child of TestImportKilledMidwayResumes: it
// imports into POLICYWATCH_TEST_DB, printing progress, until it is killed.
func TestImportSubprocess(t *testing.T) {
	db := os.Getenv("POLICYWATCH_TEST_DB")
	if db == "" {
		t.Skip("run by TestImportKilledMidwayResumes")
	}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := tracker.ParseCatalog(resources.Catalog)
	svc, err := tracker.NewService(ctx, store, cat, tracker.WithRules(rules(t)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.ImportOTA(ctx, os.Getenv("POLICYWATCH_TEST_DATASET"), func(p tracker.ImportProgress) {
		os.Stdout.WriteString("progress " + p.Platform + "\n")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportKilledMidwayResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	dataset := subsetDataset(t, "Threads", "Meta AI", "Reddit", "Discord", "Spotify", "Snapchat", "Zoom")
	dbPath := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run", "^TestImportSubprocess$")
	cmd.Env = append(os.Environ(), "POLICYWATCH_TEST_DB="+dbPath, "POLICYWATCH_TEST_DATASET="+dataset)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	seen := 0
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "progress ") {
			seen++
			if seen == 5 {
				break
			}
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	cmd.Wait()
	if seen < 5 {
		t.Fatalf("the child imported only %d documents before exiting", seen)
	}

	ctx := context.Background()
	store, err := sqlite.Open(ctx, dbPath) // integrity_check runs here
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer store.Close()
	cat, _ := tracker.ParseCatalog(resources.Catalog)
	svc, err := tracker.NewService(ctx, store, cat, tracker.WithRules(rules(t)),
		tracker.WithClock(func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	// Consistency: every document with versions has a change per consecutive pair.
	docs, _ := svc.Documents(ctx, "")
	partial := 0
	for _, d := range docs {
		if d.Versions == 0 {
			continue
		}
		partial++
		n, _ := svc.CountChanges(ctx, tracker.ChangeFilter{DocumentID: d.ID})
		if n != d.Versions-1 {
			t.Errorf("%s %s: %d versions but %d changes after the kill", d.PlatformSlug, d.Kind, d.Versions, n)
		}
	}
	switch {
	case partial < 5:
		t.Errorf("only %d documents survived the kill, but 5 had reported success", partial)
	case partial == 13:
		t.Logf("the child finished all 13 documents before the kill landed")
	}
	sum, err := svc.ImportOTA(ctx, dataset, nil)
	if err != nil {
		t.Fatalf("re-run after kill: %v", err)
	}
	total, _ := svc.CountChanges(ctx, tracker.ChangeFilter{})
	versions := 0
	docs, _ = svc.Documents(ctx, "")
	for _, d := range docs {
		versions += d.Versions
	}
	if versions < sum.Versions-5 || len(docs) != 13 {
		t.Errorf("after the re-run %d versions of %d documents are archived (summary %+v)", versions, len(docs), sum)
	}
	if total != versions-len(docs) {
		t.Errorf("after the re-run: %d changes for %d versions in %d documents", total, versions, len(docs))
	}
}
