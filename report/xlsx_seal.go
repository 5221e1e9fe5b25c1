package report

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"policywatch/tracker/evidence"
)

// Labels of the seal's rows on the Summary sheet; verify-report reads the
// checkpoint back from the cells beside them.
const (
	xlsxCheckpoint    = "Checkpoint"
	xlsxArchive       = "Checkpoint archive"
	xlsxEntries       = "Checkpoint entries"
	xlsxHead          = "Checkpoint log head"
	xlsxSignedAt      = "Checkpoint signed at"
	xlsxSignature     = "Checkpoint signature"
	xlsxTimestamp     = "Trusted timestamp"
	xlsxTSA           = "Trusted timestamp authority"
	xlsxToken         = "Trusted timestamp token (base64)"
	xlsxKey           = "Signing key fingerprint"
	xlsxPublicKey     = "Signing public key (Ed25519, base64)"
	xlsxLogged        = "Logged in the archive"
	xlsxCoversPrefix  = "Covers: "
	xlsxSealFormatRow = "Seal format"
)

// sealInfo is the seal as Summary rows: the checkpoint field by field,
// exactly (times to the millisecond, as signed), the key, then what each
// fingerprint covers.
func (m *Model) sealInfo() []struct {
	k string
	v interface{}
} {
	type row = struct {
		k string
		v interface{}
	}
	rec := m.sealRecord()
	rows := []row{{xlsxSealFormatRow, SealFormat}}
	if cp := rec.Checkpoint; cp != nil {
		rows = append(rows, row{xlsxArchive, cp.Archive}, row{xlsxEntries, cp.Entries}, row{xlsxHead, cp.Head},
			row{xlsxSignedAt, evidence.FormatTime(cp.At)}, row{xlsxSignature, cp.Signature}, row{xlsxTimestamp, timestampText(cp)})
		if len(cp.Timestamp) > 0 {
			rows = append(rows, row{xlsxTSA, cp.TSA}, row{xlsxToken, base64.StdEncoding.EncodeToString(cp.Timestamp)})
		}
		rows = append(rows, row{xlsxKey, cp.Key}, row{xlsxPublicKey, cp.PublicKey})
		if rec.Problem != "" {
			rows = append(rows, row{"Not covered", rec.Problem + ": entries after this checkpoint are not vouched for"})
		}
	} else {
		rows = append(rows, row{xlsxCheckpoint, "none: " + orText(rec.Problem, "no checkpoint has been signed")},
			row{xlsxKey, orText(rec.Key, "none yet")})
	}
	logged := "yes: the report's SHA-256 is entered in the archive's log when it is written"
	if !rec.Logged {
		logged = "no: --deterministic reports are not logged in the archive, so that the same archive gives the same file"
	}
	rows = append(rows, row{xlsxLogged, logged})
	for _, c := range fingerprintCovers {
		rows = append(rows, row{xlsxCoversPrefix + c[0], c[1]})
	}
	return rows
}

// readXLSXSeal reads the seal back from a workbook's Summary sheet.
func readXLSXSeal(path string) (sealRecord, error) {
	var rec sealRecord
	f, err := excelize.OpenFile(path)
	if err != nil {
		return rec, fmt.Errorf("not a readable workbook: %w", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetSummary)
	if err != nil {
		return rec, errNoSeal
	}
	cells := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			if _, dup := cells[r[0]]; !dup {
				cells[r[0]] = r[1]
			}
		}
	}
	if cells[xlsxSealFormatRow] == "" {
		return rec, errNoSeal
	}
	if cells[xlsxSealFormatRow] != SealFormat {
		return rec, fmt.Errorf("its seal has format %q, not %q", cells[xlsxSealFormatRow], SealFormat)
	}
	rec.Format = SealFormat
	rec.Logged = strings.HasPrefix(cells[xlsxLogged], "yes")
	rec.Key = cells[xlsxKey]
	if _, none := cells[xlsxCheckpoint]; none {
		rec.Problem = strings.TrimPrefix(cells[xlsxCheckpoint], "none: ")
		return rec, nil
	}
	cp := evidence.Checkpoint{Format: evidence.CheckpointFormat, Archive: cells[xlsxArchive], Head: cells[xlsxHead],
		Key: cells[xlsxKey], PublicKey: cells[xlsxPublicKey], Signature: cells[xlsxSignature], TSA: cells[xlsxTSA]}
	if cp.Entries, err = strconv.ParseInt(cells[xlsxEntries], 10, 64); err != nil {
		return rec, fmt.Errorf("its seal's %q is not a number: %q", xlsxEntries, cells[xlsxEntries])
	}
	if cp.At, err = evidence.ParseTime(cells[xlsxSignedAt]); err != nil || cp.At.IsZero() {
		return rec, fmt.Errorf("its seal's %q is not a time: %q", xlsxSignedAt, cells[xlsxSignedAt])
	}
	if tok := cells[xlsxToken]; tok != "" {
		if cp.Timestamp, err = base64.StdEncoding.DecodeString(tok); err != nil {
			return rec, fmt.Errorf("its seal's %q is damaged: %w", xlsxToken, err)
		}
	}
	rec.Checkpoint = &cp
	return rec, nil
}
