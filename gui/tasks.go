package gui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// background runs work off the UI goroutine with the window's context and
// hands its result to done on the UI goroutine (through fyne.Do). An error
// reaches the user as advice about what (e.g. "load the changes").
func background[T any](u *UI, what string, work func(ctx context.Context) (T, error), done func(T)) {
	backgroundIn(u, u.ctx, what, work, done)
}

// backgroundIn is background with a context of its own, for queries that a
// newer query makes pointless (cancelling it interrupts the database).
func backgroundIn[T any](u *UI, ctx context.Context, what string, work func(ctx context.Context) (T, error), done func(T)) {
	task(u, ctx, work, func(v T, err error) {
		if err != nil {
			u.showError(what, err)
			return
		}
		done(v)
	})
}

// task runs work in a goroutine with ctx and calls done with its result and
// error on the UI goroutine. It is the one fyne.Do boundary of the screens.
func task[T any](u *UI, ctx context.Context, work func(ctx context.Context) (T, error), done func(T, error)) {
	u.begin()
	go func() {
		defer u.end()
		v, err := work(ctx)
		ui(func() { done(v, err) })
	}()
}

// later runs fn on the UI goroutine in a callback of its own, after the
// current one: long UI work split into steps lets the window paint and
// answer between them.
func later(u *UI, fn func()) {
	task(u, u.ctx, func(context.Context) (struct{}, error) { return struct{}{}, nil }, func(struct{}, error) { fn() })
}

// uiMu serialises the callbacks handed to fyne.Do. The app runs them all on
// its one UI goroutine, so the lock is never contended there; the test
// driver runs fyne.Do inline on the calling goroutine, and the lock keeps
// two finishing tasks (and the test itself, see act in the tests) from
// touching widgets at the same time.
var uiMu sync.Mutex

// ui runs fn on the UI goroutine; for results and progress from workers.
func ui(fn func()) {
	fyne.Do(func() {
		uiMu.Lock()
		defer uiMu.Unlock()
		fn()
	})
}

func (u *UI) begin() {
	u.mu.Lock()
	u.pending++
	u.mu.Unlock()
}

func (u *UI) end() {
	u.mu.Lock()
	u.pending--
	u.mu.Unlock()
}

// WaitIdle waits until no background task is running, or timeout passes; it
// reports whether the UI went idle. Tests call it before reading widgets.
func (u *UI) WaitIdle(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		u.mu.Lock()
		n := u.pending
		u.mu.Unlock()
		if n == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// showError tells the user what went wrong as advice; cancellations are
// silent. Problems the user can fix (a missing record, a refused input, a
// page that could not be fetched) get an information dialog; anything else
// is logged and shown as a short failure without the raw error text.
func (u *UI) showError(what string, err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	title, advice, expected := adviceFor(what, err)
	if expected {
		dialog.ShowInformation(title, advice, u.win)
		return
	}
	fyne.LogError("policywatch: "+what, err)
	dialog.ShowError(errors.New(advice), u.win)
}

// inform shows an expected problem or a result as advice.
func (u *UI) inform(title, message string) {
	dialog.ShowInformation(title, message, u.win)
}

// adviceFor turns an error into a title and a sentence for a compliance
// user, and tells whether it is an expected problem.
func adviceFor(what string, err error) (title, advice string, expected bool) {
	var ce *tracker.CaptureError
	var ie inputError
	var te *tracker.InputError
	var conflict *tracker.ConflictError
	switch {
	case errors.As(err, &conflict):
		return "Changed by someone else", sentence(conflict.Error()) + ". The list now shows their edit; make yours again if it still applies.", true
	case errors.Is(err, tracker.ErrPermission):
		return "Read-only access", "Your database role may read and export this team archive but not change it, so PolicyWatch could not " +
			what + ". Ask the archive's administrator for an editor's role if you need one.", true
	case errors.As(err, &ie):
		return "Please check the form", string(ie), true
	case errors.As(err, &te):
		return "Please check the form", sentence(te.Msg) + ".", true
	case errors.As(err, &ce):
		if ce.Fetched {
			return "No document text found", sentence(ce.Advice) + ".", true
		}
		return "The page could not be fetched", sentence(ce.Advice) + ".", true
	case errors.Is(err, tracker.ErrNoIdentity):
		return "Who is reviewing?", "Enter your name and e-mail in Settings → Organisation profile first: every review records who made it.", true
	case errors.Is(err, tracker.ErrNotFound):
		return "Not found", "The record you asked for is no longer in the archive. Refresh the screen and try again.", true
	case errors.Is(err, context.DeadlineExceeded):
		return "Took too long", "PolicyWatch stopped waiting to " + what + ". Try again in a moment.", true
	}
	return "Something went wrong", "PolicyWatch could not " + what +
		". Nothing was lost; try again, and if it keeps failing, restart the app (details are in the log).", false
}

// inputError is a problem with what the user typed, worded for them.
type inputError string

func (e inputError) Error() string { return string(e) }

// sentence capitalises the first letter of s.
func sentence(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// showBusy shows a form's cancellable task as running (on) or ended: the
// button that started it is disabled, its Stop button and spinner shown.
func showBusy(on bool, start, stop *widget.Button, spinner *widget.Activity) {
	if on {
		start.Disable()
		stop.Show()
		spinner.Show()
		spinner.Start()
		return
	}
	start.Enable()
	stop.Hide()
	spinner.Stop()
	spinner.Hide()
}
