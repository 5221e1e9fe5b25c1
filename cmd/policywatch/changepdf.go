package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"policywatch/report"
	"policywatch/tracker"
	"policywatch/tracker/alerts"
)

// changePDF renders one change's PDF record for e-mail alerts, through the
// report package's public API: a report filtered to the change's platform
// and the millisecond it was detected at.
func changePDF(ctx context.Context, svc *tracker.Service, id int64) (alerts.Attachment, error) {
	d, err := svc.Change(ctx, id)
	if err != nil {
		return alerts.Attachment{}, err
	}
	m, err := report.Build(ctx, svc, report.Filter{Since: d.DetectedAt, Until: d.DetectedAt.Add(time.Millisecond),
		Platforms: []string{d.PlatformSlug}}, report.Options{})
	if err != nil {
		return alerts.Attachment{}, err
	}
	m.Title = fmt.Sprintf("Change #%d: %s %s", id, d.PlatformName, tracker.KindTitle(d.Kind))
	f, err := os.CreateTemp("", "policywatch-change-*.pdf")
	if err != nil {
		return alerts.Attachment{}, fmt.Errorf("render the PDF record: %w", err)
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // the report is written atomically beside this name
	defer os.Remove(path)
	defer os.Remove(report.SidecarPath(path)) // WritePDF writes the SHA-256 beside it (and logs the PDF in the archive)
	if err := report.WritePDF(ctx, m, path); err != nil {
		return alerts.Attachment{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return alerts.Attachment{}, fmt.Errorf("read the PDF record: %w", err)
	}
	return alerts.Attachment{Name: fmt.Sprintf("policywatch-change-%d.pdf", id), ContentType: "application/pdf", Data: data}, nil
}
