package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"policywatch/internal/smtptest"

	"policywatch/internal/tampertest"
)

// Secrets given to the commands; they must never come back out.
const (
	cliPassword = "cli-SMTP-pa55-Zq81"
	cliToken    = "cli-HOOK-t0ken-77ab"
)

// policy pages served to checks: v1, then v2 trains AI on stored content
// and sells personal information (removed promises: high exposure).
const policyV1 = `<html><body><nav>Home</nav><main><h1>Example Cloud Privacy Policy</h1>
<h2>How we use information</h2>
<p>We use your information to provide, maintain and improve the service, to process payments, and to communicate with you about your account.</p>
<p>We do not use the content you store in the service to train machine learning models.</p>
<h2>Sharing</h2>
<p>We share information with service providers who process it on our behalf under contracts that require them to protect it. We do not sell your personal information.</p>
<h2>Retention</h2>
<p>We keep your information for as long as your account is active and for up to 30 days after you close it.</p>
</main></body></html>`

var policyV2 = strings.NewReplacer("We do not use the content you store in the service to train machine learning models.",
	"We use the content you store in the service, including files and messages, to train and improve our artificial intelligence models.",
	"We do not sell your personal information.",
	"We sell your personal information, including your browsing history, to advertisers and data brokers.").Replace(policyV1)

// loopbackSite serves a policy page that the test can switch, and a page that always fails.
type loopbackSite struct {
	mu   sync.Mutex
	body string
}

func (s *loopbackSite) set(body string) { s.mu.Lock(); s.body = body; s.mu.Unlock() }

func (s *loopbackSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/broken" {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, s.body)
}

// hookSink records webhook posts.
type hookSink struct {
	mu    sync.Mutex
	posts [][]byte
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.posts = append(h.posts, b)
	h.mu.Unlock()
}

func (h *hookSink) got() [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.posts...)
}

func TestAlertsCommands(t *testing.T) {
	t.Setenv("POLICYWATCH_SECRETS", "file")
	db := tempDB(t)
	sink := &hookSink{}
	hook := httptest.NewServer(sink)
	defer hook.Close()
	url := hook.URL + "/services/" + cliToken

	code, out, errOut := cli(t, db, "alerts", "add", "--webhook", url, "--format", "teams", "--min-exposure", "high",
		"--jurisdiction", "eu", "--category", "ai-training", "--digest", "weekly", "--health-after", "3,7d")
	if code != 0 || strings.TrimSpace(out) != "2" { // 1 is the desktop channel every archive starts with
		t.Fatalf("add webhook: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, db, "alerts")
	if code != 0 || !strings.Contains(out, hook.URL+"/… (teams)") || !strings.Contains(out, "high exposure and above; jurisdictions EU; categories ai-training; weekly digest; health alerts after 3 failed checks in a row or 7 days failing") {
		t.Errorf("alerts:\n%s", out)
	}
	code, out, _ = cli(t, db, "alerts", "--json")
	var list []struct {
		ID     int64
		Kind   string
		Target string
		Rules  struct {
			MinExposure   string   `json:"min_exposure"`
			Jurisdictions []string `json:"jurisdictions"`
			HealthDays    int      `json:"health_after_days"`
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 2 || list[1].Rules.HealthDays != 7 ||
		list[1].Rules.Jurisdictions[0] != "EU" || list[0].Kind != "desktop" {
		t.Errorf("alerts --json: %v\n%s", err, out)
	}
	code, out, errOut = cli(t, db, "alerts", "test", "2")
	if code != 0 || len(sink.got()) != 1 || !strings.Contains(string(sink.got()[0]), "AdaptiveCard") {
		t.Errorf("alerts test: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, db, "alerts", "log", "--json")
	var log []struct{ Kind, Status string }
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != 0 || len(log) != 1 || log[0].Status != "sent" || log[0].Kind != "test" {
		t.Errorf("alerts log: %v %s", err, out)
	}
	// Bad input: clear errors and usage.
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"alerts", "add"}, 2, "exactly one of"},
		{[]string{"alerts", "add", "--webhook", "ftp://x"}, 1, "is not an http(s) URL"},
		{[]string{"alerts", "add", "--webhook", url, "--format", "xml"}, 1, `unknown webhook format "xml"`},
		{[]string{"alerts", "add", "--webhook", url, "--digest", "hourly"}, 1, `unknown digest "hourly"`},
		{[]string{"alerts", "add", "--webhook", url, "--health-after", "soon"}, 2, "health-after"},
		{[]string{"alerts", "add", "--email", "dpo@acme.example"}, 2, "needs --smtp"},
		{[]string{"alerts", "add", "--email", "dpo@acme.example", "--smtp", "smtp://u:pw@mail.example:587"}, 1, "must not contain a password"},
		{[]string{"alerts", "add", "--email", "not an address", "--smtp", "smtp://mail.example:25"}, 1, "is not an e-mail address"},
		{[]string{"alerts", "add", "--email", "dpo@acme.example", "--smtp", "smtp://user@mail.example:587"}, 1, "POLICYWATCH_SMTP_PASSWORD"},
		{[]string{"alerts", "remove", "99"}, 1, "no alert channel 99"},
		{[]string{"alerts", "test", "x"}, 2, "not a channel id"},
	} {
		code, _, errOut := cli(t, db, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q", c.args, code, errOut)
		}
		if strings.Contains(errOut, "pw@") || strings.Contains(errOut, cliToken) {
			t.Errorf("%v: a secret in %q", c.args, errOut)
		}
	}
	t.Setenv("POLICYWATCH_SMTP_PASSWORD", cliPassword)
	code, out, errOut = cli(t, db, "alerts", "add", "--email", "dpo@acme.example, legal@acme.example",
		"--smtp", "smtps://alerts@mail.example:465", "--attach-pdf")
	if code != 0 || strings.TrimSpace(out) != "3" || !strings.Contains(errOut, "dpo@acme.example, legal@acme.example via smtps://alerts@mail.example:465") {
		t.Fatalf("add email: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, db, "alerts", "remove", "2")
	if code != 0 || !strings.Contains(out, "removed") {
		t.Errorf("remove: %d %q", code, out)
	}
	code, out, _ = cli(t, db, "alerts")
	if strings.Contains(out, "(teams)") || !strings.Contains(out, "smtps://alerts@mail.example:465 + PDF") {
		t.Errorf("after remove:\n%s", out)
	}
	secretsText, err := os.ReadFile(db + ".secrets")
	if err != nil || !strings.Contains(string(secretsText), cliPassword) || strings.Contains(string(secretsText), cliToken) {
		t.Errorf("secrets file (the removed webhook's address must be gone): %v", err)
	}
	assertNoSecretInDB(t, db, cliPassword, cliToken)
}

// assertNoSecretInDB reads every text value of every table.
func assertNoSecretInDB(t *testing.T, db string, secrets ...string) {
	t.Helper()
	cells := tampertest.TextCells(t, db)
	for _, c := range cells {
		for _, secret := range secrets {
			if strings.Contains(c.Text, secret) {
				t.Errorf("a secret is stored in %s.%s", c.Table, c.Column)
			}
		}
	}
	if len(cells) < 20 {
		t.Errorf("only %d text values read", len(cells))
	}
}

// policywatchBinary builds the real binary into the test's temporary folder.
func policywatchBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "policywatch")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goTool, "build", "-tags", "ci,migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestWatchUnderTimeoutSendsAlerts runs the real binary as a service would:
// `watch --every 2s` under timeout(1), against loopback pages, a real SMTP
// server (STARTTLS, login) and a webhook. The first round archives the
// pages; the page then changes, and the next scheduled round finds the
// change and sends its alerts, plus a tracking-health alert for the page
// that failed both rounds. A later `watch --once` (a new process over the
// same archive) sends nothing twice.
func TestWatchUnderTimeoutSendsAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	timeoutTool, err := exec.LookPath("timeout")
	if err != nil {
		t.Skip("no timeout(1) on this system")
	}
	bin := policywatchBinary(t)
	t.Setenv("POLICYWATCH_SECRETS", "file")
	t.Setenv("POLICYWATCH_SMTP_PASSWORD", cliPassword)
	db := tempDB(t)
	site := &loopbackSite{body: policyV1}
	pages := httptest.NewServer(site)
	defer pages.Close()
	mail := smtptest.Start(t, smtptest.Options{User: "alerts@example.test", Password: cliPassword})
	sink := &hookSink{}
	hook := httptest.NewServer(sink)
	defer hook.Close()

	var outputs []string
	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := cli(t, db, args...)
		outputs = append(outputs, out, errOut)
		if code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
		return out
	}
	must("profile", "set", "--organisation", "Acme Ltd", "--jurisdictions", "EU,US-CA")
	must("platforms", "add", "--name", "Example Cloud", "--url", pages.URL+"/privacy", "--kind", "privacy-policy", "--select", "main")
	must("platforms", "add", "--name", "Broken Co", "--url", pages.URL+"/broken", "--kind", "terms-of-service")
	must("alerts", "add", "--email", "dpo@acme.example", "--smtp", fmt.Sprintf("smtp://alerts@example.test@%s:%d", mail.Host, mail.Port),
		"--min-exposure", "medium", "--attach-pdf")
	must("alerts", "add", "--webhook", hook.URL+"/hooks/"+cliToken, "--format", "slack", "--health-after", "2")

	env := append(os.Environ(), "SSL_CERT_FILE="+mail.CAFile, "LANG=C.UTF-8")
	cmd := exec.Command(timeoutTool, "--preserve-status", "-s", "INT", "120", bin, "--db", db, "watch", "--every", "2s")
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	rounds := 0
	scan := bufio.NewScanner(stdout)
	for scan.Scan() {
		line := scan.Text()
		log.WriteString(line + "\n")
		if strings.Contains(line, " round: ") {
			rounds++
			if rounds == 1 {
				site.set(policyV2) // the page changes between two scheduled rounds
			}
		}
		if rounds >= 2 && strings.Contains(line, " alerts: ") {
			cmd.Process.Signal(syscall.SIGINT) // timeout passes it on; watch stops cleanly
		}
	}
	err = cmd.Wait()
	output := log.String()
	if err != nil {
		t.Fatalf("watch exited with %v\nstdout:\n%s\nstderr:\n%s", err, output, stderr.String())
	}
	outputs = append(outputs, output, stderr.String())
	if rounds < 2 || !strings.Contains(output, "a round every 2s") || !strings.Contains(output, "stopped") {
		t.Errorf("watch output:\n%s", output)
	}
	if !strings.Contains(output, "round: checked 2 of 2, changed 1, unchanged 0, failed 1") ||
		!strings.Contains(output, "alerts: 3 sent, 0 to retry, 0 failed") {
		t.Errorf("rounds and alerts not as expected:\n%s", output)
	}

	msgs := mail.Messages()
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].AuthUser != "alerts@example.test" {
		t.Fatalf("%d e-mails %+v", len(msgs), msgs)
	}
	d, err := msgs[0].Decode()
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "PolicyWatch: Example Cloud privacy policy changed (high exposure)" ||
		!strings.Contains(d.Text, "policywatch://change/1") || !strings.Contains(d.Text, "Before: We do not use the content") {
		t.Errorf("e-mail %q:\n%s", d.Subject, d.Text)
	}
	if pdf := d.Attachments["policywatch-change-1.pdf"]; !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("no PDF record attached (%d bytes)", len(pdf))
	}
	posts := sink.got()
	kinds := map[string]int{}
	for _, p := range posts {
		var m struct{ Text string }
		json.Unmarshal(p, &m)
		switch {
		case strings.Contains(m.Text, "tracking of Broken Co terms of service is failing"):
			kinds["health"]++
		case strings.Contains(m.Text, "Example Cloud privacy policy changed"):
			kinds["change"]++
		default:
			kinds[m.Text]++
		}
	}
	if len(posts) != 2 || kinds["health"] != 1 || kinds["change"] != 1 {
		t.Errorf("webhook posts %v", kinds)
	}

	// A new process over the same archive: one more round, nothing sent twice.
	once := exec.Command(timeoutTool, "--preserve-status", "-s", "INT", "60", bin, "--db", db, "watch", "--once")
	once.Env = env
	onceOut, err := once.CombinedOutput()
	outputs = append(outputs, string(onceOut))
	if err != nil || !strings.Contains(string(onceOut), "round: checked 2 of 2, changed 0, unchanged 1, failed 1") {
		t.Errorf("watch --once: %v\n%s", err, onceOut)
	}
	if strings.Contains(string(onceOut), "alerts:") || len(mail.Messages()) != 1 || len(sink.got()) != 2 {
		t.Errorf("alerts sent again after a restart: %d e-mails, %d posts\n%s", len(mail.Messages()), len(sink.got()), onceOut)
	}
	outputs = append(outputs, must("alerts"), must("alerts", "--json"), must("alerts", "log"), must("alerts", "log", "--json"))

	// The secrets were used (the server saw the password) and never shown.
	if logins := mail.Logins(); len(logins) == 0 || logins[0] != cliPassword {
		t.Errorf("the SMTP server saw logins %d", len(logins))
	}
	for _, o := range outputs {
		if strings.Contains(o, cliPassword) || strings.Contains(o, cliToken) {
			t.Errorf("a secret in the output:\n%s", o)
		}
	}
	assertNoSecretInDB(t, db, cliPassword, cliToken)
}

func TestWatchRefusesWhatItCannotDo(t *testing.T) {
	t.Setenv("POLICYWATCH_SECRETS", "file")
	db := tempDB(t)
	code, _, errOut := cli(t, db, "watch")
	if code != 1 || !strings.Contains(errOut, "the check schedule is off") {
		t.Errorf("watch without a schedule: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, db, "watch", "--every", "10ms"); code != 2 || !strings.Contains(errOut, "at least 1s") {
		t.Errorf("--every 10ms: %d %q", code, errOut)
	}
	// Nothing tracked: --once runs an empty round and exits.
	code, out, _ := cli(t, db, "watch", "--once")
	if code != 0 || !strings.Contains(out, "round: checked 0 of 0") {
		t.Errorf("watch --once: %d %q", code, out)
	}
	// A check lock held by a live process elsewhere refuses the round.
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	if _, err := raw.Exec(`UPDATE check_lock SET holder = 'gui', host = 'desk-7', pid = 99, since = ?, expires_at = ?`, future, future); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errOut = cli(t, db, "watch", "--once")
	if code != 1 || !strings.Contains(errOut, "another check is running on this archive: the PolicyWatch desktop app on desk-7 (pid 99)") {
		t.Errorf("watch --once under a lock: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, db, "check"); code != 1 || !strings.Contains(errOut, "desk-7") {
		t.Errorf("check under a lock: %d %q", code, errOut)
	}
}
