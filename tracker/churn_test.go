package tracker_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"policywatch/tracker"

	"policywatch/internal/testpolicies"
)

// noncePage is a policy whose page shows a new request id each time.
func noncePage(variant string, n int64) string {
	p := testpolicies.Page(policyText(12, variant))
	return strings.Replace(p, "</main>", fmt.Sprintf(`<p id="req">Request reference %x-%d</p></main>`, n*7919+12345, n), 1)
}

// A page that changes on every request is not a new version each check:
// the check fails as churn with the volatile span and a remove selector to
// suggest, nothing is archived; a real change on the same page is still
// archived; applying the suggestion ends the churn.
func TestNoncePageIsChurnNotAChange(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	var n atomic.Int64
	variant := atomic.Value{}
	variant.Store(noSale)
	s.set("/p", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, noncePage(variant.Load().(string), n.Add(1)))
	})
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Nonce Co", URL: srv.URL + "/p", Select: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
		t.Fatalf("first check: %+v %v", sum, err)
	}
	for i := 0; i < 3; i++ {
		sum, err := svc.Check(ctx, tracker.CheckOptions{})
		if err != nil || sum.Failed != 1 || len(sum.NewChanges) != 0 {
			t.Fatalf("check %d of a nonce page: %+v %v", i+2, sum, err)
		}
		versions, ev := lastCheck(t, svc, id)
		if versions != 1 || ev.Reason != tracker.ReasonChurn || !strings.Contains(ev.Detail, "Request reference") || !strings.Contains(ev.Detail, `"#req"`) {
			t.Fatalf("churn check: %d versions, %+v", versions, ev)
		}
	}
	docs, _ := svc.Documents(ctx, "nonce-co")
	if c := docs[0].Churn; c == nil || c.SuggestRemove != "#req" || len(c.Spans) == 0 {
		t.Fatalf("churn note: %+v", docs[0].Churn)
	}
	// A real change on the churning page is archived and analysed.
	variant.Store(sellData)
	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Changed != 1 || len(sum.NewChanges) != 1 {
		t.Fatalf("a real change: %+v %v", sum, err)
	}
	if d, err := svc.Change(ctx, sum.NewChanges[0]); err != nil || !d.Substantive {
		t.Fatalf("the real change: %+v %v", d.ChangeSummary, err)
	}
	// With the suggested selector the page is stable again: one version
	// without the reference, then verifications.
	if err := svc.UpdateCapture(ctx, id, "main", "#req", ""); err != nil {
		t.Fatal(err)
	}
	docs, _ = svc.Documents(ctx, "nonce-co")
	if docs[0].Churn != nil {
		t.Error("changing the selectors kept the churn note")
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
		t.Fatalf("after the selector: %+v %v", sum, err)
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Unchanged != 1 {
		t.Fatalf("stable after the selector: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	if v := mustVersion(t, svc, h.Versions[len(h.Versions)-1].ID); strings.Contains(v.Text, "Request reference") {
		t.Errorf("the volatile span is still archived: %q", v.Text)
	}
}
