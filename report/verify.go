package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ledongthuc/pdf"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

// ReportCheck is what verifying a report found.
type ReportCheck struct {
	File   string `json:"file"`
	Format string `json:"format"` // pdf or xlsx
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	// Sidecar is the SHA-256 its .sha256 file states ("" when none).
	Sidecar string `json:"sidecar,omitempty"`
	// Checkpoint is the checkpoint the report prints (nil when it prints none).
	Checkpoint *evidence.Checkpoint `json:"checkpoint,omitempty"`
	// Logged says whether the report states it was logged in its archive;
	// Entry is the log entry found recording it (0 when none).
	Logged bool  `json:"logged"`
	Entry  int64 `json:"entry,omitempty"`
	// Against names what the report was checked against: the archive or a bundle.
	Against string `json:"against"`
	// Problems name what fails; Notes are limits that are not failures.
	Problems []evidence.Problem `json:"problems"`
	Notes    []string           `json:"notes,omitempty"`
}

// OK reports whether nothing failed.
func (c ReportCheck) OK() bool { return len(c.Problems) == 0 }

func (c *ReportCheck) fail(record, format string, a ...any) {
	c.Problems = append(c.Problems, evidence.Problem{Record: record, Reason: fmt.Sprintf(format, a...)})
}

// readReport hashes a report, compares it with its .sha256 file and reads
// the seal it carries. A file that is neither a PDF nor a workbook, or that
// cannot be read, is an error; a missing or damaged seal is a problem.
func readReport(path string) (ReportCheck, *sealRecord, error) {
	c := ReportCheck{File: path, Problems: []evidence.Problem{}}
	head := make([]byte, 5)
	f, err := os.Open(path)
	if err != nil {
		return c, nil, fmt.Errorf("verify report: %w", err)
	}
	_, err = f.Read(head)
	f.Close()
	switch {
	case err == nil && bytes.Equal(head, []byte("%PDF-")):
		c.Format = "pdf"
	case err == nil && bytes.HasPrefix(head, []byte("PK")):
		c.Format = "xlsx"
	default:
		return c, nil, fmt.Errorf("verify report: %s is neither a PDF nor an XLSX report", path)
	}
	if c.SHA256, c.Bytes, err = evidence.FileSHA256(path); err != nil {
		return c, nil, fmt.Errorf("verify report: %w", err)
	}
	name := filepath.Base(path)
	sum, ok, err := ReadSidecar(path)
	switch {
	case err != nil:
		c.fail(name+".sha256", "%v", err)
	case !ok:
		c.Notes = append(c.Notes, "no "+name+".sha256 beside it")
	case sum != c.SHA256:
		c.Sidecar = sum
		c.fail(name, "its SHA-256 is %s but %s.sha256 says %s: the file was changed after it was written", c.SHA256, name, sum)
	default:
		c.Sidecar = sum
	}
	var rec sealRecord
	if c.Format == "pdf" {
		rec, err = readPDFSeal(path)
	} else {
		rec, err = readXLSXSeal(path)
	}
	if err != nil {
		c.fail(name, "%v", err)
		return c, nil, nil
	}
	c.Checkpoint, c.Logged = rec.Checkpoint, rec.Logged
	if rec.Checkpoint == nil {
		c.fail(name, "it prints no signed checkpoint (%s): nothing outside the file vouches for the archive it came from", orText(rec.Problem, "none had been signed"))
	} else if rec.Key != "" && rec.Key != rec.Checkpoint.Key {
		c.fail(name, "it names signing key %s but its checkpoint is signed by %s", evidence.ShortFingerprint(rec.Key), evidence.ShortFingerprint(rec.Checkpoint.Key))
	}
	return c, &rec, nil
}

// readPDFSeal reads the seal from a PDF's document information.
func readPDFSeal(path string) (rec sealRecord, err error) {
	defer func() {
		if r := recover(); r != nil { // the PDF reader panics on some damaged files
			err = fmt.Errorf("not a readable PDF: %v", r)
		}
	}()
	f, r, err := pdf.Open(path)
	if err != nil {
		return rec, fmt.Errorf("not a readable PDF: %w", err)
	}
	defer f.Close()
	return parseSealKeywords(r.Trailer().Key("Info").Key("Keywords").Text())
}

// VerifyReport checks a report against the archive svc opens: its bytes
// against its .sha256 file and against the archive's record of writing it,
// and the checkpoint it prints against the archive's log (count, head hash,
// signature by a key the log records, timestamp) — so a log truncated or
// rewritten since the report was made is caught — along with everything
// audit verify checks, as the report rests on the archive.
func VerifyReport(ctx context.Context, svc *tracker.Service, path string) (ReportCheck, error) {
	c, rec, err := readReport(path)
	if err != nil {
		return c, err
	}
	var external []evidence.Checkpoint
	if rec != nil && rec.Checkpoint != nil {
		external = append(external, *rec.Checkpoint)
	}
	v, err := svc.VerifyArchive(ctx, external...)
	if err != nil {
		return c, fmt.Errorf("verify report: %w", err)
	}
	c.Against = "archive " + v.Archive
	c.Problems = append(c.Problems, v.Problems...)
	c.checkLogged(rec, v.Files, "the archive's log")
	return c, nil
}

// checkLogged looks for the report among the files a log records.
func (c *ReportCheck) checkLogged(rec *sealRecord, files map[string]evidence.Logged[evidence.FileFacts], where string) {
	name := filepath.Base(c.File)
	logged, ok := files[c.SHA256]
	switch {
	case ok:
		c.Entry = logged.Entry
		if cp := c.Checkpoint; cp != nil && logged.Facts.Checkpoint != cp.Entries {
			c.fail(name, "%s (entry %d) says this report printed the checkpoint of %d entries, but it prints %d", where, logged.Entry, logged.Facts.Checkpoint, cp.Entries)
		}
	case rec != nil && rec.Logged:
		c.fail(name, "%s has no report with SHA-256 %s: the file was changed after it was written, or it comes from another archive", where, c.SHA256)
	case rec != nil:
		c.Notes = append(c.Notes, "it was made with --deterministic and is not logged: its bytes are vouched for only by its .sha256 file")
		if c.Sidecar == "" {
			c.fail(name, "neither a log entry nor a .sha256 file vouches for its bytes")
		}
	}
}

// VerifyReportWithBundle checks a report against an evidence bundle,
// offline: its bytes against its .sha256 file and the bundle's log, and the
// checkpoint it prints against the bundle's log segment and keys, along
// with everything verify-bundle checks. The segment must reach back to the
// report's checkpoint (export the bundle with a --since before the report).
func VerifyReportWithBundle(path, bundle string, opts evidence.BundleOptions) (ReportCheck, error) {
	c, rec, err := readReport(path)
	if err != nil {
		return c, err
	}
	if rec != nil && rec.Checkpoint != nil {
		cp := *rec.Checkpoint
		opts.Checkpoints = append(opts.Checkpoints, cp)
	}
	v, err := evidence.VerifyBundle(bundle, opts)
	if err != nil {
		return c, fmt.Errorf("verify report: %w", err)
	}
	c.Against = "bundle " + filepath.Base(bundle) + " (archive " + v.Manifest.Archive + ")"
	c.Problems = append(c.Problems, v.Problems...)
	c.Notes = append(c.Notes, v.Notes...)
	if cp := c.Checkpoint; cp != nil && cp.Entries < v.First {
		c.fail(filepath.Base(path), "its checkpoint covers %d entries, before the bundle's log segment (entries %d–%d) starts: export the bundle with an earlier --since", cp.Entries, v.First, v.Last)
	}
	c.checkLogged(rec, v.Files, "the bundle's log segment")
	return c, nil
}
