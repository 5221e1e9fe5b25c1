package main

import (
	"fmt"
	"time"

	"policywatch/tracker"
)

func cmdImportOTA(e *env) error {
	fs := newFlags("import-ota")
	quiet := fs.Bool("quiet", false, "print only the summary")
	sinceFlag := fs.String("since", "", "monitoring start (YYYY-MM-DD): history before it raises no open checklist items (default: the day of the first import or check)")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("import-ota takes one dataset folder or .zip")
	}
	var since time.Time
	if *sinceFlag != "" {
		if since, err = parseDate(*sinceFlag, "--since"); err != nil {
			return err
		}
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	if !since.IsZero() {
		if err := svc.SetMonitoringStart(e.ctx, since); err != nil {
			return err
		}
	}
	sum, err := svc.ImportOTA(e.ctx, rest[0], func(p tracker.ImportProgress) {
		if !*quiet {
			fmt.Fprintf(e.stdout, "[%d/%d] %s %s: %d new version(s)\n", p.Done, p.Total, p.Platform, p.Kind, p.Versions)
		}
	})
	if err != nil {
		return err
	}
	refused := ""
	if sum.RefusedVersions > 0 {
		refused = fmt.Sprintf(", %d refused (empty, or shrunk to a fragment of the version before)", sum.RefusedVersions)
	}
	fmt.Fprintf(e.stdout, "imported %d documents: %d versions in the dataset, %d new, %d already archived or duplicate%s; %d new changes analysed\n",
		sum.Documents, sum.Versions, sum.NewVersions, sum.SkippedVersions, refused, sum.NewChanges)
	fmt.Fprintf(e.stdout, "dataset: %s\n", sum.Dataset)
	if id := sum.Dataset; id.Manifest > 0 || id.Mismatched > 0 {
		line := fmt.Sprintf("its manifest vouches for %d file(s) (their source commit is kept)", id.Manifest)
		if id.Mismatched > 0 {
			line += fmt.Sprintf("; %d file(s) differ from the hash the manifest lists (no commit kept for them)", id.Mismatched)
		}
		fmt.Fprintln(e.stdout, line)
	}
	if sum.Seal != "" {
		fmt.Fprintln(e.stdout, sum.Seal)
	}
	if start, err := svc.MonitoringStart(e.ctx); err == nil && !start.IsZero() {
		fmt.Fprintf(e.stdout, "monitoring starts %s: changes before it are history and raise no open checklist items\n", start.Format("2006-01-02"))
	}
	return nil
}
