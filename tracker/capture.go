package tracker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
	"policywatch/tracker/render"
)

// Fetcher fetches one document over HTTP; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// WithFetcher sets the HTTP fetcher used by checks and previews (default:
// fetch.New with its defaults and PolicyWatch's User-Agent).
func WithFetcher(f Fetcher) Option { return func(s *Service) { s.fetcher = f } }

// WithAddressGuard sets the address policy of fetches and renders (default:
// the system resolver and fetch.ClassOf). A fetcher given by WithFetcher
// keeps its own; the browser uses this one.
func WithAddressGuard(g *fetch.Guard) Option { return func(s *Service) { s.guard = g } }

// WithBrowser shares a running browser among every check and preview,
// instead of one started by each check that needs it (tests, benchmarks).
// The caller closes it.
func WithBrowser(b *render.Browser) Option { return func(s *Service) { s.browser = b } }

// WithRenderOptions sets the options of the browsers checks start.
func WithRenderOptions(o render.Options) Option { return func(s *Service) { s.renderOpts = o } }

// fetcherOrDefault returns the configured fetcher, creating the default once.
func (s *Service) fetcherOrDefault() Fetcher {
	s.fetchOnce.Do(func() {
		if s.guard == nil {
			s.guard = &fetch.Guard{}
		}
		if s.fetcher == nil {
			s.fetcher = fetch.New(fetch.Options{UserAgent: fetch.UserAgent(s.version), Guard: s.guard})
		}
	})
	return s.fetcher
}

// captureRun is what the captures of one check (or one preview) share: the
// browser, started the first time a capture needs it, and the memory
// budget of the documents being read at once. close ends the browser.
type captureRun struct {
	svc    *Service
	memory *memoryBudget
	disk   *diskBudget // a check's; nil for a preview
	// documentTimeout bounds reading one document (0: the default).
	documentTimeout time.Duration
	once            sync.Once
	b               *render.Browser
	err             error
	own             bool
}

func (s *Service) newCaptureRun() *captureRun {
	return &captureRun{svc: s, memory: newMemoryBudget(s.budgets().Memory)}
}

// browser returns the running browser, starting it on first use with ctx
// (the check's context: cancelling the check ends the browser).
func (cr *captureRun) browser(ctx context.Context) (*render.Browser, error) {
	cr.once.Do(func() {
		if cr.svc.browser != nil {
			cr.b = cr.svc.browser
			return
		}
		cr.b, cr.err = render.Start(ctx, cr.svc.renderOpts)
		cr.own = cr.err == nil
	})
	return cr.b, cr.err
}

// readTimeout bounds reading one document.
func (cr *captureRun) readTimeout() time.Duration {
	if cr.documentTimeout > 0 {
		return cr.documentTimeout
	}
	return DefaultDocumentTimeout
}

// close ends a browser the run started.
func (cr *captureRun) close() {
	if cr.own {
		cr.b.Close()
	}
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
	var re *render.Error
	switch {
	case err == nil, errors.As(err, &ce):
		return err
	case errors.As(err, &fe):
		return &CaptureError{Reason: fe.Reason, Advice: fe.Advice, HTTPStatus: fe.Status, URL: fe.URL, Err: fe}
	case errors.As(err, &xe):
		return &CaptureError{Reason: xe.Reason, Advice: xe.Advice, Fetched: true, Err: xe}
	case errors.As(err, &re):
		return &CaptureError{Reason: re.Reason, Advice: re.Advice, Err: re}
	}
	return err // cancellation and other errors are not the document's failure
}

// captureRequest is what to capture: a document's address and settings, and
// what the last successful fetch left.
type captureRequest struct {
	URL            string
	Select, Remove string
	// Render is the document's render mode.
	Render string
	// LastCapturedWith is how the latest version was captured: auto goes
	// straight to the browser when the browser was needed last time, so
	// that a document is captured the same way from check to check.
	LastCapturedWith string
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
	// capturedWith is RenderHTTP or RenderBrowser.
	capturedWith string
}

// capture fetches (or renders) and extracts one document: the one pipeline
// behind checks and previews, so that a preview is what a check archives.
// In auto mode it fetches over HTTP and renders in the browser when that
// gives no document: an empty page, a script shell, a selector that matches
// nothing, a bot wall or a refusal of automated access. Failures the user
// can act on are *CaptureError; cancellation is returned as ctx's error.
func (s *Service) capture(ctx context.Context, req captureRequest, cr *captureRun) (captured, error) {
	switch {
	case req.Render == RenderBrowser:
		return s.captureBrowser(ctx, req, cr)
	case req.Render == RenderHTTP:
		return s.captureHTTP(ctx, req, cr)
	case req.LastCapturedWith == RenderBrowser:
		return s.captureBrowser(ctx, req, cr)
	}
	c, err := s.captureHTTP(ctx, req, cr)
	var ce *CaptureError
	if !errors.As(err, &ce) || !needsBrowser(ce) {
		return c, err
	}
	bc, berr := s.captureBrowser(ctx, req, cr)
	var be *CaptureError
	if errors.As(berr, &be) && be.Reason == render.ReasonMissing {
		return c, &CaptureError{Reason: ce.Reason, HTTPStatus: ce.HTTPStatus, URL: ce.URL, Fetched: ce.Fetched, Err: ce.Err,
			Advice: ce.Advice + "; rendering the page in a browser might help, but " + be.Advice}
	}
	return bc, berr
}

// needsBrowser reports whether an HTTP capture's failure is one a browser
// may get past.
func needsBrowser(ce *CaptureError) bool {
	switch ce.Reason {
	case extract.ReasonEmpty, extract.ReasonBlocked, extract.ReasonSelectorMissing: // fetch.ReasonBlocked is the same word
		return true
	}
	return false
}

// captureHTTP fetches the document over HTTP and extracts it.
func (s *Service) captureHTTP(ctx context.Context, req captureRequest, cr *captureRun) (captured, error) {
	resp, err := s.fetcherOrDefault().Fetch(ctx, fetch.Request{URL: req.URL, ETag: req.ETag, LastModified: req.LastModified})
	if ctx.Err() != nil {
		return captured{}, ctx.Err()
	}
	if err != nil {
		return captured{}, asCaptureError(err)
	}
	c := captured{url: resp.URL, status: resp.Status, contentType: resp.ContentType, raw: resp.Body,
		notModified: resp.NotModified, etag: resp.ETag, lastModified: resp.LastModified, capturedWith: RenderHTTP}
	if c.notModified {
		return c, nil
	}
	c.rawSHA256 = sha256Hex(resp.Body)
	if req.RawSHA256 != "" && c.rawSHA256 == req.RawSHA256 {
		c.sameRaw = true
		return c, nil
	}
	return c, c.extract(ctx, req, cr)
}

// renderedType is the content type of a rendered page's DOM.
const renderedType = "text/html; charset=utf-8"

// captureBrowser renders the document in the browser and extracts the DOM.
func (s *Service) captureBrowser(ctx context.Context, req captureRequest, cr *captureRun) (captured, error) {
	b, err := cr.browser(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return captured{}, ctx.Err()
		}
		return captured{}, asCaptureError(err)
	}
	s.fetcherOrDefault() // sets the default guard
	scope := s.guard.ScopeOf(ctx, req.URL)
	var last *extract.Result
	p, err := b.Render(ctx, render.Request{URL: req.URL, WaitFor: waitSelector(req.Select),
		Ready: func(html []byte) bool {
			release, err := cr.memory.acquire(ctx, extract.Cost(html, renderedType))
			if err != nil {
				return false
			}
			defer release()
			res, err := extract.ExtractContext(ctx, html, renderedType, req.Select, req.Remove)
			if err != nil {
				return false
			}
			last = &res
			return true
		},
		Allow: func(ctx context.Context, u *url.URL) error { return scope.CheckURL(ctx, u) }})
	if ctx.Err() != nil {
		return captured{}, ctx.Err()
	}
	if err != nil {
		return captured{}, asCaptureError(err)
	}
	c := captured{url: p.URL, status: p.Status, contentType: renderedType, raw: p.HTML, rawSHA256: sha256Hex(p.HTML),
		capturedWith: RenderBrowser}
	if ce := statusError(p.Status, p.URL); ce != nil {
		return c, ce
	}
	if last != nil && p.Settled {
		c.text, c.title, c.statedDate = last.Text, last.Title, last.StatedDate
		return c, nil
	}
	return c, c.extract(ctx, req, cr)
}

// statusError is the failure a rendered page's final HTTP status means, as
// the HTTP fetcher would have reported it.
func statusError(status int, rawURL string) *CaptureError {
	reason := ""
	switch {
	case status == 401 || status == 403 || status == 429:
		reason = fetch.ReasonBlocked
	case status >= 400:
		reason = fetch.ReasonHTTPStatus
	default:
		return nil
	}
	fe := &fetch.Error{Reason: reason, Status: status, URL: rawURL}
	return &CaptureError{Reason: reason, Advice: fe.Error(), HTTPStatus: status, URL: rawURL}
}

// waitSelector is the CSS part of a select setting, which the browser waits for.
func waitSelector(selectCSS string) string {
	sel, err := extract.ParseSelectors(selectCSS)
	if err != nil {
		return ""
	}
	return sel.CSS
}

// extract fills the captured text from the raw bytes, within the run's
// memory budget and ctx's deadline.
func (c *captured) extract(ctx context.Context, req captureRequest, cr *captureRun) error {
	release, err := cr.memory.acquire(ctx, extract.Cost(c.raw, c.contentType))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, cr.readTimeout())
	defer cancel()
	res, err := extract.ExtractContext(rctx, c.raw, c.contentType, req.Select, req.Remove)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ctx.Err()
		}
		ce, ok := asCaptureError(err).(*CaptureError)
		if !ok {
			ce = &CaptureError{Reason: extract.ReasonEmpty, Advice: "the page could not be read as a document", Fetched: true, Err: err}
		}
		ce.HTTPStatus, ce.URL = c.status, c.url
		return ce
	}
	c.text, c.title, c.statedDate = res.Text, res.Title, res.StatedDate
	return nil
}

// Preview is what a check of a document would archive now.
type Preview struct {
	URL        string // final address after redirects
	HTTPStatus int
	// CapturedWith is how the text was captured: RenderHTTP or RenderBrowser.
	CapturedWith string
	Text         string
	Title        string
	StatedDate   string
	Elapsed      time.Duration
}

// Preview captures the document nd describes (its address, render mode and
// selectors) exactly as a check would, through the same fetcher, browser
// and extraction, and stores nothing. Failures the user can act on are *CaptureError.
func (s *Service) Preview(ctx context.Context, nd NewDocument) (Preview, error) {
	if err := CheckURL(nd.URL); err != nil {
		return Preview{}, err
	}
	if err := checkSelectorPair(nd.Select, nd.Remove); err != nil {
		return Preview{}, err
	}
	if !ValidRender(nd.Render) {
		return Preview{}, invalidRender(nd.Render)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, DefaultDocumentTimeout)
	defer cancel()
	cr := s.newCaptureRun()
	defer cr.close()
	c, err := s.capture(ctx, captureRequest{URL: nd.URL, Select: nd.Select, Remove: nd.Remove, Render: nd.Render}, cr)
	if err != nil {
		return Preview{}, err
	}
	if c.text == "" {
		return Preview{}, fmt.Errorf("preview %s: no text captured", nd.URL)
	}
	return Preview{URL: c.url, HTTPStatus: c.status, CapturedWith: c.capturedWith, Text: c.text, Title: c.title,
		StatedDate: c.statedDate, Elapsed: time.Since(start)}, nil
}
