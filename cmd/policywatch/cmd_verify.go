package main

import (
	"fmt"

	pwreport "policywatch/report"
	"policywatch/tracker/evidence"
)

// cmdVerifyReport checks a PDF or XLSX report against the archive:
//
//	verify-report FILE.pdf|FILE.xlsx [--json]
//
// It exits 1 when anything fails, naming what.
func cmdVerifyReport(e *env) error {
	fs := newFlags("verify-report")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("verify-report takes one report file (PDF or XLSX)")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	c, err := pwreport.VerifyReport(e.ctx, svc, rest[0])
	if err != nil {
		return err
	}
	return printReportCheck(e, c, *asJSON)
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
