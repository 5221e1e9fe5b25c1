package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"policywatch/tracker"
	"policywatch/tracker/alerts"
)

// envSMTPPassword is where `alerts add --email` reads the SMTP password;
// without it the password is asked for at the terminal.
const envSMTPPassword = "POLICYWATCH_SMTP_PASSWORD"

func cmdAlerts(e *env) error {
	if len(e.args) > 0 {
		switch e.args[0] {
		case "add":
			return alertsAdd(e, e.args[1:])
		case "test":
			return alertsTest(e, e.args[1:])
		case "remove":
			return alertsRemove(e, e.args[1:])
		case "log":
			return alertsLog(e, e.args[1:])
		}
	}
	fs := newFlags("alerts")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("alerts: unknown subcommand %q (add, test, remove, log)", rest[0])
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	list, err := svc.AlertChannels(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type channelJSON struct {
			tracker.AlertChannel
			Sent    int                    `json:"sent"`
			Failed  int                    `json:"failed"`
			Pending int                    `json:"pending"`
			Last    *tracker.AlertDelivery `json:"last"`
		}
		out := make([]channelJSON, 0, len(list))
		for _, c := range list {
			if c.Rules.Jurisdictions == nil {
				c.Rules.Jurisdictions = []string{}
			}
			if c.Rules.Categories == nil {
				c.Rules.Categories = []string{}
			}
			if c.Rules.Platforms == nil {
				c.Rules.Platforms = []string{}
			}
			out = append(out, channelJSON{c.AlertChannel, c.Sent, c.Failed, c.Pending, c.Last})
		}
		return printJSON(e.stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "No alert channels. Add one with `policywatch alerts add --email …` or `--webhook …`.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tTARGET\tRULES\tDELIVERIES")
	for _, c := range list {
		last := "none yet"
		if c.Last != nil {
			last = fmt.Sprintf("last %s %s", c.Last.Status, c.Last.UpdatedAt.Local().Format("2006-01-02 15:04"))
		}
		target := c.Target
		if c.AttachPDF {
			target += " + PDF"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d sent, %d failed, %d pending; %s\n", c.ID, c.Kind, target, c.Rules, c.Sent, c.Failed, c.Pending, last)
	}
	return tw.Flush()
}

// alertsAdd parses `alerts add` and adds the channel.
func alertsAdd(e *env, args []string) error {
	fs := newFlags("alerts add")
	webhook := fs.String("webhook", "", "webhook URL")
	format := fs.String("format", alerts.FormatJSON, "webhook payload: json, slack or teams")
	to := fs.String("email", "", "recipient address(es), comma-separated")
	smtpURL := fs.String("smtp", "", "smtp[s]://[USER@]HOST:PORT")
	from := fs.String("from", "", "sender address")
	desktop := fs.Bool("desktop", false, "desktop notifications (shown by the app)")
	attach := fs.Bool("attach-pdf", false, "attach the change's PDF record (e-mail)")
	minExposure := fs.String("min-exposure", tracker.ExposureLow, "none, low, medium or high")
	var juris, cats, plats listFlag
	fs.Var(&juris, "jurisdiction", "jurisdiction code (repeatable)")
	fs.Var(&cats, "category", "category id (repeatable)")
	fs.Var(&plats, "platform", "platform slug (repeatable)")
	digest := fs.String("digest", tracker.DigestNone, "none, daily or weekly")
	health := fs.String("health-after", "", "tracking-health alert after N failed checks in a row, Nd days failing, or both (3,7d)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("alerts add takes no positional arguments (got %q)", rest[0])
	}
	kinds := 0
	for _, set := range []bool{*webhook != "", *to != "", *desktop} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		return usagef("alerts add needs exactly one of --webhook URL, --email TO (with --smtp) or --desktop")
	}
	checks, days, err := tracker.ParseHealthAfter(*health)
	if err != nil {
		return usagef("%v", err)
	}
	nc := tracker.NewAlertChannel{AttachPDF: *attach, Rules: tracker.AlertRules{MinExposure: *minExposure,
		Jurisdictions: juris, Categories: cats, Platforms: plats, Digest: *digest, HealthChecks: checks, HealthDays: days}}
	switch {
	case *webhook != "":
		nc.Kind, nc.WebhookURL, nc.Format = tracker.ChannelWebhook, *webhook, *format
	case *to != "":
		if *smtpURL == "" {
			return usagef("alerts add --email needs --smtp smtp[s]://[USER@]HOST:PORT")
		}
		srv, err := alerts.ParseSMTPURL(*smtpURL)
		if err != nil {
			return err
		}
		nc.Kind, nc.EmailTo, nc.SMTP, nc.EmailFrom = tracker.ChannelEmail, *to, *smtpURL, *from
		if srv.User != "" {
			if nc.SMTPPassword, err = smtpPassword(e, srv); err != nil {
				return err
			}
		}
	default:
		nc.Kind = tracker.ChannelDesktop
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	c, err := svc.AddAlertChannel(e.ctx, nc)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d\n", c.ID)
	fmt.Fprintf(e.stderr, "alert channel %d added: %s %s; %s. Try it with `policywatch alerts test %d`.\n", c.ID, c.Kind, c.Target, c.Rules, c.ID)
	return nil
}

// smtpPassword reads the SMTP password from the environment or, at a
// terminal, from a prompt that does not echo it.
func smtpPassword(e *env, srv alerts.SMTPServer) (string, error) {
	if v, ok := os.LookupEnv(envSMTPPassword); ok && v != "" {
		return v, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("the SMTP server names the user %q: set %s, or run the command at a terminal to be asked", srv.User, envSMTPPassword)
	}
	fmt.Fprintf(e.stderr, "Password for %s at %s: ", srv.User, srv.Host)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func channelID(cmd string, args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usagef("%s takes one channel id (see `policywatch alerts`)", cmd)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s: %q is not a channel id", cmd, args[0])
	}
	return id, nil
}

func alertsTest(e *env, args []string) error {
	id, err := channelID("alerts test", args)
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	d, err := svc.TestAlertChannel(e.ctx, id, tracker.DispatchOptions{})
	if err != nil {
		return fmt.Errorf("test alert to channel %d failed: %w", id, err)
	}
	fmt.Fprintf(e.stdout, "test alert sent to channel %d (delivery %d)\n", id, d.ID)
	return nil
}

func alertsRemove(e *env, args []string) error {
	id, err := channelID("alerts remove", args)
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	if err := svc.RemoveAlertChannel(e.ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "alert channel %d removed (its delivery history stays in the archive)\n", id)
	return nil
}

// alertsLog lists deliveries, newest first: every alert sent or failed.
func alertsLog(e *env, args []string) error {
	fs := newFlags("alerts log")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 50, "at most this many")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var id int64
	if len(rest) > 0 {
		if id, err = channelID("alerts log", rest); err != nil {
			return err
		}
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	list, err := svc.AlertDeliveries(e.ctx, id, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []tracker.AlertDelivery{}
		}
		return printJSON(e.stdout, list)
	}
	w := bufio.NewWriter(e.stdout)
	for _, d := range list {
		when := d.UpdatedAt.Local().Format("2006-01-02 15:04")
		fmt.Fprintf(w, "#%d  channel %d  %s  %s  %s (attempt %d)  %s\n", d.ID, d.ChannelID, when, d.Kind, d.Status, d.Attempts, d.Subject)
		if d.LastError != "" {
			fmt.Fprintf(w, "     %s\n", d.LastError)
		}
		if d.Status == tracker.DeliveryPending && !d.NextAttemptAt.IsZero() && d.Attempts > 0 {
			fmt.Fprintf(w, "     next attempt %s\n", d.NextAttemptAt.Local().Format(time.DateTime))
		}
	}
	if len(list) == 0 {
		fmt.Fprintln(w, "No alerts delivered yet.")
	}
	return w.Flush()
}
