package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	pwreport "policywatch/report"
	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// changeJSON is the stable `changes --json` shape.
type changeJSON struct {
	ID          int64              `json:"id"`
	Platform    string             `json:"platform"`
	DocumentID  int64              `json:"document_id"`
	Kind        string             `json:"kind"`
	FromVersion int64              `json:"from_version"`
	ToVersion   int64              `json:"to_version"`
	DetectedAt  string             `json:"detected_at"`
	Substantive bool               `json:"substantive"`
	Exposure    string             `json:"exposure"`
	Summary     string             `json:"summary"`
	Reviewed    bool               `json:"reviewed"`
	Findings    []analysis.Finding `json:"findings"`
}

// parseDate accepts YYYY-MM-DD (midnight UTC) or RFC 3339.
func parseDate(s, flagName string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("%s %q is not a date like 2025-01-31", flagName, s)
}

func checkExposure(level string) error {
	if level != "" && tracker.ExposureRank(level) < 0 {
		return usagef("--min-exposure must be low, medium or high, not %q", level)
	}
	return nil
}

func cmdChanges(e *env) error {
	if len(e.args) > 0 && (e.args[0] == "review" || e.args[0] == "unreview") {
		return cmdChangesReview(e)
	}
	fs := newFlags("changes")
	asJSON := fs.Bool("json", false, "print JSON")
	since := fs.String("since", "", "only changes detected on or after DATE")
	var platforms listFlag
	fs.Var(&platforms, "platform", "only this platform (repeatable)")
	minExposure := fs.String("min-exposure", "", "low, medium or high")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("changes takes no arguments")
	}
	sinceT, err := parseDate(*since, "--since")
	if err != nil {
		return err
	}
	if err := checkExposure(*minExposure); err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	for _, p := range platforms {
		if _, _, err := svc.Platform(e.ctx, p); err != nil {
			return err
		}
	}
	f := tracker.ChangeFilter{Since: sinceT, PlatformSlugs: platforms, MinExposure: *minExposure}
	if *asJSON {
		records, err := svc.ChangeRecords(e.ctx, f)
		if err != nil {
			return err
		}
		out := make([]changeJSON, 0, len(records))
		for _, c := range records {
			findings := c.Record.Findings
			if findings == nil {
				findings = []analysis.Finding{}
			}
			out = append(out, changeJSON{ID: c.ID, Platform: c.PlatformSlug, DocumentID: c.DocumentID, Kind: c.Kind,
				FromVersion: c.FromVersionID, ToVersion: c.ToVersionID, DetectedAt: rfc3339(c.DetectedAt),
				Substantive: c.Substantive, Exposure: c.Exposure, Summary: c.Summary,
				Reviewed: !c.ReviewedAt.IsZero(), Findings: findings})
		}
		return printJSON(e.stdout, out)
	}
	list, err := svc.Changes(e.ctx, f)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "No changes match.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDETECTED\tPLATFORM\tKIND\tEXPOSURE\tCATEGORIES")
	for _, c := range list {
		exp := c.Exposure
		if !c.Substantive {
			exp = "cosmetic"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.DetectedAt.Format("2006-01-02"), c.PlatformSlug, c.Kind, exp, strings.Join(record.CategoryNames(svc.Rules(), c.Categories), "; "))
	}
	return tw.Flush()
}

func cmdChecklist(e *env) error {
	if len(e.args) > 0 && e.args[0] == "set" {
		return cmdChecklistSet(e)
	}
	if len(e.args) > 0 && e.args[0] == "import" {
		return cmdChecklistImport(e)
	}
	fs := newFlags("checklist")
	asJSON := fs.Bool("json", false, "print JSON")
	status := fs.String("status", "", "only items with this status")
	openOnly := fs.Bool("open", false, "only open and in-progress items")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("checklist: unknown subcommand %q (set, import)", rest[0])
	}
	if *status != "" && !tracker.ValidStatus(*status) {
		return usagef("--status must be one of %s", strings.Join(tracker.Statuses, ", "))
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	items, err := svc.Checklist(e.ctx, tracker.ChecklistFilter{Status: *status, OpenOnly: *openOnly})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]tracker.ChecklistItem, 0, len(items))
		for _, it := range items {
			out = append(out, it.ChecklistItem)
		}
		return printJSON(e.stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stdout, "No checklist items: they are generated for each analysed change with findings.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tDUE\tOWNER\tPLATFORM\tCATEGORY\tITEM")
	for _, it := range items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Status, orDash(it.DueDate), orDash(it.Owner), it.PlatformName, record.CategoryName(svc.Rules(), it.Category), it.Text)
	}
	return tw.Flush()
}

func cmdChecklistSet(e *env) error {
	fs := newFlags("checklist set")
	status := fs.String("status", "", strings.Join(tracker.Statuses, ", "))
	owner := fs.String("owner", "", "who owns the item")
	note := fs.String("note", "", "a note")
	due := fs.String("due", "", "due date YYYY-MM-DD")
	evidence := fs.String("evidence", "", "evidence reference")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("checklist set takes one item id")
	}
	id, err := parseID(rest[0], "ID")
	if err != nil {
		return err
	}
	var u tracker.ChecklistUpdate
	set := map[string]bool{}
	fs.Visit(func(f *flagT) { set[f.Name] = true })
	if set["status"] {
		if !tracker.ValidStatus(*status) {
			return usagef("--status must be one of %s", strings.Join(tracker.Statuses, ", "))
		}
		u.Status = status
	}
	if set["owner"] {
		u.Owner = owner
	}
	if set["note"] {
		u.Note = note
	}
	if set["due"] {
		if _, err := parseDate(*due, "--due"); err != nil {
			return err
		}
		u.DueDate = due
	}
	if set["evidence"] {
		u.EvidenceRef = evidence
	}
	if len(set) == 0 {
		return usagef("checklist set needs at least one of --status, --owner, --note, --due, --evidence")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	it, err := svc.UpdateChecklistItem(e.ctx, id, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "item %d: %s, owner %s, due %s\n", it.ID, it.Status, orDash(it.Owner), orDash(it.DueDate))
	return nil
}

// cmdChecklistImport applies the status, owner, due date and note a team
// edited in an exported workbook's Checklist sheet: all rows or none.
func cmdChecklistImport(e *env) error {
	fs := newFlags("checklist import")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("checklist import takes one workbook: FILE.xlsx")
	}
	edits, err := pwreport.ReadChecklistEdits(rest[0])
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	res, err := svc.ImportChecklist(e.ctx, filepath.Base(rest[0]), edits)
	var ie *tracker.ChecklistImportError
	if errors.As(err, &ie) {
		fmt.Fprintf(e.stdout, "Nothing imported from %s: %d row(s) need attention.\n", rest[0], len(ie.Problems))
		for _, p := range ie.Problems {
			kind := "invalid"
			if p.Conflict {
				kind = "conflict"
			}
			fmt.Fprintf(e.stdout, "  row %d, item %d (%s): %s\n", p.Row, p.ID, kind, p.Problem)
		}
		return fmt.Errorf("checklist import: %d row(s) refused, nothing written; fix them in the workbook (or export again) and import again", len(ie.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Imported %s: %d item(s) updated (audit-logged), %d unchanged.\n", rest[0], res.Updated, res.Unchanged)
	return nil
}
