package gui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"policywatch/tracker"
)

func TestMarkReviewedAndUndo(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU"}}); err != nil {
		t.Fatal(err)
	}
	id := seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	act(u, func() { u.showChange(id) })
	eventually(t, u, "detail", func() bool { return u.changes.detail.cur.ID == id })
	det := u.changes.detail
	if det.undo.Visible() {
		t.Fatal("Undo review shown before any review")
	}
	act(u, func() { test.Tap(det.review) })
	eventually(t, u, "reviewed", func() bool { return !det.cur.ReviewedAt.IsZero() && det.undo.Visible() })
	act(u, func() { test.Tap(det.undo) })
	eventually(t, u, "review withdrawn", func() bool { return det.cur.ReviewedAt.IsZero() && !det.review.Disabled() })
	if det.undo.Visible() {
		t.Error("Undo review still shown after the undo")
	}
	if !auditHas(t, svc, "change.reviewed", "") || !auditHas(t, svc, "change.unreviewed", "withdrawn") {
		t.Error("review and its undo are not both in the log")
	}
	v, err := svc.VerifyArchive(ctx)
	if err != nil || !v.OK() {
		t.Fatalf("archive after review and undo: %+v %v", v.Problems, err)
	}
}
