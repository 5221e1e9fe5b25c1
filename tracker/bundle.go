package tracker

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"policywatch/tracker/evidence"
)

// EvidenceSelection is what an evidence bundle holds. Zero fields select
// everything, with the whole log; a selection carries the log from the
// entry of its oldest record or, with Since, from the first entry dated
// from then if that is earlier.
type EvidenceSelection struct {
	// Since keeps changes detected and versions captured from then on, and
	// each document's version in force at that time.
	Since time.Time
	// Platforms are platform slugs.
	Platforms []string
}

// BundleSummary says what ExportEvidence wrote.
type BundleSummary struct {
	Path   string
	SHA256 string
	Bytes  int64
	// Records in the bundle and the log segment it carries.
	Documents, Versions, Changes, Items int
	First, Last                         int64
	// Checkpoint is the signed checkpoint the segment ends at.
	Checkpoint evidence.Checkpoint
	Key        string
	// Seal says which checkpoint was signed after the export was logged.
	Seal string
}

// ExportEvidence writes an evidence bundle (README "Evidence bundle"): for
// the selection, every version's normalised text and raw bytes, every
// change's analysis record, review and checklist items, a manifest with
// their logged facts (hashes, provenance) and each file's SHA-256, the log
// segment that vouches for them up to a checkpoint signed now, the
// checkpoints in it and the public key. verify-bundle checks it offline.
// The zip is written atomically; the export is then logged (its SHA-256)
// and sealed with another checkpoint.
func (s *Service) ExportEvidence(ctx context.Context, path string, sel EvidenceSelection) (BundleSummary, error) {
	sum := BundleSummary{Path: path}
	if err := s.store.View(ctx, func(tx Tx) error {
		for _, slug := range sel.Platforms {
			if _, err := tx.PlatformBySlug(slug); err != nil {
				return unknownPlatform(slug, err)
			}
		}
		return nil
	}); err != nil {
		return sum, err
	}
	if err := checkWritable(path); err != nil {
		return sum, err
	}
	// Sign the log as it stands, then read it in one transaction; if
	// another writer got in between, sign again.
	var done bool
	for attempt := 0; attempt < 5 && !done; attempt++ {
		res, err := s.Checkpoint(ctx)
		if err != nil {
			if errors.Is(err, ErrNoSigningKey) {
				return sum, fmt.Errorf("export evidence: a bundle must end at a signed checkpoint, and %w", err)
			}
			return sum, fmt.Errorf("export evidence: %w", err)
		}
		err = s.store.View(ctx, func(tx Tx) error {
			last, err := tx.LastAudit()
			if err != nil {
				return err
			}
			if last.ID != res.Checkpoint.Entries || last.Hash != res.Checkpoint.Head {
				return nil // the log moved since the checkpoint: sign again
			}
			done = true
			sum.Checkpoint = res.Checkpoint
			return writeAtomicFile(ctx, path, func(w io.Writer) error {
				return s.writeBundle(ctx, tx, w, sel, res.Checkpoint, &sum)
			})
		})
		if err != nil {
			return sum, fmt.Errorf("export evidence: %w", err)
		}
	}
	if !done {
		return sum, errors.New("export evidence: the archive kept changing while the bundle was read; try again")
	}
	var err error
	if sum.SHA256, sum.Bytes, err = evidence.FileSHA256(path); err != nil {
		return sum, fmt.Errorf("export evidence: %w", err)
	}
	sum.Seal, err = s.RecordFile(ctx, evidence.ActionBundle, evidence.FileFacts{File: path, Format: "zip",
		SHA256: sum.SHA256, Bytes: sum.Bytes, Checkpoint: sum.Checkpoint.Entries})
	return sum, err
}

// bundleWriter writes zip entries and lists each with its SHA-256.
type bundleWriter struct {
	zw    *zip.Writer
	at    time.Time
	files []evidence.BundleFile
}

func (b *bundleWriter) add(name string, write func(io.Writer) error) error {
	w, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.at})
	if err != nil {
		return fmt.Errorf("bundle %s: %w", name, err)
	}
	h := sha256.New()
	c := &countWriter{w: io.MultiWriter(w, h)}
	if err := write(c); err != nil {
		return fmt.Errorf("bundle %s: %w", name, err)
	}
	b.files = append(b.files, evidence.BundleFile{Path: name, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: c.n})
	return nil
}

func (b *bundleWriter) bytes(name string, data []byte) error {
	return b.add(name, func(w io.Writer) error { _, err := w.Write(data); return err })
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeBundle reads the selection inside tx and writes the zip to w.
func (s *Service) writeBundle(ctx context.Context, tx Tx, w io.Writer, sel EvidenceSelection, cp evidence.Checkpoint, sum *BundleSummary) error {
	generator := "PolicyWatch " + s.version
	if s.version == "" {
		generator = "PolicyWatch dev"
	}
	m := evidence.BundleManifest{Format: evidence.BundleFormat, Archive: cp.Archive, CreatedAt: evidence.FormatTime(s.now()),
		Generator: generator, Checkpoints: evidence.BundleCheckpointsFile,
		Selection: evidence.BundleSelection{Platforms: append([]string{}, sel.Platforms...)}}
	if !sel.Since.IsZero() {
		m.Selection.Since = sel.Since.UTC().Format(time.RFC3339)
	}
	// What the selection holds.
	inPlatforms := map[string]bool{}
	for _, p := range sel.Platforms {
		inPlatforms[p] = true
	}
	docs, err := tx.ListDocuments(DocumentFilter{TrackedOrArchived: true})
	if err != nil {
		return err
	}
	docByID := map[int64]DocumentSummary{}
	for _, d := range docs {
		if len(inPlatforms) == 0 || inPlatforms[d.PlatformSlug] {
			docByID[d.ID] = d
		}
	}
	changes, err := tx.ListChanges(ChangeFilter{Since: sel.Since, PlatformSlugs: sel.Platforms})
	if err != nil {
		return err
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].ID < changes[j].ID })
	changeSet := map[int64]bool{}
	versionSet := map[int64]bool{}
	for _, c := range changes {
		changeSet[c.ID] = true
		versionSet[c.FromVersionID], versionSet[c.ToVersionID] = true, true
	}
	docIDs := make([]int64, 0, len(docByID))
	for id := range docByID {
		docIDs = append(docIDs, id)
	}
	sort.Slice(docIDs, func(i, j int) bool { return docIDs[i] < docIDs[j] })
	for _, id := range docIDs {
		vs, err := tx.ListVersions(id)
		if err != nil {
			return err
		}
		var inForce int64 // the newest version before Since
		var inForceAt time.Time
		for _, v := range vs {
			if sel.Since.IsZero() || !v.FetchedAt.Before(sel.Since) {
				versionSet[v.ID] = true
			} else if inForce == 0 || v.FetchedAt.After(inForceAt) {
				inForce, inForceAt = v.ID, v.FetchedAt
			}
		}
		if inForce != 0 {
			versionSet[inForce] = true
		}
	}
	rows, err := tx.ListChecklist(ChecklistFilter{})
	if err != nil {
		return err
	}
	var items []ChecklistItem
	for _, r := range rows {
		keep := changeSet[r.ChangeID]
		for _, id := range r.AlsoRaisedBy {
			keep = keep || changeSet[id]
		}
		if keep {
			items = append(items, r.ChecklistItem)
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })

	// The newest entry about each record, and where the segment starts.
	newest := map[string]int64{}
	var firstSince int64
	if err := tx.EachAudit(0, func(e AuditEntry) error {
		if e.ID > cp.Entries {
			return nil
		}
		if firstSince == 0 && !sel.Since.IsZero() && !e.At.Before(sel.Since) {
			firstSince = e.ID
		}
		switch e.Action {
		case evidence.ActionVersion, evidence.ActionAnalysis, evidence.ActionChecklistNew, evidence.ActionChecklistSet:
			newest[e.Action+" "+e.Subject] = e.ID
		case evidence.ActionReview, evidence.ActionUnreview:
			newest["review "+e.Subject] = e.ID
		}
		return ctx.Err()
	}); err != nil {
		return err
	}
	// The whole log for a whole export; for a selection, from the entry of
	// its oldest record (and, with Since, the first entry dated from then).
	first := int64(1)
	if !sel.Since.IsZero() || len(sel.Platforms) > 0 {
		first = cp.Entries
		if firstSince != 0 {
			first = firstSince
		}
	}
	lower := func(id int64) {
		if id > 0 && id < first {
			first = id
		}
	}

	bw := &bundleWriter{zw: zip.NewWriter(w), at: cp.At}
	ids := make([]int64, 0, len(versionSet))
	for id := range versionSet {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	listed := map[int64]bool{} // documents in the manifest
	for i, id := range ids {
		if i%100 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		v, err := tx.VersionByID(id)
		if err != nil {
			return fmt.Errorf("version %d: %w", id, err)
		}
		bv := evidence.BundleVersion{VersionFacts: versionFacts(v), TextFile: fmt.Sprintf("versions/%d.text.md", v.ID),
			Entry: newest[evidence.ActionVersion+" "+evidence.VersionSubject(v.ID)]}
		lower(bv.Entry)
		if err := bw.bytes(bv.TextFile, []byte(v.Text)); err != nil {
			return err
		}
		if len(v.Raw) > 0 {
			bv.RawFile = fmt.Sprintf("versions/%d.raw.%s", v.ID, rawExtension(v.ContentType))
			if err := bw.bytes(bv.RawFile, v.Raw); err != nil {
				return err
			}
		}
		m.Versions = append(m.Versions, bv)
		if d, ok := docByID[v.DocumentID]; ok && !listed[d.ID] {
			listed[d.ID] = true
			m.Documents = append(m.Documents, evidence.BundleDocument{ID: d.ID, Platform: d.PlatformSlug, PlatformName: d.PlatformName,
				Kind: d.Kind, Title: d.Title, URL: d.URL})
		}
	}
	sort.Slice(m.Documents, func(i, j int) bool { return m.Documents[i].ID < m.Documents[j].ID })
	for _, c := range changes {
		ce, err := tx.ChangeEvidence(c.ID)
		if err != nil {
			return fmt.Errorf("change %d: %w", c.ID, err)
		}
		bc := evidence.BundleChange{AnalysisFacts: analysisFacts(ce), RecordFile: fmt.Sprintf("changes/%d.record.json", c.ID),
			Entry: newest[evidence.ActionAnalysis+" "+evidence.ChangeSubject(c.ID)]}
		lower(bc.Entry)
		if e := newest["review "+evidence.ChangeSubject(c.ID)]; e > 0 || !ce.ReviewedAt.IsZero() {
			r := reviewFacts(ce.Change)
			bc.Review, bc.ReviewEntry = &r, e
			lower(e)
		}
		if err := bw.bytes(bc.RecordFile, ce.Record); err != nil {
			return err
		}
		m.Changes = append(m.Changes, bc)
	}
	for _, it := range items {
		subject := evidence.ChecklistSubject(it.ID)
		entry := max(newest[evidence.ActionChecklistNew+" "+subject], newest[evidence.ActionChecklistSet+" "+subject])
		lower(entry)
		m.Checklist = append(m.Checklist, evidence.BundleItem{ItemFacts: itemFacts(it), Entry: entry})
	}

	// The log segment, first to the checkpoint.
	m.Log = evidence.BundleLog{File: evidence.BundleLogFile, First: first, Last: cp.Entries, Head: cp.Head}
	err = bw.add(evidence.BundleLogFile, func(w io.Writer) error {
		bufw := bufio.NewWriter(w)
		enc := json.NewEncoder(bufw)
		err := tx.EachAudit(first-1, func(e AuditEntry) error {
			if e.ID > cp.Entries {
				return nil
			}
			if e.ID == first {
				m.Log.PrevHash = e.PrevHash
			}
			return enc.Encode(e)
		})
		if err != nil {
			return err
		}
		return bufw.Flush()
	})
	if err != nil {
		return err
	}
	cps, err := tx.ListCheckpoints()
	if err != nil {
		return err
	}
	var kept []evidence.Checkpoint
	for _, c := range cps {
		if c.Entries >= first && c.Entries <= cp.Entries {
			kept = append(kept, c)
		}
	}
	b, err := json.MarshalIndent(kept, "", " ")
	if err != nil {
		return err
	}
	if err := bw.bytes(evidence.BundleCheckpointsFile, b); err != nil {
		return err
	}
	_, key, err := currentKey(tx)
	if err != nil {
		return err
	}
	pub, err := evidence.DecodePublic(key.PublicKey, key.Fingerprint)
	if err != nil {
		return fmt.Errorf("the log's signing key: %w", err)
	}
	m.Key = evidence.BundleKey{Fingerprint: key.Fingerprint, PublicKey: key.PublicKey, File: evidence.BundleKeyFile}
	if err := bw.bytes(evidence.BundleKeyFile, evidence.PublicPEM(pub)); err != nil {
		return err
	}
	if err := bw.bytes(evidence.BundleReadmeFile, []byte(bundleReadme(m))); err != nil {
		return err
	}
	m.Files = bw.files
	mb, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	mw, err := bw.zw.CreateHeader(&zip.FileHeader{Name: evidence.BundleManifestFile, Method: zip.Deflate, Modified: cp.At})
	if err != nil {
		return err
	}
	if _, err := mw.Write(mb); err != nil {
		return err
	}
	if err := bw.zw.Close(); err != nil {
		return err
	}
	sum.Documents, sum.Versions, sum.Changes, sum.Items = len(m.Documents), len(m.Versions), len(m.Changes), len(m.Checklist)
	sum.First, sum.Last, sum.Key = first, cp.Entries, key.Fingerprint
	return nil
}

// rawExtension names a raw bytes file after its content type.
func rawExtension(contentType string) string {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "html"):
		return "html"
	case strings.Contains(ct, "pdf"):
		return "pdf"
	case strings.Contains(ct, "markdown"):
		return "md"
	case strings.HasPrefix(ct, "text/"):
		return "txt"
	}
	return "bin"
}

// bundleReadme tells whoever opens the zip what it is and how to check it.
func bundleReadme(m evidence.BundleManifest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "PolicyWatch evidence bundle (%s)\n\n", m.Format)
	fmt.Fprintf(&b, "Archive %s, exported %s by %s.\n", m.Archive, m.CreatedAt, m.Generator)
	fmt.Fprintf(&b, "Log entries %d to %d, ending at a checkpoint signed by key %s.\n\n", m.Log.First, m.Log.Last, m.Key.Fingerprint)
	b.WriteString(`To check it, on any machine, without the archive:

    policywatch verify-bundle THIS.zip [--key FINGERPRINT]

and compare the signing key's fingerprint with one you hold (printed on the
archive's reports, shown in its Settings).

manifest.json        what was selected; every record with its facts as logged
                     (hashes, provenance, analysis figures, checklist state)
                     and every file with its SHA-256
log.jsonl            the log segment, one entry per line; each entry's hash
                     covers the previous entry's hash and its own fields
checkpoints.json     the signed checkpoints in the segment (Ed25519, optional
                     RFC 3161 timestamp)
public-key.pem       the archive's signing key
versions/ID.text.md  a version's normalised text (its SHA-256 is the version's)
versions/ID.raw.EXT  the bytes as served, or the imported file
changes/ID.record.json  a change's stored analysis record
`)
	return b.String()
}

// checkWritable reports, before any work, why path cannot be written.
func checkWritable(path string) error {
	if path == "" {
		return errors.New("no file name given for the bundle")
	}
	info, err := os.Stat(filepath.Dir(path))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("cannot write %s: the folder %s does not exist", path, filepath.Dir(path))
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a folder", path, filepath.Dir(path))
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder", path)
	}
	return nil
}

// writeAtomicFile writes path through write into a temporary file in the
// same folder, synced, then renamed over path; on failure nothing changes.
func writeAtomicFile(ctx context.Context, path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".policywatch-*"+filepath.Ext(path))
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = ctx.Err(); err != nil {
		return fmt.Errorf("export of %s cancelled: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot replace %s: %w", path, err)
	}
	return nil
}
