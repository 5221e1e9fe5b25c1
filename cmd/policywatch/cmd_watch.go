package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"policywatch/tracker"
)

// cmdWatch runs the check schedule headless: `watch` until interrupted,
// `watch --once` one round now. Each round checks every tracked document
// under the archive's check lock and delivers the alerts it raised; between
// rounds, retries and digests go out when due.
func cmdWatch(e *env) error {
	fs := newFlags("watch")
	once := fs.Bool("once", false, "run one round now, then exit")
	every := fs.Duration("every", 0, "check this often (e.g. 6h, 30m) instead of the schedule from Settings")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("watch takes no arguments")
	}
	if *every < 0 || (*every > 0 && *every < time.Second) {
		return usagef("--every must be at least 1s")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	log := &lineLog{w: e.stdout}
	if *once {
		res, err := svc.RunRound(e.ctx, tracker.RoundOptions{Holder: tracker.HolderWatch})
		if err != nil {
			return err
		}
		log.round(res)
		if res.Check.Cancelled {
			return fmt.Errorf("round interrupted: %d document(s) were not checked", res.Check.Total-res.Check.Checked)
		}
		return nil
	}
	sched := svc.NewScheduler(tracker.SchedulerOptions{Holder: tracker.HolderWatch, Every: *every,
		OnRound: func(res tracker.RoundResult, err error) {
			var locked *tracker.LockedError
			switch {
			case errors.As(err, &locked):
				log.printf("round skipped: %s", locked.Lock.Describe()+" is checking")
			case err != nil:
				log.printf("round failed: %v", err)
			default:
				log.round(res)
			}
		},
		OnAlerts: func(sum tracker.DispatchSummary, err error) {
			if err != nil {
				log.printf("alerts: %v", err)
				return
			}
			log.alerts(sum)
		}})
	interval, err := sched.Interval(e.ctx)
	if err != nil {
		return err
	}
	if interval <= 0 {
		return errors.New("the check schedule is off: choose one in the app (Settings → Check schedule) or run `policywatch watch --every 6h`")
	}
	next, _, err := sched.Next(e.ctx)
	if err != nil {
		return err
	}
	when := "now"
	if next.After(svc.Now()) {
		when = next.Local().Format("2006-01-02 15:04:05")
	}
	log.printf("watching %s: a round every %s, the next %s; stop with Ctrl+C", e.dbPath, interval, when)
	sched.Run(e.ctx)
	log.printf("stopped")
	return nil
}

// lineLog writes time-stamped lines; it is shared by the scheduler's callbacks.
type lineLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineLog) printf(format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s\n", time.Now().Format("2006-01-02 15:04:05"), fmt.Sprintf(format, a...))
}

func (l *lineLog) round(res tracker.RoundResult) {
	s := res.Check
	share := ""
	switch {
	case res.Helped:
		share = " (a share of the round another worker started)"
	case s.Checked < s.Total && !s.Cancelled:
		share = " (other workers checked the rest)"
	}
	l.printf("round: checked %d of %d%s, changed %d, unchanged %d, failed %d", s.Checked, s.Total, share, s.Changed, s.Unchanged, s.Failed)
	if res.AlertErr != nil {
		l.printf("alerts: %v", res.AlertErr)
		return
	}
	l.alerts(res.Alerts)
}

func (l *lineLog) alerts(sum tracker.DispatchSummary) {
	if sum.Attempted() == 0 && sum.Queued == 0 {
		return
	}
	l.printf("alerts: %s", sum)
	for _, e := range sum.Errors {
		l.printf("alert not delivered: %s", e)
	}
}
