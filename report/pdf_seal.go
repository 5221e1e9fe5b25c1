package report

import (
	"fmt"

	"policywatch/tracker/evidence"
)

// pdfKeywords are the PDF's keywords: the database fingerprint and the
// machine-readable seal verify-report reads back.
func pdfKeywords(m *Model) string {
	return "policywatch fingerprint:" + m.Fingerprint + " " + m.sealKeyword()
}

// sealRows are the seal as printed: the checkpoint (entry count, head hash,
// signature, timestamp) and the signing key.
func sealRows(m *Model) [][2]string {
	cp := m.Seal.Checkpoint
	if cp == nil {
		return [][2]string{
			{"Checkpoint", "none: " + orText(m.Seal.Problem, "no checkpoint has been signed")},
			{"Signing key fingerprint", orText(m.Seal.Key, "none yet")},
		}
	}
	rows := [][2]string{
		{"Checkpoint", fmt.Sprintf("%d log entries of archive %s, signed %s", cp.Entries, cp.Archive, evidence.FormatTime(cp.At))},
		{"Log head", cp.Head},
		{"Signature", cp.Signature},
		{"Trusted timestamp", timestampText(cp)},
		{"Signing key fingerprint", cp.Key},
		{"Signing public key", cp.PublicKey + " (Ed25519, base64)"},
	}
	if m.Seal.Problem != "" {
		rows = append(rows, [2]string{"Not covered", m.Seal.Problem + ": entries after this checkpoint are not vouched for"})
	}
	if m.archive == nil || m.Deterministic {
		rows = append(rows, [2]string{"Logged", "no: --deterministic reports are not logged in the archive, so that the same archive gives the same file"})
	}
	return rows
}

// timestampText describes a checkpoint's trusted timestamp.
func timestampText(cp *evidence.Checkpoint) string {
	if len(cp.Timestamp) == 0 {
		return "none (no time-stamping authority set)"
	}
	info, err := evidence.CheckTimestamp(cp.Timestamp, cp.SignedText())
	if err != nil {
		return "from " + cp.TSA + ", which does NOT verify: " + err.Error()
	}
	return fmt.Sprintf("%s by %s (%s), RFC 3161 token of %d bytes", evidence.FormatTime(info.Time), info.Authority, cp.TSA, len(cp.Timestamp))
}

// sealBlock prints the seal on the cover, then what each fingerprint the
// report prints covers.
func (d *pdfDoc) sealBlock() {
	p := d.pdf
	p.SetFont(fontName, "B", 9.5)
	d.color(colAccent)
	p.SetX(marginL)
	p.CellFormat(contentW, 5.5, "Evidence seal", "", 1, "L", false, 0, "")
	const keyW, lh = 38.0, 3.6
	for _, kv := range sealRows(d.m) {
		y := p.GetY()
		p.SetXY(marginL, y)
		p.SetFont(fontName, "B", 7.5)
		d.color(colMuted)
		p.CellFormat(keyW, lh, d.txt(kv[0]), "", 0, "L", false, 0, "")
		p.SetFont(fontName, "", 7.5)
		d.color(colInk)
		p.SetY(y)
		d.multiAt(marginL+keyW, contentW-keyW, lh, kv[1])
	}
	p.Ln(1.5)
	p.SetFont(fontName, "B", 7)
	d.color(colMuted)
	p.SetX(marginL)
	p.CellFormat(contentW, 3.4, "What each fingerprint covers", "", 1, "L", false, 0, "")
	p.SetFont(fontName, "", 6.6)
	for _, kv := range fingerprintCovers {
		d.multiAt(marginL, contentW, 3.0, kv[0]+": "+kv[1])
	}
	d.body()
}
