package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"policywatch/internal/tampertest"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

// sealedReports builds a report from a signed archive and writes it as PDF
// and XLSX, returning the service, the database path and the two files.
func sealedReports(t *testing.T) (*tracker.Service, string, map[string]string) {
	t.Helper()
	svc, db := tampertest.Archive(t)
	m, err := Build(context.Background(), svc, Filter{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Seal.Checkpoint == nil || m.Seal.Problem != "" || m.Seal.Key != m.Seal.Checkpoint.Key {
		t.Fatalf("report seal %+v", m.Seal)
	}
	dir := t.TempDir()
	files := map[string]string{"pdf": filepath.Join(dir, "report.pdf"), "xlsx": filepath.Join(dir, "report.xlsx")}
	for ext, write := range writers {
		if err := write(context.Background(), m, files[ext]); err != nil {
			t.Fatal(err)
		}
	}
	return svc, db, files
}

// wantReportProblem verifies path and requires a problem on record whose
// reason contains want.
func wantReportProblem(t *testing.T, c ReportCheck, record, want string) {
	t.Helper()
	var all []string
	for _, p := range c.Problems {
		all = append(all, p.String())
		if p.Record == record && strings.Contains(p.Reason, want) {
			return
		}
	}
	t.Errorf("%s: no problem on %q with %q; got:\n%s", c.File, record, want, strings.Join(all, "\n"))
}

func TestReportVerifiedThenTamperedCopyRefused(t *testing.T) {
	ctx := context.Background()
	svc, _, files := sealedReports(t)
	for ext, path := range files {
		c, err := VerifyReport(ctx, svc, path)
		if err != nil {
			t.Fatal(err)
		}
		if !c.OK() || c.Format != ext || c.Entry == 0 || c.Checkpoint == nil || c.Sidecar != c.SHA256 || !c.Logged {
			t.Fatalf("%s does not verify: %+v", ext, c)
		}
		// The checkpoint read back is the one signed: its signature checks.
		if err := c.Checkpoint.VerifySignature(mustKey(t, c.Checkpoint)); err != nil {
			t.Errorf("%s: printed checkpoint: %v", ext, err)
		}
	}

	// A tampered copy: one cell of the workbook changed (the number of
	// high-exposure changes), re-saved, with the original .sha256 beside it.
	dir := t.TempDir()
	x, err := excelize.OpenFile(files["xlsx"])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(sheetSummary)
	for i, r := range rows {
		if len(r) > 1 && r[0] == "High exposure" {
			x.SetCellValue(sheetSummary, fmt.Sprintf("B%d", i+1), 0)
		}
	}
	tamperedX := filepath.Join(dir, "report.xlsx")
	if err := x.SaveAs(tamperedX); err != nil {
		t.Fatal(err)
	}
	x.Close()
	copyFile(t, files["xlsx"]+".sha256", tamperedX+".sha256")

	// The PDF: its generator's version changed in place in the document
	// information (UTF-16, same length).
	b, err := os.ReadFile(files["pdf"])
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, utf16be("1.2.3-test"))
	if i < 0 {
		t.Fatal("no generator version in the PDF")
	}
	b = bytes.Clone(b)
	copy(b[i:], utf16be("9.9.9-test"))
	tamperedP := filepath.Join(dir, "report.pdf")
	os.WriteFile(tamperedP, b, 0o644)
	copyFile(t, files["pdf"]+".sha256", tamperedP+".sha256")

	for _, p := range []string{tamperedX, tamperedP} {
		c, err := VerifyReport(ctx, svc, p)
		if err != nil {
			t.Fatal(err)
		}
		if c.OK() {
			t.Fatalf("tampered %s verified", p)
		}
		wantReportProblem(t, c, filepath.Base(p), "was changed after it was written")
		wantReportProblem(t, c, filepath.Base(p), "the archive's log has no report with SHA-256")
	}

	// An attacker who also rewrites the .sha256 is still refused: the
	// archive's log keeps the hash of the report it wrote.
	sum := sha256.Sum256(b)
	os.WriteFile(tamperedP+".sha256", []byte(hex.EncodeToString(sum[:])+"  report.pdf\n"), 0o644)
	c, err := VerifyReport(ctx, svc, tamperedP)
	if err != nil {
		t.Fatal(err)
	}
	if c.OK() || c.Sidecar != c.SHA256 {
		t.Fatalf("tampered PDF with a matching .sha256: %+v", c)
	}
	wantReportProblem(t, c, "report.pdf", "the archive's log has no report with SHA-256")

	// Not a report at all.
	notReport := filepath.Join(dir, "notes.txt")
	os.WriteFile(notReport, []byte("hello"), 0o644)
	if _, err := VerifyReport(ctx, svc, notReport); err == nil || !strings.Contains(err.Error(), "neither a PDF nor an XLSX report") {
		t.Errorf("a text file: %v", err)
	}
}

// TestReportCatchesRewrittenLog: after the report, the attacker rewrites an
// entry of the log, re-chains it and deletes the archive's checkpoints, so
// that the archive verifies on its own; the checkpoint the report prints
// no longer matches. A truncated log is caught the same way.
func TestReportCatchesRewrittenLog(t *testing.T) {
	ctx := context.Background()
	svc, db, files := sealedReports(t)
	list := tampertest.Entries(t, db)
	at := -1
	for i, e := range list {
		if e.Action == evidence.ActionVersion && at < 0 {
			at = i
		}
	}
	var f evidence.VersionFacts
	if err := json.Unmarshal(list[at].Data, &f); err != nil {
		t.Fatal(err)
	}
	f.CapturedAt = "2020-01-01T00:00:00.000Z" // a backdated capture, say
	list[at].Data = evidence.Encode(f)
	tampertest.Rechain(t, db, list, at)
	tampertest.Exec(t, db, fmt.Sprintf(`UPDATE versions SET fetched_at = '2020-01-01T00:00:00.000Z' WHERE id = %d`, f.Version),
		`DELETE FROM checkpoints`)
	for ext, path := range files {
		c, err := VerifyReport(ctx, svc, path)
		if err != nil {
			t.Fatal(err)
		}
		if c.OK() {
			t.Fatalf("%s verified against a rewritten log", ext)
		}
		cp := c.Checkpoint
		wantReportProblem(t, c, fmt.Sprintf("checkpoint of %d entries signed %s", cp.Entries, evidence.FormatTime(cp.At)), "rewritten after it")
	}

	svc2, db2, files2 := sealedReports(t)
	c0, err := VerifyReport(ctx, svc2, files2["pdf"])
	if err != nil || !c0.OK() {
		t.Fatalf("before truncation: %+v %v", c0, err)
	}
	tampertest.Exec(t, db2, fmt.Sprintf(`DELETE FROM audit_log WHERE id > %d`, c0.Checkpoint.Entries-2), `DELETE FROM checkpoints`)
	c, err := VerifyReport(ctx, svc2, files2["pdf"])
	if err != nil {
		t.Fatal(err)
	}
	cp := c.Checkpoint
	wantReportProblem(t, c, fmt.Sprintf("checkpoint of %d entries signed %s", cp.Entries, evidence.FormatTime(cp.At)), "truncated")
}

// TestDeterministicReportIsNotLogged: the same archive gives the same file,
// so a deterministic report is not logged; it verifies through its .sha256.
func TestDeterministicReportIsNotLogged(t *testing.T) {
	ctx := context.Background()
	svc, _ := tampertest.Archive(t)
	dir := t.TempDir()
	var sums []string
	for i := 0; i < 2; i++ {
		m, err := Build(ctx, svc, Filter{}, Options{Deterministic: true})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("r%d.pdf", i))
		if err := WritePDF(ctx, m, p); err != nil {
			t.Fatal(err)
		}
		c, err := VerifyReport(ctx, svc, p)
		if err != nil || !c.OK() || c.Logged || c.Entry != 0 || len(c.Notes) == 0 {
			t.Fatalf("deterministic report: %+v %v", c, err)
		}
		sums = append(sums, c.SHA256)
		os.Remove(p + ".sha256")
		if c, _ := VerifyReport(ctx, svc, p); c.OK() {
			t.Errorf("a deterministic report without its .sha256 verified")
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two deterministic reports of the same archive differ")
	}
}

func mustKey(t *testing.T, cp *evidence.Checkpoint) []byte {
	t.Helper()
	pub, err := evidence.DecodePublic(cp.PublicKey, cp.Key)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// utf16be encodes ASCII as PDF text strings hold it.
func utf16be(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, 0, byte(r))
	}
	return out
}
