package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"policywatch/tracker"
)

// documentJSON is the stable `documents --json` shape.
type documentJSON struct {
	ID        int64              `json:"id"`
	Platform  string             `json:"platform"`
	Kind      string             `json:"kind"`
	Title     string             `json:"title"`
	URL       string             `json:"url"`
	Select    string             `json:"select,omitempty"`
	Remove    string             `json:"remove,omitempty"`
	Render    string             `json:"render"`
	Churn     *tracker.ChurnNote `json:"churn,omitempty"`
	Tracked   bool               `json:"tracked"`
	Versions  int                `json:"versions"`
	LastCheck *lastCheckJSON     `json:"last_check"`
}

type lastCheckJSON struct {
	At     string `json:"at"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

func toDocumentJSON(d tracker.DocumentSummary) documentJSON {
	out := documentJSON{ID: d.ID, Platform: d.PlatformSlug, Kind: d.Kind, Title: d.Title, URL: d.URL,
		Select: d.Select, Remove: d.Remove, Render: d.Render, Churn: d.Churn, Tracked: d.Tracked, Versions: d.Versions}
	if c := d.LastCheck; c != nil {
		out.LastCheck = &lastCheckJSON{At: rfc3339(c.At), Status: c.Status, Reason: c.Reason, Detail: c.Detail}
	}
	return out
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func cmdDocuments(e *env) error {
	fs := newFlags("documents")
	asJSON := fs.Bool("json", false, "print JSON")
	platform := fs.String("platform", "", "only this platform")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("documents takes no arguments")
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	docs, err := svc.Documents(e.ctx, *platform)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]documentJSON, 0, len(docs))
		for _, d := range docs {
			out = append(out, toDocumentJSON(d))
		}
		return printJSON(e.stdout, out)
	}
	if len(docs) == 0 {
		fmt.Fprintln(e.stdout, "No documents tracked yet: `policywatch platforms track SLUG` or `policywatch import-ota PATH`.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPLATFORM\tKIND\tRENDER\tTRACKED\tVERSIONS\tLAST CHECK\tURL")
	for _, d := range docs {
		last := "never"
		if c := d.LastCheck; c != nil {
			last = c.At.UTC().Format("2006-01-02 15:04") + " " + c.Status
			if c.Reason != "" {
				last += " (" + c.Reason + ")"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%t\t%d\t%s\t%s\n", d.ID, d.PlatformSlug, d.Kind, d.Render, d.Tracked, d.Versions, last, d.URL)
	}
	return tw.Flush()
}

// historyJSON is the stable `history --json` shape.
type historyJSON struct {
	Document documentJSON          `json:"document"`
	Versions []tracker.VersionInfo `json:"versions"`
	Checks   []tracker.CheckEvent  `json:"checks"`
}

func parseID(s, what string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s must be a positive number, not %q", what, s)
	}
	return id, nil
}

func cmdHistory(e *env) error {
	fs := newFlags("history")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("history takes one document id")
	}
	id, err := parseID(rest[0], "DOC_ID")
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	h, err := svc.DocumentHistory(e.ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		out := historyJSON{Document: toDocumentJSON(h.Document), Versions: h.Versions, Checks: h.Checks}
		if out.Versions == nil {
			out.Versions = []tracker.VersionInfo{}
		}
		if out.Checks == nil {
			out.Checks = []tracker.CheckEvent{}
		}
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "%s %s — %s\n\nVersions:\n", h.Document.PlatformName, h.Document.Kind, h.Document.URL)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, v := range h.Versions {
		fmt.Fprintf(tw, "  #%d\t%s\t%s\tstated %s\t%s\n", v.ID, rfc3339(v.FetchedAt), v.SHA256[:16], orDash(v.StatedDate), v.Provenance())
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nChecks:")
	for _, c := range h.Checks {
		line := fmt.Sprintf("  %s  %s", rfc3339(c.At), c.Status)
		if c.Reason != "" {
			line += " (" + c.Reason + "): " + c.Detail
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
