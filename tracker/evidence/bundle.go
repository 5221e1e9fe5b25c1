package evidence

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// BundleFormat names the evidence bundle format (README "Evidence bundle").
const BundleFormat = "policywatch-evidence-bundle/1"

// Names of the fixed files of a bundle.
const (
	BundleManifestFile    = "manifest.json"
	BundleLogFile         = "log.jsonl"
	BundleCheckpointsFile = "checkpoints.json"
	BundleKeyFile         = "public-key.pem"
	BundleReadmeFile      = "README.txt"
)

// BundleManifest is a bundle's manifest.json: what was selected, the log
// segment, the key, and every record with its facts and files. The facts
// are those the log records, field for field, so that each can be held to
// its log entry.
type BundleManifest struct {
	Format    string          `json:"format"`
	Archive   string          `json:"archive"`
	CreatedAt string          `json:"created_at"`
	Generator string          `json:"generator"`
	Selection BundleSelection `json:"selection"`
	Key       BundleKey       `json:"key"`
	Log       BundleLog       `json:"log"`
	// Checkpoints names the file of the signed checkpoints of the segment.
	Checkpoints string           `json:"checkpoints"`
	Documents   []BundleDocument `json:"documents"`
	Versions    []BundleVersion  `json:"versions"`
	Changes     []BundleChange   `json:"changes"`
	Checklist   []BundleItem     `json:"checklist"`
	// Files lists every other file of the bundle with its SHA-256.
	Files []BundleFile `json:"files"`
}

// BundleSelection is what the bundle was exported for.
type BundleSelection struct {
	Since     string   `json:"since,omitempty"` // RFC 3339; empty: everything
	Platforms []string `json:"platforms"`       // slugs; empty: every platform
}

// BundleKey is the archive's signing key at export.
type BundleKey struct {
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"` // base64, as logged
	File        string `json:"file"`       // the same key as PEM
}

// BundleLog locates the log segment: entries First to Last, the first
// linking to PrevHash (Genesis when the segment starts the log).
type BundleLog struct {
	File     string `json:"file"`
	First    int64  `json:"first"`
	PrevHash string `json:"prev_hash"`
	Last     int64  `json:"last"`
	Head     string `json:"head"`
}

// BundleDocument is a document whose versions the bundle holds.
type BundleDocument struct {
	ID           int64  `json:"id"`
	Platform     string `json:"platform"`
	PlatformName string `json:"platform_name"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	URL          string `json:"url"`
}

// BundleVersion is an archived version: its logged facts, its normalised
// text and raw bytes as files, and the log entry that vouches for it.
type BundleVersion struct {
	VersionFacts
	TextFile string `json:"text_file"`
	RawFile  string `json:"raw_file,omitempty"`
	Entry    int64  `json:"log_entry"`
}

// BundleChange is a change's analysis (the facts the log's digest covers,
// and the stored analysis record as a file) and its review state.
type BundleChange struct {
	AnalysisFacts
	RecordFile  string       `json:"record_file"`
	Entry       int64        `json:"log_entry"`
	Review      *ReviewFacts `json:"review,omitempty"`
	ReviewEntry int64        `json:"review_log_entry,omitempty"`
}

// BundleItem is a checklist item's state and the entry that logged it.
type BundleItem struct {
	ItemFacts
	Entry int64 `json:"log_entry"`
}

// BundleFile is one file of the bundle.
type BundleFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// BundleOptions are what the verifier brings from outside the bundle.
type BundleOptions struct {
	// Key, when set, is the fingerprint the auditor expects the archive's
	// key to have (from a report, Settings): another key fails.
	Key string
	// Checkpoints kept elsewhere that the segment must agree with.
	Checkpoints []Checkpoint
}

// BundleVerification is what VerifyBundle found.
type BundleVerification struct {
	Manifest BundleManifest
	// Entries of the segment and its head.
	First, Last int64
	Head        string
	// Records checked against the log.
	Versions, Changes, Reviews, Items int
	// Checkpoints of the segment; Latest the newest.
	Checkpoints int
	Latest      *Checkpoint
	// Key is the fingerprint of the key the checkpoints are signed with;
	// KeyLogged says whether the segment itself records it.
	Key       string
	KeyLogged bool
	// Files are the reports and bundles the segment records, by SHA-256.
	Files    map[string]Logged[FileFacts]
	Problems []Problem
	Notes    []string
}

// OK reports whether nothing failed.
func (v BundleVerification) OK() bool { return len(v.Problems) == 0 }

func (v *BundleVerification) fail(record string, entry int64, format string, a ...any) {
	v.Problems = append(v.Problems, Problem{Record: record, Entry: entry, Reason: fmt.Sprintf(format, a...)})
}

// Limits of what the verifier reads from one bundle file into memory.
const (
	maxManifest  = 512 << 20
	maxLogLine   = 64 << 20
	maxSmallFile = 64 << 20
)

// VerifyBundle checks an evidence bundle offline, with nothing but the zip:
// every file against the manifest's SHA-256; the log segment's hash chain;
// the checkpoints (head, signature by the key the segment logs — or, when
// it does not reach back to that entry, the bundle's key, whose fingerprint
// the auditor compares — and trusted timestamps); every version's text and
// raw bytes rehashed and held, with its provenance, to its log entry; every
// analysis digest recomputed from the manifest's facts and the record file;
// every review and checklist state against its newest entry; and that a
// signed checkpoint covers each of those entries. An error means the file
// is not a readable bundle; everything else is a Problem naming what fails.
func VerifyBundle(path string, opts BundleOptions) (BundleVerification, error) {
	var v BundleVerification
	zr, err := zip.OpenReader(path)
	if err != nil {
		return v, fmt.Errorf("not a readable evidence bundle: %s: %w", path, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if _, dup := files[f.Name]; dup {
			v.fail("file "+f.Name, 0, "the bundle holds it twice (one copy was added)")
		}
		files[f.Name] = f
	}
	mf, ok := files[BundleManifestFile]
	if !ok {
		return v, fmt.Errorf("not an evidence bundle: %s has no %s", path, BundleManifestFile)
	}
	mb, err := readZipFile(mf, maxManifest)
	if err != nil {
		return v, fmt.Errorf("evidence bundle %s: %w", path, err)
	}
	if err := json.Unmarshal(mb, &v.Manifest); err != nil {
		return v, fmt.Errorf("evidence bundle %s: its manifest is unreadable: %w", path, err)
	}
	m := &v.Manifest
	if m.Format != BundleFormat {
		return v, fmt.Errorf("evidence bundle %s: format %q, this PolicyWatch reads %q", path, m.Format, BundleFormat)
	}

	// Every file is the one the manifest lists, and nothing was added.
	hashes := v.checkFiles(files)

	// The checkpoints, then the log segment through the chain.
	var cps []Checkpoint
	if b, ok := v.readListed(files, hashes, m.Checkpoints); ok {
		if err := json.Unmarshal(b, &cps); err != nil {
			v.fail("file "+m.Checkpoints, 0, "unreadable: %v", err)
		}
	}
	for i := range cps {
		if cps[i].Format != CheckpointFormat {
			v.fail("file "+m.Checkpoints, 0, "checkpoint %d has format %q", i+1, cps[i].Format)
		}
	}
	v.Checkpoints = len(cps)
	chain := NewChain(append(append([]Checkpoint(nil), cps...), opts.Checkpoints...))
	chain.StartAt(m.Log.First, m.Log.PrevHash)
	v.readLog(files, hashes, chain)
	v.First, v.Last, v.Head = chain.First, chain.Last, chain.Head
	if v.Last != m.Log.Last || v.Head != m.Log.Head || v.First != m.Log.First {
		v.fail("file "+m.Log.File, 0, "it holds entries %d–%d ending with %s, the manifest says %d–%d ending with %s",
			v.First, v.Last, short(v.Head), m.Log.First, m.Log.Last, short(m.Log.Head))
	}
	v.checkKey(files, hashes, chain, opts)
	chain.Finish()
	v.Problems = append(v.Problems, chain.Problems...)
	l := chain.Ledger
	v.Files = l.Files

	// The newest checkpoint that belongs to this archive vouches for the
	// entries up to its count.
	var covered int64
	for i := range cps {
		cp := cps[i]
		if cp.Archive != m.Archive {
			v.fail(fmt.Sprintf("checkpoint of %d entries signed %s", cp.Entries, FormatTime(cp.At)), cp.Entries,
				"it is of archive %s, the bundle of archive %s", cp.Archive, m.Archive)
			continue
		}
		if cp.Entries >= covered && cp.Entries <= v.Last {
			covered = cp.Entries
			v.Latest = &cps[i]
		}
	}
	switch {
	case v.Latest == nil:
		v.fail("log", 0, "no signed checkpoint of archive %s covers entries %d–%d: nothing vouches for the segment", m.Archive, v.First, v.Last)
	case covered < v.Last:
		v.Notes = append(v.Notes, fmt.Sprintf("entries %d–%d are newer than the last checkpoint in the bundle", covered+1, v.Last))
	}
	vouched := func(record string, entry int64) {
		if v.Latest != nil && entry > covered {
			v.fail(record, entry, "its log entry %d is newer than the last signed checkpoint (%d entries): nothing signed vouches for it", entry, covered)
		}
	}

	v.checkVersions(files, hashes, l, vouched)
	v.checkChanges(files, hashes, l, vouched)
	for _, it := range m.Checklist {
		v.Items++
		rec := fmt.Sprintf("checklist item %d", it.Item)
		logged, ok := l.Items[it.Item]
		if !ok {
			v.fail(rec, 0, "the log segment has no entry for it")
			continue
		}
		if d := Differences(it.ItemFacts, logged.Facts); len(d) > 0 {
			v.fail(rec, logged.Entry, "%s (logged in entry %d)", strings.Join(d, "; "), logged.Entry)
		}
		if it.Entry != logged.Entry {
			v.fail(rec, logged.Entry, "the manifest names entry %d, but its newest entry is %d", it.Entry, logged.Entry)
		}
		vouched(rec, logged.Entry)
	}
	return v, nil
}

// checkFiles compares every file with the manifest's list and returns the
// listed files whose bytes matched.
func (v *BundleVerification) checkFiles(files map[string]*zip.File) map[string]BundleFile {
	listed := map[string]BundleFile{}
	for _, f := range v.Manifest.Files {
		listed[f.Path] = f
	}
	ok := map[string]BundleFile{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == BundleManifestFile {
			continue
		}
		want, isListed := listed[name]
		if !isListed {
			v.fail("file "+name, 0, "it is not listed in the manifest (added)")
			continue
		}
		sum, n, err := hashZipFile(files[name])
		switch {
		case err != nil:
			v.fail("file "+name, 0, "unreadable: %v", err)
		case sum != want.SHA256 || n != want.Bytes:
			v.fail("file "+name, 0, "its SHA-256 is %s (%d bytes), the manifest lists %s (%d bytes): the file was changed", short(sum), n, short(want.SHA256), want.Bytes)
		default:
			ok[name] = want
		}
	}
	for _, f := range v.Manifest.Files {
		if _, there := files[f.Path]; !there {
			v.fail("file "+f.Path, 0, "listed in the manifest but missing from the bundle (deleted)")
		}
	}
	return ok
}

// readListed reads a listed file whose bytes matched the manifest; a
// missing or changed one was reported by checkFiles.
func (v *BundleVerification) readListed(files map[string]*zip.File, hashes map[string]BundleFile, name string) ([]byte, bool) {
	if _, ok := hashes[name]; !ok {
		if name == "" {
			v.fail("manifest", 0, "it names no file where one is needed")
		}
		return nil, false
	}
	b, err := readZipFile(files[name], maxSmallFile)
	if err != nil {
		v.fail("file "+name, 0, "unreadable: %v", err)
		return nil, false
	}
	return b, true
}

// readLog feeds the segment's entries to the chain.
func (v *BundleVerification) readLog(files map[string]*zip.File, hashes map[string]BundleFile, chain *Chain) {
	name := v.Manifest.Log.File
	f, ok := files[name]
	if !ok {
		v.fail("file "+name, 0, "the log segment is missing")
		return
	}
	rc, err := f.Open()
	if err != nil {
		v.fail("file "+name, 0, "unreadable: %v", err)
		return
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 1<<20), maxLogLine)
	line := 0
	for sc.Scan() {
		line++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			v.fail("file "+name, 0, "line %d is not a log entry: %v", line, err)
			continue
		}
		chain.Add(e)
	}
	if err := sc.Err(); err != nil {
		v.fail("file "+name, 0, "unreadable: %v", err)
	}
}

// checkKey decides which keys checkpoints may be signed with: those the
// segment logs; when it logs none (it starts after the key's entry), the
// bundle's own key, whose fingerprint the auditor must compare.
func (v *BundleVerification) checkKey(files map[string]*zip.File, hashes map[string]BundleFile, chain *Chain, opts BundleOptions) {
	k := v.Manifest.Key
	pub, err := DecodePublic(k.PublicKey, k.Fingerprint)
	if err != nil {
		v.fail("signing key", 0, "the manifest's key is unusable: %v", err)
	}
	if b, ok := v.readListed(files, hashes, k.File); ok && pub != nil {
		if pem, err := ParsePublicPEM(b); err != nil || Fingerprint(pem) != k.Fingerprint {
			v.fail("file "+k.File, 0, "it does not hold the manifest's key %s", ShortFingerprint(k.Fingerprint))
		}
	}
	v.Key = k.Fingerprint
	if _, logged := chain.Ledger.Key(k.Fingerprint, 0); logged {
		v.KeyLogged = true
	} else if len(chain.Ledger.Keys) > 0 {
		v.fail("signing key", 0, "the bundle names key %s, but the log segment records key %s", ShortFingerprint(k.Fingerprint), ShortFingerprint(chain.Ledger.CurrentKey()))
	} else if pub != nil {
		chain.Trust(pub)
		v.Notes = append(v.Notes, "the log segment starts after the entry recording the signing key: the checkpoints are checked with the bundle's key "+
			k.Fingerprint+"; compare it with the fingerprint printed in this archive's reports or shown in its Settings")
	}
	if opts.Key != "" && !strings.EqualFold(strings.ReplaceAll(opts.Key, " ", ""), k.Fingerprint) {
		v.fail("signing key", 0, "the bundle is signed with key %s, not the expected %s", k.Fingerprint, opts.Key)
	}
}

// checkVersions rehashes each version's files and holds its facts to the log.
func (v *BundleVerification) checkVersions(files map[string]*zip.File, hashes map[string]BundleFile, l *Ledger, vouched func(string, int64)) {
	for _, bv := range v.Manifest.Versions {
		v.Versions++
		rec := fmt.Sprintf("version %d", bv.Version)
		if f, ok := hashes[bv.TextFile]; !ok {
			v.fail(rec, 0, "its text file %q is missing or changed", bv.TextFile)
		} else if f.SHA256 != bv.TextSHA256 || f.Bytes != int64(bv.TextBytes) {
			v.fail(rec, 0, "its text file %s hashes to %s (%d bytes), not its text SHA-256 %s (%d bytes)", bv.TextFile, short(f.SHA256), f.Bytes, short(bv.TextSHA256), bv.TextBytes)
		}
		if bv.RawFile != "" || bv.RawSHA256 != "" {
			if f, ok := hashes[bv.RawFile]; !ok {
				v.fail(rec, 0, "its raw bytes file %q is missing or changed", bv.RawFile)
			} else if f.SHA256 != bv.RawSHA256 || f.Bytes != int64(bv.RawBytes) {
				v.fail(rec, 0, "its raw bytes file %s hashes to %s (%d bytes), not its raw SHA-256 %s (%d bytes)", bv.RawFile, short(f.SHA256), f.Bytes, short(bv.RawSHA256), bv.RawBytes)
			}
		}
		logged, ok := l.Versions[bv.Version]
		if !ok {
			v.fail(rec, 0, "the log segment has no entry for it")
			continue
		}
		if d := Differences(bv.VersionFacts, logged.Facts); len(d) > 0 {
			v.fail(rec, logged.Entry, "%s (logged in entry %d)", strings.Join(d, "; "), logged.Entry)
		}
		if bv.Entry != logged.Entry {
			v.fail(rec, logged.Entry, "the manifest names entry %d, but its entry is %d", bv.Entry, logged.Entry)
		}
		vouched(rec, logged.Entry)
	}
}

// checkChanges recomputes each analysis digest and checks each review.
func (v *BundleVerification) checkChanges(files map[string]*zip.File, hashes map[string]BundleFile, l *Ledger, vouched func(string, int64)) {
	for _, bc := range v.Manifest.Changes {
		v.Changes++
		rec := fmt.Sprintf("change %d", bc.Change)
		if f, ok := hashes[bc.RecordFile]; !ok {
			v.fail(rec, 0, "its analysis record file %q is missing or changed", bc.RecordFile)
		} else if f.SHA256 != bc.RecordSHA256 {
			v.fail(rec, 0, "its analysis record file %s hashes to %s, not the record SHA-256 %s", bc.RecordFile, short(f.SHA256), short(bc.RecordSHA256))
		}
		logged, ok := l.Analyses[bc.Change]
		if !ok {
			v.fail(rec, 0, "the log segment has no entry for its analysis")
		} else {
			if got := bc.AnalysisFacts.Entry(); got != logged.Facts {
				d := Differences(got, logged.Facts)
				if len(d) == 1 && strings.HasPrefix(d[0], "digest") {
					d = []string{"its analysis (summary, rationale, findings or record) differs from the one logged"}
				}
				v.fail(rec, logged.Entry, "%s (logged in entry %d)", strings.Join(d, "; "), logged.Entry)
			}
			if bc.Entry != logged.Entry {
				v.fail(rec, logged.Entry, "the manifest names entry %d, but its newest analysis entry is %d", bc.Entry, logged.Entry)
			}
			vouched(rec, logged.Entry)
		}
		lr, reviewLogged := l.Reviews[bc.Change]
		switch {
		case bc.Review != nil && reviewLogged:
			v.Reviews++
			if d := Differences(*bc.Review, lr.Facts); len(d) > 0 {
				v.fail(rec+" review", lr.Entry, "%s (logged in entry %d)", strings.Join(d, "; "), lr.Entry)
			}
			vouched(rec+" review", lr.Entry)
		case bc.Review != nil && bc.Review.Reviewed:
			v.fail(rec+" review", 0, "marked reviewed by %q but the log segment has no review of it", bc.Review.By)
		case bc.Review == nil && reviewLogged && lr.Facts.Reviewed:
			v.fail(rec+" review", lr.Entry, "the log says it was reviewed (entry %d), the manifest leaves the review out", lr.Entry)
		}
	}
}

func readZipFile(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, limit)
	}
	return b, nil
}

// hashZipFile streams a zip entry through SHA-256 (the zip's own CRC is
// checked by the reader at the end).
func hashZipFile(f *zip.File) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) {
			return "", n, errors.New("its zip checksum fails (damaged)")
		}
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
