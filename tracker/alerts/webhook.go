package alerts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhook posts alerts as JSON to a URL. The whole URL is a secret (Slack
// and Teams put the token in its path), so errors name only its host.
type Webhook struct {
	URL    string
	Format string // json, slack or teams
	// Client sends the request (default: a client with a 30 s timeout).
	Client *http.Client
	// UserAgent names PolicyWatch and its version.
	UserAgent string
}

// CheckWebhookURL checks a webhook address before it is saved.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("the webhook address %s is not an http(s) URL", Redact(raw))
	}
	return nil
}

// Redact shows an address without what may be secret: the scheme, user
// name and host stay, a password, path and query become "…".
func Redact(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "(an address that is not a URL)"
	}
	out := u.Scheme + "://"
	if u.User != nil && u.User.Username() != "" {
		out += u.User.Username() + "@"
	}
	out += u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		out += "/…"
	}
	return out
}

// Send posts m; a 2xx answer is a delivery.
func (w Webhook) Send(ctx context.Context, m Message) error {
	body, err := Body(m, w.Format)
	if err != nil {
		return permanent("", "%v", err)
	}
	where := Redact(w.URL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return permanent("set the webhook address again", "bad webhook address %s", where)
	}
	req.Header.Set("Content-Type", "application/json")
	if w.UserAgent != "" {
		req.Header.Set("User-Agent", w.UserAgent)
	}
	if m.ID != "" {
		// Receivers that keep idempotency keys drop a repeated delivery.
		req.Header.Set("Idempotency-Key", m.ID)
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error carries the full URL: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		msg := scrub(err.Error(), w.URL)
		return temporary("", "posting to the webhook at %s failed: %s", where, msg)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	answer := strings.Join(strings.Fields(scrub(string(snippet), w.URL)), " ")
	if answer != "" {
		answer = ": " + answer
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return temporary("", "the webhook at %s answered %s%s", where, resp.Status, answer)
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return permanent("the webhook was removed or its address is wrong: add the channel again with the current address", "the webhook at %s answered %s%s", where, resp.Status, answer)
	}
	return permanent("check the channel's format (json, slack or teams) against what the receiver expects", "the webhook at %s answered %s%s", where, resp.Status, answer)
}

// scrub removes from s every part of the secret address raw that could
// identify it: the whole address, its path and query, and each path segment
// and query value of four characters or more (a receiver may echo any of them).
func scrub(s, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return strings.ReplaceAll(s, raw, "(the webhook address)")
	}
	parts := []string{raw, u.RequestURI(), u.EscapedPath(), u.Path, u.RawQuery}
	for _, seg := range strings.Split(u.Path, "/") {
		parts = append(parts, seg, url.PathEscape(seg))
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			parts = append(parts, v, url.QueryEscape(v))
		}
	}
	// Longest first, so that a whole address goes before its pieces.
	slices.SortFunc(parts, func(a, b string) int { return len(b) - len(a) })
	for _, p := range parts {
		if len(p) >= 4 && p != "/" {
			s = strings.ReplaceAll(s, p, "…")
		}
	}
	return s
}
