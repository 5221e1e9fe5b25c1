package main

import (
	"fmt"
	"sync"

	"policywatch/tracker"
)

func cmdCheck(e *env) error {
	fs := newFlags("check")
	var platforms listFlag
	fs.Var(&platforms, "platform", "only this platform (repeatable)")
	concurrency := fs.Int("concurrency", 8, "documents fetched at once")
	quiet := fs.Bool("quiet", false, "print only the summary")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("check takes no arguments")
	}
	if *concurrency < 1 || *concurrency > 256 {
		return usagef("--concurrency must be between 1 and 256")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	var mu sync.Mutex
	// A round: under the archive's check lock (never at once with the app
	// or `watch`), followed by the alerts it raised.
	res, err := svc.RunRound(e.ctx, tracker.RoundOptions{Holder: tracker.HolderCheck, Check: tracker.CheckOptions{Platforms: platforms, Concurrency: *concurrency,
		Progress: func(p tracker.CheckProgress) {
			if *quiet {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			line := fmt.Sprintf("[%d/%d] %s %s: %s", p.Done, p.Total, p.Document.PlatformSlug, p.Document.Kind, p.Event.Status)
			switch {
			case p.Event.Status == tracker.CheckFailed:
				line += " (" + p.Event.Reason + ") " + p.Event.Detail
			case p.ChangeID != 0:
				line += fmt.Sprintf(" → change #%d, exposure %s", p.ChangeID, p.Exposure)
			case p.Event.Status == tracker.CheckChanged:
				line += " (first version archived)"
			}
			fmt.Fprintln(e.stdout, line)
		}}})
	if err != nil {
		return err
	}
	sum := res.Check
	fmt.Fprintf(e.stdout, "checked %d, changed %d, unchanged %d, failed %d\n", sum.Checked, sum.Changed, sum.Unchanged, sum.Failed)
	if sum.Seal != "" {
		fmt.Fprintln(e.stdout, sum.Seal)
	}
	if res.AlertErr != nil {
		fmt.Fprintf(e.stderr, "policywatch: alerts could not be delivered: %v\n", res.AlertErr)
	} else if a := res.Alerts; a.Attempted() > 0 || a.Queued > 0 {
		fmt.Fprintf(e.stdout, "alerts: %s\n", a)
		for _, msg := range a.Errors {
			fmt.Fprintf(e.stderr, "policywatch: alert not delivered: %s\n", msg)
		}
	}
	if sum.Cancelled {
		return fmt.Errorf("check interrupted: %d document(s) were not checked", sum.Total-sum.Checked)
	}
	return nil
}

func cmdReExtract(e *env) error {
	if len(e.args) != 1 {
		return usagef("re-extract takes one document id")
	}
	id, err := parseID(e.args[0], "DOC_ID")
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	ev, change, err := svc.ReExtract(e.ctx, id)
	if err != nil {
		return err
	}
	if ev.Status == tracker.CheckUnchanged {
		fmt.Fprintln(e.stdout, "re-extracted text is identical to the archived version; nothing stored")
		return nil
	}
	fmt.Fprintf(e.stdout, "new version #%d archived from the stored raw bytes; change #%d\n", ev.VersionID, change)
	return nil
}
