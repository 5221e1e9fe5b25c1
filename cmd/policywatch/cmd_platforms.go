package main

import (
	"fmt"
	"text/tabwriter"

	"policywatch/tracker"
)

// platformJSON is the stable `platforms --json` shape.
type platformJSON struct {
	Slug            string `json:"slug"`
	Name            string `json:"name"`
	Category        string `json:"category"`
	Owner           string `json:"owner,omitempty"`
	Custom          bool   `json:"custom"`
	Documents       int    `json:"documents"`
	Tracked         int    `json:"tracked"`
	Versions        int    `json:"versions"`
	EULeadAuthority string `json:"eu_lead_authority,omitempty"`
	VLOP            bool   `json:"vlop"`
	Gatekeeper      bool   `json:"gatekeeper"`
}

func cmdPlatforms(e *env) error {
	if len(e.args) > 0 {
		switch e.args[0] {
		case "track", "untrack":
			return cmdTrack(e, e.args[0] == "track")
		case "add":
			return cmdPlatformAdd(e)
		case "discover":
			return cmdPlatformDiscover(e)
		}
	}
	fs := newFlags("platforms")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("platforms: unknown subcommand %q (track, untrack, add or discover)", rest[0])
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	list, err := svc.Platforms(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]platformJSON, 0, len(list))
		for _, p := range list {
			out = append(out, platformJSON{Slug: p.Slug, Name: p.Name, Category: p.Category, Owner: p.Owner,
				Custom: p.Custom, Documents: p.Documents, Tracked: p.Tracked, Versions: p.Versions,
				EULeadAuthority: p.EULeadAuthority, VLOP: p.VLOP, Gatekeeper: p.Gatekeeper})
		}
		return printJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tNAME\tCATEGORY\tTRACKED\tVERSIONS")
	for _, p := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d\n", p.Slug, p.Name, p.Category, p.Tracked, p.Documents, p.Versions)
	}
	return tw.Flush()
}

func cmdTrack(e *env, track bool) error {
	verb := e.args[0]
	if len(e.args) != 2 {
		return usagef("platforms %s takes one platform slug", verb)
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	n, err := svc.SetTracked(e.ctx, e.args[1], track)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d document(s) %sed\n", e.args[1], n, verb)
	return nil
}

func cmdPlatformAdd(e *env) error {
	fs := newFlags("platforms add")
	var nd tracker.NewDocument
	fs.StringVar(&nd.PlatformName, "name", "", "platform name")
	fs.StringVar(&nd.URL, "url", "", "document URL")
	fs.StringVar(&nd.Kind, "kind", tracker.KindOther, "document kind")
	fs.StringVar(&nd.Title, "title", "", "document title")
	fs.StringVar(&nd.Select, "select", "", "CSS selector of the content")
	fs.StringVar(&nd.Remove, "remove", "", "CSS selector of noise to drop")
	fs.StringVar(&nd.Render, "render", tracker.RenderAuto, "how to capture it: auto, http or browser")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 || nd.PlatformName == "" || nd.URL == "" {
		return usagef("platforms add needs --name NAME --url URL")
	}
	if !tracker.ValidKind(nd.Kind) {
		return usagef("unknown --kind %q", nd.Kind)
	}
	if !tracker.ValidRender(nd.Render) {
		return usagef("unknown --render %q (auto, http or browser)", nd.Render)
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	id, err := svc.AddDocument(e.ctx, nd)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	return nil
}

// cmdPlatformDiscover lists a site's governance documents and, with --add,
// adds the best of each kind in one step.
func cmdPlatformDiscover(e *env) error {
	fs := newFlags("platforms discover")
	asJSON := fs.Bool("json", false, "print JSON")
	add := fs.Bool("add", false, "add the best document of each kind found, tracked")
	name := fs.String("name", "", "platform to add them to (default: the site's name)")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("platforms discover takes one site address")
	}
	if err := tracker.CheckURL(rest[0]); err != nil {
		return usagef("platforms discover: %v", err)
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	d, err := svc.Discover(e.ctx, rest[0])
	if err != nil {
		return err
	}
	if d.Documents == nil {
		d.Documents = []tracker.DiscoveredDocument{}
	}
	var ids []int64
	if *add {
		platform := *name
		if platform == "" {
			platform = d.Platform
		}
		var best []tracker.DiscoveredDocument
		for _, doc := range d.Documents {
			if doc.Best && !doc.Tracked {
				best = append(best, doc)
			}
		}
		if len(best) > 0 {
			if ids, err = svc.AddDiscovered(e.ctx, platform, best); err != nil {
				return err
			}
		}
	}
	if *asJSON {
		return printJSON(e.stdout, struct {
			tracker.Discovery
			Added []int64 `json:"added,omitempty"`
		}{d, ids})
	}
	fmt.Fprintf(e.stdout, "%s (%s, looked at %s)\n", d.Platform, d.CapturedWith, d.Site)
	if len(d.Documents) == 0 {
		fmt.Fprintln(e.stdout, "No governance documents found: add them with `policywatch platforms add`.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tKIND\tSOURCE\tTRACKED\tTITLE\tURL")
	for _, doc := range d.Documents {
		mark := ""
		if doc.Best {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\t%s\n", mark, doc.Kind, doc.Source, doc.Tracked, doc.Title, doc.URL)
	}
	tw.Flush()
	if *add {
		fmt.Fprintf(e.stdout, "added %d document(s) to %s: %v\n", len(ids), firstNonEmptyString(*name, d.Platform), ids)
	} else {
		fmt.Fprintln(e.stdout, "* the best of each kind; `--add` tracks them (with --name to choose the platform).")
	}
	return nil
}

func firstNonEmptyString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
