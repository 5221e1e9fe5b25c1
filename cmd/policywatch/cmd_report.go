package main

import (
	"fmt"
	"strings"
	"time"

	pwreport "policywatch/report"
	"policywatch/tracker"
)

// cmdReport writes the PDF and/or XLSX report of a period:
//
//	report [--pdf FILE] [--xlsx FILE] [--since DATE] [--until DATE] [--platform SLUG]...
//	       [--jurisdiction CODE]... [--min-exposure LEVEL] [--deterministic] [--excerpts flagged|all]
//
// --until DATE includes that whole day; an RFC 3339 time is an exclusive end.
func cmdReport(e *env) error {
	fs := newFlags("report")
	pdfPath := fs.String("pdf", "", "write the PDF report to FILE")
	xlsxPath := fs.String("xlsx", "", "write the Excel report to FILE")
	since := fs.String("since", "", "first day covered (YYYY-MM-DD or RFC 3339)")
	until := fs.String("until", "", "last day covered (YYYY-MM-DD, inclusive, or RFC 3339)")
	var platforms, jurisdictions listFlag
	fs.Var(&platforms, "platform", "only this platform slug (repeatable)")
	fs.Var(&jurisdictions, "jurisdiction", "only changes flagged in this jurisdiction (repeatable)")
	minExposure := fs.String("min-exposure", "", "low, medium or high")
	deterministic := fs.Bool("deterministic", false, "same archive and filter give identical files")
	excerpts := fs.String("excerpts", pwreport.ExcerptsFlagged, "flagged: each change prints the passages its findings quote, the others go to an appendix; all: every passage with its change")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("report takes no arguments (got %q)", rest[0])
	}
	if *pdfPath == "" && *xlsxPath == "" {
		return usagef("report needs --pdf FILE, --xlsx FILE or both")
	}
	f := pwreport.Filter{Platforms: platforms, MinExposure: *minExposure}
	if f.Since, err = parseDate(*since, "--since"); err != nil {
		return err
	}
	if f.Until, err = parseDate(*until, "--until"); err != nil {
		return err
	}
	if len(*until) == len("2006-01-02") {
		f.Until = f.Until.AddDate(0, 0, 1) // the whole last day
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return usagef("--until %s is before --since %s", *until, *since)
	}
	if *excerpts != pwreport.ExcerptsFlagged && *excerpts != pwreport.ExcerptsAll {
		return usagef("--excerpts must be flagged or all, not %q", *excerpts)
	}
	if err := checkExposure(*minExposure); err != nil {
		return err
	}
	for _, j := range jurisdictions {
		j = strings.ToUpper(j)
		if !tracker.ValidJurisdiction(j) {
			return usagef("--jurisdiction must be one of %s, not %q", strings.Join(tracker.Jurisdictions, ", "), j)
		}
		f.Jurisdictions = append(f.Jurisdictions, j)
	}
	for _, p := range []string{*pdfPath, *xlsxPath} {
		if p != "" {
			if err := pwreport.CheckDestination(p); err != nil {
				return err
			}
		}
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := pwreport.Build(e.ctx, svc, f, pwreport.Options{Deterministic: *deterministic, Excerpts: *excerpts})
	if err != nil {
		return err
	}
	t := m.Totals
	fmt.Fprintf(e.stdout, "Report for %s, %s (%s): %d changes on %d platforms (%d high, %d medium, %d low), %d findings, %d checklist items (%d overdue), %d versions cited\n",
		m.Organisation, m.Period, m.Scope, t.Changes, t.Platforms, t.High, t.Medium, t.Low, t.Findings, t.Items, t.OverdueItems, t.VersionsCited)
	if *pdfPath != "" {
		if err := pwreport.WritePDF(e.ctx, m, *pdfPath); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "PDF:  %s (SHA-256 in %s)\n", *pdfPath, pwreport.SidecarPath(*pdfPath))
	}
	if *xlsxPath != "" {
		if err := pwreport.WriteXLSX(e.ctx, m, *xlsxPath); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "XLSX: %s (SHA-256 in %s)\n", *xlsxPath, pwreport.SidecarPath(*xlsxPath))
	}
	fmt.Fprintf(e.stdout, "Fingerprint %s (%.1fs)\n", m.Fingerprint, time.Since(start).Seconds())
	printReportSeal(e, m, *deterministic)
	return nil
}

// printReportSeal says which checkpoint the report prints and how it is
// logged.
func printReportSeal(e *env, m *pwreport.Model, deterministic bool) {
	if cp := m.Seal.Checkpoint; cp != nil {
		fmt.Fprintf(e.stdout, "Prints checkpoint %s\n", cp.Summary())
	}
	if m.Seal.Problem != "" {
		fmt.Fprintf(e.stdout, "warning: %s\n", m.Seal.Problem)
	}
	if deterministic {
		fmt.Fprintln(e.stdout, "Not logged in the archive (--deterministic); verify-report checks it against its .sha256 file")
		return
	}
	fmt.Fprintln(e.stdout, "Logged in the archive; check it later with `policywatch verify-report FILE`")
}
