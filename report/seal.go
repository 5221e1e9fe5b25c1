package report

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"policywatch/tracker/evidence"
)

// SealFormat names the machine-readable copy of a report's seal.
const SealFormat = "policywatch-report-seal/1"

// sealRecord is the seal as a report embeds it: the checkpoint it prints,
// the signing key's fingerprint, and whether the report is logged in the
// archive it came from (deterministic reports are not, so that the same
// archive keeps giving the same file).
type sealRecord struct {
	Format     string               `json:"format"`
	Checkpoint *evidence.Checkpoint `json:"checkpoint,omitempty"`
	Key        string               `json:"key,omitempty"`
	Problem    string               `json:"problem,omitempty"`
	Logged     bool                 `json:"logged"`
}

func (m *Model) sealRecord() sealRecord {
	return sealRecord{Format: SealFormat, Checkpoint: m.Seal.Checkpoint, Key: m.Seal.Key, Problem: m.Seal.Problem,
		Logged: m.archive != nil && !m.Deterministic}
}

// What each fingerprint a report prints covers, said the same way on the
// PDF cover and the XLSX Summary.
var fingerprintCovers = [][2]string{
	{"Database fingerprint", "SHA-256 over the sorted, newline-terminated SHA-256 hashes of the text of every archived version this report cites (listed in the evidence appendix). It names the evidence the report rests on; it says nothing of the rest of the archive."},
	{"Log head", "SHA-256 of the newest of the checkpoint's log entries. Each entry's hash covers the previous entry's hash and its own facts (a version's text and raw-bytes hashes and provenance, an analysis digest, a checklist state, a review), so the head commits to every record logged up to then: a later edit, deletion, truncation or re-chaining of those entries no longer reaches it."},
	{"Signature", "Ed25519 signature, by the signing key, of the text \"policywatch checkpoint 1\\narchive A\\nentries N\\nhead H\\ntime T\\nkey K\\n\" with the values printed here."},
	{"Trusted timestamp", "An RFC 3161 token from the time-stamping authority over the SHA-256 of that text followed by \"signature S\\n\": an outside witness that the checkpoint existed by then (only when a TSA is set)."},
	{"Signing key fingerprint", "SHA-256 of the installation's 32-byte Ed25519 public key. The archive's log records the key; Settings and `policywatch audit key` show its fingerprint."},
	{"Report file", "A report cannot hold its own hash: its SHA-256 is written to <file>.sha256 beside it and, except for --deterministic reports, to the archive's log. `policywatch verify-report FILE` checks both, and this checkpoint against the archive or an evidence bundle."},
}

// publish follows a report written at path: it writes <path>.sha256
// (atomically, in the sha256sum format) and, for a model built from an
// archive and not deterministic, logs the report there and signs a
// checkpoint covering that entry.
func (m *Model) publish(ctx context.Context, path, format string) error {
	sum, size, err := evidence.FileSHA256(path)
	if err != nil {
		return fmt.Errorf("hash %s: %w", path, err)
	}
	if err := writeSidecar(ctx, path, sum); err != nil {
		return fmt.Errorf("report %s written, but %w", path, err)
	}
	rec := m.sealRecord()
	if !rec.Logged {
		return nil
	}
	f := evidence.FileFacts{File: path, Format: format, SHA256: sum, Bytes: size}
	if cp := m.Seal.Checkpoint; cp != nil {
		f.Checkpoint = cp.Entries
	}
	if _, err := m.archive.RecordFile(ctx, evidence.ActionReport, f); err != nil {
		return fmt.Errorf("report %s written, but %w", path, err)
	}
	return nil
}

// SidecarPath is where a report's SHA-256 is written: <path>.sha256.
func SidecarPath(path string) string { return path + ".sha256" }

// writeSidecar writes "<sha256>  <file name>\n", the format `sha256sum -c`
// checks, atomically.
func writeSidecar(ctx context.Context, path, sum string) error {
	line := sum + "  " + filepath.Base(path) + "\n"
	err := writeAtomic(ctx, SidecarPath(path), func(w io.Writer) error {
		_, err := io.WriteString(w, line)
		return err
	})
	if err != nil {
		return fmt.Errorf("its SHA-256 file could not be written: %w", err)
	}
	return nil
}

// ReadSidecar reads the SHA-256 recorded beside a report; ok is false when
// there is no such file.
func ReadSidecar(path string) (sum string, ok bool, err error) {
	f, err := os.Open(SidecarPath(path))
	if os.IsNotExist(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 4096))
	if !sc.Scan() {
		return "", true, fmt.Errorf("%s is empty", SidecarPath(path))
	}
	fields := strings.Fields(sc.Text())
	if len(fields) == 0 || len(fields[0]) != 64 {
		return "", true, fmt.Errorf("%s does not start with a SHA-256", SidecarPath(path))
	}
	if _, err := hex.DecodeString(fields[0]); err != nil {
		return "", true, fmt.Errorf("%s does not start with a SHA-256", SidecarPath(path))
	}
	return strings.ToLower(fields[0]), true, nil
}

// sealKeyword is the seal as a PDF keyword: "seal:" and the base64 of its
// JSON (base64 keeps it clear of PDF string escapes).
func (m *Model) sealKeyword() string {
	b, err := json.Marshal(m.sealRecord())
	if err != nil {
		return ""
	}
	return "seal:" + base64.StdEncoding.EncodeToString(b)
}

// parseSealKeywords finds the seal in a PDF's keywords.
func parseSealKeywords(keywords string) (sealRecord, error) {
	var rec sealRecord
	for _, f := range strings.Fields(keywords) {
		if enc, ok := strings.CutPrefix(f, "seal:"); ok {
			b, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				return rec, fmt.Errorf("its seal is damaged: %w", err)
			}
			if err := json.Unmarshal(b, &rec); err != nil {
				return rec, fmt.Errorf("its seal is damaged: %w", err)
			}
			if rec.Format != SealFormat {
				return rec, fmt.Errorf("its seal has format %q, not %q", rec.Format, SealFormat)
			}
			return rec, nil
		}
	}
	return rec, errNoSeal
}

var errNoSeal = fmt.Errorf("it carries no PolicyWatch seal (not a PolicyWatch report, or one rewritten by another program)")
