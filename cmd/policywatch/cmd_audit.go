package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

type flagT = flag.Flag

// cmdAudit lists the evidence log, or runs one of its subcommands:
//
//	audit [--json]
//	audit verify [--json] [--checkpoint FILE]...
//	audit checkpoint [--out FILE]
//	audit key | audit new-key --reason R | audit tsa [URL|--off]
func cmdAudit(e *env) error {
	if len(e.args) > 0 {
		switch e.args[0] {
		case "verify":
			return cmdAuditVerify(e)
		case "checkpoint":
			return cmdAuditCheckpoint(e)
		case "key":
			return cmdAuditKey(e, false)
		case "new-key":
			return cmdAuditKey(e, true)
		case "tsa":
			return cmdAuditTSA(e)
		}
	}
	fs := newFlags("audit")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit: unknown subcommand %q (verify, checkpoint, key, new-key, tsa)", rest[0])
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

// readCheckpoints reads exported checkpoint files.
func readCheckpoints(paths []string) ([]evidence.Checkpoint, error) {
	var out []evidence.Checkpoint
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read checkpoint: %w", err)
		}
		cp, err := evidence.ParseCheckpoint(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, cp)
	}
	return out, nil
}

// cmdAuditVerify checks the archive against its log and prints every
// problem, naming the record; it exits 1 when anything fails.
func cmdAuditVerify(e *env) error {
	fs := newFlags("audit verify")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var files listFlag
	fs.Var(&files, "checkpoint", "also hold the log to this exported checkpoint (repeatable)")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit verify takes no arguments")
	}
	external, err := readCheckpoints(files)
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	v, err := svc.VerifyArchive(e.ctx, external...)
	if err != nil {
		return err
	}
	if *asJSON {
		if v.Problems == nil {
			v.Problems = []evidence.Problem{}
		}
		if err := printJSON(e.stdout, map[string]any{"ok": v.OK(), "archive": v.Archive, "entries": v.Entries, "head": v.Head,
			"versions": v.Versions, "analyses": v.Analyses, "checklist_items": v.Items, "reviews": v.Reviews,
			"checkpoints": v.Checkpoints, "timestamped": v.Timestamped, "key": v.Key.Fingerprint, "key_held": v.Key.Held,
			"problems": v.Problems, "notes": v.Notes}); err != nil {
			return err
		}
	} else {
		printVerification(e, v)
	}
	if !v.OK() {
		return fmt.Errorf("archive verification FAILED: %d problem(s)", len(v.Problems))
	}
	return nil
}

func printVerification(e *env, v tracker.Verification) {
	w := e.stdout
	fmt.Fprintf(w, "Archive %s: %d log entries, head %s\n", v.Archive, v.Entries, v.Head)
	fmt.Fprintf(w, "Checked %d versions (text and raw bytes rehashed), %d analyses, %d reviews, %d checklist items against the log\n",
		v.Versions, v.Analyses, v.Reviews, v.Items)
	if v.Latest != nil {
		fmt.Fprintf(w, "Checkpoints: %d (%d with a trusted timestamp); latest: %s\n", v.Checkpoints, v.Timestamped, v.Latest.Summary())
	}
	if v.Key.Fingerprint != "" {
		held := "held by this installation"
		if !v.Key.Held {
			held = "not held here"
		}
		fmt.Fprintf(w, "Signing key: %s (%s)\n", v.Key.Fingerprint, held)
	}
	for _, n := range v.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, p := range v.Problems {
		fmt.Fprintf(w, "FAIL %s\n", p)
	}
	if v.OK() {
		fmt.Fprintln(w, "audit log OK: hash chain intact; every record matches its newest entry and the signed checkpoints")
	}
}

// cmdAuditCheckpoint signs a checkpoint of the log as it stands (or reuses
// the newest when it covers every entry) and prints or writes it as JSON,
// to keep outside the archive: `audit verify --checkpoint FILE` later
// proves the log was neither truncated nor rewritten since.
func cmdAuditCheckpoint(e *env) error {
	fs := newFlags("audit checkpoint")
	out := fs.String("out", "", "write the checkpoint to FILE instead of printing it")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit checkpoint takes no arguments")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	res, err := svc.Checkpoint(e.ctx)
	if err != nil {
		return err
	}
	if res.Warning != "" {
		fmt.Fprintln(e.stderr, "warning:", res.Warning)
	}
	b, err := json.MarshalIndent(res.Checkpoint, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = e.stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	fmt.Fprintf(e.stdout, "checkpoint written to %s: %s\n", *out, res.Checkpoint.Summary())
	return nil
}

// cmdAuditKey shows the archive's signing key, or (new-key) makes a new one
// for an archive whose key this installation lacks.
func cmdAuditKey(e *env, renew bool) error {
	fs := newFlags("audit key")
	reason := fs.String("reason", "", "why a new key is needed (recorded in the log)")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit %s takes no arguments", e.args[0])
	}
	if renew && strings.TrimSpace(*reason) == "" {
		return usagef("audit new-key needs --reason (the log records why the key changed)")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	var info tracker.KeyInfo
	if renew {
		info, err = svc.NewSigningKey(e.ctx, *reason)
	} else {
		info, err = svc.SigningKey(e.ctx)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Archive:     %s\n", info.Archive)
	fmt.Fprintf(e.stdout, "Signing key: %s\n", orDash(info.Fingerprint))
	if info.Held {
		fmt.Fprintf(e.stdout, "Kept in:     %s\n", info.Where)
	} else {
		fmt.Fprintf(e.stdout, "Not held:    %s\n", info.Problem)
	}
	return nil
}

// cmdAuditTSA shows, sets or clears the RFC 3161 time-stamping authority.
func cmdAuditTSA(e *env) error {
	fs := newFlags("audit tsa")
	off := fs.Bool("off", false, "stop asking for trusted timestamps")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 1 || (*off && len(rest) > 0) {
		return usagef("audit tsa takes one URL, or --off")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	if len(rest) == 0 && !*off {
		url, err := svc.Setting(e.ctx, tracker.SettingTSAURL)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Time-stamping authority: %s\n", orDash(url))
		return nil
	}
	url := ""
	if len(rest) == 1 {
		url = rest[0]
	}
	if err := svc.SetTSAURL(e.ctx, url); err != nil {
		if errors.Is(err, tracker.ErrNotFound) {
			return err
		}
		return usagef("%v", err)
	}
	fmt.Fprintf(e.stdout, "Time-stamping authority: %s\n", orDash(url))
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
