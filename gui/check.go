package gui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// SettingCheckInterval is the scheduled check interval in hours ("0" or ""
// = off); the schedule itself is tracker's, shared with `policywatch watch`.
const SettingCheckInterval = tracker.SettingCheckInterval

// statusBar is the strip under every screen: the last check's outcome, or
// the running check's progress with a Cancel button.
type statusBar struct {
	u      *UI
	label  *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	check  *widget.Button
}

func newStatusBar(u *UI) *statusBar {
	s := &statusBar{u: u, label: &widget.Label{Text: "Ready.", Truncation: fyne.TextTruncateEllipsis}, bar: widget.NewProgressBar()}
	s.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { u.checker.onCancel() })
	s.check = widget.NewButtonWithIcon("Check now (Ctrl+R)", theme.ViewRefreshIcon(), u.onCheckNow)
	s.check.Importance = widget.LowImportance
	if a := u.svc.Access(); a.ReadOnly() {
		// A role that may not change the archive cannot check it either.
		s.label.Text = "Read-only: signed in as " + a.Describe() + " — you can see and export everything; changes are refused."
		s.check.Disable()
	}
	s.bar.Hide()
	s.cancel.Hide()
	return s
}

func (s *statusBar) buildUI() fyne.CanvasObject {
	barBox := container.NewGridWrap(fyne.NewSize(260, s.bar.MinSize().Height), s.bar)
	return container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(barBox, s.cancel, s.check), s.label))
}

// checker runs one check at a time for the whole window (Check now, the
// scheduler, the tray, Platforms and onboarding all go through it).
type checker struct {
	u         *UI
	cancelRun context.CancelFunc
	// observers get progress and the final summary on the UI goroutine.
	observers []checkObserver
	// Last is the summary of the last finished run.
	last tracker.CheckSummary
}

// checkObserver follows a check run.
type checkObserver struct {
	progress func(p tracker.CheckProgress)
	done     func(sum tracker.CheckSummary, err error)
}

func newChecker(u *UI) *checker { return &checker{u: u} }

// running reports whether a check is in progress.
func (c *checker) running() bool { return c.cancelRun != nil }

// observe adds an observer for the runs to come.
func (c *checker) observe(o checkObserver) { c.observers = append(c.observers, o) }

// start checks what opts selects; what names it in the status bar.
func (c *checker) start(opts tracker.CheckOptions, what string) {
	c.startRound(opts, what, false)
}

// startRound runs a check round through the service: under the archive's
// check lock, then the alerts it raised (desktop notifications through the
// app). A scheduled round that another process ran meanwhile does nothing.
func (c *checker) startRound(opts tracker.CheckOptions, what string, scheduled bool) {
	if c.running() {
		c.u.inform("A check is running", "Wait for the current check to finish, or cancel it in the status bar.")
		return
	}
	ctx, cancel := context.WithCancel(c.u.ctx)
	c.cancelRun = cancel
	sb := c.u.status
	before := sb.label.Text
	sb.label.SetText("Checking " + what + "…")
	sb.bar.SetValue(0)
	sb.bar.Show()
	sb.cancel.Show()
	sb.check.Disable()
	task(c.u, ctx, func(ctx context.Context) (tracker.RoundResult, error) {
		opts.Progress = func(p tracker.CheckProgress) { ui(func() { c.onProgress(p) }) }
		if opts.Concurrency == 0 {
			opts.Concurrency = 4
		}
		return c.u.svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI, Scheduled: scheduled,
			Check: opts, Alerts: c.u.alertOptions()})
	}, func(r tracker.RoundResult, err error) {
		sum := r.Check
		if ctx.Err() != nil {
			sum.Cancelled = true
			if errors.Is(err, context.Canceled) {
				err = nil
			}
		}
		c.cancelRun = nil
		cancel()
		sb.bar.Hide()
		sb.cancel.Hide()
		sb.check.Enable()
		var locked *tracker.LockedError
		switch {
		case errors.Is(err, tracker.ErrNotDue):
			sb.label.SetText(before) // another process ran this round
			return
		case errors.As(err, &locked):
			if scheduled {
				sb.label.SetText("Scheduled check skipped: " + locked.Lock.Describe() + " is checking this archive.")
			} else {
				sb.label.SetText("Not checked: " + locked.Lock.Describe() + " is checking this archive.")
				c.u.inform("Another check is running", sentence(locked.Error())+".")
			}
			return
		}
		c.last = sum
		sb.label.SetText(checkLine(sum, err, time.Now()))
		if err != nil {
			c.u.showError("finish the check", err)
		}
		if r.AlertErr != nil {
			fyne.LogError("deliver alerts", r.AlertErr)
		}
		for _, o := range c.observers {
			if o.done != nil {
				o.done(sum, err)
			}
		}
		c.u.Refresh()
	})
}

func (c *checker) onProgress(p tracker.CheckProgress) {
	sb := c.u.status
	if p.Total > 0 {
		sb.bar.SetValue(float64(p.Done) / float64(p.Total))
	}
	sb.label.SetText(fmt.Sprintf("Checked %d of %d: %s — %s (%s)", p.Done, p.Total, p.Document.PlatformName,
		tracker.KindTitle(p.Document.Kind), eventWord(p.Event)))
	for _, o := range c.observers {
		if o.progress != nil {
			o.progress(p)
		}
	}
}

// onCancel stops the running check; documents already checked stay recorded.
func (c *checker) onCancel() {
	if c.cancelRun != nil {
		c.cancelRun()
		c.u.status.label.SetText("Cancelling the check…")
	}
}

// checkLine summarises a finished check for the status bar.
func checkLine(sum tracker.CheckSummary, err error, at time.Time) string {
	prefix := "Check finished at " + at.Format("15:04")
	if sum.Cancelled {
		prefix = "Check cancelled at " + at.Format("15:04")
	}
	if err != nil {
		prefix = "Check stopped at " + at.Format("15:04")
	}
	if sum.Total == 0 && !sum.Cancelled && err == nil {
		return "Nothing to check: track a platform or add a document in Platforms first."
	}
	return fmt.Sprintf("%s: %d of %d documents checked — %d changed, %d unchanged, %d failed.", prefix,
		sum.Checked, sum.Total, sum.Changed, sum.Unchanged, sum.Failed)
}

// eventWord describes a check event in a word or two.
func eventWord(ev tracker.CheckEvent) string {
	switch ev.Status {
	case tracker.CheckChanged:
		return "new version"
	case tracker.CheckUnchanged:
		return "unchanged"
	case tracker.CheckFailed:
		if ev.Reason != "" {
			return "failed: " + ev.Reason
		}
		return "failed"
	}
	return ev.Status
}

// checkIntervalHours reads the schedule setting (0 = off).
func (u *UI) checkIntervalHours() int {
	v, err := u.svc.Setting(u.ctx, SettingCheckInterval)
	if err != nil {
		return 0
	}
	var h int
	fmt.Sscanf(v, "%d", &h)
	return h
}
