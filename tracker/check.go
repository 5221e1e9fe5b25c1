package tracker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
)

// Fetcher fetches one document over HTTP; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// WithFetcher sets the HTTP fetcher used by Check (default: fetch.New with
// its defaults and PolicyWatch's User-Agent).
func WithFetcher(f Fetcher) Option { return func(s *Service) { s.fetcher = f } }

// Reasons a check fails that the capture packages do not name themselves.
const (
	// ReasonShrunk marks text that shrank so much against the previous version
	// that a broken page is likelier than a rewrite; it is not stored.
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

// CheckOptions selects what Check fetches and how.
type CheckOptions struct {
	Platforms   []string // platform slugs; empty means every tracked document
	DocumentIDs []int64  // specific documents (tracked or not)
	Concurrency int      // documents in flight (default 8)
	// Progress, if set, is called (from worker goroutines, one call at a time)
	// after each document with the running counts and the event recorded.
	Progress func(p CheckProgress)
}

// CheckProgress reports one finished document of a check run.
type CheckProgress struct {
	Done, Total int
	Document    DocumentSummary
	Event       CheckEvent
	ChangeID    int64 // the new change, when the document changed
	Exposure    string
}

// CheckSummary counts a check run's outcomes.
type CheckSummary struct {
	Total                               int // documents selected
	Checked, Changed, Unchanged, Failed int
	NewChanges                          []int64 // ids of changes created
	Cancelled                           bool
}

// Check fetches the selected documents, archives new versions, records
// verification events and failed checks, and analyses every change. One
// document's failure is recorded and does not stop the run; the error is
// non-nil only when the run could not start or storing failed.
func (s *Service) Check(ctx context.Context, opts CheckOptions) (CheckSummary, error) {
	var sum CheckSummary
	docs, err := s.checkTargets(ctx, opts)
	if err != nil {
		return sum, err
	}
	sum.Total = len(docs)
	workers := opts.Concurrency
	if workers <= 0 {
		workers = 8
	}
	jobs := make(chan DocumentSummary)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				ev, change, exposure, err := s.checkOne(ctx, d)
				mu.Lock()
				switch {
				case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
					sum.Cancelled = true
				case err != nil:
					if firstErr == nil {
						firstErr = err
					}
				default:
					sum.Checked++
					switch ev.Status {
					case CheckChanged:
						sum.Changed++
						if change != 0 {
							sum.NewChanges = append(sum.NewChanges, change)
						}
					case CheckUnchanged:
						sum.Unchanged++
					case CheckFailed:
						sum.Failed++
					}
					if opts.Progress != nil {
						opts.Progress(CheckProgress{Done: sum.Checked, Total: len(docs), Document: d, Event: ev,
							ChangeID: change, Exposure: exposure})
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, d := range docs {
		select {
		case jobs <- d:
		case <-ctx.Done():
			sum.Cancelled = true
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return sum, firstErr
}

func (s *Service) checkTargets(ctx context.Context, opts CheckOptions) ([]DocumentSummary, error) {
	var out []DocumentSummary
	err := s.store.View(ctx, func(tx Tx) error {
		if len(opts.DocumentIDs) > 0 {
			all, err := tx.ListDocuments(DocumentFilter{})
			if err != nil {
				return err
			}
			want := map[int64]bool{}
			for _, id := range opts.DocumentIDs {
				want[id] = true
			}
			for _, d := range all {
				if want[d.ID] {
					out = append(out, d)
					delete(want, d.ID)
				}
			}
			for id := range want {
				return fmt.Errorf("no document %d: %w", id, ErrNotFound)
			}
			return nil
		}
		slugs := opts.Platforms
		if len(slugs) == 0 {
			slugs = []string{""}
		}
		for _, slug := range slugs {
			if slug != "" {
				if _, err := tx.PlatformBySlug(slug); err != nil {
					return unknownPlatform(slug, err)
				}
			}
			docs, err := tx.ListDocuments(DocumentFilter{PlatformSlug: slug})
			if err != nil {
				return err
			}
			for _, d := range docs {
				if d.Tracked && d.URL != "" {
					out = append(out, d)
				}
			}
		}
		return nil
	})
	return out, err
}

// fetcherOrDefault returns the configured fetcher, creating the default once.
func (s *Service) fetcherOrDefault() Fetcher {
	s.fetchOnce.Do(func() {
		if s.fetcher == nil {
			s.fetcher = fetch.New(fetch.Options{UserAgent: fetch.UserAgent(s.version)})
		}
	})
	return s.fetcher
}

// checkOne fetches, extracts and records one document. It returns the event
// recorded, the new change's id and exposure (if any), and an error only
// when the run was cancelled or storing failed.
func (s *Service) checkOne(ctx context.Context, d DocumentSummary) (CheckEvent, int64, string, error) {
	ev := CheckEvent{DocumentID: d.ID}
	resp, err := s.fetcherOrDefault().Fetch(ctx, fetch.Request{URL: d.URL, ETag: d.ETag, LastModified: d.LastModified})
	if ctx.Err() != nil {
		return ev, 0, "", ctx.Err()
	}
	if err != nil {
		ev.Status, ev.Reason, ev.Detail = CheckFailed, fetch.ReasonNetwork, err.Error()
		var fe *fetch.Error
		if errors.As(err, &fe) {
			ev.Reason, ev.HTTPStatus = fe.Reason, fe.Status
		}
		return s.recordEvent(ctx, ev, nil)
	}
	ev.HTTPStatus = resp.Status
	// Only the latest version's identity is needed unless the text changed.
	var latest VersionInfo
	haveLatest := false
	if err := s.store.View(ctx, func(tx Tx) error {
		v, err := tx.LatestVersionInfo(d.ID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		latest, haveLatest = v, err == nil
		return err
	}); err != nil {
		return ev, 0, "", err
	}
	if resp.NotModified {
		if !haveLatest {
			// A 304 without an archived version: ask again unconditionally.
			d.ETag, d.LastModified = "", ""
			return s.checkOne(ctx, d)
		}
		ev.Status, ev.SHA256, ev.VersionID = CheckUnchanged, latest.SHA256, latest.ID
		return s.recordEvent(ctx, ev, nil)
	}
	next := &validators{etag: resp.ETag, lastModified: resp.LastModified, rawSHA256: sha256Hex(resp.Body)}
	if haveLatest && d.RawSHA256 != "" && next.rawSHA256 == d.RawSHA256 {
		// The very bytes of the last successful fetch, whose text is archived
		// under the current selectors: unchanged without extracting again.
		ev.Status, ev.SHA256, ev.VersionID = CheckUnchanged, latest.SHA256, latest.ID
		return s.recordEvent(ctx, ev, next)
	}
	res, err := extract.Extract(resp.Body, resp.ContentType, d.Select, d.Remove)
	if err != nil {
		ev.Status, ev.Reason, ev.Detail = CheckFailed, extract.ReasonEmpty, err.Error()
		var xe *extract.Error
		if errors.As(err, &xe) {
			ev.Reason, ev.Detail = xe.Reason, xe.Advice
		}
		return s.recordEvent(ctx, ev, nil)
	}
	hash := extract.Hash(res.Text)
	ev.SHA256 = hash
	if haveLatest && hash == latest.SHA256 {
		ev.Status, ev.VersionID = CheckUnchanged, latest.ID
		return s.recordEvent(ctx, ev, next)
	}
	if haveLatest && latest.Bytes >= shrinkMinChars && float64(len(res.Text)) < shrinkFloor*float64(latest.Bytes) {
		ev.Status, ev.Reason = CheckFailed, ReasonShrunk
		ev.Detail = fmt.Sprintf("the extracted text shrank from %d to %d bytes, so the page probably did not load fully or the selector now matches something else; check the page and its selectors — nothing was archived", latest.Bytes, len(res.Text))
		return s.recordEvent(ctx, ev, nil)
	}
	v := Version{DocumentID: d.ID, FetchedAt: s.now(), URL: resp.URL, HTTPStatus: resp.Status,
		ContentType: resp.ContentType, SHA256: hash, Text: res.Text, Raw: resp.Body, StatedDate: res.StatedDate, Source: "check"}
	var result analysis.Result
	var p Platform
	var profile Profile
	if haveLatest {
		var oldText string
		if err := s.store.View(ctx, func(tx Tx) error {
			old, err := tx.VersionByID(latest.ID)
			if err != nil {
				return err
			}
			oldText = old.Text
			if p, err = tx.PlatformByID(d.PlatformID); err != nil {
				return err
			}
			profile, err = tx.Profile()
			return err
		}); err != nil {
			return ev, 0, "", err
		}
		result = analysis.Analyze(oldText, res.Text, s.analysisOptions(p, profile))
	}
	var change Change
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.InsertVersion(&v); err != nil {
			return err
		}
		if haveLatest {
			var err error
			if change, err = s.saveAnalysis(tx, d.ID, latest, versionInfo(v), v.FetchedAt, result); err != nil {
				return err
			}
		}
		ev.Status, ev.VersionID, ev.At = CheckChanged, v.ID, s.now()
		if err := tx.InsertCheckEvent(&ev); err != nil {
			return err
		}
		return tx.SetValidators(d.ID, next.etag, next.lastModified, next.rawSHA256)
	})
	if err != nil {
		return ev, 0, "", fmt.Errorf("store new version of %s: %w", d.URL, err)
	}
	return ev, change.ID, change.Exposure, nil
}

// validators are what a successful fetch leaves for the next check of the
// same document: HTTP validators and the digest of the bytes served.
type validators struct{ etag, lastModified, rawSHA256 string }

// recordEvent stores a verification or failure event, and the validators of
// a successful fetch when v is not nil.
func (s *Service) recordEvent(ctx context.Context, ev CheckEvent, v *validators) (CheckEvent, int64, string, error) {
	ev.At = s.now()
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.InsertCheckEvent(&ev); err != nil {
			return err
		}
		if v != nil {
			return tx.SetValidators(ev.DocumentID, v.etag, v.lastModified, v.rawSHA256)
		}
		return nil
	})
	if err != nil {
		return ev, 0, "", fmt.Errorf("record check of document %d: %w", ev.DocumentID, err)
	}
	return ev, 0, "", nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ReExtract re-extracts a document's latest version from its archived raw
// bytes with the document's current selectors. A different text becomes a
// new version (source "re-extract") analysed against the latest one.
func (s *Service) ReExtract(ctx context.Context, docID int64) (CheckEvent, int64, error) {
	var d Document
	var latest Version
	var p Platform
	var profile Profile
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if d, err = tx.DocumentByID(docID); err != nil {
			return err
		}
		if latest, err = tx.LatestVersion(docID); err != nil {
			return fmt.Errorf("document %d has no archived version to re-extract: %w", docID, err)
		}
		if p, err = tx.PlatformByID(d.PlatformID); err != nil {
			return err
		}
		profile, err = tx.Profile()
		return err
	})
	if err != nil {
		return CheckEvent{}, 0, err
	}
	if len(latest.Raw) == 0 {
		return CheckEvent{}, 0, fmt.Errorf("version %d has no raw bytes (imported text); nothing to re-extract", latest.ID)
	}
	res, err := extract.Extract(latest.Raw, latest.ContentType, d.Select, d.Remove)
	if err != nil {
		return CheckEvent{}, 0, fmt.Errorf("re-extract document %d: %w", docID, err)
	}
	hash := extract.Hash(res.Text)
	ev := CheckEvent{DocumentID: docID, Status: CheckUnchanged, SHA256: hash, VersionID: latest.ID, HTTPStatus: latest.HTTPStatus}
	if hash == latest.SHA256 {
		return ev, 0, nil
	}
	v := Version{DocumentID: docID, FetchedAt: s.now(), URL: latest.URL, HTTPStatus: latest.HTTPStatus,
		ContentType: latest.ContentType, SHA256: hash, Text: res.Text, Raw: latest.Raw, StatedDate: res.StatedDate, Source: "re-extract"}
	result := analysis.Analyze(latest.Text, res.Text, s.analysisOptions(p, profile))
	var change Change
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.InsertVersion(&v); err != nil {
			return err
		}
		var err error
		if change, err = s.saveAnalysis(tx, docID, versionInfo(latest), versionInfo(v), v.FetchedAt, result); err != nil {
			return err
		}
		ev.Status, ev.VersionID, ev.At = CheckChanged, v.ID, s.now()
		ev.Detail = fmt.Sprintf("re-extracted version %d with select=%q remove=%q", latest.ID, d.Select, d.Remove)
		if err := tx.InsertCheckEvent(&ev); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.actor, "document.re-extract", fmt.Sprintf("document:%d", docID), ev.Detail)
	})
	return ev, change.ID, err
}
