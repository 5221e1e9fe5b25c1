package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
	"policywatch/tracker/alerts"
)

// Rule choices in the add-channel form, with their values.
var (
	alertLevelOptions  = []string{"Every substantive change", "Low exposure and above", "Medium exposure and above", "High exposure only"}
	alertLevelValues   = []string{tracker.ExposureNone, tracker.ExposureLow, tracker.ExposureMedium, tracker.ExposureHigh}
	alertDigestOptions = []string{"At once", "Daily digest", "Weekly digest"}
	alertDigestValues  = []string{tracker.DigestNone, tracker.DigestDaily, tracker.DigestWeekly}
	alertFormatOptions = []string{"JSON (PolicyWatch)", "Slack", "Microsoft Teams"}
	alertFormatValues  = []string{alerts.FormatJSON, alerts.FormatSlack, alerts.FormatTeams}
)

// alertsSection is the Alerts part of Settings: the channels with their
// rules and last delivery, Test and Remove per channel, and forms to add an
// e-mail or webhook channel. Secrets typed here go to the service, which
// keeps them in the keyring or a 0600 file; they are never shown again.
type alertsSection struct {
	ui       *UI
	rows     *fyne.Container
	empty    *widget.Label
	addEmail *widget.Button
	addHook  *widget.Button
	channels []tracker.AlertChannelState
	// form is the add-channel form while its dialog is open.
	form *alertForm
}

func newAlertsSection(u *UI) *alertsSection {
	a := &alertsSection{ui: u, rows: container.NewVBox(),
		empty: wrapLabel("No alert channels: choose a level in Notify me for desktop notifications, or add an e-mail or webhook channel.")}
	a.addEmail = widget.NewButtonWithIcon("Add e-mail…", theme.MailComposeIcon(), func() { a.onAdd(tracker.ChannelEmail) })
	a.addHook = widget.NewButtonWithIcon("Add webhook…", theme.ContentAddIcon(), func() { a.onAdd(tracker.ChannelWebhook) })
	return a
}

func (a *alertsSection) buildUI() fyne.CanvasObject {
	return container.NewVBox(
		wrapLabel("Alerts tell your team about changes and about documents that keep failing their checks, by e-mail or webhook (Slack, Teams or JSON). They go out after each check, from the app or from `policywatch watch`; each change reaches each channel once."),
		a.rows, a.empty, container.NewHBox(a.addEmail, a.addHook))
}

func (a *alertsSection) refresh() {
	background(a.ui, "load the alert channels", func(ctx context.Context) ([]tracker.AlertChannelState, error) {
		return a.ui.svc.AlertChannels(ctx)
	}, a.show)
}

// show lists the channels, the desktop one ("Notify me") included.
func (a *alertsSection) show(list []tracker.AlertChannelState) {
	a.channels = nil
	a.rows.RemoveAll()
	for _, c := range list {
		a.channels = append(a.channels, c)
		a.rows.Add(a.row(c))
	}
	if len(a.channels) == 0 {
		a.empty.Show()
	} else {
		a.empty.Hide()
	}
	a.rows.Refresh()
}

// channelLine describes a channel and its deliveries in words.
func channelLine(c tracker.AlertChannelState) string {
	kind := "E-mail to"
	switch c.Kind {
	case tracker.ChannelWebhook:
		kind = "Webhook to"
	case tracker.ChannelDesktop:
		kind = "Shown as"
	}
	target := c.Target
	if c.AttachPDF {
		target += ", with the PDF record"
	}
	last := "nothing sent yet"
	if c.Last != nil {
		last = fmt.Sprintf("last alert %s on %s", c.Last.Status, c.Last.UpdatedAt.Local().Format("2 Jan 15:04"))
		if c.Last.Status != tracker.DeliverySent && c.Last.LastError != "" {
			last += " (" + c.Last.LastError + ")"
		}
	}
	return fmt.Sprintf("%s %s\n%s.\n%d sent, %d failed, %d waiting; %s.", kind, target, sentence(c.Rules.String()), c.Sent, c.Failed, c.Pending, last)
}

func (a *alertsSection) row(c tracker.AlertChannelState) fyne.CanvasObject {
	id := c.ID
	test := widget.NewButtonWithIcon("Test", theme.MailSendIcon(), func() { a.onTest(id) })
	remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { a.onRemove(id) })
	return container.NewBorder(nil, widget.NewSeparator(), nil, container.NewHBox(vcenter(test), vcenter(remove)), wrapLabel(channelLine(c)))
}

// onTest sends a test alert to a channel and says how it went.
func (a *alertsSection) onTest(id int64) {
	task(a.ui, a.ui.ctx, func(ctx context.Context) (tracker.AlertDelivery, error) {
		return a.ui.svc.TestAlertChannel(ctx, id, a.ui.alertOptions())
	}, func(d tracker.AlertDelivery, err error) {
		var ae *alerts.Error
		switch {
		case errors.As(err, &ae):
			a.ui.inform("Test alert not delivered", sentence(ae.Error())+".")
		case err != nil:
			a.ui.showError("send the test alert", err)
		default:
			a.ui.inform("Test alert sent", "The channel took the test alert. Check that it arrived where you expect it.")
		}
		a.refresh()
	})
}

// onRemove removes a channel after confirmation.
func (a *alertsSection) onRemove(id int64) {
	dialog.ShowConfirm("Remove this alert channel?",
		"It will receive no more alerts and its secret is deleted from the keyring. Its delivery history stays in the archive.",
		func(ok bool) {
			if ok {
				a.remove(id)
			}
		}, a.ui.win)
}

func (a *alertsSection) remove(id int64) {
	background(a.ui, "remove the alert channel", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, a.ui.svc.RemoveAlertChannel(ctx, id)
	}, func(struct{}) { a.ui.settings.refresh() }) // Notify me follows the desktop channel
}

// alertForm is the add-channel form for one kind.
type alertForm struct {
	kind     string
	to       *widget.Entry
	smtp     *widget.Entry
	password *widget.Entry
	from     *widget.Entry
	url      *widget.Entry
	format   *widget.Select
	level    *widget.Select
	juris    *widget.Entry
	cats     *widget.Entry
	plats    *widget.Entry
	digest   *widget.Select
	health   *widget.Entry
	attach   *widget.Check
	add      *widget.Button
	dialog   dialog.Dialog
}

func newAlertForm(kind string) *alertForm {
	f := &alertForm{kind: kind,
		to:       &widget.Entry{PlaceHolder: "dpo@example.com, legal@example.com"},
		smtp:     &widget.Entry{PlaceHolder: "smtp://user@mail.example.com:587 or smtps://…:465"},
		password: widget.NewPasswordEntry(),
		from:     &widget.Entry{PlaceHolder: "optional; default: the SMTP user"},
		url:      widget.NewPasswordEntry(), // the address is the webhook's secret
		format:   widget.NewSelect(alertFormatOptions, nil),
		level:    widget.NewSelect(alertLevelOptions, nil),
		juris:    &widget.Entry{PlaceHolder: "all, or e.g. EU, UK, US-CA"},
		cats:     &widget.Entry{PlaceHolder: "all, or e.g. ai-training, retention"},
		plats:    &widget.Entry{PlaceHolder: "all, or platform slugs, e.g. threads, revolut"},
		digest:   widget.NewSelect(alertDigestOptions, nil),
		health:   &widget.Entry{PlaceHolder: "off, or e.g. 3 (failed checks), 7d (days), 3,7d"},
		attach:   widget.NewCheck("Attach the change's PDF record", nil),
	}
	f.url.PlaceHolder = "https://hooks.slack.com/services/…"
	f.format.SetSelectedIndex(0)
	f.level.SetSelectedIndex(2)
	f.digest.SetSelectedIndex(0)
	return f
}

func (f *alertForm) items() []*widget.FormItem {
	var items []*widget.FormItem
	if f.kind == tracker.ChannelEmail {
		items = append(items,
			widget.NewFormItem("To", f.to),
			&widget.FormItem{Text: "SMTP server", Widget: f.smtp, HintText: "smtp:// uses STARTTLS, smtps:// TLS; a password is only ever sent encrypted."},
			&widget.FormItem{Text: "Password", Widget: f.password, HintText: "Kept in the OS keyring (or a file only you can read), never in the archive."},
			widget.NewFormItem("From", f.from),
			widget.NewFormItem("", f.attach))
	} else {
		items = append(items,
			&widget.FormItem{Text: "Webhook URL", Widget: f.url, HintText: "Kept in the OS keyring (or a file only you can read); only its host is shown."},
			widget.NewFormItem("Format", f.format))
	}
	return append(items,
		widget.NewFormItem("Changes", f.level),
		&widget.FormItem{Text: "Jurisdictions", Widget: f.juris, HintText: "Only changes with a finding flagged there."},
		&widget.FormItem{Text: "Categories", Widget: f.cats, HintText: "Only findings of these categories."},
		widget.NewFormItem("Platforms", f.plats),
		widget.NewFormItem("When", f.digest),
		&widget.FormItem{Text: "Tracking health", Widget: f.health, HintText: "Alert when a document keeps failing its checks."})
}

func splitCodes(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "all") {
			out = append(out, p)
		}
	}
	return out
}

// channel reads the form.
func (f *alertForm) channel() (tracker.NewAlertChannel, error) {
	checks, days, err := tracker.ParseHealthAfter(strings.TrimPrefix(strings.TrimSpace(f.health.Text), "off"))
	if err != nil {
		return tracker.NewAlertChannel{}, err
	}
	nc := tracker.NewAlertChannel{Kind: f.kind, Rules: tracker.AlertRules{
		MinExposure:   alertLevelValues[max(f.level.SelectedIndex(), 0)],
		Jurisdictions: splitCodes(f.juris.Text), Categories: splitCodes(f.cats.Text), Platforms: splitCodes(f.plats.Text),
		Digest:       alertDigestValues[max(f.digest.SelectedIndex(), 0)],
		HealthChecks: checks, HealthDays: days}}
	if f.kind == tracker.ChannelEmail {
		nc.EmailTo, nc.SMTP, nc.SMTPPassword, nc.EmailFrom, nc.AttachPDF = f.to.Text, f.smtp.Text, f.password.Text, f.from.Text, f.attach.Checked
	} else {
		nc.WebhookURL, nc.Format = f.url.Text, alertFormatValues[max(f.format.SelectedIndex(), 0)]
	}
	return nc, nil
}

// onAdd opens the add-channel form.
func (a *alertsSection) onAdd(kind string) {
	f := newAlertForm(kind)
	a.form = f
	title := "Add an e-mail alert channel"
	if kind == tracker.ChannelWebhook {
		title = "Add a webhook alert channel"
	}
	form := &widget.Form{Items: f.items()}
	f.add = &widget.Button{Text: "Add", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: func() { a.onSubmit(f) }}
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dialog.Hide(); a.form = nil })
	buttons := container.NewHBox(layout.NewSpacer(), cancel, f.add)
	f.dialog = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(form)), a.ui.win)
	f.dialog.Resize(fyne.NewSize(760, 700))
	f.dialog.Show()
}

// onSubmit adds the channel; a refused form stays open with the reason.
func (a *alertsSection) onSubmit(f *alertForm) {
	nc, err := f.channel()
	if err != nil {
		a.ui.inform("Please check the form", sentence(err.Error())+".")
		return
	}
	task(a.ui, a.ui.ctx, func(ctx context.Context) (tracker.AlertChannel, error) {
		return a.ui.svc.AddAlertChannel(ctx, nc)
	}, func(c tracker.AlertChannel, err error) {
		if err != nil {
			// The service's reasons are written for the user and hold no secret.
			a.ui.inform("The channel was not added", sentence(err.Error())+".")
			return
		}
		f.dialog.Hide()
		a.form = nil
		a.refresh()
		a.ui.inform("Alert channel added", fmt.Sprintf("Alerts now go to %s. Press Test to send a test alert.", c.Target))
	})
}
