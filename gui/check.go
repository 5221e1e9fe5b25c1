package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// Setting keys stored in the archive with svc.SetSetting.
const (
	// SettingCheckInterval is the scheduled check interval in hours ("0" or "" = off).
	SettingCheckInterval = "check_interval_hours"
	// SettingNotifyMin is the lowest exposure of new changes that raises a
	// desktop notification ("off", "low", "medium", "high").
	SettingNotifyMin = "notify_min_exposure"
)

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
	if c.running() {
		c.u.inform("A check is running", "Wait for the current check to finish, or cancel it in the status bar.")
		return
	}
	ctx, cancel := context.WithCancel(c.u.ctx)
	c.cancelRun = cancel
	sb := c.u.status
	sb.label.SetText("Checking " + what + "…")
	sb.bar.SetValue(0)
	sb.bar.Show()
	sb.cancel.Show()
	sb.check.Disable()
	var notify []tracker.CheckProgress
	type result struct {
		sum    tracker.CheckSummary
		notify []tracker.CheckProgress
	}
	task(c.u, ctx, func(ctx context.Context) (result, error) {
		minLevel, _ := c.u.svc.Setting(ctx, SettingNotifyMin)
		opts.Progress = func(p tracker.CheckProgress) {
			if p.ChangeID != 0 && minLevel != "" && minLevel != "off" &&
				tracker.ExposureRank(p.Exposure) >= tracker.ExposureRank(minLevel) && tracker.ExposureRank(p.Exposure) > 0 {
				notify = append(notify, p)
			}
			ui(func() { c.onProgress(p) })
		}
		if opts.Concurrency == 0 {
			opts.Concurrency = 4
		}
		sum, err := c.u.svc.Check(ctx, opts)
		return result{sum, notify}, err
	}, func(r result, err error) {
		if ctx.Err() != nil {
			r.sum.Cancelled = true
			if errors.Is(err, context.Canceled) {
				err = nil
			}
		}
		c.cancelRun = nil
		cancel()
		c.last = r.sum
		sb.bar.Hide()
		sb.cancel.Hide()
		sb.check.Enable()
		sb.label.SetText(checkLine(r.sum, err, time.Now()))
		if err != nil {
			c.u.showError("finish the check", err)
		}
		c.sendNotification(r.notify)
		for _, o := range c.observers {
			if o.done != nil {
				o.done(r.sum, err)
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

// sendNotification raises one desktop notification for the new changes at
// or above the chosen exposure.
func (c *checker) sendNotification(list []tracker.CheckProgress) {
	if len(list) == 0 {
		return
	}
	var names []string
	for i, p := range list {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(list)-3))
			break
		}
		names = append(names, fmt.Sprintf("%s %s (%s)", p.Document.PlatformName, strings.ToLower(tracker.KindTitle(p.Document.Kind)), p.Exposure))
	}
	fyne.CurrentApp().SendNotification(fyne.NewNotification(
		fmt.Sprintf("PolicyWatch: %d new change(s) to review", len(list)), strings.Join(names, ", ")))
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
