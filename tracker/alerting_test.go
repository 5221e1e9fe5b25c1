package tracker_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"policywatch/internal/smtptest"
	"policywatch/report"
	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/alerts"
	"policywatch/tracker/fetch"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"

	"policywatch/internal/testpolicies"

	"policywatch/internal/tampertest"
)

// Secrets the tests hand to channels; none may appear anywhere but the
// secret store.
const (
	smtpPassword = "s3cret-SMTP-pa55word"
	hookToken    = "T0KEN-in-the-path-9f8e7d"
)

// testClock is a settable clock that ticks a little over a millisecond per
// reading (not a whole one: stored times keep milliseconds only).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond + 1234*time.Nanosecond)
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// hooks is a webhook receiver that records what each path was sent and can
// answer with a scripted status.
type hooks struct {
	mu     sync.Mutex
	got    map[string][][]byte
	fail   map[string][]int // statuses to answer before accepting
	header map[string]http.Header
	srv    *httptest.Server
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{got: map[string][][]byte{}, fail: map[string][]int{}, header: map[string]http.Header{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if f := h.fail[r.URL.Path]; len(f) > 0 {
			h.fail[r.URL.Path] = f[1:]
			// A hostile receiver echoes the address it was called at.
			http.Error(w, "no luck at "+r.URL.String(), f[0])
			return
		}
		h.got[r.URL.Path] = append(h.got[r.URL.Path], body)
		h.header[r.URL.Path] = r.Header.Clone()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hooks) url(name string) string { return h.srv.URL + "/" + name + "/" + hookToken }

func (h *hooks) bodies(name string) [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got["/"+name+"/"+hookToken]
}

func (h *hooks) failNext(name string, statuses ...int) {
	h.mu.Lock()
	h.fail["/"+name+"/"+hookToken] = statuses
	h.mu.Unlock()
}

// alertEnv is an archive on disk with a policy site, a mail server and a
// webhook receiver on loopback.
type alertEnv struct {
	t       *testing.T
	dir     string
	db      string
	clock   *testClock
	secrets *secrets.Store
	smtp    *smtptest.Server
	hooks   *hooks
	site    *site
	siteURL string
	svc     *tracker.Service
	store   *sqlite.DB
}

func fixture(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", "alerts", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newAlertEnv(t *testing.T) *alertEnv {
	dir := t.TempDir()
	e := &alertEnv{t: t, dir: dir, db: filepath.Join(dir, "alerts.db"),
		clock:   &testClock{t: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)},
		secrets: secrets.New(filepath.Join(dir, "secrets.json"), secrets.FileOnly, nil),
		smtp:    smtptest.Start(t, smtptest.Options{User: "alerts@example.test", Password: smtpPassword}),
		hooks:   newHooks(t)}
	var srv *httptest.Server
	e.site, srv = newSite(t)
	e.siteURL = srv.URL
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v1.md")))
	e.open()
	ctx := context.Background()
	if err := e.svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme Ltd", Jurisdictions: []string{"EU", "US-CA"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Example Cloud", URL: srv.URL + "/privacy",
		Kind: tracker.KindPrivacyPolicy, Select: "main"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// open opens (or reopens: a restart) the service over the archive file.
func (e *alertEnv) open() {
	t := e.t
	ctx := context.Background()
	db, err := sqlite.Open(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	var svc *tracker.Service
	pdf := func(ctx context.Context, id int64) (alerts.Attachment, error) { return changePDF(ctx, svc, id) }
	svc, err = tracker.NewService(ctx, db, cat, tracker.WithActor("tester"), tracker.WithRules(rules(t)),
		tracker.WithClock(e.clock.now), tracker.WithSecrets(e.secrets), tracker.WithAlertTLS(e.smtp.ClientTLS),
		tracker.WithChangePDF(pdf), tracker.WithVersion("test"),
		tracker.WithFetcher(fetch.New(fetch.Options{Timeout: 2 * time.Second, Retries: 1, BaseBackoff: time.Millisecond, MaxRetryAfter: 10 * time.Millisecond})))
	if err != nil {
		t.Fatal(err)
	}
	e.svc, e.store = svc, db
	t.Cleanup(func() { db.Close() })
}

// restart closes the archive and opens a new service over the same file.
func (e *alertEnv) restart() {
	e.store.Close()
	e.open()
}

// changePDF renders a change's PDF record through the report package's
// public API, as the command line's composition root does.
func changePDF(ctx context.Context, svc *tracker.Service, id int64) (alerts.Attachment, error) {
	d, err := svc.Change(ctx, id)
	if err != nil {
		return alerts.Attachment{}, err
	}
	m, err := report.Build(ctx, svc, report.Filter{Since: d.DetectedAt, Until: d.DetectedAt.Add(time.Millisecond),
		Platforms: []string{d.PlatformSlug}}, report.Options{})
	if err != nil {
		return alerts.Attachment{}, err
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("change-%d-%d.pdf", id, time.Now().UnixNano()))
	defer os.Remove(path)
	if err := report.WritePDF(ctx, m, path); err != nil {
		return alerts.Attachment{}, err
	}
	data, err := os.ReadFile(path)
	return alerts.Attachment{Name: fmt.Sprintf("policywatch-change-%d.pdf", id), ContentType: "application/pdf", Data: data}, err
}

func (e *alertEnv) email(rules tracker.AlertRules, attach bool) tracker.AlertChannel {
	e.t.Helper()
	c, err := e.svc.AddAlertChannel(context.Background(), tracker.NewAlertChannel{Kind: tracker.ChannelEmail,
		EmailTo: "dpo@acme.example", SMTP: fmt.Sprintf("smtp://alerts@example.test@%s:%d", e.smtp.Host, e.smtp.Port),
		SMTPPassword: smtpPassword, Rules: rules, AttachPDF: attach})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *alertEnv) webhook(name, format string, rules tracker.AlertRules) tracker.AlertChannel {
	e.t.Helper()
	c, err := e.svc.AddAlertChannel(context.Background(), tracker.NewAlertChannel{Kind: tracker.ChannelWebhook,
		WebhookURL: e.hooks.url(name), Format: format, Rules: rules})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// round runs a round as `watch` does and fails the test on an error.
func (e *alertEnv) round() tracker.RoundResult {
	e.t.Helper()
	res, err := e.svc.RunRound(context.Background(), tracker.RoundOptions{Holder: tracker.HolderWatch})
	if err != nil || res.AlertErr != nil {
		e.t.Fatalf("round: %v / alerts: %v", err, res.AlertErr)
	}
	return res
}

func (e *alertEnv) dispatch() tracker.DispatchSummary {
	e.t.Helper()
	sum, err := e.svc.DispatchAlerts(context.Background(), tracker.DispatchOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return sum
}

func decodeMail(t *testing.T, m smtptest.Message) smtptest.Decoded {
	t.Helper()
	d, err := m.Decode()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestImmediateAlertsByEmailAndWebhooks(t *testing.T) {
	e := newAlertEnv(t)
	mail := e.email(tracker.AlertRules{MinExposure: tracker.ExposureMedium}, true)
	e.webhook("json", alerts.FormatJSON, tracker.AlertRules{})
	e.webhook("slack", alerts.FormatSlack, tracker.AlertRules{})
	e.webhook("teams", alerts.FormatTeams, tracker.AlertRules{})

	if res := e.round(); res.Check.Changed != 1 || res.Alerts.Attempted() != 0 {
		t.Fatalf("first round (first version, no change): %+v", res)
	}
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md")))
	res := e.round()
	if len(res.Check.NewChanges) != 1 || res.Alerts.Sent != 4 || res.Alerts.Failed+res.Alerts.Retrying != 0 {
		t.Fatalf("second round: %+v", res)
	}
	changeID := res.Check.NewChanges[0]

	msgs := e.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails", len(msgs))
	}
	m := msgs[0]
	if !m.TLS || m.AuthUser != "alerts@example.test" || m.To[0] != "dpo@acme.example" || m.From != "alerts@example.test" {
		t.Errorf("envelope %+v (TLS %v)", m.To, m.TLS)
	}
	d := decodeMail(t, m)
	// What the analysis said about the change (its calibration is not this
	// test's business; that the message carries it is).
	detail, err := e.svc.Change(context.Background(), changeID)
	if err != nil {
		t.Fatal(err)
	}
	if detail.Exposure != tracker.ExposureHigh || len(detail.Record.Findings) < 2 {
		t.Fatalf("fixture change: exposure %s, %d findings", detail.Exposure, len(detail.Record.Findings))
	}
	top := detail.Record.Findings[0]
	for _, f := range detail.Record.Findings {
		if tracker.ExposureRank(f.Exposure) > tracker.ExposureRank(top.Exposure) {
			top = f
		}
	}
	cite := top.Jurisdictions[0].Provisions[0]
	if want := "PolicyWatch: Example Cloud privacy policy changed (high exposure)"; d.Subject != want {
		t.Errorf("subject %q", d.Subject)
	}
	for _, want := range []string{
		"Example Cloud: Privacy policy changed",
		"Exposure: High",
		"Detected: Mon 2 Jun 2025",
		e.siteURL + "/privacy",
		fmt.Sprintf("policywatch://change/%d", changeID),
		"Why: " + detail.Record.Rationale,
		fmt.Sprintf("Top findings:\n  * %s (%s, high)", top.Category, top.Direction),
		fmt.Sprintf("%s: %s %s (%s)", top.Jurisdictions[0].Code, cite.Framework, cite.Citation, cite.Title),
		"Before: We do not use the content you store in the service to train machine learning models.",
		"After:  We use the content you store in the service, including files and messages, to train",
		"Before: We do not sell your personal information.",
		"After:  We sell your personal information, including your location",
		"Sent by PolicyWatch for Acme Ltd",
	} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("e-mail lacks %q:\n%s", want, d.Text)
		}
	}
	pdf := d.Attachments[fmt.Sprintf("policywatch-change-%d.pdf", changeID)]
	if !strings.HasPrefix(string(pdf), "%PDF-") || len(pdf) < 2000 {
		t.Errorf("PDF record attachment: %d bytes", len(pdf))
	}
	if d.Header.Get("Message-Id") == "" || !strings.Contains(d.Header.Get("Message-Id"), fmt.Sprintf("policywatch-alert-%d-", mail.ID)) {
		t.Errorf("Message-ID %q", d.Header.Get("Message-Id"))
	}

	var p alerts.Payload
	if b := e.hooks.bodies("json"); len(b) != 1 {
		t.Fatalf("json webhook got %d posts", len(b))
	} else if err := json.Unmarshal(b[0], &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "change" || len(p.Changes) != 1 || p.Changes[0].ID != changeID || p.Changes[0].Exposure != "high" ||
		p.Changes[0].Link != fmt.Sprintf("policywatch://change/%d", changeID) || len(p.Changes[0].Findings) == 0 ||
		p.Changes[0].Findings[0].Exposure != "high" || len(p.Changes[0].Findings[0].Citations) == 0 ||
		len(p.Changes[0].Sentences) != 2 || p.Changes[0].Rationale != detail.Record.Rationale {
		t.Errorf("json payload %+v", p)
	}
	if h := e.hooks.header["/json/"+hookToken]; h.Get("Idempotency-Key") != p.ID || p.ID == "" {
		t.Errorf("idempotency key %q, payload id %q", h.Get("Idempotency-Key"), p.ID)
	}
	var sl struct {
		Text   string
		Blocks []struct{ Type string }
	}
	if err := json.Unmarshal(e.hooks.bodies("slack")[0], &sl); err != nil || sl.Text == "" || len(sl.Blocks) < 3 || sl.Blocks[0].Type != "header" {
		t.Errorf("slack payload %s (%v)", e.hooks.bodies("slack")[0], err)
	}
	var tm struct {
		Type        string
		Attachments []struct {
			ContentType string
			Content     struct {
				Type string
				Body []struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal(e.hooks.bodies("teams")[0], &tm); err != nil || tm.Type != "message" ||
		tm.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" || tm.Attachments[0].Content.Type != "AdaptiveCard" {
		t.Errorf("teams payload %s (%v)", e.hooks.bodies("teams")[0], err)
	}

	// Nothing is sent twice: not by another dispatch, not after a restart
	// (a new service over the same file).
	if sum := e.dispatch(); sum.Attempted() != 0 {
		t.Errorf("second dispatch sent again: %+v", sum)
	}
	e.restart()
	if sum := e.dispatch(); sum.Attempted() != 0 {
		t.Errorf("dispatch after restart sent again: %+v", sum)
	}
	if res := e.round(); res.Check.Unchanged != 1 || res.Alerts.Attempted() != 0 {
		t.Errorf("unchanged round after restart: %+v", res)
	}
	if n := len(e.smtp.Messages()); n != 1 || len(e.hooks.bodies("json")) != 1 {
		t.Errorf("after restart: %d e-mails, %d json posts", n, len(e.hooks.bodies("json")))
	}
	list, err := e.svc.AlertChannels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Kind == tracker.ChannelDesktop {
			continue // the default desktop channel waits for the app
		}
		if c.Sent != 1 || c.Last == nil || c.Last.Status != tracker.DeliverySent || c.Last.Attempts != 1 {
			t.Errorf("channel %d: sent %d, last %+v", c.ID, c.Sent, c.Last)
		}
	}
	assertNoSecrets(t, e)
}

func TestRulesChooseChanges(t *testing.T) {
	e := newAlertEnv(t)
	e.webhook("retention", alerts.FormatJSON, tracker.AlertRules{Categories: []string{"retention"}})
	e.webhook("uk-only", alerts.FormatJSON, tracker.AlertRules{Jurisdictions: []string{"UK"}})
	e.webhook("us-ca", alerts.FormatJSON, tracker.AlertRules{Jurisdictions: []string{"us-ca"}, MinExposure: "high"})
	if _, err := e.svc.SetTracked(context.Background(), "revolut", false); err != nil {
		t.Fatal(err)
	}
	e.webhook("revolut", alerts.FormatJSON, tracker.AlertRules{Platforms: []string{"revolut"}})
	if _, err := e.svc.AddAlertChannel(context.Background(), tracker.NewAlertChannel{Kind: tracker.ChannelWebhook,
		WebhookURL: e.hooks.url("bad"), Rules: tracker.AlertRules{Categories: []string{"no-such-category"}}}); err == nil ||
		!strings.Contains(err.Error(), `unknown category "no-such-category"`) {
		t.Errorf("bad category: %v", err)
	}
	if _, err := e.svc.AddAlertChannel(context.Background(), tracker.NewAlertChannel{Kind: tracker.ChannelWebhook,
		WebhookURL: e.hooks.url("bad"), Rules: tracker.AlertRules{Platforms: []string{"nowhere"}}}); err == nil {
		t.Error("unknown platform accepted")
	}
	e.round()
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md"))) // ai-training
	e.round()
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v3.md"))) // retention
	e.round()
	counts := map[string]int{}
	for _, n := range []string{"retention", "uk-only", "us-ca", "revolut"} {
		counts[n] = len(e.hooks.bodies(n))
	}
	// The changes with a high finding flagged in US-CA, as the archive has them.
	records, err := e.svc.ChangeRecords(context.Background(), tracker.ChangeFilter{})
	if err != nil || len(records) != 2 {
		t.Fatalf("%d changes, %v", len(records), err)
	}
	highUSCA := 0
	for _, r := range records {
		hit := false
		for _, f := range r.Record.Findings {
			for _, j := range f.Jurisdictions {
				hit = hit || (j.Code == "US-CA" && string(f.Exposure) == tracker.ExposureHigh)
			}
		}
		if hit {
			highUSCA++
		}
	}
	// The profile flags EU and US-CA only, so a UK rule sees nothing.
	if counts["retention"] != 1 || counts["uk-only"] != 0 || highUSCA == 0 || counts["us-ca"] != highUSCA || counts["revolut"] != 0 {
		t.Errorf("posts per channel %v (changes with a high US-CA finding: %d)", counts, highUSCA)
	}
	var p alerts.Payload
	json.Unmarshal(e.hooks.bodies("retention")[0], &p)
	if len(p.Changes) != 1 || len(p.Changes[0].Findings) != 1 || p.Changes[0].Findings[0].Category != "retention" ||
		!strings.Contains(p.Changes[0].Sentences[0].After, "five years") {
		t.Errorf("retention payload %+v", p.Changes)
	}
}

func TestDigestGathersChangesOfThePeriod(t *testing.T) {
	e := newAlertEnv(t)
	e.webhook("daily", alerts.FormatJSON, tracker.AlertRules{Digest: tracker.DigestDaily})
	e.round()
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md")))
	if res := e.round(); res.Alerts.Queued != 1 || res.Alerts.Attempted() != 0 {
		t.Fatalf("digest channel sent at once: %+v", res.Alerts)
	}
	e.clock.advance(3 * time.Hour)
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v3.md")))
	e.round()
	if n := len(e.hooks.bodies("daily")); n != 0 {
		t.Fatalf("%d posts before the day ended", n)
	}
	e.restart() // the queue survives a restart
	e.clock.advance(21 * time.Hour)
	if sum := e.dispatch(); sum.Sent != 1 {
		t.Fatalf("digest dispatch %+v", sum)
	}
	var p alerts.Payload
	if err := json.Unmarshal(e.hooks.bodies("daily")[0], &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "digest" || len(p.Changes) != 2 || !strings.HasPrefix(p.Subject, "PolicyWatch daily digest: 2 changes (1 high)") ||
		p.Changes[0].Exposure != tracker.ExposureHigh {
		t.Errorf("digest %q with %d changes", p.Subject, len(p.Changes))
	}
	// The next day has nothing new: no message.
	e.clock.advance(25 * time.Hour)
	if sum := e.dispatch(); sum.Attempted() != 0 || len(e.hooks.bodies("daily")) != 1 {
		t.Errorf("empty period sent %+v", sum)
	}
}

func TestHealthAlertsAfterRepeatedFailures(t *testing.T) {
	e := newAlertEnv(t)
	e.email(tracker.AlertRules{MinExposure: "high", HealthChecks: 3}, false)
	e.webhook("days", alerts.FormatSlack, tracker.AlertRules{HealthDays: 2})
	e.round()
	e.site.set("/privacy", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	for i := 0; i < 2; i++ {
		if res := e.round(); res.Check.Failed != 1 || res.Alerts.Attempted() != 0 {
			t.Fatalf("failure %d: %+v", i+1, res)
		}
	}
	res := e.round() // the third failure in a row
	if res.Alerts.Sent != 1 {
		t.Fatalf("third failure: %+v", res.Alerts)
	}
	d := decodeMail(t, e.smtp.Messages()[0])
	for _, want := range []string{"tracking of Example Cloud privacy policy is failing (http-status)"} {
		if !strings.Contains(d.Subject, want) {
			t.Errorf("subject %q lacks %q", d.Subject, want)
		}
	}
	for _, want := range []string{"3 failed checks in a row since", "Reason: http-status", "What to do:", "go unnoticed"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("health e-mail lacks %q:\n%s", want, d.Text)
		}
	}
	e.round() // a fourth failure: the same streak, no new alert
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d e-mails after a fourth failure", n)
	}
	if n := len(e.hooks.bodies("days")); n != 0 {
		t.Errorf("day rule fired after minutes: %d", n)
	}
	e.clock.advance(49 * time.Hour)
	e.round()
	if b := e.hooks.bodies("days"); len(b) != 1 || !strings.Contains(string(b[0]), "Tracking problem") {
		t.Errorf("two-day rule: %d posts", len(b))
	}
	// Recovery ends the streak; a new streak is a new alert.
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v1.md")))
	e.round()
	e.site.set("/privacy", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) })
	for i := 0; i < 3; i++ {
		e.round()
	}
	if n := len(e.smtp.Messages()); n != 2 {
		t.Errorf("%d e-mails after a second streak, want 2", n)
	}
}

func TestFailedDeliveriesAreRetriedWithBackoff(t *testing.T) {
	e := newAlertEnv(t)
	e.email(tracker.AlertRules{}, false)
	e.webhook("flaky", alerts.FormatJSON, tracker.AlertRules{})
	e.webhook("gone", alerts.FormatJSON, tracker.AlertRules{})
	e.round()
	e.smtp.FailNext(1)
	e.hooks.failNext("flaky", http.StatusServiceUnavailable, http.StatusTooManyRequests)
	e.hooks.failNext("gone", http.StatusNotFound)
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md")))
	res := e.round()
	if res.Alerts.Retrying != 2 || res.Alerts.Failed != 1 || res.Alerts.Sent != 0 {
		t.Fatalf("first attempts %+v", res.Alerts)
	}
	for _, msg := range res.Alerts.Errors {
		if strings.Contains(msg, hookToken) || strings.Contains(msg, smtpPassword) {
			t.Errorf("error shows a secret: %s", msg)
		}
	}
	// Not before the backoff.
	if sum := e.dispatch(); sum.Attempted() != 0 {
		t.Errorf("retried before the backoff: %+v", sum)
	}
	e.clock.advance(61 * time.Second)
	if sum := e.dispatch(); sum.Sent != 1 || sum.Retrying != 1 {
		t.Errorf("second attempts %+v", sum)
	}
	e.restart() // retries survive a restart
	e.clock.advance(5*time.Minute + time.Second)
	if sum := e.dispatch(); sum.Sent != 1 || sum.Retrying != 0 {
		t.Errorf("third attempts %+v", sum)
	}
	if n, a := len(e.smtp.Messages()), e.smtp.Attempts(); n != 1 || a != 2 {
		t.Errorf("mail server: %d taken of %d offered", n, a)
	}
	if n := len(e.hooks.bodies("flaky")); n != 1 {
		t.Errorf("flaky webhook got %d", n)
	}
	ds, err := e.svc.AlertDeliveries(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, d := range ds {
		status[fmt.Sprintf("%d/%d", d.ChannelID, d.Attempts)] = d.Status
		if d.Status == tracker.DeliveryFailed && !strings.Contains(d.LastError, "404") {
			t.Errorf("failed delivery's error %q", d.LastError)
		}
	}
	if len(ds) != 3 {
		t.Errorf("deliveries %v", status)
	}
	// Each attempt is recorded with its outcome.
	var attempts, ok int
	raw := openRaw(t, e.db)
	raw.QueryRow(`SELECT COUNT(*), SUM(ok) FROM alert_attempts`).Scan(&attempts, &ok)
	if attempts != 6 || ok != 2 {
		t.Errorf("attempts recorded %d (%d ok), want 6 (2 ok)", attempts, ok)
	}
	assertNoSecrets(t, e)
}

func TestInterruptedDeliveryIsNotSentAgain(t *testing.T) {
	e := newAlertEnv(t)
	e.webhook("once", alerts.FormatJSON, tracker.AlertRules{})
	e.round()
	e.hooks.failNext("once", http.StatusServiceUnavailable)
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md")))
	e.round() // the delivery is recorded, its first attempt failed
	ds, _ := e.svc.AlertDeliveries(context.Background(), 0, 1)
	// A process of this host claims it and dies before recording the outcome.
	host, _ := os.Hostname()
	if err := e.store.Update(context.Background(), func(tx tracker.Tx) error {
		ok, err := tx.ClaimAlertDelivery(ds[0].ID, fmt.Sprintf("%s:%d", host, deadPID(t)), e.clock.now())
		if !ok && err == nil {
			err = errors.New("not claimed")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.restart()
	e.clock.advance(time.Hour)
	if sum := e.dispatch(); sum.Attempted() != 0 {
		t.Errorf("an interrupted delivery was sent again: %+v", sum)
	}
	ds, _ = e.svc.AlertDeliveries(context.Background(), 0, 1)
	if ds[0].Status != tracker.DeliveryInterrupted || len(e.hooks.bodies("once")) != 0 {
		t.Errorf("delivery %+v", ds[0])
	}
}

// deadPID is the id of a process that has ended.
func deadPID(t *testing.T) int {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	p.Wait()
	return p.Pid
}

func TestDesktopChannelGoesThroughTheApp(t *testing.T) {
	e := newAlertEnv(t)
	ctx := context.Background()
	if lvl, err := e.svc.DesktopAlerts(ctx); err != nil || lvl != tracker.ExposureHigh {
		t.Fatalf("default desktop level %q, %v", lvl, err)
	}
	if err := e.svc.SetDesktopAlerts(ctx, tracker.ExposureMedium); err != nil {
		t.Fatal(err)
	}
	e.round()
	e.site.html("/privacy", testpolicies.Page(fixture(t, "v2.md")))
	e.round() // headless: the desktop channel waits
	var shown []string
	desk := tracker.DispatchOptions{Desktop: func(title, body string) error { shown = append(shown, title+" | "+body); return nil }}
	sum, err := e.svc.DispatchAlerts(ctx, desk)
	if err != nil || sum.Sent != 1 || len(shown) != 1 || !strings.Contains(shown[0], "PolicyWatch: Example Cloud privacy policy changed (high exposure) | Example Cloud privacy policy (high)") {
		t.Fatalf("desktop: %+v %v %q", sum, err, shown)
	}
	if sum, _ := e.svc.DispatchAlerts(ctx, desk); sum.Attempted() != 0 {
		t.Error("desktop notification shown twice")
	}
	if err := e.svc.SetDesktopAlerts(ctx, "off"); err != nil {
		t.Fatal(err)
	}
	if lvl, _ := e.svc.DesktopAlerts(ctx); lvl != "off" {
		t.Errorf("desktop level after off: %q", lvl)
	}
}

func TestTestAlertAndRemove(t *testing.T) {
	e := newAlertEnv(t)
	ctx := context.Background()
	c := e.email(tracker.AlertRules{HealthChecks: 2}, false)
	d, err := e.svc.TestAlertChannel(ctx, c.ID, tracker.DispatchOptions{})
	if err != nil || d.Status != tracker.DeliverySent {
		t.Fatalf("test: %+v %v", d, err)
	}
	m := decodeMail(t, e.smtp.Messages()[0])
	if m.Subject != "PolicyWatch test alert" || !strings.Contains(m.Text, "health alerts after 2 failed checks in a row") {
		t.Errorf("test mail %q\n%s", m.Subject, m.Text)
	}
	bad := e.webhook("gone", alerts.FormatJSON, tracker.AlertRules{})
	e.hooks.failNext("gone", http.StatusNotFound)
	if _, err := e.svc.TestAlertChannel(ctx, bad.ID, tracker.DispatchOptions{}); err == nil ||
		!strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), hookToken) {
		t.Errorf("failing test: %v", err)
	}
	var ref string
	openRaw(t, e.db).QueryRow(`SELECT secret_ref FROM alert_channels WHERE id = ?`, c.ID).Scan(&ref)
	if _, err := e.secrets.Get(ref); err != nil {
		t.Fatalf("secret not stored: %v", err)
	}
	if err := e.svc.RemoveAlertChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.secrets.Get(ref); err == nil {
		t.Error("the removed channel's secret is still stored")
	}
	if err := e.svc.RemoveAlertChannel(ctx, c.ID); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	list, _ := e.svc.AlertChannels(ctx)
	for _, l := range list {
		if l.ID == c.ID {
			t.Error("removed channel still listed")
		}
	}
}

func TestCheckLockKeepsRoundsApart(t *testing.T) {
	e := newAlertEnv(t)
	ctx := context.Background()
	// Another machine's watch holds the lock.
	other := tracker.CheckLock{Holder: tracker.HolderWatch, Host: "other-host", PID: 4242,
		Since: e.clock.now(), Expires: e.clock.now().Add(2 * time.Minute)}
	set := func(l tracker.CheckLock) {
		if err := e.store.Update(ctx, func(tx tracker.Tx) error { return tx.SetCheckLock(l) }); err != nil {
			t.Fatal(err)
		}
	}
	set(other)
	_, err := e.svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI})
	var locked *tracker.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), "policywatch watch on other-host (pid 4242)") {
		t.Fatalf("round under another's lock: %v", err)
	}
	if n := e.site.hits.Load(); n != 0 {
		t.Errorf("checked %d times under another's lock", n)
	}
	// A lock whose holder stopped renewing it goes stale.
	e.clock.advance(3 * time.Minute)
	if _, err := e.svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI}); err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	l, _ := e.svc.CheckLockState(ctx)
	if !l.Free() || l.LastRound.IsZero() {
		t.Errorf("lock after the round %+v", l)
	}
	// A lock of a process of this host that has ended is stale at once.
	host, _ := os.Hostname()
	set(tracker.CheckLock{Holder: tracker.HolderWatch, Host: host, PID: deadPID(t), Since: e.clock.now(),
		Expires: e.clock.now().Add(time.Hour), LastRound: l.LastRound})
	if _, err := e.svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI}); err != nil {
		t.Fatalf("dead holder's lock not taken over: %v", err)
	}
	// A scheduled round runs once per interval, whoever asks.
	sched := tracker.RoundOptions{Holder: tracker.HolderWatch, Scheduled: true, Every: time.Hour}
	if _, err := e.svc.RunRound(ctx, sched); !errors.Is(err, tracker.ErrNotDue) {
		t.Errorf("scheduled round right after a full round: %v", err)
	}
	e.clock.advance(time.Hour)
	if _, err := e.svc.RunRound(ctx, sched); err != nil {
		t.Errorf("due round: %v", err)
	}
	sched.Holder = tracker.HolderGUI
	if _, err := e.svc.RunRound(ctx, sched); !errors.Is(err, tracker.ErrNotDue) {
		t.Errorf("the app ran the round watch had just run: %v", err)
	}
	// The schedule from Settings.
	if err := e.svc.SetSetting(ctx, tracker.SettingCheckInterval, "6"); err != nil {
		t.Fatal(err)
	}
	s := e.svc.NewScheduler(tracker.SchedulerOptions{Holder: tracker.HolderWatch})
	next, on, err := s.Next(ctx)
	if err != nil || !on || next.Sub(e.clock.now()) < 5*time.Hour {
		t.Errorf("next round %v on=%v err=%v", next, on, err)
	}
}

// openRaw opens the archive file with plain SQL, as someone reading it would.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// assertNoSecrets reads every text column of every table and the files
// beside the archive: the secrets are in the secrets file only.
func assertNoSecrets(t *testing.T, e *alertEnv) {
	t.Helper()
	cells := tampertest.TextCells(t, e.db)
	for _, c := range cells {
		if strings.Contains(c.Text, smtpPassword) || strings.Contains(c.Text, hookToken) {
			t.Errorf("a secret is stored in %s.%s", c.Table, c.Column)
		}
	}
	if len(cells) < 50 {
		t.Errorf("only %d text values read", len(cells))
	}
	secretsFile, err := os.ReadFile(e.secrets.File())
	if err != nil || !strings.Contains(string(secretsFile), smtpPassword) && !strings.Contains(string(secretsFile), hookToken) {
		t.Errorf("the secrets file does not hold the secrets (%v)", err)
	}
	if info, err := os.Stat(e.secrets.File()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("secrets file mode %v (%v)", info.Mode(), err)
	}
}
