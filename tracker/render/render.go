// Package render loads pages in the system's headless Chromium, driven over
// the DevTools protocol by github.com/chromedp/chromedp, for documents whose
// text exists only once the page's scripts have run.
//
// A Browser is one Chromium process with a small pool of tabs: a check
// starts one when its first document needs it and shares it among its
// workers. Each Render opens a fresh tab in a fresh browser context (no
// cookies or storage shared between documents), navigates, and waits until
// the content is there: the document's selector matches and the network has
// been quiet for a moment (requests open for long, such as analytics
// beacons and event streams, do not count), and the caller's Ready test
// accepts the HTML. It then returns the serialised DOM. Every render is
// bounded: a deadline (the caller's, or Options.Timeout), a cap on the
// bytes the page's main document may download and on the size of the
// rendered DOM, a cap on its elements, and a V8 heap limit per renderer.
// A page that never settles is returned as it stands at the deadline when
// it has content, so that the caller's extraction can say what it is.
//
// Every request the page makes (the navigation, its redirects, scripts and
// their fetches) passes Request.Allow before it leaves the browser, so the
// same address policy as the HTTP fetcher applies. Images, media and fonts
// are never downloaded: they carry no text.
package render

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Failure reasons carried by Error.Reason; the same words as the HTTP
// fetcher's where they mean the same.
const (
	ReasonMissing        = "browser-missing"
	ReasonTimeout        = "timeout"
	ReasonTooLarge       = "too-large"
	ReasonNetwork        = "network"
	ReasonUnsafeRedirect = "unsafe-redirect"
	ReasonCrashed        = "browser-crashed"
)

// Defaults applied by Start to zero-valued Options fields.
const (
	DefaultTabs        = 2
	DefaultTimeout     = 30 * time.Second
	DefaultQuiet       = 500 * time.Millisecond
	DefaultMaxBytes    = 8 << 20
	DefaultMaxElements = 200_000
	DefaultHeapMiB     = 512
	DefaultGiveUp      = 4 * time.Second
)

// InstallAdvice tells how to get the browser on the systems PolicyWatch is
// built for.
const InstallAdvice = "install Chromium to render pages that need JavaScript: on Debian or Ubuntu `sudo apt-get install chromium` (or set POLICYWATCH_CHROMIUM to the browser's path)"

// Error is a render failure a check records.
type Error struct {
	// Reason is one of the Reason* constants.
	Reason string
	// Advice says what happened and what to do.
	Advice string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := "render: " + e.Reason + ": " + e.Advice
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Options configure a Browser. Zero values take the Default* constants.
type Options struct {
	// ExecPath is the browser to run; default: POLICYWATCH_CHROMIUM, else
	// the first of chromium, chromium-browser, google-chrome on PATH.
	ExecPath string
	// Tabs caps the pages rendered at once.
	Tabs int
	// Timeout bounds one render when the caller's context has no earlier deadline.
	Timeout time.Duration
	// Quiet is how long the network must be idle before the page counts as loaded.
	Quiet time.Duration
	// GiveUp is how long a quiet page whose DOM no longer changes may fail
	// Request.Ready before it is returned as it stands (a static wall or
	// an empty shell has nothing more to show).
	GiveUp time.Duration
	// MaxBytes caps the main document's download and the rendered DOM. It
	// is lower than the HTTP fetcher's cap: a browser spends far more
	// memory and time on a page than a parser does.
	MaxBytes int
	// MaxElements caps the rendered DOM's elements.
	MaxElements int
	// HeapMiB caps each renderer's JavaScript heap.
	HeapMiB int
	// UserAgent, if set, replaces the browser's own.
	UserAgent string
}

// Request is one page to render.
type Request struct {
	URL string
	// WaitFor is a CSS selector whose match means the content is there
	// ("" waits for the network to go quiet only).
	WaitFor string
	// Ready, if set, must accept the rendered HTML before the page counts
	// as loaded (for example: not a bot check any more).
	Ready func(html []byte) bool
	// Allow vets every request the page makes before it is sent; an error
	// fails the request, and a refused navigation fails the render with
	// ReasonUnsafeRedirect. Nil allows http and https.
	Allow func(ctx context.Context, u *url.URL) error
}

// Page is a rendered page.
type Page struct {
	// URL is the final address after redirects and script navigations.
	URL string
	// Status is the HTTP status of the main document's last response.
	Status int
	// HTML is the serialised DOM, UTF-8.
	HTML []byte
	// Settled is true when the page met the request's conditions (its
	// selector matched, the network went quiet and Ready accepted it);
	// false when it was returned as it stood, at the deadline or after it
	// stopped changing without meeting them.
	Settled bool
	// Duration is the time spent.
	Duration time.Duration
}

// Browser is a running headless Chromium and its tab pool. It is safe for
// concurrent use.
type Browser struct {
	opts   Options
	ctx    context.Context // the browser's chromedp context
	cancel context.CancelFunc
	tabs   chan struct{}
	once   sync.Once
}

// ExecPath returns the browser Start would run, or an *Error with reason
// ReasonMissing and install advice.
func ExecPath() (string, error) {
	if p := os.Getenv("POLICYWATCH_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", &Error{Reason: ReasonMissing, Advice: "POLICYWATCH_CHROMIUM names no browser that can be run; " + InstallAdvice, Err: err}
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", &Error{Reason: ReasonMissing, Advice: "no Chromium browser was found; " + InstallAdvice}
}

// Start runs the browser. It lives until Close or until ctx ends.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	if opts.ExecPath == "" {
		p, err := ExecPath()
		if err != nil {
			return nil, err
		}
		opts.ExecPath = p
	}
	if opts.Tabs <= 0 {
		opts.Tabs = DefaultTabs
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.GiveUp <= 0 {
		opts.GiveUp = DefaultGiveUp
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxElements <= 0 {
		opts.MaxElements = DefaultMaxElements
	}
	if opts.HeapMiB <= 0 {
		opts.HeapMiB = DefaultHeapMiB
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(opts.ExecPath),
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.Flag("js-flags", fmt.Sprintf("--max-old-space-size=%d", opts.HeapMiB)),
	)
	if opts.UserAgent != "" {
		flags = append(flags, chromedp.UserAgent(opts.UserAgent))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, flags...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{Reason: ReasonMissing, Advice: "Chromium (" + opts.ExecPath + ") could not be started; " + InstallAdvice, Err: err}
	}
	b := &Browser{opts: opts, ctx: bctx, tabs: make(chan struct{}, opts.Tabs),
		cancel: func() { cancelBrowser(); cancelAlloc() }}
	return b, nil
}

// closeGrace bounds the wait for the browser to exit after it was asked to.
const closeGrace = 3 * time.Second

// Close ends the browser and its processes, and removes its profile.
func (b *Browser) Close() error {
	b.once.Do(func() {
		// A graceful close first; a browser that has not exited in a few
		// seconds is killed with its processes.
		ctx, cancel := context.WithTimeout(b.ctx, closeGrace)
		defer cancel()
		_ = chromedp.Cancel(ctx)
		b.cancel()
	})
	return nil
}

// Render loads req.URL in a fresh tab and returns the page once it has
// settled (see the package documentation). Failures are *Error, except the
// caller's cancellation, returned as ctx's error.
func (b *Browser) Render(ctx context.Context, req Request) (*Page, error) {
	select {
	case b.tabs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.ctx.Done():
		return nil, &Error{Reason: ReasonCrashed, Advice: "the browser has stopped", Err: b.ctx.Err()}
	}
	defer func() { <-b.tabs }()
	// The page's time starts when it has a tab, not while it waits for one.
	start := time.Now()
	deadline := start.Add(b.opts.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	tabCtx, closeTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	defer closeTab()
	runCtx, cancelRun := context.WithDeadline(tabCtx, deadline)
	defer cancelRun()
	stop := context.AfterFunc(ctx, cancelRun)
	defer stop()

	p, err := b.render(runCtx, req)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		var re *Error
		if errors.As(err, &re) {
			return nil, re
		}
		if errors.Is(err, context.DeadlineExceeded) || runCtx.Err() != nil {
			return nil, &Error{Reason: ReasonTimeout, Advice: "the page did not load in the browser in time; try again later", Err: err}
		}
		if b.ctx.Err() != nil {
			return nil, &Error{Reason: ReasonCrashed, Advice: "the browser stopped while rendering the page; try again", Err: err}
		}
		return nil, &Error{Reason: ReasonNetwork, Advice: "the browser could not load the page; check the URL and the network", Err: err}
	}
	p.Duration = time.Since(start)
	return p, nil
}

// tabState follows one tab's network activity from its events.
type tabState struct {
	mu          sync.Mutex
	mainFrame   cdp.FrameID
	inflight    map[network.RequestID]time.Time
	lastChange  time.Time
	docRequest  network.RequestID
	docBytes    int64
	status      int
	finalURL    string
	loaded      bool
	crashed     bool
	refused     string // the navigation Allow refused, with why
	navFailed   string // the main document's network error
	tooLarge    bool
	maxDocBytes int64
	// abort ends the render's calls the moment the main document passes
	// maxDocBytes, so that a renderer busy with a huge page cannot hold the
	// refusal back until the deadline.
	abort context.CancelFunc
}

// onEvent records an event; it runs on the tab's reading goroutine and must
// return at once.
func (s *tabState) onEvent(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		s.inflight[ev.RequestID] = now
		s.lastChange = now
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == s.mainFrame {
			s.docRequest, s.docBytes, s.loaded = ev.RequestID, 0, false
		}
	case *network.EventResponseReceived:
		if ev.RequestID == s.docRequest && ev.Response != nil {
			s.status, s.finalURL = int(ev.Response.Status), ev.Response.URL
		}
	case *network.EventDataReceived:
		if ev.RequestID == s.docRequest {
			s.docBytes += ev.DataLength
			if s.docBytes > s.maxDocBytes && !s.tooLarge {
				s.tooLarge = true
				if s.abort != nil {
					s.abort()
				}
			}
		}
	case *network.EventLoadingFinished:
		delete(s.inflight, ev.RequestID)
		s.lastChange = now
	case *network.EventLoadingFailed:
		delete(s.inflight, ev.RequestID)
		s.lastChange = now
		if ev.RequestID == s.docRequest && !ev.Canceled && s.navFailed == "" {
			s.navFailed = ev.ErrorText
		}
	case *page.EventLoadEventFired:
		s.loaded = true
		s.lastChange = now
	case *page.EventFrameNavigated:
		if ev.Frame != nil && ev.Frame.ParentID == "" {
			s.mainFrame = ev.Frame.ID
		}
	case *inspector.EventTargetCrashed:
		s.crashed = true
	}
}

// longRequest: a request open longer than this (a beacon, an event
// stream, a long poll) does not keep the network from counting as quiet.
const longRequest = 3 * time.Second

// quiet reports whether the page loaded and no short request has been open
// for the quiet period.
func (s *tabState) quiet(period time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if !s.loaded || now.Sub(s.lastChange) < period {
		return false
	}
	for _, started := range s.inflight {
		if now.Sub(started) < longRequest {
			return false
		}
	}
	return true
}

// skipped are resource types that carry no text: never downloaded.
var skipped = map[network.ResourceType]bool{
	network.ResourceTypeImage: true, network.ResourceTypeMedia: true, network.ResourceTypeFont: true,
}

// vet answers the paused requests of a tab: Allow decides, and resources
// without text are failed.
func vet(ctx context.Context, st *tabState, req Request, paused iter.Seq2[fetch.EventRequestPaused, error]) {
	for ev, err := range paused {
		if err != nil {
			return
		}
		refuse := skipped[ev.ResourceType]
		if !refuse && ev.Request != nil {
			if why := allow(ctx, req.Allow, ev.Request.URL); why != nil {
				refuse = true
				if ev.ResourceType == network.ResourceTypeDocument {
					st.mu.Lock()
					if st.refused == "" && (ev.FrameID == st.mainFrame || st.mainFrame == "") {
						st.refused = ev.Request.URL + ": " + why.Error()
					}
					st.mu.Unlock()
				}
			}
		}
		if refuse {
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		} else {
			_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}
}

// allow applies the request's Allow to an address, after allowing http(s)
// (and the page's own data: and blob: URLs) only.
func allow(ctx context.Context, check func(context.Context, *url.URL) error, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "data" || u.Scheme == "blob" {
			return nil
		}
		return fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	if check != nil {
		return check(ctx, u)
	}
	return nil
}

// pollInterval is how often the tab is looked at while it loads.
const pollInterval = 100 * time.Millisecond

// probe is what the page says about itself at one poll.
type probe struct {
	Found    bool `json:"found"`
	Length   int  `json:"length"`
	Elements int  `json:"elements"`
}

func (b *Browser) render(ctx context.Context, req Request) (*Page, error) {
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		return nil, err
	}
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	st := &tabState{inflight: map[network.RequestID]time.Time{}, lastChange: time.Now(), maxDocBytes: int64(b.opts.MaxBytes)}
	if tree.FrameTree != nil && tree.FrameTree.Frame != nil {
		st.mainFrame = tree.FrameTree.Frame.ID
	}
	if err := chromedp.Listen(ctx, st.onEvent); err != nil {
		return nil, err
	}
	loadCtx, abort := context.WithCancel(ctx)
	defer abort()
	st.mu.Lock()
	st.abort = abort
	st.mu.Unlock()
	p, err := b.load(loadCtx, st, req)
	if err != nil {
		if e := st.failure(""); e != nil {
			return nil, e // what the tab saw explains the error better than a cancelled call
		}
	}
	return p, err
}

// load navigates the tab to req.URL and waits for the page to settle.
func (b *Browser) load(ctx context.Context, st *tabState, req Request) (*Page, error) {
	vetCtx, stopVet := context.WithCancel(ctx)
	paused := chromedp.Events(vetCtx, fetch.RequestPaused)
	vetted := make(chan struct{})
	go func() { defer close(vetted); vet(vetCtx, st, req, paused) }()
	defer func() { stopVet(); <-vetted }()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		return nil, err
	}
	nav, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: req.URL})
	if err != nil {
		return nil, err
	}
	if e := st.failure(nav.ErrorText); e != nil {
		return nil, e
	}
	probeJS := fmt.Sprintf(`(() => { const d = document.documentElement; let found = true;
		try { const sel = %q; if (sel) { const n = document.querySelector(sel); found = !!n && n.textContent.trim().length > 0; } } catch (e) { /* a selector the browser cannot read: wait for quiet only */ }
		return {found, length: d ? d.outerHTML.length : 0, elements: document.getElementsByTagName('*').length}; })()`, req.WaitFor)
	var lastHTML []byte
	lastPull := time.Time{}
	stableLen, stableSince := -1, time.Now()
	for {
		if e := st.failure(""); e != nil {
			return nil, e
		}
		pr, err := chromedp.Run(ctx, chromedp.Evaluate[probe](probeJS))
		if err == nil {
			if pr.Length > b.opts.MaxBytes || pr.Elements > b.opts.MaxElements {
				_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
				return nil, &Error{Reason: ReasonTooLarge, Advice: fmt.Sprintf("the rendered page is larger than the limit (%d characters, %d elements); check that the URL points to the document itself", pr.Length, pr.Elements)}
			}
			quiet := st.quiet(b.opts.Quiet)
			if pr.Length != stableLen || !quiet {
				stableLen, stableSince = pr.Length, time.Now()
			}
			if quiet && (pr.Found || time.Since(stableSince) >= b.opts.GiveUp) && time.Since(lastPull) >= 5*pollInterval {
				html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
				if err == nil {
					lastHTML, lastPull = []byte(html), time.Now()
					if req.Ready == nil || req.Ready(lastHTML) {
						return st.page(lastHTML, true, req.URL), nil
					}
					if time.Since(stableSince) >= b.opts.GiveUp {
						return st.page(lastHTML, false, req.URL), nil
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			// At the deadline, a page with content is returned as it stands.
			if lastHTML == nil {
				return nil, ctx.Err()
			}
			return st.page(lastHTML, false, req.URL), nil
		case <-time.After(pollInterval):
		}
		if lastHTML == nil && pr.Length > 0 && deadlineNear(ctx) {
			// Keep a copy in case the page never settles.
			if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
				lastHTML = []byte(html)
			}
		}
	}
}

// deadlineNear reports whether less than two polls are left before ctx's deadline.
func deadlineNear(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ok && time.Until(d) < 3*pollInterval
}

// failure returns the error the tab's state calls for, if any; navErr is
// Page.navigate's own error text.
func (s *tabState) failure(navErr string) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.refused != "":
		return &Error{Reason: ReasonUnsafeRedirect, Advice: "the page sent the browser to a loopback, private or link-local address from a public one, which a policy page has no reason to do; nothing was loaded from there: check the URL", Err: errors.New(s.refused)}
	case s.crashed:
		return &Error{Reason: ReasonCrashed, Advice: "the page crashed the browser's renderer (it may use too much memory); check the URL"}
	case s.tooLarge:
		return &Error{Reason: ReasonTooLarge, Advice: "the page is larger than the size limit; check that the URL points to the document itself"}
	case navErr != "" || s.navFailed != "":
		e := navErr
		if e == "" {
			e = s.navFailed
		}
		if strings.Contains(e, "BLOCKED_BY_CLIENT") {
			return nil // a refused hop: reported by refused on the next look
		}
		return &Error{Reason: ReasonNetwork, Advice: "the browser could not load the page; check the URL and the network", Err: errors.New(e)}
	}
	return nil
}

func (s *tabState) page(html []byte, settled bool, requested string) *Page {
	s.mu.Lock()
	defer s.mu.Unlock()
	final := s.finalURL
	if final == "" {
		final = requested
	}
	return &Page{URL: final, Status: s.status, HTML: html, Settled: settled}
}
