package gui

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report"
	"policywatch/tracker"
)

// Report period choices.
var reportPeriods = []string{"Last 30 days", "Last quarter (90 days)", "Last 12 months", "This calendar year", "All time", periodCustom}

// reportsScreen exports the audit-ready PDF and Excel reports for a filter,
// with progress, cancel, and buttons to open the written files.
type reportsScreen struct {
	ui            *UI
	period        *widget.Select
	from, to      *widget.Entry
	dates         *fyne.Container
	allPlatforms  *widget.Check
	platforms     *widget.CheckGroup
	slugs         map[string]string
	jurisdictions *widget.CheckGroup
	// jurisdictionGrid lays the jurisdiction boxes out in rows.
	jurisdictionGrid *fyne.Container
	exposure         *widget.Select
	pdf              *widget.Check
	xlsx             *widget.Check
	export           *widget.Button
	cancel           *widget.Button
	bar              *widget.ProgressBar
	status           *widget.Label
	openPDF          *widget.Button
	openXLSX         *widget.Button
	openDir          *widget.Button

	cancelRun context.CancelFunc
	written   []string
}

func newReportsScreen(u *UI) *reportsScreen {
	s := &reportsScreen{ui: u, slugs: map[string]string{},
		from: &widget.Entry{PlaceHolder: "From YYYY-MM-DD"}, to: &widget.Entry{PlaceHolder: "To YYYY-MM-DD (inclusive)"},
		platforms:        widget.NewCheckGroup(nil, nil),
		jurisdictions:    widget.NewCheckGroup(tracker.Jurisdictions, nil),
		jurisdictionGrid: container.NewGridWithColumns(9),
		exposure:         widget.NewSelect(exposureOptions, nil),
		pdf:              widget.NewCheck("PDF (for auditors and the board)", nil),
		xlsx:             widget.NewCheck("Excel workbook (registers, checklist, evidence)", nil),
		bar:              widget.NewProgressBar(),
		status:           wrapLabel("Choose what the report covers, then press Export. Both files are written atomically, so a cancelled export leaves nothing half-written."),
	}
	s.period = widget.NewSelect(reportPeriods, func(p string) {
		if s.dates == nil {
			return
		}
		if p == periodCustom {
			s.dates.Show()
		} else {
			s.dates.Hide()
		}
	})
	s.allPlatforms = widget.NewCheck("All platforms", func(on bool) {
		if on {
			s.platforms.Disable()
		} else {
			s.platforms.Enable()
		}
	})
	for _, code := range tracker.Jurisdictions {
		code := code
		s.jurisdictionGrid.Add(widget.NewCheck(code, func(on bool) { s.toggleJurisdiction(code, on) }))
	}
	s.exposure.SetSelected(anyExposure)
	s.pdf.SetChecked(true)
	s.xlsx.SetChecked(true)
	s.export = widget.NewButtonWithIcon("Export… (Ctrl+E)", theme.DocumentSaveIcon(), s.onExport)
	s.export.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.openPDF = widget.NewButtonWithIcon("Open PDF", theme.FileIcon(), func() { s.open(".pdf") })
	s.openXLSX = widget.NewButtonWithIcon("Open Excel", theme.FileIcon(), func() { s.open(".xlsx") })
	s.openDir = widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() {
		if len(s.written) > 0 {
			s.openURL(filepath.Dir(s.written[0]))
		}
	})
	return s
}

func (s *reportsScreen) buildUI() fyne.CanvasObject {
	s.dates = container.NewGridWithColumns(2, s.from, s.to)
	s.dates.Hide()
	s.period.SetSelected(reportPeriods[2])
	s.allPlatforms.SetChecked(true)
	s.cancel.Hide()
	s.bar.Hide()
	s.openPDF.Hide()
	s.openXLSX.Hide()
	s.openDir.Hide()
	platformScroll := container.NewVScroll(s.platforms)
	platformScroll.SetMinSize(fyne.NewSize(0, 150))
	form := widget.NewForm(
		widget.NewFormItem("Period", container.NewVBox(s.period, s.dates)),
		widget.NewFormItem("Platforms", container.NewBorder(s.allPlatforms, nil, nil, nil, platformScroll)),
		&widget.FormItem{Text: "Jurisdictions", Widget: s.jurisdictionGrid, HintText: "None ticked: every jurisdiction."},
		widget.NewFormItem("Minimum exposure", s.exposure),
		widget.NewFormItem("Formats", container.NewHBox(s.pdf, s.xlsx)),
	)
	actions := container.NewHBox(s.export, s.cancel, s.openPDF, s.openXLSX, s.openDir)
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading("Audit-ready reports"),
		wrapLabel("The PDF has a cover page, contents, executive summary, one section per platform with every change's full analysis, the due-diligence checklist, proof of monitoring and an evidence appendix. The Excel workbook holds the same data as filterable registers."),
		form, actions, s.bar, s.status)))
}

// refresh reloads the platform choices.
func (s *reportsScreen) refresh() {
	background(s.ui, "load the platform list", func(ctx context.Context) ([]tracker.PlatformSummary, error) {
		return s.ui.svc.Platforms(ctx)
	}, func(list []tracker.PlatformSummary) {
		var names []string
		for _, p := range list {
			if p.Versions > 0 || p.Tracked > 0 {
				s.slugs[p.Name] = p.Slug
				names = append(names, p.Name)
			}
		}
		sort.Strings(names)
		sel := s.platforms.Selected
		s.platforms.Options = names
		s.platforms.Selected = sel
		s.platforms.Refresh()
	})
}

// toggleJurisdiction keeps the jurisdiction selection in order.
func (s *reportsScreen) toggleJurisdiction(code string, on bool) {
	var sel []string
	for _, c := range tracker.Jurisdictions {
		if (c == code && on) || (c != code && contains(s.jurisdictions.Selected, c)) {
			sel = append(sel, c)
		}
	}
	s.jurisdictions.Selected = sel
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// filter reads the form.
func (s *reportsScreen) filter(now time.Time) (report.Filter, error) {
	var f report.Filter
	switch s.period.Selected {
	case reportPeriods[0]:
		f.Since = now.AddDate(0, 0, -30)
	case reportPeriods[1]:
		f.Since = now.AddDate(0, 0, -90)
	case reportPeriods[2]:
		f.Since = now.AddDate(-1, 0, 0)
	case reportPeriods[3]:
		f.Since = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
	case periodCustom:
		var err error
		if f.Since, err = parseDay(s.from.Text, "From"); err != nil {
			return f, err
		}
		if f.Until, err = parseDay(s.to.Text, "To"); err != nil {
			return f, err
		}
		if !f.Until.IsZero() {
			f.Until = f.Until.AddDate(0, 0, 1)
		}
		if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
			return f, inputError("The period ends before it starts: swap the dates.")
		}
	}
	if !s.allPlatforms.Checked {
		if len(s.platforms.Selected) == 0 {
			return f, inputError("Tick at least one platform, or tick All platforms.")
		}
		for _, name := range s.platforms.Selected {
			f.Platforms = append(f.Platforms, s.slugs[name])
		}
	}
	f.Jurisdictions = append(f.Jurisdictions, s.jurisdictions.Selected...)
	if s.exposure.SelectedIndex() > 0 {
		f.MinExposure = s.exposure.Selected
	}
	if !s.pdf.Checked && !s.xlsx.Checked {
		return f, inputError("Tick PDF, Excel or both.")
	}
	return f, nil
}

// onExport asks where to save, then exports.
func (s *reportsScreen) onExport() {
	if s.cancelRun != nil {
		s.ui.inform("Export running", "Wait for the current export to finish, or cancel it.")
		return
	}
	if _, err := s.filter(s.ui.svc.Now()); err != nil {
		s.ui.showError("export the report", err)
		return
	}
	ext := ".pdf"
	if !s.pdf.Checked {
		ext = ".xlsx"
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		s.exportTo(strings.TrimSuffix(strings.TrimSuffix(path, ".pdf"), ".xlsx"))
	}, s.ui.win)
	d.SetFileName("policywatch-report-" + time.Now().Format("2006-01-02") + ext)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".xlsx"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// exportTo builds the report and writes base.pdf and/or base.xlsx.
func (s *reportsScreen) exportTo(base string) {
	f, err := s.filter(s.ui.svc.Now())
	if err != nil {
		s.ui.showError("export the report", err)
		return
	}
	var paths []string
	if s.pdf.Checked {
		paths = append(paths, base+".pdf")
	}
	if s.xlsx.Checked {
		paths = append(paths, base+".xlsx")
	}
	for _, p := range paths {
		if err := report.CheckDestination(p); err != nil {
			s.ui.inform("Cannot write there", sentence(err.Error())+". Choose another folder.")
			return
		}
	}
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.cancelRun = cancel
	s.written = nil
	s.export.Disable()
	s.cancel.Show()
	s.bar.Show()
	s.bar.SetValue(0)
	s.openPDF.Hide()
	s.openXLSX.Hide()
	s.openDir.Hide()
	s.status.SetText("Reading the archive…")
	stages := map[string]string{"read": "Reading the archive", "pdf": "Writing the PDF", "xlsx": "Writing the Excel workbook"}
	progress := func(stage string, done, total int) {
		ui(func() {
			if total > 0 {
				s.bar.SetValue(float64(done) / float64(total))
			}
			s.status.SetText(fmt.Sprintf("%s… (%d of %d)", orDefault(stages[stage], stage), done, total))
		})
	}
	task(s.ui, ctx, func(ctx context.Context) ([]string, error) {
		m, err := report.Build(ctx, s.ui.svc, f, report.Options{Progress: progress})
		if err != nil {
			return nil, err
		}
		var done []string
		for _, p := range paths {
			if strings.HasSuffix(p, ".pdf") {
				err = report.WritePDF(ctx, m, p)
			} else {
				err = report.WriteXLSX(ctx, m, p)
			}
			if err != nil {
				return done, err
			}
			done = append(done, p)
		}
		return done, nil
	}, func(done []string, err error) {
		cancelled := ctx.Err() != nil
		s.cancelRun = nil
		cancel()
		s.export.Enable()
		s.cancel.Hide()
		s.bar.Hide()
		s.written = done
		for _, p := range done {
			if strings.HasSuffix(p, ".pdf") {
				s.openPDF.Show()
			} else {
				s.openXLSX.Show()
			}
		}
		if len(done) > 0 {
			s.openDir.Show()
		}
		switch {
		case cancelled && err != nil:
			s.status.SetText("Export cancelled. Files already finished are kept; nothing half-written was left behind.")
		case err != nil:
			s.status.SetText("The export did not finish.")
			s.ui.showError("export the report", err)
		default:
			s.status.SetText("Report written: " + strings.Join(done, " and ") + ".")
		}
	})
}

// onCancel stops the running export.
func (s *reportsScreen) onCancel() {
	if s.cancelRun != nil {
		s.cancelRun()
		s.status.SetText("Cancelling…")
	}
}

// open opens the written file with that extension.
func (s *reportsScreen) open(ext string) {
	for _, p := range s.written {
		if strings.HasSuffix(p, ext) {
			s.openURL(p)
		}
	}
}

// openURL opens a local path with the desktop's default application.
func (s *reportsScreen) openURL(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if err := fyne.CurrentApp().OpenURL(u); err != nil {
		s.ui.inform("Cannot open the file", "Open "+abs+" from your file manager.")
	}
}
