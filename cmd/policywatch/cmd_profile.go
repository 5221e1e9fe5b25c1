package main

import (
	"fmt"
	"strings"

	"policywatch/tracker"
)

func cmdProfile(e *env) error {
	if len(e.args) > 0 && e.args[0] == "set" {
		return cmdProfileSet(e)
	}
	fs := newFlags("profile")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("profile: unknown subcommand %q", rest[0])
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	p, err := svc.Profile(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if p.Jurisdictions == nil {
			p.Jurisdictions = []string{}
		}
		return printJSON(e.stdout, p)
	}
	j := strings.Join(p.Jurisdictions, ", ")
	if j == "" {
		j = "not set (every jurisdiction is flagged)"
	}
	fmt.Fprintf(e.stdout, "Organisation:     %s\nJurisdictions:    %s\nRole:             %s\n", orDash(p.Organisation), j, p.Role)
	fmt.Fprintf(e.stdout, "Serves children:  %s\nHealth data:      %s\nFinancial data:   %s\nAdvertises:       %s\nB2B negotiated:   %s\n",
		yesNo(p.ServesChildren), yesNo(p.HealthData), yesNo(p.FinancialData), yesNo(p.Advertises), yesNo(p.B2BNegotiated))
	id, osUser := svc.Identity()
	who := id.String()
	if id.IsZero() {
		who = "not set: entries name the OS account " + osUser + " (profile set --name N --email E)"
	}
	fmt.Fprintf(e.stdout, "Reviewer:         %s\n", who)
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func cmdProfileSet(e *env) error {
	svc, err := e.service()
	if err != nil {
		return err
	}
	p, err := svc.Profile(e.ctx)
	if err != nil {
		return err
	}
	fs := newFlags("profile set")
	var codes listFlag
	fs.Var(&codes, "jurisdictions", "comma-separated jurisdiction codes ("+strings.Join(tracker.Jurisdictions, ",")+")")
	fs.StringVar(&p.Organisation, "organisation", p.Organisation, "organisation name")
	fs.StringVar(&p.Role, "role", p.Role, "controller, processor or joint-controller")
	fs.BoolVar(&p.ServesChildren, "children", p.ServesChildren, "serves children")
	fs.BoolVar(&p.HealthData, "health", p.HealthData, "processes health data")
	fs.BoolVar(&p.FinancialData, "financial", p.FinancialData, "processes financial data")
	fs.BoolVar(&p.Advertises, "advertises", p.Advertises, "advertises on the platforms")
	fs.BoolVar(&p.B2BNegotiated, "b2b", p.B2BNegotiated, "uses platforms under negotiated B2B terms")
	id, _ := svc.Identity()
	fs.StringVar(&id.Name, "name", id.Name, "your name, recorded on reviews and log entries")
	fs.StringVar(&id.Email, "email", id.Email, "your e-mail address, recorded with your name")
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("profile set: unexpected argument %q", rest[0])
	}
	profileSet, identitySet := false, false
	fs.Visit(func(f *flagT) {
		switch f.Name {
		case "jurisdictions":
			p.Jurisdictions = codes
			profileSet = true
		case "name", "email":
			identitySet = true
		default:
			profileSet = true
		}
	})
	if identitySet {
		if err := svc.SetIdentity(e.ctx, id); err != nil {
			return usagef("%v", err)
		}
		fmt.Fprintf(e.stdout, "Reviewer: %s\n", id)
		if !profileSet {
			return nil
		}
	}
	if err := svc.SetProfile(e.ctx, p); err != nil {
		return usagef("%v", err)
	}
	fmt.Fprintln(e.stdout, "Profile saved.")
	return nil
}
