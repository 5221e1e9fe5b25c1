package tracker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SettingCheckInterval is the setting holding the check schedule in hours
// ("0" or "" = off), chosen in Settings and read by every scheduler.
const SettingCheckInterval = "check_interval_hours"

// schedulerWake is the longest a scheduler sleeps: it reads the schedule
// again at least this often, so a change in Settings takes effect.
const schedulerWake = time.Minute

// CheckInterval returns the check schedule from Settings (0 = off).
func (s *Service) CheckInterval(ctx context.Context) (time.Duration, error) {
	v, err := s.Setting(ctx, SettingCheckInterval)
	if err != nil {
		return 0, err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	h, err := strconv.Atoi(v)
	if err != nil || h < 0 {
		return 0, fmt.Errorf("the check schedule setting %q is not a number of hours; choose a schedule in Settings", v)
	}
	return time.Duration(h) * time.Hour, nil
}

// RoundOptions configures one check round.
type RoundOptions struct {
	// Holder names who runs the round in the check lock (HolderGUI…).
	Holder string
	// Scheduled makes it a scheduled round of every tracked document, run
	// only when the last full round started at least the interval ago
	// (Every, or the schedule in Settings); otherwise RunRound returns
	// ErrNotDue and does nothing.
	Scheduled bool
	// Every overrides the schedule from Settings for a scheduled round.
	Every time.Duration
	// Check selects the documents of an unscheduled round (empty: every tracked one).
	Check CheckOptions
	// JoinOnly takes a share of a round another process started (its
	// documents waiting in the queue) and never starts one: ErrNotDue
	// when no round is waiting.
	JoinOnly bool
	// Alerts configures the alert delivery that follows the round.
	Alerts DispatchOptions
}

// RoundResult is what a round did.
type RoundResult struct {
	// Check counts the documents this process checked; in a shared round
	// the other workers checked the rest.
	Check CheckSummary
	// Helped is true when another process had started the round and this
	// one checked documents from its queue.
	Helped bool
	Alerts DispatchSummary
	// AlertErr is why alert delivery could not run (the round itself succeeded).
	AlertErr error
}

// RunRound runs one check round under the archive's check lock, then
// delivers the alerts it raised. Another process holding the lock gives a
// *LockedError; a scheduled round that is not due gives ErrNotDue. Both the
// desktop app and `policywatch watch` check through here, so they never
// check the same archive at once. A round over every tracked document
// restarts the schedule.
func (s *Service) RunRound(ctx context.Context, o RoundOptions) (RoundResult, error) {
	var res RoundResult
	c := roundClaim{owner: thisProcess(o.Holder)}
	opts := o.Check
	if o.Scheduled {
		every := o.Every
		if every <= 0 {
			var err error
			if every, err = s.CheckInterval(ctx); err != nil {
				return res, err
			}
		}
		if every <= 0 {
			return res, ErrNotDue
		}
		c.every = every
		opts.Platforms, opts.DocumentIDs = nil, nil
	}
	c.full = len(opts.Platforms) == 0 && len(opts.DocumentIDs) == 0
	queue, shared := s.sharedRounds()
	c.queue = c.full && shared
	worker := workerName(o.Holder)
	if o.JoinOnly {
		if !c.queue {
			return res, ErrNotDue
		}
		sum, helped, err := s.helpRound(ctx, queue, opts, worker)
		if !helped || err != nil || ctx.Err() != nil {
			if !helped && err == nil {
				err = ErrNotDue
			}
			return res, err
		}
		res.Check, res.Helped = sum, true
		res.Alerts, res.AlertErr = s.DispatchAlerts(ctx, o.Alerts)
		return res, nil
	}
	release, err := s.holdLock(ctx, c)
	var locked *LockedError
	if errors.As(err, &locked) && c.queue {
		// Another worker runs a full round: take a share of its documents.
		sum, helped, herr := s.helpRound(ctx, queue, opts, worker)
		if helped {
			res.Check, res.Helped = sum, true
			if herr != nil || ctx.Err() != nil {
				return res, herr
			}
			res.Alerts, res.AlertErr = s.DispatchAlerts(ctx, o.Alerts)
			return res, nil
		}
		if herr != nil {
			return res, herr
		}
	}
	if err != nil {
		return res, err
	}
	if c.queue {
		res.Check, err = s.checkRound(ctx, queue, opts, worker)
	} else {
		res.Check, err = s.Check(ctx, opts)
	}
	release()
	if err != nil || ctx.Err() != nil {
		return res, err
	}
	res.Alerts, res.AlertErr = s.DispatchAlerts(ctx, o.Alerts)
	return res, nil
}

// SchedulerOptions configures a Scheduler.
type SchedulerOptions struct {
	// Holder names the process in the check lock (HolderGUI, HolderWatch).
	Holder string
	// Every overrides the schedule from Settings (0: use Settings).
	Every time.Duration
	// Alerts configures alert delivery after rounds and between them.
	Alerts DispatchOptions
	// Start, if set, runs a due round instead of RunRound; the desktop app
	// starts it through its check runner so that the round shows progress
	// and can be cancelled. It must call RunRound with Scheduled set.
	Start func(ctx context.Context)
	// OnRound, if set, is told of each round RunRound ran or refused (not of
	// ErrNotDue), when Start is not set.
	OnRound func(RoundResult, error)
	// OnAlerts, if set, is told of alert deliveries made between rounds
	// (retries and digests coming due).
	OnAlerts func(DispatchSummary, error)
}

// Scheduler runs check rounds on the schedule, the same way in the desktop
// app and in `policywatch watch`: it decides from the archive when a round
// is due (so two schedulers on one archive run it once), runs it under the
// check lock, and between rounds delivers the alerts whose retry or digest
// time has come.
type Scheduler struct {
	svc  *Service
	opts SchedulerOptions
}

// NewScheduler returns a scheduler over the service's archive.
func (s *Service) NewScheduler(o SchedulerOptions) *Scheduler {
	return &Scheduler{svc: s, opts: o}
}

// Interval returns the schedule in force: Every, or the one from Settings (0 = off).
func (sc *Scheduler) Interval(ctx context.Context) (time.Duration, error) {
	if sc.opts.Every > 0 {
		return sc.opts.Every, nil
	}
	return sc.svc.CheckInterval(ctx)
}

// Next returns when the next scheduled round is due; ok is false when the
// schedule is off. A time in the past means a round is due now.
func (sc *Scheduler) Next(ctx context.Context) (next time.Time, ok bool, err error) {
	every, err := sc.Interval(ctx)
	if err != nil || every <= 0 {
		return time.Time{}, false, err
	}
	l, err := sc.svc.CheckLockState(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	if l.LastRound.IsZero() {
		return sc.svc.now(), true, nil
	}
	return l.LastRound.Add(every), true, nil
}

// RunOnce runs a scheduled round if one is due and delivers pending
// alerts; it returns how long to wait before calling it again.
func (sc *Scheduler) RunOnce(ctx context.Context) time.Duration {
	next, on, err := sc.Next(ctx)
	switch {
	case err != nil:
		if sc.opts.OnRound != nil {
			sc.opts.OnRound(RoundResult{}, err)
		}
	case on && !sc.svc.now().Before(next):
		if sc.opts.Start != nil {
			// The round claims the schedule when it starts; look again in
			// a minute whatever happens.
			sc.opts.Start(ctx)
			return sc.wait(ctx, schedulerWake, false)
		}
		res, err := sc.svc.RunRound(ctx, RoundOptions{Holder: sc.opts.Holder, Scheduled: true,
			Every: sc.opts.Every, Alerts: sc.opts.Alerts})
		if !errors.Is(err, ErrNotDue) && sc.opts.OnRound != nil {
			sc.opts.OnRound(res, err)
		}
		var locked *LockedError
		if errors.As(err, &locked) {
			// Someone else is checking; try again soon.
			return sc.wait(ctx, 10*time.Second, false)
		}
		return sc.wait(ctx, schedulerWake, true)
	case sc.opts.Start == nil && sc.roundWaiting(ctx):
		// Another worker started a round whose documents are waiting in
		// the queue: take a share of them.
		res, err := sc.svc.RunRound(ctx, RoundOptions{Holder: sc.opts.Holder, JoinOnly: true, Alerts: sc.opts.Alerts})
		if !errors.Is(err, ErrNotDue) && sc.opts.OnRound != nil {
			sc.opts.OnRound(res, err)
		}
		return sc.wait(ctx, schedulerWake, true)
	}
	if ctx.Err() != nil {
		return 0
	}
	sum, err := sc.svc.DispatchAlerts(ctx, sc.opts.Alerts)
	if sc.opts.OnAlerts != nil && (err != nil || sum.Attempted() > 0) {
		sc.opts.OnAlerts(sum, err)
	}
	return sc.wait(ctx, schedulerWake, true)
}

// wait shortens wait to the next due round or retry, at least a second; a
// round already due shortens it only when dueNow is true.
func (sc *Scheduler) wait(ctx context.Context, wait time.Duration, dueNow bool) time.Duration {
	shorten := func(d time.Duration) {
		if d < wait && (d > 0 || dueNow) {
			wait = d
		}
	}
	if next, on, err := sc.Next(ctx); err == nil && on {
		shorten(next.Sub(sc.svc.now()))
	}
	if d, err := sc.svc.nextAlertAttempt(ctx); err == nil {
		shorten(d)
	}
	return max(wait, time.Second)
}

// roundWaiting reports whether a shared round has documents waiting.
func (sc *Scheduler) roundWaiting(ctx context.Context) bool {
	if _, shared := sc.svc.sharedRounds(); !shared {
		return false
	}
	st, err := sc.svc.QueueStatus(ctx)
	return err == nil && st.Waiting > 0
}

// Run runs the scheduler until ctx ends. A headless scheduler on a store
// that announces its changes (PostgreSQL) also wakes when another worker
// starts a round, and takes a share of it at once.
func (sc *Scheduler) Run(ctx context.Context) {
	var wake <-chan struct{}
	if n, ok := sc.svc.store.(ChangeNotifier); ok && sc.opts.Start == nil {
		wake, _ = n.NotifyChanges(ctx)
	}
	for {
		wait := sc.RunOnce(ctx)
		t := time.NewTimer(wait)
	sleep:
		for {
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
				break sleep
			case _, open := <-wake:
				if !open {
					wake = nil
				} else if sc.roundWaiting(ctx) {
					t.Stop()
					break sleep
				}
			}
		}
	}
}
