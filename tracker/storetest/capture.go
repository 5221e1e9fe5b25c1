package storetest

import (
	"context"
	"testing"
	"time"

	"policywatch/tracker"
)

func init() {
	register(test{"CaptureSettingsRoundTrip", testCaptureSettingsRoundTrip})
}

// testCaptureSettingsRoundTrip: a document's render mode and churn note and
// a version's capture method are kept by every store.
func testCaptureSettingsRoundTrip(t *testing.T, h Harness) {
	ctx := context.Background()
	st, _ := open(t, h)
	svc := service(t, st, "tester")
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/p", Render: tracker.RenderBrowser})
	if err != nil {
		t.Fatal(err)
	}
	note := &tracker.ChurnNote{DetectedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Spans: []string{"Request 8f3a"}, SuggestRemove: "#req"}
	update(t, st, func(tx tracker.Tx) error {
		d, err := tx.DocumentByID(id)
		if err != nil {
			return err
		}
		d.Churn = note
		if err := tx.UpdateDocument(d); err != nil {
			return err
		}
		return tx.InsertVersion(&tracker.Version{DocumentID: id, FetchedAt: note.DetectedAt, SHA256: "abc", Text: "t",
			Raw: []byte("<html></html>"), Source: "check", CapturedWith: tracker.RenderBrowser})
	})
	view(t, st, func(tx tracker.Tx) error {
		d, err := tx.DocumentByID(id)
		if err != nil {
			return err
		}
		if d.Render != tracker.RenderBrowser || d.Churn == nil || d.Churn.SuggestRemove != "#req" || !d.Churn.DetectedAt.Equal(note.DetectedAt) {
			t.Errorf("document: render %q churn %+v", d.Render, d.Churn)
		}
		v, err := tx.LatestVersion(id)
		if err == nil && v.CapturedWith != tracker.RenderBrowser {
			t.Errorf("version captured with %q", v.CapturedWith)
		}
		infos, err := tx.ListVersions(id)
		if err == nil && (len(infos) != 1 || infos[0].CapturedWith != tracker.RenderBrowser) {
			t.Errorf("version info: %+v", infos)
		}
		return err
	})
	// Changing the capture settings clears the note; an unset mode is auto.
	if err := svc.UpdateCapture(ctx, id, "main", "", tracker.RenderHTTP); err != nil {
		t.Fatal(err)
	}
	id2, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/t"})
	if err != nil {
		t.Fatal(err)
	}
	view(t, st, func(tx tracker.Tx) error {
		d, err := tx.DocumentByID(id)
		if err == nil && (d.Render != tracker.RenderHTTP || d.Churn != nil) {
			t.Errorf("after UpdateCapture: render %q churn %+v", d.Render, d.Churn)
		}
		d2, err := tx.DocumentByID(id2)
		if err == nil && d2.Render != tracker.RenderAuto {
			t.Errorf("default render %q", d2.Render)
		}
		return err
	})
}
