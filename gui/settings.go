package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// Schedule and notification choices, with the stored setting values.
var (
	scheduleOptions = []string{"Off (check by hand)", "Every 6 hours", "Every 12 hours", "Every day", "Every week"}
	scheduleHours   = []string{"0", "6", "12", "24", "168"}
	notifyOptions   = []string{"No notifications", "Low exposure and above", "Medium exposure and above", "High exposure only"}
	notifyValues    = []string{"off", tracker.ExposureLow, tracker.ExposureMedium, tracker.ExposureHigh}
	themeOptions    = []string{"System", "Light", "Dark"}
	themeValues     = []string{themeSystem, themeLight, themeDark}
)

// settingsScreen edits the organisation profile, the check schedule,
// notifications and theme, and handles the archive: backup, restore,
// audit verification, and where the database and rules file are.
type settingsScreen struct {
	ui       *UI
	profile  *profileForm
	save     *widget.Button
	schedule *widget.Select
	notify   *widget.Select
	theme    *widget.RadioGroup
	database *widget.Label
	signedIn *widget.Label // who is signed in to the archive and what they may do
	rules    *widget.Label
	audit    *widget.Label
	loading  bool

	// Evidence: the archive's signing key and the time-stamping authority.
	key     *widget.Label
	tsa     *widget.Entry
	tsaSave *widget.Button

	alerts *alertsSection

	reanalyse     *widget.Button
	reanalyseBar  *widget.ProgressBar
	reanalyseStop *widget.Button
	reanalyseNote *widget.Label
	cancelRun     context.CancelFunc
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{ui: u, profile: newProfileForm(),
		database: wrapLabel(u.svc.Store().Path()),
		signedIn: wrapLabel(accessText(u.svc.Access())),
		rules:    wrapLabel(""),
		audit:    wrapLabel("The audit log records every review, checklist edit, tracking and setting change, hash-chained."),
		key:      wrapLabel(""),
		tsa:      &widget.Entry{PlaceHolder: "https://freetsa.org/tsr (empty: no trusted timestamps)"},
	}
	s.profile.withIdentity = true
	s.tsaSave = widget.NewButton("Save", s.onTSA)
	s.alerts = newAlertsSection(u)
	s.save = widget.NewButtonWithIcon("Save profile", theme.DocumentSaveIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.schedule = widget.NewSelect(scheduleOptions, func(string) { s.onSchedule() })
	s.notify = widget.NewSelect(notifyOptions, func(string) { s.onNotify() })
	s.reanalyse = widget.NewButtonWithIcon("Re-analyse every change", theme.ViewRefreshIcon(), s.onReanalyse)
	s.reanalyseBar = widget.NewProgressBar()
	s.reanalyseBar.Hide()
	s.reanalyseStop = widget.NewButtonWithIcon("Stop", theme.CancelIcon(), func() {
		if s.cancelRun != nil {
			s.cancelRun()
		}
	})
	s.reanalyseStop.Hide()
	s.reanalyseNote = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText,
		Text: "After changing the profile or the rules file, re-analyse the archive so every change's exposure, flags and checklist follow them. Reviews and checklist edits are kept."}
	s.theme = widget.NewRadioGroup(themeOptions, s.onTheme)
	s.theme.Horizontal = true
	return s
}

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	form := s.profile.buildUI()
	checks := widget.NewForm(
		&widget.FormItem{Text: "Check schedule", Widget: s.schedule, HintText: "While PolicyWatch is open or `policywatch watch` runs, every tracked document is checked this often."},
		&widget.FormItem{Text: "Notify me", Widget: s.notify, HintText: "A desktop notification for new changes at or above this exposure."},
		widget.NewFormItem("Theme", s.theme),
	)
	backup := widget.NewButtonWithIcon("Back up…", theme.DownloadIcon(), s.onBackup)
	restore := widget.NewButtonWithIcon("Restore…", theme.UploadIcon(), s.onRestore)
	verify := widget.NewButtonWithIcon("Verify audit log", theme.ConfirmIcon(), s.onVerify)
	buttons := container.NewHBox(backup, restore, verify)
	if s.ui.svc.Access().Team() {
		// A team archive is restored with PostgreSQL's tools (README).
		restore.Disable()
	}
	if s.ui.opts.ChooseDatabase != nil {
		buttons.Add(widget.NewButtonWithIcon("Change database…", theme.StorageIcon(), s.onChooseDatabase))
	}
	archive := widget.NewForm(
		&widget.FormItem{Text: "Database", Widget: s.database,
			HintText: "An SQLite file, or a team's PostgreSQL database (postgres://…); --db and POLICYWATCH_DB override this choice."},
		widget.NewFormItem("Signed in", s.signedIn),
		widget.NewFormItem("", buttons),
		widget.NewFormItem("Audit log", s.audit),
		&widget.FormItem{Text: "Signing key", Widget: s.key, HintText: "Signs a checkpoint of the log after each check, import and report; reports print this fingerprint."},
		&widget.FormItem{Text: "Timestamping", Widget: container.NewBorder(nil, nil, nil, s.tsaSave, s.tsa),
			HintText: "An RFC 3161 time-stamping authority: each checkpoint also gets its trusted timestamp."},
		&widget.FormItem{Text: "Rules file", Widget: s.rules, HintText: "Set POLICYWATCH_RULES to use another file; the command line reads the same one."},
		widget.NewFormItem("Version", widget.NewLabel("PolicyWatch "+orDefault(s.ui.svc.AppVersion(), s.ui.opts.Version))),
	)
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading("Organisation profile"),
		wrapLabel("The profile decides which jurisdictions are flagged and how exposed each change leaves your organisation. Changes analysed from now on follow it."),
		form, container.NewHBox(s.save, s.reanalyse, s.reanalyseStop), s.reanalyseBar, s.reanalyseNote,
		widget.NewSeparator(), heading("Checks, notifications and appearance"), checks,
		widget.NewSeparator(), heading("Alerts"), s.alerts.buildUI(),
		widget.NewSeparator(), heading("Archive"), archive)))
}

type settingsData struct {
	profile  tracker.Profile
	interval string
	notify   string
	identity tracker.Identity
	key      tracker.KeyInfo
	tsa      string
}

func (s *settingsScreen) refresh() {
	background(s.ui, "load the settings", func(ctx context.Context) (settingsData, error) {
		var d settingsData
		var err error
		if d.profile, err = s.ui.svc.Profile(ctx); err != nil {
			return d, err
		}
		if d.interval, err = s.ui.svc.Setting(ctx, SettingCheckInterval); err != nil {
			return d, err
		}
		if d.notify, err = s.ui.svc.DesktopAlerts(ctx); err != nil {
			return d, err
		}
		d.identity, _ = s.ui.svc.Identity()
		if d.key, err = s.ui.svc.SigningKey(ctx); err != nil {
			return d, err
		}
		d.tsa, err = s.ui.svc.Setting(ctx, tracker.SettingTSAURL)
		return d, err
	}, s.show)
	s.alerts.refresh()
}

func (s *settingsScreen) show(d settingsData) {
	s.loading = true
	defer func() { s.loading = false }()
	s.profile.set(d.profile)
	s.profile.setIdentity(d.identity)
	s.key.SetText(keyText(d.key))
	s.tsa.SetText(d.tsa)
	s.schedule.SetSelectedIndex(indexOr(scheduleHours, orDefault(d.interval, "0"), 0))
	s.notify.SetSelectedIndex(indexOr(notifyValues, d.notify, 3))
	choice := fyne.CurrentApp().Preferences().StringWithFallback(prefTheme, themeSystem)
	s.theme.SetSelected(themeOptions[indexOr(themeValues, choice, 0)])
	path := s.ui.opts.RulesPath
	switch {
	case path == "":
		s.rules.SetText("Built-in rules (no user rules file configured).")
	case fileExists(path):
		s.rules.SetText(path + " (in use, merged over the built-in rules)")
	default:
		s.rules.SetText(path + " (not present: the built-in rules are in use)")
	}
}

func indexOr(list []string, v string, def int) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return def
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// onSave saves the profile and, when it changed, the reviewer identity
// (both audit-logged).
func (s *settingsScreen) onSave() {
	p, id := s.profile.profile(), s.profile.identity()
	background(s.ui, "save the profile", func(ctx context.Context) (struct{}, error) {
		if current, _ := s.ui.svc.Identity(); id != current && !id.IsZero() {
			if err := s.ui.svc.SetIdentity(ctx, id); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, s.ui.svc.SetProfile(ctx, p)
	}, func(struct{}) {
		s.ui.inform("Profile saved", "Changes analysed from now on follow this profile. The dashboard's heat map now shows the jurisdictions you ticked.")
		s.ui.dashboard.refresh()
	})
}

// onReanalyse re-runs the analysis of every change with the current
// profile and rules, with progress and Stop.
func (s *settingsScreen) onReanalyse() {
	if s.cancelRun != nil {
		return
	}
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.cancelRun = cancel
	s.reanalyse.Disable()
	s.reanalyseStop.Show()
	s.reanalyseBar.SetValue(0)
	s.reanalyseBar.Show()
	task(s.ui, ctx, func(ctx context.Context) (int, error) {
		return s.ui.svc.Reanalyse(ctx, func(done, total int) {
			ui(func() {
				s.reanalyseBar.SetValue(float64(done) / float64(total))
				s.reanalyseNote.SetText(fmt.Sprintf("Re-analysed %s of %s changes…", thousands(done), thousands(total)))
			})
		})
	}, func(n int, err error) {
		stopped := ctx.Err() != nil
		cancel()
		s.cancelRun = nil
		s.reanalyse.Enable()
		s.reanalyseStop.Hide()
		s.reanalyseBar.Hide()
		switch {
		case stopped:
			s.reanalyseNote.SetText(fmt.Sprintf("Stopped after %s changes; the others keep their earlier analysis. Press again to finish.", thousands(n)))
		case err != nil:
			s.reanalyseNote.SetText("The re-analysis stopped early.")
			s.ui.showError("re-analyse the changes", err)
		default:
			s.reanalyseNote.SetText(fmt.Sprintf("All %s changes were re-analysed with the current profile and rules.", thousands(n)))
			s.ui.Refresh()
		}
	})
}

// onSchedule saves the check interval.
func (s *settingsScreen) onSchedule() {
	if s.loading || s.schedule.SelectedIndex() < 0 {
		return
	}
	v := scheduleHours[s.schedule.SelectedIndex()]
	background(s.ui, "save the schedule", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.SetSetting(ctx, SettingCheckInterval, v)
	}, func(struct{}) {})
}

func (s *settingsScreen) onNotify() {
	if s.loading || s.notify.SelectedIndex() < 0 {
		return
	}
	v := notifyValues[s.notify.SelectedIndex()]
	background(s.ui, "save the notification setting", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.SetDesktopAlerts(ctx, v)
	}, func(struct{}) {})
}

func (s *settingsScreen) onTheme(choice string) {
	if s.loading {
		return
	}
	v := themeValues[indexOr(themeOptions, choice, 0)]
	a := fyne.CurrentApp()
	a.Preferences().SetString(prefTheme, v)
	applyTheme(a, v)
	s.ui.dashboard.refresh() // its hand-drawn parts pick their colours when drawn
}

// onBackup asks where to write a consistent copy of the archive.
func (s *settingsScreen) onBackup() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		os.Remove(path) // the store writes the file itself
		s.backupTo(path)
	}, s.ui.win)
	d.SetFileName("policywatch-backup-" + time.Now().Format("2006-01-02") + ".db")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// backupTo writes the backup (audit-logged).
func (s *settingsScreen) backupTo(path string) {
	background(s.ui, "back up the archive", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.Backup(ctx, path)
	}, func(struct{}) {
		s.ui.inform("Backup written", "A consistent copy of the archive is in "+path+".")
	})
}

// onRestore picks a backup, confirms, and stages it for the next start.
func (s *settingsScreen) onRestore() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		dialog.ShowConfirm("Restore this backup?",
			"The archive will be replaced by "+path+" when PolicyWatch restarts. Everything recorded since that backup "+
				"(versions, reviews, checklist edits, audit entries) will be lost. The current archive is kept next to it as a .before-restore file.",
			func(ok bool) {
				if ok {
					s.restoreFrom(path)
				}
			}, s.ui.win)
	}, s.ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".sqlite", ".bak"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// restoreFrom stages a backup to replace the archive at the next start.
func (s *settingsScreen) restoreFrom(path string) {
	db := s.ui.svc.Store().Path()
	background(s.ui, "prepare the restore", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, StageRestore(path, db)
	}, func(struct{}) {
		s.ui.inform("Restart to finish", "The backup is ready. Quit and reopen PolicyWatch to use it: the archive is replaced before it opens.")
	})
}

// onVerify recomputes the audit chain.
func (s *settingsScreen) onVerify() {
	task(s.ui, s.ui.ctx, func(ctx context.Context) (int, error) {
		return s.ui.svc.VerifyAudit(ctx)
	}, func(n int, err error) {
		var br *tracker.AuditBreak
		switch {
		case errors.As(err, &br):
			s.audit.SetText("BROKEN: " + br.Error())
			s.ui.inform("Audit log broken", sentence(br.Error())+". Restore a backup made before that entry, and keep this archive for investigation.")
		case err != nil:
			s.ui.showError("verify the audit log", err)
		default:
			s.audit.SetText(fmt.Sprintf("Verified %s at %s: all %d entries are intact and chained.", time.Now().Format("2006-01-02"), time.Now().Format("15:04"), n))
		}
	})
}

// keyText describes the archive's signing key for the Settings screen.
func keyText(k tracker.KeyInfo) string {
	switch {
	case k.Fingerprint == "":
		return "None yet: one is made and logged at the first checkpoint (after the first check or import)."
	case k.Held:
		where := "this installation"
		if k.Where != "" {
			where = k.Where
		}
		return "Ed25519, fingerprint " + k.Fingerprint + " (kept in " + where + ")."
	}
	return "Ed25519, fingerprint " + k.Fingerprint + ". Not held here: " + sentence(k.Problem) + "."
}

// onTSA saves the time-stamping authority (audit-logged); an empty field
// turns trusted timestamps off.
func (s *settingsScreen) onTSA() {
	url := strings.TrimSpace(s.tsa.Text)
	background(s.ui, "save the time-stamping authority", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.SetTSAURL(ctx, url)
	}, func(struct{}) {
		if url == "" {
			s.ui.inform("Timestamps off", "Checkpoints are signed with the installation key only.")
			return
		}
		s.ui.inform("Timestamps on", "From the next checkpoint on, "+url+" timestamps each one. If it cannot be reached, the checkpoint is signed without one and the check says so.")
	})
}
