// Package fetch downloads the governance documents PolicyWatch monitors.
//
// A Fetcher is a polite HTTP client: it sends a clear User-Agent, limits
// concurrency overall and per host, bounds every attempt with a connect and an
// overall timeout, caps the body it is willing to read (an endless response
// costs nothing beyond the cap), follows at most a fixed number of redirects,
// makes conditional requests with ETag / Last-Modified, and retries 429 and
// 5xx answers and network errors (not timeouts) with exponential backoff,
// honouring Retry-After. A 401, 403, or 429 that persists after the retries
// is "blocked".
//
// Every failure that a check should record is returned as an *Error whose
// Reason is one of the stable reason strings (ReasonBlocked, ReasonHTTPStatus,
// ReasonNetwork, ReasonTimeout, ReasonTooLarge, ReasonRedirectLoop,
// ReasonBadURL). Cancellation of the caller's context is not a failure of the
// document: it is returned as an error wrapping context.Canceled (or
// context.DeadlineExceeded) and is not an *Error.
//
// The body is returned as served (after any gzip transfer coding is removed);
// DecodeToUTF8 turns it into UTF-8 text.
package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Failure reasons carried by Error.Reason. They are stable: the store and the
// CLI's --json output use them.
const (
	ReasonBlocked      = "blocked"
	ReasonHTTPStatus   = "http-status"
	ReasonNetwork      = "network"
	ReasonTimeout      = "timeout"
	ReasonTooLarge     = "too-large"
	ReasonRedirectLoop = "redirect-loop"
	ReasonBadURL       = "bad-url"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxBytes       = 20 << 20
	DefaultMaxRedirects   = 10
	DefaultRetries        = 3
	DefaultPerHost        = 2
	DefaultConcurrency    = 8
	DefaultBaseBackoff    = time.Second
	DefaultMaxRetryAfter  = 30 * time.Second
)

// UserAgent returns the User-Agent PolicyWatch announces itself with, for the
// given application version.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "PolicyWatch/" + version + " (+compliance document monitor)"
}

// Request is one document to fetch. ETag and LastModified, when set, come
// from the previous successful fetch and make the request conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a successful fetch.
type Response struct {
	// URL is the final URL after redirects.
	URL string
	// Status is the HTTP status code (200, or 304 when NotModified).
	Status int
	// Body holds the bytes as served, after gzip decoding; nil when NotModified.
	Body []byte
	// ContentType is the Content-Type header as served.
	ContentType string
	// Charset names the encoding the body is in (see DecodeToUTF8), such as
	// "utf-8" or "windows-1252"; empty for non-text bodies.
	Charset string
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	// NotModified is true when the server answered 304 to a conditional request.
	NotModified bool
	// Duration is the time spent, retries and waits included.
	Duration time.Duration
}

// Error is a fetch failure that a check records. Reason and Advice are the
// fields a caller shows: the stable reason, and what happened and what to do
// in words for the person reading the check history.
type Error struct {
	// Reason is one of the Reason* constants.
	Reason string
	// Advice says what happened and what to do about it.
	Advice string
	// Status is the last HTTP status received, or 0.
	Status int
	// URL is the URL that failed.
	URL string
	// Err is the underlying error, if any.
	Err error
}

// newError returns an *Error with the advice for its reason filled in.
func newError(reason string, status int, rawURL string, err error) *Error {
	return &Error{Reason: reason, Advice: adviceFor(reason, status), Status: status, URL: rawURL, Err: err}
}

// adviceFor words what a failure means and what to do about it.
func adviceFor(reason string, status int) string {
	switch reason {
	case ReasonBlocked:
		return fmt.Sprintf("the site refused automated access (HTTP %d); open the page in a browser, and try again later or add the document's text by hand", status)
	case ReasonHTTPStatus:
		return fmt.Sprintf("the server answered HTTP %d %s; check that the URL is still right", status, strings.ToLower(http.StatusText(status)))
	case ReasonNetwork:
		return "the server could not be reached; check the network connection and the URL"
	case ReasonTimeout:
		return "the server did not answer in time; try again later"
	case ReasonTooLarge:
		return "the response is larger than the size limit; check that the URL points to the document itself"
	case ReasonRedirectLoop:
		return "the page redirects in a loop or too many times; open it in a browser to find its final address"
	case ReasonBadURL:
		return "the URL is not a valid http or https address"
	case ReasonUnsafeRedirect:
		return "the page sent PolicyWatch to a loopback, private or link-local address from a public one, which a policy page has no reason to do; nothing was fetched from there: check the URL"
	}
	return "the document could not be fetched"
}

// Error describes the failure and what to do about it.
func (e *Error) Error() string {
	advice := e.Advice
	if advice == "" {
		advice = adviceFor(e.Reason, e.Status)
	}
	msg := "fetch " + e.URL + ": " + e.Reason + ": " + advice
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Options configure a Fetcher. Zero values take the Default* constants.
type Options struct {
	// UserAgent defaults to UserAgent("dev").
	UserAgent string
	// Timeout bounds one attempt: connecting, waiting and reading the body.
	Timeout time.Duration
	// ConnectTimeout bounds establishing the connection (TCP and TLS).
	ConnectTimeout time.Duration
	// MaxBytes caps the (decoded) body size.
	MaxBytes int64
	// MaxRedirects caps the redirects followed.
	MaxRedirects int
	// Retries is the number of retries after a 429, 5xx or network error;
	// a negative value disables retrying.
	Retries int
	// PerHost caps simultaneous requests to one host.
	PerHost int
	// Concurrency caps simultaneous requests overall.
	Concurrency int
	// BaseBackoff is the first retry delay; it doubles with each retry.
	BaseBackoff time.Duration
	// MaxRetryAfter caps the time one fetch spends waiting between retries,
	// all waits together. A server asking (with Retry-After) for a longer
	// wait than is left is not retried: the fetch fails at once and the
	// next check tries again.
	MaxRetryAfter time.Duration
	// Client, if set, is used instead of a client built from the options.
	// Its CheckRedirect is replaced by the Fetcher's redirect policy (the
	// address guard then applies to redirects, not to its dialer).
	Client *http.Client
	// Guard decides which addresses a document's fetches may reach (nil:
	// the system resolver and ClassOf). See Guard.
	Guard *Guard
}

// Fetcher fetches documents. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	global chan struct{}

	mu    sync.Mutex
	hosts map[string]chan struct{}

	// sleep waits for d or until ctx is done; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Fetcher with opts, defaults filled in.
func New(opts Options) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent("dev")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Retries == 0 {
		opts.Retries = DefaultRetries
	} else if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.PerHost <= 0 {
		opts.PerHost = DefaultPerHost
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = DefaultBaseBackoff
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opts.Guard == nil {
		opts.Guard = &Guard{}
	}

	var client http.Client
	if opts.Client != nil {
		client = *opts.Client
	} else {
		dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second, ControlContext: controlDial}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = http.ProxyFromEnvironment
		tr.DialContext = dialer.DialContext
		tr.TLSHandshakeTimeout = opts.ConnectTimeout
		tr.ResponseHeaderTimeout = opts.Timeout
		tr.MaxIdleConnsPerHost = opts.PerHost
		client.Transport = tr
	}
	maxRedirects := opts.MaxRedirects
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return newError(ReasonBadURL, 0, req.URL.String(), fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme))
		}
		target := req.URL.String()
		for _, v := range via {
			if v.URL.String() == target {
				return newError(ReasonRedirectLoop, 0, via[0].URL.String(), fmt.Errorf("redirect loop back to %s", target))
			}
		}
		if len(via) > maxRedirects {
			return newError(ReasonRedirectLoop, 0, via[0].URL.String(), fmt.Errorf("more than %d redirects", maxRedirects))
		}
		if s, ok := req.Context().Value(scopeKey{}).(Scope); ok {
			if err := s.CheckURL(req.Context(), req.URL); err != nil {
				return unsafeError(via[0].URL.String(), fmt.Errorf("redirect to %s refused: %w", target, err))
			}
		}
		return nil
	}
	return &Fetcher{
		opts:   opts,
		client: &client,
		global: make(chan struct{}, opts.Concurrency),
		hosts:  make(map[string]chan struct{}),
		sleep:  sleepCtx,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hostSem returns the semaphore limiting requests to host.
func (f *Fetcher) hostSem(host string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.hosts[host]
	if !ok {
		s = make(chan struct{}, f.opts.PerHost)
		f.hosts[host] = s
	}
	return s
}

func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fetch downloads req.URL. It returns a *Response on success (including a 304
// answer to a conditional request), an *Error for a failure the check should
// record, or an error wrapping ctx.Err() when ctx ends first.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	u, err := url.Parse(strings.TrimSpace(req.URL))
	if err != nil {
		return nil, newError(ReasonBadURL, 0, req.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, newError(ReasonBadURL, 0, req.URL, fmt.Errorf("unsupported scheme %q", u.Scheme))
	}
	if u.Host == "" {
		return nil, newError(ReasonBadURL, 0, req.URL, errors.New("missing host"))
	}

	ctx = withScope(ctx, f.opts.Guard.ScopeOf(ctx, u.String()))

	// Lock order: host, then global. While backing off we keep the host slot
	// (so the host really gets a pause) but give the global slot back.
	host := strings.ToLower(u.Host)
	hs := f.hostSem(host)
	if err := acquire(ctx, hs); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	defer func() { <-hs }()

	var waited time.Duration
	for attempt := 0; ; attempt++ {
		if err := acquire(ctx, f.global); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
		}
		resp, retryAfter, err := f.attempt(ctx, u, req)
		<-f.global
		if err == nil {
			resp.Duration = time.Since(start)
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch %s: %w", req.URL, ctx.Err())
		}
		var fe *Error
		if !errors.As(err, &fe) || !retryable(fe) || attempt >= f.opts.Retries {
			return nil, giveUp(err, fe)
		}
		wait := f.opts.BaseBackoff << attempt
		wait += time.Duration(rand.Int64N(int64(wait)/4 + 1)) // jitter
		if retryAfter > 0 {
			wait = retryAfter
		}
		if waited+wait > f.opts.MaxRetryAfter {
			err = giveUp(err, fe)
			if retryAfter > 0 {
				fe.Advice += fmt.Sprintf("; the server asked to wait %s before trying again, longer than a check waits (%s), so the next check will try again", retryAfter.Round(time.Second), f.opts.MaxRetryAfter)
			}
			return nil, err
		}
		waited += wait
		if err := f.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
		}
	}
}

// giveUp returns the error of the last attempt; a 429 that persists is "blocked".
func giveUp(err error, fe *Error) error {
	if fe != nil && fe.Reason == ReasonHTTPStatus && fe.Status == http.StatusTooManyRequests {
		fe.Reason, fe.Advice = ReasonBlocked, adviceFor(ReasonBlocked, fe.Status)
	}
	return err
}

// retryable reports whether a failed attempt is worth repeating.
func retryable(e *Error) bool {
	switch e.Reason {
	case ReasonNetwork:
		return true
	case ReasonHTTPStatus:
		return e.Status == http.StatusTooManyRequests || e.Status >= 500
	}
	return false
}

// attempt makes one request. On a retryable status it also returns the
// server's Retry-After delay, or 0.
func (f *Fetcher) attempt(ctx context.Context, u *url.URL, req Request) (*Response, time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, newError(ReasonBadURL, 0, req.URL, err)
	}
	hreq.Header.Set("User-Agent", f.opts.UserAgent)
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	hreq.Header.Set("Accept-Language", "en;q=1.0, *;q=0.5")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	hresp, err := f.client.Do(hreq)
	if err != nil {
		return nil, 0, f.classify(req.URL, err, actx)
	}
	defer hresp.Body.Close()

	final := req.URL
	if hresp.Request != nil && hresp.Request.URL != nil {
		final = hresp.Request.URL.String()
	}
	status := hresp.StatusCode
	switch {
	case status == http.StatusNotModified:
		resp := &Response{
			URL: final, Status: status, NotModified: true,
			ContentType:  hresp.Header.Get("Content-Type"),
			ETag:         firstNonEmpty(hresp.Header.Get("ETag"), req.ETag),
			LastModified: firstNonEmpty(hresp.Header.Get("Last-Modified"), req.LastModified),
		}
		return resp, 0, nil
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return nil, 0, newError(ReasonBlocked, status, req.URL, nil)
	case status == http.StatusTooManyRequests || status >= 500:
		return nil, parseRetryAfter(hresp.Header.Get("Retry-After"), time.Now()), newError(ReasonHTTPStatus, status, req.URL, nil)
	case status < 200 || status >= 300:
		return nil, 0, newError(ReasonHTTPStatus, status, req.URL, nil)
	}

	if hresp.ContentLength > f.opts.MaxBytes {
		return nil, 0, newError(ReasonTooLarge, status, req.URL, fmt.Errorf("content-length %d exceeds the limit of %d bytes", hresp.ContentLength, f.opts.MaxBytes))
	}
	var body io.Reader = hresp.Body
	// The transport removes gzip itself when it asked for it; a server that
	// sends gzip unasked (or a caller's client with compression disabled)
	// still leaves the header in place.
	if strings.EqualFold(strings.TrimSpace(hresp.Header.Get("Content-Encoding")), "gzip") && !hresp.Uncompressed {
		zr, err := gzip.NewReader(hresp.Body)
		if err != nil {
			return nil, 0, newError(ReasonNetwork, status, req.URL, fmt.Errorf("bad gzip body: %w", err))
		}
		defer zr.Close()
		body = zr
	}
	data, err := io.ReadAll(io.LimitReader(body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, 0, f.classify(req.URL, fmt.Errorf("read body: %w", err), actx)
	}
	if int64(len(data)) > f.opts.MaxBytes {
		return nil, 0, newError(ReasonTooLarge, status, req.URL, fmt.Errorf("body exceeds the limit of %d bytes", f.opts.MaxBytes))
	}

	ct := hresp.Header.Get("Content-Type")
	resp := &Response{
		URL:          final,
		Status:       status,
		Body:         data,
		ContentType:  ct,
		ETag:         hresp.Header.Get("ETag"),
		LastModified: hresp.Header.Get("Last-Modified"),
	}
	if isText(ct, data) {
		_, resp.Charset = detect(data, ct)
	}
	return resp, 0, nil
}

// classify turns a transport error into an *Error.
func (f *Fetcher) classify(rawURL string, err error, actx context.Context) error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	if isRefusedDial(err) {
		return unsafeError(rawURL, err)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) || errors.Is(actx.Err(), context.DeadlineExceeded) {
		return newError(ReasonTimeout, 0, rawURL, err)
	}
	return newError(ReasonNetwork, 0, rawURL, err)
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// isText reports whether a body is text whose charset matters.
func isText(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+xml") || mt == "application/xml"
}

// detect picks the encoding of body. A byte-order mark wins; otherwise a body
// that is valid UTF-8 is taken as UTF-8 whatever the headers claim (mislabelled
// UTF-8 pages are common, and a real single-byte page with any accented letter
// is almost never valid UTF-8); otherwise the Content-Type charset, then a
// <meta> declaration, then windows-1252, as browsers do.
func detect(body []byte, contentType string) (encoding.Encoding, string) {
	e, name, certain := charset.DetermineEncoding(body, contentType)
	if certain && bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}) {
		return e, name
	}
	if certain && (bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE})) {
		return e, name
	}
	if certain && strings.HasPrefix(name, "utf-16") {
		return e, name
	}
	if utf8.Valid(body) {
		return xunicode.UTF8, "utf-8"
	}
	if e == nil || name == "utf-8" {
		// Declared UTF-8 but not valid: decode leniently (invalid bytes become U+FFFD).
		return xunicode.UTF8, "utf-8"
	}
	return e, name
}

// DecodeToUTF8 converts a text body to UTF-8, using the charset named by
// contentType, a byte-order mark or a <meta charset> declaration (see detect
// for the order). It returns the UTF-8 bytes and the name of the encoding it
// decoded from.
func DecodeToUTF8(body []byte, contentType string) ([]byte, string, error) {
	e, name := detect(body, contentType)
	if name == "utf-8" && utf8.Valid(body) {
		return bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}), name, nil
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	out = bytes.TrimPrefix(out, []byte{0xEF, 0xBB, 0xBF})
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name, nil
}
