package main

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// startCommand starts the test binary as the policywatch command.
func startCommand(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "POLICYWATCH_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// stopsPromptly signals the process and returns how long it took to exit
// and its exit code. The bound is generous: it tells an ended process from
// one that ignores the signal, not a fast machine from a slow one.
func stopsPromptly(t *testing.T, cmd *exec.Cmd, sig os.Signal) int {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return 0
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s did not end after %v", strings.Join(cmd.Args[1:], " "), sig)
	}
	return -1
}

// SIGTERM during a check whose page never answers ends the command, and
// nothing is recorded for the document.
func TestSignalEndsACheck(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-r.Context().Done()
	}))
	defer srv.Close()
	db := tempDB(t)
	if code, _, errOut := cli(t, db, "platforms", "add", "--name", "Slow", "--url", srv.URL+"/privacy", "--render", "http"); code != 0 {
		t.Fatal(errOut)
	}
	cmd, stderr := startCommand(t, "--db", db, "check")
	for start := time.Now(); hits.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 20*time.Second {
			cmd.Process.Kill()
			t.Fatalf("the check never fetched: %s", stderr)
		}
	}
	if code := stopsPromptly(t, cmd, syscall.SIGTERM); code == 0 {
		t.Errorf("an interrupted check exited 0: %s", stderr)
	}
	_, out, _ := cli(t, db, "documents", "--json")
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 1 || docs[0]["last_check"] != nil {
		t.Fatalf("after the interrupted check: %s %v", out, err)
	}
}

// Ctrl+C during analyze of a PDF that takes seconds to read ends the command.
func TestSignalEndsAnalyzeOfASlowPDF(t *testing.T) {
	var content bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&content, zlib.BestSpeed)
	block := bytes.Repeat([]byte("BT /F1 12 Tf 72 720 Td ("+strings.Repeat("x", 200)+") Tj ET\n"), 4096)
	for i := 0; i < (60<<20)/len(block); i++ { // under the content cap: seconds of reading
		zw.Write(block)
	}
	zw.Close()
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var pdf bytes.Buffer
	pdf.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = pdf.Len()
		fmt.Fprintf(&pdf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := pdf.Len()
	fmt.Fprintf(&pdf, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&pdf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&pdf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.pdf")
	other := filepath.Join(dir, "other.md")
	os.WriteFile(bomb, pdf.Bytes(), 0o644)
	os.WriteFile(other, []byte("# Policy\n\nWe collect your name.\n"), 0o644)
	cmd, stderr := startCommand(t, "analyze", bomb, other)
	time.Sleep(500 * time.Millisecond)
	if code := stopsPromptly(t, cmd, os.Interrupt); code == 0 {
		t.Errorf("an interrupted analyze exited 0: %s", stderr)
	}
}

// A signal repeated at once (timeout(1) sends it to the command and to its
// process group) does not force the process to end; a second one after the
// repeat window does, and so does the grace.
func TestForceAfterIgnoresRepeats(t *testing.T) {
	sig := make(chan os.Signal, 2)
	sig <- os.Interrupt // the repeat of the first, already queued
	done := make(chan struct{})
	go func() { forceAfter(sig, time.Minute, 300*time.Millisecond); close(done) }()
	select {
	case <-done:
		t.Fatal("a repeated signal forced the end")
	case <-time.After(500 * time.Millisecond):
	}
	sig <- os.Interrupt // a second Ctrl+C, after the window
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a second signal after the window did not force the end")
	}
	done2 := make(chan struct{})
	go func() { forceAfter(make(chan os.Signal), 100*time.Millisecond, time.Second); close(done2) }()
	select {
	case <-done2:
	case <-time.After(30 * time.Second):
		t.Fatal("the grace did not end the wait")
	}
}
