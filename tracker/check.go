package tracker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"policywatch/tracker/extract"
)

// DefaultDocumentTimeout bounds reading one document in a check.
const DefaultDocumentTimeout = 2 * time.Minute

// CheckOptions selects what Check fetches and how.
type CheckOptions struct {
	Platforms   []string // platform slugs; empty means every tracked document
	DocumentIDs []int64  // specific documents (tracked or not)
	Concurrency int      // documents in flight (default 8)
	// DocumentTimeout bounds reading (extracting) one document (default 2
	// minutes). Fetching has its own bounds (connect and read timeouts,
	// retries whose waits fit in 30 s) and so has rendering (30 s a page,
	// counted from when the page has a browser tab); waiting for a tab or
	// for room in the memory budget is bounded by the check's context only.
	DocumentTimeout time.Duration
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
	// Seal says which checkpoint was signed after the run (or why none).
	Seal string
}

// Check fetches the selected documents, archives new versions, records
// verification events and failed checks, and analyses every change. One
// document's failure is recorded and does not stop the run; the error is
// non-nil only when the run could not start or storing failed.
func (s *Service) Check(ctx context.Context, opts CheckOptions) (CheckSummary, error) {
	docs, err := s.checkTargets(ctx, opts)
	if err != nil {
		return CheckSummary{}, err
	}
	return s.runChecks(ctx, opts, len(docs), false, func(ctx context.Context, _ <-chan struct{}, jobs chan<- DocumentSummary) (bool, error) {
		for _, d := range docs {
			select {
			case jobs <- d:
			case <-ctx.Done():
				return true, nil
			}
		}
		return false, nil
	})
}

// runChecks checks the documents feed hands over (it reports whether it
// stopped for a cancellation) on opts.Concurrency goroutines; queued marks
// documents of the shared round's queue, done in the transaction that
// stores their check. ready receives a value each time a goroutine is
// free, for a feed that takes documents only as it can check them.
func (s *Service) runChecks(ctx context.Context, opts CheckOptions, total int, queued bool,
	feed func(ctx context.Context, ready <-chan struct{}, jobs chan<- DocumentSummary) (bool, error)) (CheckSummary, error) {
	sum := CheckSummary{Total: total}
	if err := s.ensureMonitoringStart(ctx); err != nil {
		return sum, err
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = 8
	}
	cr := s.newCaptureRun()
	defer cr.close()
	cr.disk = newDiskBudget(s.budgets().Disk)
	cr.documentTimeout = opts.DocumentTimeout
	if cr.documentTimeout <= 0 {
		cr.documentTimeout = DefaultDocumentTimeout
	}
	jobs := make(chan DocumentSummary)
	ready := make(chan struct{}, workers) // at most one value per goroutine waits
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case ready <- struct{}{}:
				default:
				}
				d, ok := <-jobs
				if !ok {
					return
				}
				ev, change, exposure, err := s.checkOne(ctx, d, cr, queued)
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
						opts.Progress(CheckProgress{Done: sum.Checked, Total: total, Document: d, Event: ev,
							ChangeID: change, Exposure: exposure})
					}
				}
				mu.Unlock()
			}
		}()
	}
	cancelled, err := feed(ctx, ready, jobs)
	close(jobs)
	wg.Wait()
	if cancelled {
		sum.Cancelled = true
	}
	if err != nil && firstErr == nil {
		firstErr = err
	}
	if sum.Checked > 0 {
		sum.Seal = s.seal(context.WithoutCancel(ctx))
	}
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

// checkOne captures and archives one document. It returns the event
// recorded, the new change's id and exposure (if any), and an error only
// when the run was cancelled or storing failed.
func (s *Service) checkOne(ctx context.Context, d DocumentSummary, cr *captureRun, queued bool) (CheckEvent, int64, string, error) {
	ev := CheckEvent{DocumentID: d.ID}
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
	req := captureRequest{URL: d.URL, Select: d.Select, Remove: d.Remove, Render: d.Render}
	if haveLatest {
		req.LastCapturedWith = latest.CapturedWith
		// Validators are worth sending only when there is a version to fall back on.
		req.ETag, req.LastModified, req.RawSHA256 = d.ETag, d.LastModified, d.RawSHA256
	}
	c, err := s.capture(ctx, req, cr)
	if ctx.Err() != nil {
		return ev, 0, "", ctx.Err()
	}
	ev.HTTPStatus = c.status
	var ce *CaptureError
	switch {
	case errors.As(err, &ce):
		ev.Status, ev.Reason, ev.Detail, ev.HTTPStatus = CheckFailed, ce.Reason, ce.Detail(), ce.HTTPStatus
		return s.recordEvent(ctx, ev, nil, queued)
	case err != nil:
		return ev, 0, "", err
	case c.notModified || c.sameRaw:
		// The server says nothing changed, or served the very bytes of the
		// last successful fetch, whose text is archived under the current
		// selectors: unchanged without extracting again.
		ev.Status, ev.SHA256, ev.VersionID = CheckUnchanged, latest.SHA256, latest.ID
		next := &validators{etag: c.etag, lastModified: c.lastModified, rawSHA256: d.RawSHA256}
		if c.sameRaw {
			next.rawSHA256 = c.rawSHA256
		}
		return s.recordEvent(ctx, ev, next, queued)
	}
	if haveLatest && extract.Hash(c.text) != latest.SHA256 {
		note, err := s.churnCheck(ctx, d, req, cr, latest, c)
		if err != nil {
			return ev, 0, "", err
		}
		if note != nil {
			return s.recordChurn(ctx, ev, note, queued)
		}
	}
	next := validators{etag: c.etag, lastModified: c.lastModified, rawSHA256: c.rawSHA256}
	v := Version{DocumentID: d.ID, FetchedAt: s.now(), URL: c.url, HTTPStatus: c.status,
		ContentType: c.contentType, Text: c.text, Raw: c.raw, StatedDate: c.statedDate, Source: "check", CapturedWith: c.capturedWith}
	out, err := s.archive(ctx, archiveRequest{doc: d.Document, candidates: []Version{v}, disk: cr.disk,
		record: func(tx Tx, out *archiveOutcome) error {
			ev.Status, ev.Reason, ev.Detail, ev.At = "", "", "", s.now()
			switch {
			case len(out.Refused) > 0:
				ev.Status, ev.Reason, ev.Detail, ev.SHA256 = CheckFailed, out.Refused[0].Reason, out.Refused[0].Detail, extract.Hash(v.Text)
			case len(out.Added) > 0:
				ev.Status, ev.VersionID, ev.SHA256 = CheckChanged, out.Added[0].ID, out.Added[0].SHA256
			default:
				ev.Status, ev.VersionID, ev.SHA256 = CheckUnchanged, out.Latest.ID, out.Latest.SHA256
			}
			if err := insertCheckEvent(tx, &ev, queued); err != nil {
				return err
			}
			if ev.Status == CheckFailed {
				return nil
			}
			return tx.SetValidators(d.ID, next.etag, next.lastModified, next.rawSHA256)
		}})
	if err != nil {
		if ctx.Err() != nil {
			return ev, 0, "", ctx.Err()
		}
		return ev, 0, "", fmt.Errorf("archive %s: %w", d.URL, err)
	}
	if len(out.Changes) > 0 {
		return ev, out.Changes[0].ID, out.Changes[0].Exposure, nil
	}
	return ev, 0, "", nil
}

// churnCheck captures a page whose text differs from the latest version a
// second time. When the two captures differ and the change from the latest
// version lies wholly within their differences, it returns the churn note
// to record instead of a version. When they differ but the change is also
// elsewhere, the document gets the note and the caller archives the text.
func (s *Service) churnCheck(ctx context.Context, d DocumentSummary, req captureRequest, cr *captureRun, latest VersionInfo, c captured) (*ChurnNote, error) {
	req.ETag, req.LastModified, req.RawSHA256 = "", "", ""
	req.LastCapturedWith = c.capturedWith
	if c.capturedWith == RenderBrowser {
		req.Render = RenderBrowser
	} else {
		req.Render = RenderHTTP
	}
	again, err := s.capture(ctx, req, cr)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil || again.text == c.text {
		return nil, nil // a stable change (or no second look): archive it
	}
	var latestText string
	if err := s.store.View(ctx, func(tx Tx) error {
		v, err := tx.VersionByID(latest.ID)
		latestText = v.Text
		return err
	}); err != nil {
		return nil, err
	}
	note := &ChurnNote{DetectedAt: s.now(), Spans: volatileExcerpts(c.text, again.text),
		SuggestRemove: extract.SuggestRemove(c.raw, c.contentType, volatileWords(c.text, again.text))}
	if onlyChurn(latestText, c.text, again.text) {
		return note, nil
	}
	err = s.store.Update(ctx, func(tx Tx) error { return setChurn(tx, d.ID, note) })
	return nil, err
}

// setChurn saves a document's churn note.
func setChurn(tx Tx, docID int64, note *ChurnNote) error {
	doc, err := tx.DocumentByID(docID)
	if err != nil {
		return err
	}
	doc.Churn = note
	return tx.UpdateDocument(doc)
}

// recordChurn records a check whose only differences churn, and the note.
func (s *Service) recordChurn(ctx context.Context, ev CheckEvent, note *ChurnNote, queued bool) (CheckEvent, int64, string, error) {
	ev.Status, ev.Reason, ev.At = CheckFailed, ReasonChurn, s.now()
	ev.Detail = "the page changes on every request (" + strings.Join(quoted(note.Spans), "; ") + ") and nothing else changed"
	if note.SuggestRemove != "" {
		ev.Detail += fmt.Sprintf("; add %q to the document's remove selectors to leave it out", note.SuggestRemove)
	} else {
		ev.Detail += "; add a remove selector for that part of the page"
	}
	ev.Detail += " — nothing was archived"
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := insertCheckEvent(tx, &ev, queued); err != nil {
			return err
		}
		return setChurn(tx, ev.DocumentID, note)
	})
	if err != nil {
		return ev, 0, "", fmt.Errorf("record check of document %d: %w", ev.DocumentID, err)
	}
	return ev, 0, "", nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "“" + s + "”"
	}
	return out
}

// validators are what a successful fetch leaves for the next check of the
// same document: HTTP validators and the digest of the bytes served.
type validators struct{ etag, lastModified, rawSHA256 string }

// insertCheckEvent stores a check's event; a document of the shared
// round's queue is done in the same transaction.
func insertCheckEvent(tx Tx, ev *CheckEvent, queued bool) error {
	if err := tx.InsertCheckEvent(ev); err != nil {
		return err
	}
	if queued {
		return tx.FinishQueued(ev.DocumentID, ev.At)
	}
	return nil
}

// recordEvent stores a verification or failure event, and the validators of
// a successful fetch when v is not nil.
func (s *Service) recordEvent(ctx context.Context, ev CheckEvent, v *validators, queued bool) (CheckEvent, int64, string, error) {
	ev.At = s.now()
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := insertCheckEvent(tx, &ev, queued); err != nil {
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
// bytes with the document's current selectors. A different text goes
// through the archive path like a check's (source "re-extract"): guards,
// analysis against the latest version, one transaction with its check event
// and audit entry. A text a guard refuses is returned as a *CaptureError and
// nothing is stored.
func (s *Service) ReExtract(ctx context.Context, docID int64) (CheckEvent, int64, error) {
	var d Document
	var latest Version
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if d, err = tx.DocumentByID(docID); err != nil {
			return err
		}
		if latest, err = tx.LatestVersion(docID); err != nil {
			return fmt.Errorf("document %d has no archived version to re-extract: %w", docID, err)
		}
		return nil
	})
	if err != nil {
		return CheckEvent{}, 0, err
	}
	if len(latest.Raw) == 0 {
		return CheckEvent{}, 0, fmt.Errorf("version %d has no raw bytes (imported text); nothing to re-extract: %w", latest.ID, ErrNoRawBytes)
	}
	res, err := extract.Extract(latest.Raw, latest.ContentType, d.Select, d.Remove)
	if err != nil {
		return CheckEvent{}, 0, fmt.Errorf("re-extract document %d: %w", docID, asCaptureError(err))
	}
	ev := CheckEvent{DocumentID: docID, Status: CheckUnchanged, SHA256: extract.Hash(res.Text), VersionID: latest.ID, HTTPStatus: latest.HTTPStatus}
	v := Version{DocumentID: docID, FetchedAt: s.now(), URL: latest.URL, HTTPStatus: latest.HTTPStatus,
		ContentType: latest.ContentType, Text: res.Text, Raw: latest.Raw, StatedDate: res.StatedDate, Source: "re-extract",
		CapturedWith: latest.CapturedWith}
	out, err := s.archive(ctx, archiveRequest{doc: d, candidates: []Version{v},
		record: func(tx Tx, out *archiveOutcome) error {
			if len(out.Added) == 0 {
				return nil // the same text, or refused: nothing to record
			}
			ev.Status, ev.VersionID, ev.At = CheckChanged, out.Added[0].ID, s.now()
			ev.Detail = fmt.Sprintf("re-extracted version %d with select=%q remove=%q", latest.ID, d.Select, d.Remove)
			if err := tx.InsertCheckEvent(&ev); err != nil {
				return err
			}
			return appendAudit(tx, s.now(), s.who(), "document.re-extract", fmt.Sprintf("document:%d", docID), ev.Detail)
		}})
	if err != nil {
		return CheckEvent{}, 0, fmt.Errorf("re-extract document %d: %w", docID, err)
	}
	if len(out.Refused) > 0 {
		r := out.Refused[0]
		return CheckEvent{}, 0, fmt.Errorf("re-extract document %d: %w", docID, &CaptureError{Reason: r.Reason, Advice: r.Detail, Fetched: true})
	}
	if len(out.Changes) > 0 {
		return ev, out.Changes[0].ID, nil
	}
	return ev, 0, nil
}

// ErrNoRawBytes marks a version archived without the bytes as served (an
// imported text), which cannot be re-extracted.
var ErrNoRawBytes = errors.New("no raw bytes archived")
