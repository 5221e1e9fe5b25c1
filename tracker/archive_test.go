package tracker_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/tracker"

	"policywatch/internal/testpolicies"
)

// policyText writes a synthetic policy of n sections; variant changes one
// provision so that two variants differ substantively.
func policyText(n int, variant string) string {
	var b strings.Builder
	b.WriteString("# Example Privacy Policy\n\nLast updated: March 3, 2025\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "## Section %d\n\nWe collect the information you give us when you create an account in section %d, "+
			"such as your name, e-mail address and the content you post, and we use it to provide the service.\n\n", i, i)
	}
	b.WriteString("## Sharing\n\n" + variant + "\n")
	return b.String()
}

const (
	noSale   = "We do not sell your personal information to third parties."
	sellData = "We may sell your personal information to advertising partners and data brokers."
)

// The preview and a check of the same document archive byte-identical text.
func TestPreviewIsWhatACheckArchives(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	s.html("/p", testpolicies.Page(policyText(12, noSale))+"<!-- trailing bytes -->")
	nd := tracker.NewDocument{PlatformName: "Preview Co", URL: srv.URL + "/p", Kind: tracker.KindPrivacyPolicy, Remove: "h2:first-of-type"}
	pv, err := svc.Preview(ctx, nd)
	if err != nil {
		t.Fatal(err)
	}
	id, err := svc.AddDocument(ctx, nd)
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{DocumentIDs: []int64{id}}); err != nil || sum.Changed != 1 {
		t.Fatalf("check: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	v := mustVersion(t, svc, h.Versions[0].ID)
	if v.Text != pv.Text {
		t.Fatalf("the check archived different text than the preview showed:\npreview %q\narchived %q", pv.Text, v.Text)
	}
	if strings.Contains(pv.Text, "Example Privacy Policy") || !strings.Contains(pv.Text, "Section 1\n") || pv.StatedDate != "2025-03-03" || pv.HTTPStatus != 200 {
		t.Errorf("preview: remove selector or date lost: date %q status %d", pv.StatedDate, pv.HTTPStatus)
	}
	// A failure comes back with its reason and advice as fields.
	_, err = svc.Preview(ctx, tracker.NewDocument{URL: srv.URL + "/missing"})
	var ce *tracker.CaptureError
	if !errors.As(err, &ce) || ce.Reason != "http-status" || ce.HTTPStatus != 404 || !strings.Contains(ce.Advice, "404") || ce.Fetched {
		t.Fatalf("preview of a missing page: %#v", err)
	}
	_, err = svc.Preview(ctx, tracker.NewDocument{URL: srv.URL + "/p", Select: "#nowhere"})
	if !errors.As(err, &ce) || ce.Reason != "selector-missing" || !ce.Fetched || ce.Advice == "" {
		t.Fatalf("preview with a selector matching nothing: %#v", err)
	}
}

// writeDataset lays out an Open Terms Archive dataset of one document.
func writeDataset(t *testing.T, service, termsType string, versions map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for stamp, text := range versions {
		p := filepath.Join(dir, service, termsType, stamp+".md")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Import goes through the same guards as a check: a version that shrank to
// a fragment of the one before is refused, and the next one is analysed
// against the last version kept.
func TestImportAppliesTheArchiveGuards(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	dir := writeDataset(t, "Guarded Service", "Privacy Policy", map[string]string{
		"2024-01-01T00-00-00Z": policyText(20, noSale),
		"2024-02-01T00-00-00Z": "# Example Privacy Policy\n\nLoading…\n",
		"2024-03-01T00-00-00Z": policyText(20, sellData),
		"2024-04-01T00-00-00Z": "   \n",
	})
	sum, err := svc.ImportOTA(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Versions != 4 || sum.NewVersions != 2 || sum.RefusedVersions != 2 || sum.NewChanges != 1 {
		t.Fatalf("import summary %+v", sum)
	}
	docs, _ := svc.Documents(ctx, "")
	if len(docs) != 1 || docs[0].Versions != 2 {
		t.Fatalf("documents %+v", docs)
	}
	changes, err := svc.ChangeRecords(ctx, tracker.ChangeFilter{})
	if err != nil || len(changes) != 1 || !changes[0].Substantive {
		t.Fatalf("changes %+v %v", changes, err)
	}
	// Re-importing adds nothing.
	again, err := svc.ImportOTA(ctx, dir, nil)
	if err != nil || again.NewVersions != 0 || again.NewChanges != 0 {
		t.Fatalf("re-import %+v %v", again, err)
	}
}

// Re-extracting goes through the same guards: a selector that now keeps a
// fragment of the page is refused with its reason, and nothing is stored.
func TestReExtractAppliesTheArchiveGuards(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	s.html("/p", testpolicies.Page(policyText(20, noSale)))
	id, _ := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Reextract Co", URL: srv.URL + "/p", Select: "main"})
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
		t.Fatalf("check %+v %v", sum, err)
	}
	if err := svc.UpdateSelectors(ctx, id, "main", "h2 ~ p:not(:last-of-type)"); err != nil {
		t.Fatal(err)
	}
	_, _, err := svc.ReExtract(ctx, id)
	var ce *tracker.CaptureError
	if !errors.As(err, &ce) || ce.Reason != tracker.ReasonShrunk {
		t.Fatalf("re-extract of a fragment: %v", err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	if len(h.Versions) != 1 || len(h.Checks) != 1 {
		t.Fatalf("a refused re-extraction stored something: %d versions, %d checks", len(h.Versions), len(h.Checks))
	}
	// A selector change that keeps the document is a new version.
	if err := svc.UpdateSelectors(ctx, id, "main", "h2:first-of-type"); err != nil {
		t.Fatal(err)
	}
	ev, change, err := svc.ReExtract(ctx, id)
	if err != nil || ev.Status != tracker.CheckChanged || change == 0 {
		t.Fatalf("re-extract: %+v change %d %v", ev, change, err)
	}
}
