package tracker

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
)

// The archive path: check, re-extract and import hand the texts they obtained
// to archive, the one place that decides whether a text is a new version,
// applies every guard, analyses the new pairs and stores them.

// Guard reasons the archive path gives when it refuses a text.
const (
	// ReasonShrunk marks text that shrank so much against the version before
	// it that a broken page is likelier than a rewrite; it is not stored.
	ReasonShrunk = "shrunk"
	// ReasonInternal marks a failure to store the result.
	ReasonInternal = "internal"
)

// shrinkFloor: a new text under this fraction of a previous text of at least
// shrinkMinChars bytes is refused as a likely broken page.
const (
	shrinkFloor    = 0.2
	shrinkMinChars = 2000
)

// archiveRequest proposes texts as versions of one document.
type archiveRequest struct {
	// doc is the document. Its ID is 0 when ensure creates it.
	doc Document
	// platform is the document's platform; loaded from doc.PlatformID when
	// its Name is empty.
	platform Platform
	// ensure, if set, creates or updates the document (and its platform) in
	// the write transaction and sets doc.ID, so that a new document exists
	// only together with its versions. It is not called when nothing is
	// stored.
	ensure func(tx Tx, doc *Document) error
	// candidates are the proposed versions in any order, with Text,
	// FetchedAt, Source and what the caller knows of URL, HTTPStatus,
	// ContentType, Raw and StatedDate. SHA256 is computed here.
	candidates []Version
	// fillGaps also analyses consecutive archived versions that have no
	// change yet (an import finishing an interrupted one).
	fillGaps bool
	// disk, if set, is the run's disk budget: a new version that does not
	// fit is refused as too-large.
	disk *diskBudget
	// record, if set, writes the caller's own records (check event,
	// validators, audit entry) in the same transaction as the versions, once
	// the outcome is known. It is called even when nothing else is stored.
	record func(tx Tx, out *archiveOutcome) error
}

// archiveOutcome is what archive decided and stored.
type archiveOutcome struct {
	DocumentID int64
	Added      []VersionInfo // versions stored, oldest first
	Changes    []Change      // changes analysed and stored
	Same       int           // candidates identical to the version before them, or already archived
	Refused    []refusal     // candidates a guard refused
	Latest     VersionInfo   // the document's newest version afterwards; zero when it has none
}

// refusal is a candidate a guard refused, with the reason and advice.
type refusal struct {
	At     time.Time
	Reason string
	Detail string
}

// archiveEntry is one version in the merged history archive works on.
type archiveEntry struct {
	v        Version
	info     VersionInfo
	existing bool
}

// errHistoryMoved: the document gained a version between reading and writing.
var errHistoryMoved = errors.New("the document's history changed while it was being archived")

// archive is the one archive path (see archiveRequest). It reads the
// document's history, decides which candidates are new versions, refuses
// those a guard stops, analyses every new consecutive pair outside any
// transaction and stores versions, changes and the caller's records in one
// transaction. When another writer adds a version in between, it starts
// again, so an analysis is never stored against a stale predecessor.
func (s *Service) archive(ctx context.Context, req archiveRequest) (archiveOutcome, error) {
	for i := range req.candidates {
		c := &req.candidates[i]
		c.FetchedAt = c.FetchedAt.UTC().Truncate(time.Millisecond)
		c.SHA256 = extract.Hash(c.Text)
	}
	sort.SliceStable(req.candidates, func(i, j int) bool { return req.candidates[i].FetchedAt.Before(req.candidates[j].FetchedAt) })
	for attempt := 0; ; attempt++ {
		out, err := s.archiveOnce(ctx, req)
		if errors.Is(err, errHistoryMoved) && attempt < 3 {
			continue
		}
		return out, err
	}
}

func (s *Service) archiveOnce(ctx context.Context, req archiveRequest) (archiveOutcome, error) {
	out := archiveOutcome{DocumentID: req.doc.ID}
	var profile Profile
	var history []VersionInfo
	var entries []archiveEntry
	var pairs [][2]int
	var reserved int64 // disk budget taken by the new versions
	p := req.platform
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if profile, err = tx.Profile(); err != nil {
			return err
		}
		if p.Name == "" {
			if p, err = tx.PlatformByID(req.doc.PlatformID); err != nil {
				return err
			}
		}
		if req.doc.ID != 0 {
			if history, err = tx.ListVersions(req.doc.ID); err != nil {
				return err
			}
		}
		entries, out.Same, out.Refused, reserved = mergeCandidates(history, req.candidates, req.disk)
		if pairs, err = pairsToAnalyse(tx, entries, req.fillGaps); err != nil {
			return err
		}
		// Archived versions taking part in a new pair need their text.
		for _, pr := range pairs {
			for _, k := range pr {
				if e := &entries[k]; e.existing && e.v.Text == "" {
					v, err := tx.VersionByID(e.info.ID)
					if err != nil {
						return err
					}
					e.v.Text = v.Text
				}
			}
		}
		return nil
	})
	if err != nil {
		req.disk.give(reserved)
		return out, err
	}
	results := make([]analysis.Result, len(pairs))
	opts := s.analysisOptions(p, profile)
	for i, pr := range pairs {
		if err := ctx.Err(); err != nil {
			req.disk.give(reserved)
			return out, err
		}
		results[i] = analysis.Analyze(entries[pr[0]].v.Text, entries[pr[1]].v.Text, opts)
	}
	adds := 0
	for _, e := range entries {
		if !e.existing {
			adds++
		}
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		out.Added, out.Changes = nil, nil
		doc := req.doc
		if req.ensure != nil && (adds > 0 || len(pairs) > 0) {
			if err := req.ensure(tx, &doc); err != nil {
				return err
			}
		}
		if doc.ID != 0 && req.doc.ID != 0 {
			if err := sameHistory(tx, doc.ID, history); err != nil {
				return err
			}
		}
		out.DocumentID = doc.ID
		for i := range entries {
			e := &entries[i]
			if e.existing {
				continue
			}
			e.v.DocumentID = doc.ID
			if err := s.storeVersion(tx, &e.v); err != nil {
				return err
			}
			e.info = versionInfo(e.v)
			out.Added = append(out.Added, e.info)
		}
		for i, pr := range pairs {
			from, to := entries[pr[0]], entries[pr[1]]
			c, err := s.saveAnalysis(tx, doc.ID, from.info, to.info, to.v.FetchedAt, results[i])
			if err != nil {
				return err
			}
			out.Changes = append(out.Changes, c)
		}
		if n := len(entries); n > 0 {
			out.Latest = entries[n-1].info
		}
		if req.record != nil {
			return req.record(tx, &out)
		}
		return nil
	})
	if err != nil {
		req.disk.give(reserved)
	}
	return out, err
}

// storeVersion stores a new version in tx; every version the archive path
// adds goes through here.
func (s *Service) storeVersion(tx Tx, v *Version) error {
	if err := s.archiveVersion(tx, v); err != nil {
		return fmt.Errorf("store version of document %d fetched at %s: %w", v.DocumentID, v.FetchedAt.Format(time.RFC3339), err)
	}
	return nil
}

// sameHistory fails with errHistoryMoved when the document's versions are no
// longer those read before analysing.
func sameHistory(tx Tx, docID int64, before []VersionInfo) error {
	latest, err := tx.LatestVersionInfo(docID)
	switch {
	case errors.Is(err, ErrNotFound):
		if len(before) == 0 {
			return nil
		}
		return errHistoryMoved
	case err != nil:
		return err
	case len(before) == 0 || latest.ID != before[len(before)-1].ID:
		return errHistoryMoved
	}
	return nil
}

// mergeCandidates places the candidates in the document's history by time
// and keeps those that are new versions: not already archived at that time,
// not identical to the version before them, passing every guard and fitting
// the disk budget (nil: no budget). It returns the merged history, how many
// were the same, the refusals and the disk budget it reserved.
func mergeCandidates(history []VersionInfo, candidates []Version, disk *diskBudget) ([]archiveEntry, int, []refusal, int64) {
	archived := make(map[time.Time]bool, len(history))
	entries := make([]archiveEntry, 0, len(history)+len(candidates))
	for _, h := range history {
		archived[h.FetchedAt] = true
		entries = append(entries, archiveEntry{info: h, existing: true,
			v: Version{ID: h.ID, DocumentID: h.DocumentID, FetchedAt: h.FetchedAt, URL: h.URL, HTTPStatus: h.HTTPStatus,
				SHA256: h.SHA256, StatedDate: h.StatedDate, Source: h.Source}})
	}
	same := 0
	var fresh []Version
	for _, c := range candidates {
		if archived[c.FetchedAt] {
			same++
			continue
		}
		archived[c.FetchedAt] = true
		fresh = append(fresh, c)
	}
	for _, c := range fresh {
		entries = append(entries, archiveEntry{v: c, info: versionInfo(c)})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].info.FetchedAt.Before(entries[j].info.FetchedAt) })
	kept := entries[:0]
	var refused []refusal
	var reserved int64
	for _, e := range entries {
		if e.existing {
			kept = append(kept, e)
			continue
		}
		var prev *VersionInfo
		if n := len(kept); n > 0 {
			prev = &kept[n-1].info
		}
		if prev != nil && prev.SHA256 == e.info.SHA256 {
			same++
			continue
		}
		if r, ok := guard(prev, e.v); !ok {
			refused = append(refused, r)
			continue
		}
		if cost := int64(len(e.v.Text) + len(e.v.Raw)); !disk.reserve(cost) {
			refused = append(refused, refusal{At: e.v.FetchedAt, Reason: extract.ReasonTooLarge,
				Detail: fmt.Sprintf("this check has already added as much to the archive as one check may (%d MiB); the document is checked again next time — nothing was archived", disk.limit>>20)})
			continue
		} else {
			reserved += cost
		}
		kept = append(kept, e)
	}
	return kept, same, refused, reserved
}

// guard applies the archive's guards to a new text against the version
// before it (nil for a first version). A refused text is never stored.
func guard(prev *VersionInfo, v Version) (refusal, bool) {
	r := refusal{At: v.FetchedAt}
	if strings.TrimSpace(v.Text) == "" {
		r.Reason, r.Detail = extract.ReasonEmpty, "the text is empty, so it cannot be a version of the document; nothing was archived"
		return r, false
	}
	if prev != nil && prev.Bytes >= shrinkMinChars && float64(len(v.Text)) < shrinkFloor*float64(prev.Bytes) {
		r.Reason = ReasonShrunk
		r.Detail = fmt.Sprintf("the extracted text shrank from %d to %d bytes, so the page probably did not load fully or the selector now matches something else; check the page and its selectors — nothing was archived", prev.Bytes, len(v.Text))
		return r, false
	}
	return r, true
}

// pairsToAnalyse lists the consecutive pairs of the merged history that need
// an analysis: every pair with a new version, and with fillGaps the pairs of
// archived versions that have no change yet.
func pairsToAnalyse(tx Tx, entries []archiveEntry, fillGaps bool) ([][2]int, error) {
	var pairs [][2]int
	for i := 1; i < len(entries); i++ {
		if entries[i-1].existing && entries[i].existing {
			if !fillGaps {
				continue
			}
			if _, err := tx.ChangeForPair(entries[i-1].info.ID, entries[i].info.ID); err == nil {
				continue
			} else if !errors.Is(err, ErrNotFound) {
				return nil, err
			}
		}
		pairs = append(pairs, [2]int{i - 1, i})
	}
	return pairs, nil
}
