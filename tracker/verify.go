package tracker

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"policywatch/tracker/evidence"
)

// Verification is what VerifyArchive found.
type Verification struct {
	Archive string
	// Entries is the number of log entries; Head the newest one's hash.
	Entries int64
	Head    string
	// Records checked against the log.
	Versions, Analyses, Items, Reviews int
	// Checkpoints checked; Timestamped of them carry a trusted timestamp.
	Checkpoints, Timestamped int
	Latest                   *evidence.Checkpoint
	Key                      KeyInfo
	// Files are the reports and bundles the log says were written, by
	// their SHA-256 (the newest entry of each).
	Files map[string]evidence.Logged[evidence.FileFacts]
	// Problems name each record that fails and how; Notes are limits of
	// the verification that are not failures.
	Problems []evidence.Problem
	Notes    []string
}

// OK reports whether nothing failed.
func (v Verification) OK() bool { return len(v.Problems) == 0 }

// VerifyArchive checks the archive against its evidence log, in one read
// transaction: the log's hash chain and dates; every stored checkpoint (and
// the external ones given: from a report, a bundle, an exported file) —
// count, head, signature by a logged key, trusted timestamp; every
// version's text and raw bytes against their stored and logged hashes and
// capture facts; every change's analysis (findings, exposure, record)
// against its logged digest; every review and checklist item against its
// newest entry; records logged but gone, and records present but never
// logged. Finally the installation key must be the archive's newest key.
func (s *Service) VerifyArchive(ctx context.Context, external ...evidence.Checkpoint) (Verification, error) {
	var v Verification
	err := s.store.View(ctx, func(tx Tx) error {
		cps, err := tx.ListCheckpoints()
		if err != nil {
			return err
		}
		v.Checkpoints = len(cps)
		for i := range cps {
			if len(cps[i].Timestamp) > 0 {
				v.Timestamped++
			}
		}
		if n := len(cps); n > 0 {
			v.Latest = &cps[n-1]
		}
		all := append([]evidence.Checkpoint(nil), cps...)
		for _, c := range external {
			c.ID = 0 // named by what it covers, not by a row of this archive
			all = append(all, c)
		}
		chain := evidence.NewChain(all)
		if err := tx.EachAudit(0, func(e AuditEntry) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			chain.Add(e)
			return nil
		}); err != nil {
			return err
		}
		chain.Finish()
		v.Problems = chain.Problems
		v.Entries, v.Head = chain.Last, chain.Head
		l := chain.Ledger
		v.Files = l.Files
		if l.Start == nil {
			v.Problems = append(v.Problems, evidence.Problem{Record: "evidence log", Reason: "it has no start entry: the log was truncated or replaced"})
		} else {
			v.Archive = l.Start.Facts.Archive
		}
		checkRecords(tx, ctx, l, &v)
		return nil
	})
	if err != nil {
		return v, fmt.Errorf("verify the archive: %w", err)
	}
	if v.Archive != "" {
		v.Key, err = s.SigningKey(ctx)
		if err != nil {
			return v, fmt.Errorf("verify the archive: %w", err)
		}
		switch {
		case v.Key.Held:
		case v.Key.Fingerprint != "" && strings.HasPrefix(v.Key.Problem, "this installation holds key"):
			v.Problems = append(v.Problems, evidence.Problem{Record: "signing key", Reason: v.Key.Problem + ": the key was swapped"})
		case v.Key.Problem != "":
			v.Notes = append(v.Notes, "signing key not checked against this installation: "+v.Key.Problem)
		}
	}
	switch {
	case v.Latest == nil:
		v.Notes = append(v.Notes, "no signed checkpoint yet: nothing outside the log vouches for its length (one is signed after each check, import and report)")
	case v.Latest.Entries < v.Entries:
		v.Notes = append(v.Notes, fmt.Sprintf("entries %d–%d are newer than the last checkpoint", v.Latest.Entries+1, v.Entries))
	}
	return v, nil
}

// checkRecords compares every stored record with the newest entry about it.
func checkRecords(tx Tx, ctx context.Context, l *evidence.Ledger, v *Verification) {
	fail := func(record string, entry int64, format string, a ...any) {
		v.Problems = append(v.Problems, evidence.Problem{Record: record, Entry: entry, Reason: fmt.Sprintf(format, a...)})
	}
	differ := func(record string, entry int64, diffs []string) {
		fail(record, entry, "%s (logged in entry %d)", strings.Join(diffs, "; "), entry)
	}
	readErr := func(what string, err error) {
		if err != nil {
			fail(what, 0, "could not be read: %v", err)
		}
	}
	seenVersions := map[int64]bool{}
	readErr("versions", tx.EachVersion(func(ver Version) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		v.Versions++
		rec := fmt.Sprintf("version %d", ver.ID)
		seenVersions[ver.ID] = true
		got := versionFacts(ver)
		if got.TextSHA256 != ver.SHA256 {
			fail(rec, 0, "its text no longer matches its stored SHA-256 %s (the text was edited)", short(ver.SHA256))
		}
		if ver.RawSHA256 != "" && got.RawSHA256 != ver.RawSHA256 {
			fail(rec, 0, "its raw bytes no longer match their stored SHA-256 %s (edited)", short(ver.RawSHA256))
		}
		logged, ok := l.Versions[ver.ID]
		if !ok {
			fail(rec, 0, "it has no log entry: it was added outside PolicyWatch")
			return nil
		}
		got.TextSHA256 = ver.SHA256 // an edit of text alone is reported above
		if d := evidence.Differences(got, logged.Facts); len(d) > 0 {
			differ(rec, logged.Entry, d)
		}
		return nil
	}))
	for _, id := range missing(l.Versions, seenVersions) {
		e := l.Versions[id].Entry
		fail(fmt.Sprintf("version %d", id), e, "logged in entry %d but missing from the archive (deleted)", e)
	}
	seenChanges := map[int64]bool{}
	readErr("changes", tx.EachChangeEvidence(func(c ChangeEvidence) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		v.Analyses++
		rec := fmt.Sprintf("change %d", c.ID)
		seenChanges[c.ID] = true
		if c.ExposureRank != ExposureRank(c.Exposure) {
			fail(rec, 0, "its exposure rank %d does not match its exposure %q (edited)", c.ExposureRank, c.Exposure)
		}
		logged, ok := l.Analyses[c.ID]
		if !ok {
			fail(rec, 0, "its analysis has no log entry: it was added outside PolicyWatch")
		} else if got := analysisFacts(c).Entry(); got != logged.Facts {
			d := evidence.Differences(got, logged.Facts)
			if len(d) == 1 { // only the digest: say what it covers
				d = []string{"its analysis (summary, rationale, findings or record) differs from the one logged"}
			}
			differ(rec, logged.Entry, d)
		}
		review := reviewFacts(c.Change)
		if lr, ok := l.Reviews[c.ID]; ok {
			v.Reviews++
			if d := evidence.Differences(review, lr.Facts); len(d) > 0 {
				differ(rec+" review", lr.Entry, d)
			}
		} else if review.Reviewed {
			fail(rec+" review", 0, "it is marked reviewed by %q but no review is logged (set outside PolicyWatch)", review.By)
		}
		return nil
	}))
	for _, id := range missing(l.Analyses, seenChanges) {
		e := l.Analyses[id].Entry
		fail(fmt.Sprintf("change %d", id), e, "logged in entry %d but missing from the archive (deleted)", e)
	}
	seenItems := map[int64]bool{}
	readErr("checklist", tx.EachChecklistItem(func(it ChecklistItem) error {
		v.Items++
		rec := fmt.Sprintf("checklist item %d", it.ID)
		seenItems[it.ID] = true
		logged, ok := l.Items[it.ID]
		if !ok {
			fail(rec, 0, "it has no log entry: it was added outside PolicyWatch")
			return nil
		}
		if d := evidence.Differences(itemFacts(it), logged.Facts); len(d) > 0 {
			differ(rec, logged.Entry, d)
		}
		return nil
	}))
	for _, id := range missing(l.Items, seenItems) {
		e := l.Items[id].Entry
		fail(fmt.Sprintf("checklist item %d", id), e, "logged in entry %d but missing from the archive (deleted)", e)
	}
}

// missing lists the ids in logged that were not seen, in order.
func missing[T any](logged map[int64]evidence.Logged[T], seen map[int64]bool) []int64 {
	var out []int64
	for id := range logged {
		if !seen[id] {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
