package evidence

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Actions of the entries that vouch for records. Each is followed by the
// record's facts as the entry's Data; the newest entry of a record is the
// state the archive must hold.
const (
	ActionStart        = "evidence.start"    // StartFacts: the log begins vouching for records
	ActionKey          = "key.create"        // KeyFacts: an installation signing key
	ActionVersion      = "version.add"       // VersionFacts
	ActionAnalysis     = "analysis.save"     // AnalysisEntry
	ActionChecklistNew = "checklist.create"  // ItemFacts
	ActionChecklistSet = "checklist.update"  // ItemFacts
	ActionReview       = "change.reviewed"   // ReviewFacts
	ActionUnreview     = "change.unreviewed" // ReviewFacts
	ActionReport       = "report.write"      // FileFacts
	ActionBundle       = "evidence.export"   // FileFacts
)

// Subjects name the record an entry is about.
func VersionSubject(id int64) string   { return fmt.Sprintf("version:%d", id) }
func ChangeSubject(id int64) string    { return fmt.Sprintf("change:%d", id) }
func ChecklistSubject(id int64) string { return fmt.Sprintf("checklist:%d", id) }

// StartFacts open the evidence log of one archive.
type StartFacts struct {
	Archive string `json:"archive"` // random id naming the archive (and its key in the keyring)
	Format  int    `json:"format"`
}

// KeyFacts record an installation signing key.
type KeyFacts struct {
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"` // base64 of the 32-byte Ed25519 public key
	Replaces    string `json:"replaces,omitempty"`
}

// VersionFacts are what the log records of an archived version: where and
// when it was captured, and the hashes of its text and raw bytes.
type VersionFacts struct {
	Version     int64  `json:"version"`
	Document    int64  `json:"document"`
	CapturedAt  string `json:"captured_at"`
	Source      string `json:"source"` // check, import, re-extract
	URL         string `json:"url"`
	HTTPStatus  int    `json:"http_status"`
	ContentType string `json:"content_type"`
	TextSHA256  string `json:"text_sha256"`
	TextBytes   int    `json:"text_bytes"`
	RawSHA256   string `json:"raw_sha256"` // "" when no raw bytes are kept
	RawBytes    int    `json:"raw_bytes"`
	StatedDate  string `json:"stated_date,omitempty"`
	// Imported versions: the dataset and the file they came from. The
	// file's own SHA-256 is RawSHA256 (the raw bytes are the file).
	Dataset        string `json:"dataset,omitempty"`
	DatasetRelease string `json:"dataset_release,omitempty"`
	DatasetCommit  string `json:"dataset_commit,omitempty"`
	SourceFile     string `json:"source_file,omitempty"`
}

// FindingFacts are one stored finding of a change.
type FindingFacts struct {
	Category      string   `json:"category"`
	Direction     string   `json:"direction"`
	Exposure      string   `json:"exposure"`
	Heading       string   `json:"heading"`
	Evidence      string   `json:"evidence"`
	Rule          string   `json:"rule"`
	Jurisdictions []string `json:"jurisdictions"`
}

// AnalysisFacts are everything stored of a change's analysis: the figures
// lists and reports read, its findings, and the SHA-256 of the full
// analysis record (JSON) the GUI and reports render.
type AnalysisFacts struct {
	Change       int64          `json:"change"`
	Document     int64          `json:"document"`
	From         int64          `json:"from_version"`
	To           int64          `json:"to_version"`
	DetectedAt   string         `json:"detected_at"`
	Substantive  bool           `json:"substantive"`
	Exposure     string         `json:"exposure"`
	Summary      string         `json:"summary"`
	Rationale    string         `json:"rationale"`
	AddedWords   int            `json:"added_words"`
	RemovedWords int            `json:"removed_words"`
	RecordSHA256 string         `json:"record_sha256"`
	Findings     []FindingFacts `json:"findings"`
}

// Canonical puts the facts in their one canonical form: jurisdictions
// sorted and unique, empty lists as [].
func (a *AnalysisFacts) Canonical() {
	if a.Findings == nil {
		a.Findings = []FindingFacts{}
	}
	for i := range a.Findings {
		f := &a.Findings[i]
		codes := append([]string(nil), f.Jurisdictions...)
		sort.Strings(codes)
		out := codes[:0]
		for _, c := range codes {
			if len(out) == 0 || out[len(out)-1] != c {
				out = append(out, c)
			}
		}
		if out == nil {
			out = []string{}
		}
		f.Jurisdictions = out
	}
}

// Digest is the SHA-256 of the facts' canonical JSON.
func (a AnalysisFacts) Digest() string {
	a.Findings = append([]FindingFacts(nil), a.Findings...)
	a.Canonical()
	b, _ := json.Marshal(a)
	return SHA256Hex(b)
}

// AnalysisEntry is the Data of an analysis entry: the digest of the
// AnalysisFacts and, readable without them, the figures that matter most.
type AnalysisEntry struct {
	Change      int64  `json:"change"`
	Digest      string `json:"digest"`
	Exposure    string `json:"exposure"`
	Substantive bool   `json:"substantive"`
	Findings    int    `json:"findings"`
}

// Entry summarises the facts for the log.
func (a AnalysisFacts) Entry() AnalysisEntry {
	return AnalysisEntry{Change: a.Change, Digest: a.Digest(), Exposure: a.Exposure, Substantive: a.Substantive, Findings: len(a.Findings)}
}

// ItemFacts are a checklist item's whole state.
type ItemFacts struct {
	Item        int64  `json:"item"`
	Change      int64  `json:"change"`
	Category    string `json:"category"`
	Seq         int    `json:"seq"`
	Text        string `json:"text"`
	Status      string `json:"status"`
	Owner       string `json:"owner"`
	DueDate     string `json:"due_date"`
	Note        string `json:"note"`
	EvidenceRef string `json:"evidence_ref"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

// ReviewFacts are a change's review state after a review or its undo.
type ReviewFacts struct {
	Change   int64  `json:"change"`
	Reviewed bool   `json:"reviewed"`
	At       string `json:"at"`
	By       string `json:"by"`
	Note     string `json:"note"`
}

// FileFacts record a file PolicyWatch wrote (a report, an evidence bundle):
// its name, SHA-256 and size, and the checkpoint printed inside it.
type FileFacts struct {
	File       string `json:"file"`
	Format     string `json:"format"`
	SHA256     string `json:"sha256"`
	Bytes      int64  `json:"bytes"`
	Checkpoint int64  `json:"checkpoint_entries,omitempty"`
}

// Encode is the canonical JSON of facts, as an entry's Data.
func Encode(facts any) json.RawMessage {
	b, err := json.Marshal(facts)
	if err != nil {
		panic(fmt.Sprintf("evidence: encode %T: %v", facts, err)) // facts are plain structs
	}
	return b
}

// Differences names the fields (by JSON name) in which got differs from
// want, with both values: "status: \"done\", logged \"open\"".
func Differences(got, want any) []string {
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	if gv.Type() != wv.Type() || gv.Kind() != reflect.Struct {
		return []string{"different kinds of record"}
	}
	var out []string
	for i := 0; i < gv.NumField(); i++ {
		f := gv.Type().Field(i)
		a, b := gv.Field(i).Interface(), wv.Field(i).Interface()
		if reflect.DeepEqual(a, b) {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" {
			name = f.Name
		}
		out = append(out, fmt.Sprintf("%s is %s, logged %s", name, show(a), show(b)))
	}
	return out
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 60 {
			x = x[:57] + "…"
		}
		return fmt.Sprintf("%q", x)
	case []FindingFacts:
		return fmt.Sprintf("%d finding(s)", len(x))
	}
	return fmt.Sprint(v)
}
