package tracker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
)

// Fetcher fetches one document over HTTP; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// WithFetcher sets the HTTP fetcher used by checks and previews (default:
// fetch.New with its defaults and PolicyWatch's User-Agent).
func WithFetcher(f Fetcher) Option { return func(s *Service) { s.fetcher = f } }

// fetcherOrDefault returns the configured fetcher, creating the default once.
func (s *Service) fetcherOrDefault() Fetcher {
	s.fetchOnce.Do(func() {
		if s.fetcher == nil {
			s.fetcher = fetch.New(fetch.Options{UserAgent: fetch.UserAgent(s.version)})
		}
	})
	return s.fetcher
}

// CaptureError is why a document's text could not be captured: fetched,
// rendered or read. A check records Reason and Detail; screens show Advice.
type CaptureError struct {
	// Reason is a stable reason (blocked, empty, selector-missing,
	// too-large, http-status, network, timeout, redirect-loop, ...).
	Reason string
	// Advice says what happened and what to do, for the user.
	Advice string
	// HTTPStatus is the last HTTP status received, or 0.
	HTTPStatus int
	// URL is the address that failed.
	URL string
	// Fetched is true when the page was fetched but held no text to archive
	// (a bot wall, an empty page, a selector matching nothing, a text a
	// guard refused), false when it could not be fetched at all.
	Fetched bool
	// Err is the underlying error, if any.
	Err error
}

// Error returns the reason and the advice.
func (e *CaptureError) Error() string {
	msg := e.Reason + ": " + e.Advice
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *CaptureError) Unwrap() error { return e.Err }

// Detail is the advice with the technical cause, as a check event keeps it.
func (e *CaptureError) Detail() string {
	var fe *fetch.Error
	if errors.As(e.Err, &fe) && fe.Err != nil {
		return e.Advice + " (" + fe.Err.Error() + ")"
	}
	return e.Advice
}

// asCaptureError turns a fetch or extraction failure into a *CaptureError;
// other errors (cancellation among them) are returned as they are.
func asCaptureError(err error) error {
	var ce *CaptureError
	var fe *fetch.Error
	var xe *extract.Error
	switch {
	case err == nil, errors.As(err, &ce):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &fe):
		return &CaptureError{Reason: fe.Reason, Advice: fe.Advice, HTTPStatus: fe.Status, URL: fe.URL, Err: fe}
	case errors.As(err, &xe):
		return &CaptureError{Reason: xe.Reason, Advice: xe.Advice, Fetched: true, Err: xe}
	}
	return err
}

// captureRequest is what to capture: a document's address and settings, and
// what the last successful fetch left.
type captureRequest struct {
	URL            string
	Select, Remove string
	// ETag and LastModified make the fetch conditional.
	ETag, LastModified string
	// RawSHA256, when set, is the digest of the bytes of the last successful
	// fetch: bytes with the same digest are reported as sameRaw without
	// being extracted again.
	RawSHA256 string
}

// captured is a document's text as a check would archive it.
type captured struct {
	url         string // final address after redirects
	status      int
	contentType string
	raw         []byte
	text        string
	title       string
	statedDate  string
	// notModified: the server answered 304 to the conditional request.
	notModified bool
	// sameRaw: the bytes are those of the last successful fetch.
	sameRaw bool
	// validators for the next check.
	etag, lastModified, rawSHA256 string
}

// capture fetches and extracts one document: the one pipeline behind checks
// and previews, so that a preview is what a check archives. Failures the
// user can act on are *CaptureError; cancellation is returned as ctx's error.
func (s *Service) capture(ctx context.Context, req captureRequest) (captured, error) {
	resp, err := s.fetcherOrDefault().Fetch(ctx, fetch.Request{URL: req.URL, ETag: req.ETag, LastModified: req.LastModified})
	if ctx.Err() != nil {
		return captured{}, ctx.Err()
	}
	if err != nil {
		return captured{}, asCaptureError(err)
	}
	c := captured{url: resp.URL, status: resp.Status, contentType: resp.ContentType, raw: resp.Body,
		notModified: resp.NotModified, etag: resp.ETag, lastModified: resp.LastModified}
	if c.notModified {
		return c, nil
	}
	c.rawSHA256 = sha256Hex(resp.Body)
	if req.RawSHA256 != "" && c.rawSHA256 == req.RawSHA256 {
		c.sameRaw = true
		return c, nil
	}
	res, err := extract.Extract(resp.Body, resp.ContentType, req.Select, req.Remove)
	if err != nil {
		ce, ok := asCaptureError(err).(*CaptureError)
		if !ok {
			ce = &CaptureError{Reason: extract.ReasonEmpty, Advice: "the page could not be read as a document", Fetched: true, Err: err}
		}
		ce.HTTPStatus, ce.URL = resp.Status, resp.URL
		return c, ce
	}
	c.text, c.title, c.statedDate = res.Text, res.Title, res.StatedDate
	return c, nil
}

// Preview is what a check of a document would archive now.
type Preview struct {
	URL        string // final address after redirects
	HTTPStatus int
	Text       string
	Title      string
	StatedDate string
	Elapsed    time.Duration
}

// Preview captures the document nd describes (its address and selectors)
// exactly as a check would, through the same fetcher and extraction, and
// stores nothing. Failures the user can act on are *CaptureError.
func (s *Service) Preview(ctx context.Context, nd NewDocument) (Preview, error) {
	if err := CheckURL(nd.URL); err != nil {
		return Preview{}, err
	}
	if err := checkSelectorPair(nd.Select, nd.Remove); err != nil {
		return Preview{}, err
	}
	start := time.Now()
	c, err := s.capture(ctx, captureRequest{URL: nd.URL, Select: nd.Select, Remove: nd.Remove})
	if err != nil {
		return Preview{}, err
	}
	if c.text == "" {
		return Preview{}, fmt.Errorf("preview %s: no text captured", nd.URL)
	}
	return Preview{URL: c.url, HTTPStatus: c.status, Text: c.text, Title: c.title, StatedDate: c.statedDate,
		Elapsed: time.Since(start)}, nil
}
