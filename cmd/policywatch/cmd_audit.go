package main

import (
	"errors"
	"flag"
	"fmt"

	"policywatch/tracker"
)

type flagT = flag.Flag

func cmdAudit(e *env) error {
	if len(e.args) > 0 && e.args[0] == "verify" {
		if len(e.args) > 1 {
			return usagef("audit verify takes no arguments")
		}
		svc, err := e.service()
		if err != nil {
			return err
		}
		n, err := svc.VerifyAudit(e.ctx)
		var br *tracker.AuditBreak
		if errors.As(err, &br) {
			return fmt.Errorf("audit log verification FAILED after %d good entries: %w", n, err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "audit log OK: %d entries, hash chain intact\n", n)
		return nil
	}
	fs := newFlags("audit")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit: unknown subcommand %q (verify)", rest[0])
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	entries, err := svc.AuditLog(e.ctx, 0, 0)
	if err != nil {
		return err
	}
	if *asJSON {
		if entries == nil {
			entries = []tracker.AuditEntry{}
		}
		return printJSON(e.stdout, entries)
	}
	for _, a := range entries {
		fmt.Fprintf(e.stdout, "%d  %s  %-10s %-20s %-24s %s\n", a.ID, rfc3339(a.At), a.Actor, a.Action, a.Subject, a.Detail)
	}
	return nil
}

func cmdBackup(e *env) error {
	if len(e.args) != 1 {
		return usagef("backup takes one destination file")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	if err := svc.Backup(e.ctx, e.args[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", e.args[0])
	return nil
}
