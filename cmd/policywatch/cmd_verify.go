package main

import (
	"fmt"

	pwreport "policywatch/report"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

// cmdVerifyReport checks a PDF or XLSX report against the archive, or,
// with --bundle, against an evidence bundle without opening any archive:
//
//	verify-report FILE.pdf|FILE.xlsx [--bundle FILE.zip [--key FINGERPRINT]] [--json]
//
// It exits 1 when anything fails, naming what.
func cmdVerifyReport(e *env) error {
	fs := newFlags("verify-report")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	bundle := fs.String("bundle", "", "check against this evidence bundle instead of the archive")
	key := fs.String("key", "", "with --bundle: the signing key fingerprint to expect")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("verify-report takes one report file (PDF or XLSX)")
	}
	if *key != "" && *bundle == "" {
		return usagef("verify-report: --key goes with --bundle (against the archive, its log names the key)")
	}
	var c pwreport.ReportCheck
	if *bundle != "" {
		c, err = pwreport.VerifyReportWithBundle(rest[0], *bundle, evidence.BundleOptions{Key: *key})
	} else {
		svc, serr := e.service()
		if serr != nil {
			return serr
		}
		c, err = pwreport.VerifyReport(e.ctx, svc, rest[0])
	}
	if err != nil {
		return err
	}
	return printReportCheck(e, c, *asJSON)
}

// cmdExportEvidence writes an evidence bundle:
//
//	export-evidence FILE.zip [--since DATE] [--platform SLUG]...
func cmdExportEvidence(e *env) error {
	fs := newFlags("export-evidence")
	since := fs.String("since", "", "changes and versions from this day (YYYY-MM-DD or RFC 3339)")
	var platforms listFlag
	fs.Var(&platforms, "platform", "only this platform slug (repeatable)")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("export-evidence takes one FILE.zip")
	}
	sel := tracker.EvidenceSelection{Platforms: platforms}
	if sel.Since, err = parseDate(*since, "--since"); err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	sum, err := svc.ExportEvidence(e.ctx, rest[0], sel)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Evidence bundle %s: %d documents, %d versions, %d changes, %d checklist items; log entries %d–%d\n",
		sum.Path, sum.Documents, sum.Versions, sum.Changes, sum.Items, sum.First, sum.Last)
	fmt.Fprintf(e.stdout, "Ends at checkpoint %s\n", sum.Checkpoint.Summary())
	fmt.Fprintf(e.stdout, "Signing key %s\nSHA-256 %s (%d bytes), logged in the archive\n", sum.Key, sum.SHA256, sum.Bytes)
	if sum.Seal != "" {
		fmt.Fprintln(e.stdout, sum.Seal)
	}
	fmt.Fprintln(e.stdout, "Check it anywhere with `policywatch verify-bundle FILE.zip`")
	return nil
}

// cmdVerifyBundle checks an evidence bundle offline; it never opens an
// archive:
//
//	verify-bundle FILE.zip [--key FINGERPRINT] [--checkpoint FILE]... [--json]
func cmdVerifyBundle(e *env) error {
	fs := newFlags("verify-bundle")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	key := fs.String("key", "", "the signing key fingerprint to expect (from a report or Settings)")
	var files listFlag
	fs.Var(&files, "checkpoint", "also hold the log segment to this exported checkpoint (repeatable)")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("verify-bundle takes one FILE.zip")
	}
	external, err := readCheckpoints(files)
	if err != nil {
		return err
	}
	v, err := evidence.VerifyBundle(rest[0], evidence.BundleOptions{Key: *key, Checkpoints: external})
	if err != nil {
		return err
	}
	m := v.Manifest
	if *asJSON {
		if v.Problems == nil {
			v.Problems = []evidence.Problem{}
		}
		if err := printJSON(e.stdout, map[string]any{"ok": v.OK(), "format": m.Format, "archive": m.Archive, "created_at": m.CreatedAt,
			"first": v.First, "last": v.Last, "head": v.Head, "versions": v.Versions, "changes": v.Changes, "reviews": v.Reviews,
			"checklist_items": v.Items, "checkpoints": v.Checkpoints, "key": v.Key, "key_logged": v.KeyLogged,
			"problems": v.Problems, "notes": v.Notes}); err != nil {
			return err
		}
	} else {
		w := e.stdout
		fmt.Fprintf(w, "Evidence bundle of archive %s, exported %s by %s\n", m.Archive, m.CreatedAt, m.Generator)
		fmt.Fprintf(w, "Log entries %d–%d, head %s\n", v.First, v.Last, v.Head)
		fmt.Fprintf(w, "Checked %d versions (text and raw bytes rehashed), %d analyses, %d reviews, %d checklist items against the log\n",
			v.Versions, v.Changes, v.Reviews, v.Items)
		if v.Latest != nil {
			fmt.Fprintf(w, "Checkpoints: %d; latest: %s\n", v.Checkpoints, v.Latest.Summary())
		}
		logged := "recorded in the log segment"
		if !v.KeyLogged {
			logged = "the bundle's own: compare it with the one on the archive's reports or in its Settings"
		}
		fmt.Fprintf(w, "Signing key: %s (%s)\n", v.Key, logged)
		printProblems(e, v.Notes, v.Problems)
		if v.OK() {
			fmt.Fprintln(w, "bundle OK: every file matches the manifest, every record its log entry, and the log the signed checkpoint")
		}
	}
	if !v.OK() {
		return fmt.Errorf("bundle verification FAILED: %d problem(s)", len(v.Problems))
	}
	return nil
}

func printReportCheck(e *env, c pwreport.ReportCheck, asJSON bool) error {
	if asJSON {
		if err := printJSON(e.stdout, struct {
			OK bool `json:"ok"`
			pwreport.ReportCheck
		}{c.OK(), c}); err != nil {
			return err
		}
	} else {
		w := e.stdout
		fmt.Fprintf(w, "Report %s (%s, %d bytes), SHA-256 %s\n", c.File, c.Format, c.Bytes, c.SHA256)
		if c.Sidecar != "" {
			state := "matches"
			if c.Sidecar != c.SHA256 {
				state = "does NOT match"
			}
			fmt.Fprintf(w, "Its .sha256 file %s\n", state)
		}
		if c.Checkpoint != nil {
			fmt.Fprintf(w, "It prints the checkpoint: %s\n", c.Checkpoint.Summary())
		}
		if c.Entry > 0 {
			fmt.Fprintf(w, "Logged as written in entry %d of %s\n", c.Entry, c.Against)
		}
		printProblems(e, c.Notes, c.Problems)
		if c.OK() {
			fmt.Fprintf(w, "report OK: its bytes are the ones written, and %s still holds the log its checkpoint signed\n", c.Against)
		}
	}
	if !c.OK() {
		return fmt.Errorf("report verification FAILED: %d problem(s)", len(c.Problems))
	}
	return nil
}

// printProblems prints notes, then one FAIL line per problem.
func printProblems(e *env, notes []string, problems []evidence.Problem) {
	for _, n := range notes {
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "FAIL %s\n", p)
	}
}
