package evidence

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Tolerances of the time checks. Entries are dated by the machine's clock,
// which may step back a little (a resumed virtual machine, NTP), so an entry
// is held only to the checkpoints signed before it, with five minutes'
// slack; a trusted timestamp may lag its checkpoint by the round trip to
// the authority.
const (
	clockSlack     = 5 * time.Minute
	timestampSlack = 10 * time.Minute
)

// Problem is one thing verification found wrong, naming the record.
type Problem struct {
	// Record names what failed: "entry 12", "version 4", "change 7",
	// "checklist item 3", "checkpoint 2", "signing key", a file name.
	Record string `json:"record"`
	// Entry is the log entry concerned, 0 when none.
	Entry  int64  `json:"entry,omitempty"`
	Reason string `json:"reason"`
}

// String is the problem in one line.
func (p Problem) String() string { return p.Record + ": " + p.Reason }

// Logged is a record's facts as the newest entry about it states them.
type Logged[T any] struct {
	Entry int64
	At    time.Time
	Facts T
}

// Ledger holds, for every record the log vouches for, its newest logged
// facts. Chain fills it while verifying.
type Ledger struct {
	Start    *Logged[StartFacts]
	Keys     []Logged[KeyFacts]
	Versions map[int64]Logged[VersionFacts]
	Analyses map[int64]Logged[AnalysisEntry]
	Items    map[int64]Logged[ItemFacts]
	Reviews  map[int64]Logged[ReviewFacts]
	// Files are the reports and bundles written, by SHA-256.
	Files map[string]Logged[FileFacts]
}

func newLedger() *Ledger {
	return &Ledger{Versions: map[int64]Logged[VersionFacts]{}, Analyses: map[int64]Logged[AnalysisEntry]{},
		Items: map[int64]Logged[ItemFacts]{}, Reviews: map[int64]Logged[ReviewFacts]{}, Files: map[string]Logged[FileFacts]{}}
}

// Key returns the public key the log records under fingerprint, if it was
// logged at or before entry upTo (0: anywhere).
func (l *Ledger) Key(fingerprint string, upTo int64) (ed25519.PublicKey, bool) {
	for _, k := range l.Keys {
		if k.Facts.Fingerprint == fingerprint && (upTo == 0 || k.Entry <= upTo) {
			pub, err := DecodePublic(k.Facts.PublicKey, fingerprint)
			return pub, err == nil
		}
	}
	return nil, false
}

// CurrentKey is the fingerprint of the newest logged key ("" when none).
func (l *Ledger) CurrentKey() string {
	if len(l.Keys) == 0 {
		return ""
	}
	return l.Keys[len(l.Keys)-1].Facts.Fingerprint
}

// Chain verifies log entries fed to it in order, checks the checkpoints
// given against them, and gathers the Ledger.
type Chain struct {
	Ledger *Ledger
	// First and Last are the ids of the first and last entries seen;
	// Head is the last entry's hash.
	First, Last int64
	Head        string
	Problems    []Problem

	prev        Entry
	started     bool
	checkpoints []Checkpoint // by Entries
	heads       map[int64]string
	next        int       // checkpoints[:next] cover fewer entries than the next entry's id
	sealedAt    time.Time // latest signing time of those
	trusted     []ed25519.PublicKey
}

// NewChain returns a verifier for a log expected to hold the given
// checkpoints (from the archive, a report, a bundle or a file).
func NewChain(checkpoints []Checkpoint) *Chain {
	cps := append([]Checkpoint(nil), checkpoints...)
	sort.SliceStable(cps, func(i, j int) bool { return cps[i].Entries < cps[j].Entries })
	heads := map[int64]string{}
	for _, c := range cps {
		heads[c.Entries] = ""
	}
	return &Chain{Ledger: newLedger(), checkpoints: cps, heads: heads}
}

// Trust adds a public key checkpoints may be signed with although the log
// segment seen does not record it (a bundle's key, printed in its reports).
func (c *Chain) Trust(pub ed25519.PublicKey) { c.trusted = append(c.trusted, pub) }

// StartAt makes the chain begin at entry first whose previous hash is
// prevHash, for a segment of a longer log. Without it the chain must start
// at entry 1 after Genesis.
func (c *Chain) StartAt(first int64, prevHash string) {
	c.prev = Entry{ID: first - 1, Hash: prevHash}
	c.started = true
}

func (c *Chain) fail(record string, entry int64, format string, a ...any) {
	c.Problems = append(c.Problems, Problem{Record: record, Entry: entry, Reason: fmt.Sprintf(format, a...)})
}

// Add checks the next entry: its id follows, it links to the entry before,
// its hash seals its content, and it is not dated before a checkpoint that
// does not include it (a backdated entry).
func (c *Chain) Add(e Entry) {
	rec := fmt.Sprintf("entry %d", e.ID)
	if !c.started {
		c.prev = Entry{Hash: Genesis}
		c.started = true
	}
	if c.First == 0 {
		c.First = e.ID
	}
	switch {
	case e.ID != c.prev.ID+1:
		c.fail(rec, e.ID, "expected entry %d here: entries are missing (deleted) or out of order", c.prev.ID+1)
	case e.PrevHash != c.prev.Hash:
		c.fail(rec, e.ID, "its previous-hash does not match the entry before it (entries edited, deleted or reordered)")
	}
	if Hash(e) != e.Hash {
		c.fail(rec, e.ID, "its content does not match its hash (edited)")
	}
	for c.next < len(c.checkpoints) && c.checkpoints[c.next].Entries < e.ID {
		if at := c.checkpoints[c.next].At; at.After(c.sealedAt) {
			c.sealedAt = at
		}
		c.next++
	}
	if !c.sealedAt.IsZero() && e.At.Before(c.sealedAt.Add(-clockSlack)) {
		c.fail(rec, e.ID, "it is dated %s, before a checkpoint signed %s that does not include it: backdated", FormatTime(e.At), FormatTime(c.sealedAt))
	}
	if _, ok := c.heads[e.ID]; ok {
		c.heads[e.ID] = e.Hash
	}
	c.note(e, rec)
	c.prev, c.Last, c.Head = e, e.ID, e.Hash
}

// note records the facts an entry vouches for.
func (c *Chain) note(e Entry, rec string) {
	if len(e.Data) == 0 {
		return
	}
	l := c.Ledger
	bad := func(err error) { c.fail(rec, e.ID, "its data is unreadable (%v)", err) }
	switch e.Action {
	case ActionStart:
		var f StartFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		if l.Start != nil {
			c.fail(rec, e.ID, "a second start of the evidence log (the first is entry %d)", l.Start.Entry)
			return
		}
		l.Start = &Logged[StartFacts]{Entry: e.ID, At: e.At, Facts: f}
	case ActionKey:
		var f KeyFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		if _, err := DecodePublic(f.PublicKey, f.Fingerprint); err != nil {
			c.fail(rec, e.ID, "the signing key it records is invalid (%v)", err)
			return
		}
		l.Keys = append(l.Keys, Logged[KeyFacts]{Entry: e.ID, At: e.At, Facts: f})
	case ActionVersion:
		var f VersionFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		if old, ok := l.Versions[f.Version]; ok {
			c.fail(fmt.Sprintf("version %d", f.Version), e.ID, "logged a second time (first in entry %d): versions never change", old.Entry)
		}
		l.Versions[f.Version] = Logged[VersionFacts]{Entry: e.ID, At: e.At, Facts: f}
	case ActionAnalysis:
		var f AnalysisEntry
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		l.Analyses[f.Change] = Logged[AnalysisEntry]{Entry: e.ID, At: e.At, Facts: f}
	case ActionChecklistNew, ActionChecklistSet:
		var f ItemFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		l.Items[f.Item] = Logged[ItemFacts]{Entry: e.ID, At: e.At, Facts: f}
	case ActionReview, ActionUnreview:
		var f ReviewFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		l.Reviews[f.Change] = Logged[ReviewFacts]{Entry: e.ID, At: e.At, Facts: f}
	case ActionReport, ActionBundle:
		var f FileFacts
		if err := json.Unmarshal(e.Data, &f); err != nil {
			bad(err)
			return
		}
		l.Files[f.SHA256] = Logged[FileFacts]{Entry: e.ID, At: e.At, Facts: f}
	}
}

// Finish checks every checkpoint against the entries seen: it must not
// cover more entries than there are, its head must be the hash the log now
// has at that entry, it must be signed by a key the log (or the caller)
// trusts, and a trusted timestamp must agree with its time.
func (c *Chain) Finish() {
	var last *Checkpoint
	for i := range c.checkpoints {
		cp := c.checkpoints[i]
		rec := fmt.Sprintf("checkpoint of %d entries signed %s", cp.Entries, FormatTime(cp.At))
		if cp.ID != 0 {
			rec = fmt.Sprintf("checkpoint %d", cp.ID)
		}
		if l := c.Ledger.Start; l != nil && cp.Archive != l.Facts.Archive {
			c.fail(rec, 0, "it is of archive %s, but this log is archive %s", cp.Archive, l.Facts.Archive)
			continue
		}
		if cp.Entries > c.Last {
			c.fail(rec, cp.Entries, "it covers %d entries but the log ends at entry %d: the log was truncated", cp.Entries, c.Last)
			continue
		}
		if cp.Entries < c.First {
			continue // before the segment seen; its signature is still checked below
		}
		if got := c.heads[cp.Entries]; got != cp.Head {
			c.fail(rec, cp.Entries, "entry %d now hashes to %s, but the checkpoint signed %s: the log was rewritten after it", cp.Entries, short(got), short(cp.Head))
		}
		if last != nil && cp.At.Before(last.At.Add(-clockSlack)) {
			c.fail(rec, cp.Entries, "it is dated %s, before the checkpoint of %d entries (%s): backdated", FormatTime(cp.At), last.Entries, FormatTime(last.At))
		}
		last = &c.checkpoints[i]
		c.checkSignature(cp, rec)
	}
}

func (c *Chain) checkSignature(cp Checkpoint, rec string) {
	pub, ok := c.Ledger.Key(cp.Key, cp.Entries)
	if !ok {
		for _, t := range c.trusted {
			if Fingerprint(t) == cp.Key {
				pub, ok = t, true
			}
		}
	}
	if !ok {
		c.fail(rec, cp.Entries, "it is signed with key %s, which the log does not record by entry %d: the key was swapped", ShortFingerprint(cp.Key), cp.Entries)
		return
	}
	if err := cp.VerifySignature(pub); err != nil {
		c.fail(rec, cp.Entries, "%v", err)
		return
	}
	if len(cp.Timestamp) > 0 {
		info, err := CheckTimestamp(cp.Timestamp, cp.SignedText())
		if err != nil {
			c.fail(rec, cp.Entries, "%v", err)
			return
		}
		if d := info.Time.Sub(cp.At); d < -clockSlack || d > timestampSlack {
			c.fail(rec, cp.Entries, "it says it was signed %s but its trusted timestamp says %s: backdated", FormatTime(cp.At), FormatTime(info.Time))
		}
	}
}

func short(h string) string {
	if h == "" {
		return "(no entry)"
	}
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
