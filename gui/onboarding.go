package gui

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
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

// Onboarding steps.
const (
	stepProfile = iota
	stepPlatforms
	stepImport
	stepCheck
	stepCount
)

var stepTitles = []string{"Your organisation", "Platforms to watch", "History (optional)", "First check"}

// onboardingScreen is the first-run wizard, shown when the profile has no
// jurisdictions and nothing is tracked: profile, platforms from the catalog,
// an optional Open Terms Archive import, and a first check with progress.
type onboardingScreen struct {
	ui      *UI
	content fyne.CanvasObject
	step    int
	title   *widget.Label
	steps   []fyne.CanvasObject
	stack   *fyne.Container
	back    *widget.Button
	next    *widget.Button
	skip    *widget.Button

	profile *profileForm

	search   *widget.Entry
	category *widget.Select
	list     *widget.List
	all      []tracker.PlatformSummary
	shown    []tracker.PlatformSummary
	chosen   map[string]bool
	chosenN  *widget.Label

	importBar    *widget.ProgressBar
	importStatus *widget.Label
	// monitorFrom is the monitoring start (YYYY-MM-DD): imported history
	// before it raises no open checklist items
	monitorFrom  *widget.Entry
	importCancel *widget.Button
	importFolder *widget.Button
	importZip    *widget.Button
	cancelImport context.CancelFunc

	checkBtn    *widget.Button
	checkBar    *widget.ProgressBar
	checkStatus *widget.Label
	checkLog    *widget.Label
	checkLines  []string
	checked     bool
}

func newOnboardingScreen(u *UI) *onboardingScreen {
	s := &onboardingScreen{ui: u, profile: newProfileForm(), chosen: map[string]bool{},
		title:        &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText},
		chosenN:      widget.NewLabel("No platform chosen yet."),
		importBar:    widget.NewProgressBar(),
		monitorFrom:  &widget.Entry{Text: u.svc.Now().Format("2006-01-02"), PlaceHolder: "YYYY-MM-DD"},
		importStatus: wrapLabel("Skip this step if you have no dataset: PolicyWatch starts the history with the first check."),
		checkBar:     widget.NewProgressBar(),
		checkStatus:  wrapLabel("The first check fetches every tracked document and archives its current text. Later checks compare against it."),
		checkLog:     &widget.Label{Wrapping: fyne.TextWrapWord},
	}
	s.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), s.onBack)
	s.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), s.onNext)
	s.next.Importance = widget.HighImportance
	s.next.IconPlacement = widget.ButtonIconTrailingText
	s.skip = widget.NewButton("Skip setup", s.onFinish)
	s.search = &widget.Entry{PlaceHolder: "Search the catalog (name, owner, category)…", OnChanged: func(string) { s.applyFilter() }}
	s.category = &widget.Select{Options: []string{allPlatformCategories}, Selected: allPlatformCategories, OnChanged: func(string) { s.applyFilter() }}
	s.importFolder = widget.NewButtonWithIcon("Import a folder…", theme.FolderOpenIcon(), s.onImportFolder)
	s.importZip = widget.NewButtonWithIcon("Import a .zip…", theme.FileIcon(), s.onImportZip)
	s.importCancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if s.cancelImport != nil {
			s.cancelImport()
		}
	})
	s.checkBtn = widget.NewButtonWithIcon("Start the first check", theme.ViewRefreshIcon(), s.onStartCheck)
	s.checkBtn.Importance = widget.HighImportance
	u.checker.observe(checkObserver{progress: s.onCheckProgress, done: s.onCheckDone})
	return s
}

func (s *onboardingScreen) buildUI() {
	s.list = widget.NewList(func() int { return len(s.shown) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), nil,
				&widget.Label{Text: "Platform", Truncation: fyne.TextTruncateEllipsis})
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.shown) {
				return
			}
			p := s.shown[id]
			row := o.(*fyne.Container)
			label := row.Objects[0].(*widget.Label)
			check := row.Objects[1].(*widget.Check)
			label.SetText(fmt.Sprintf("%s — %s · %d document(s)%s", p.Name, p.Category, p.Documents, ownerText(p.Owner)))
			check.OnChanged = nil
			check.SetChecked(s.chosen[p.Slug])
			slug := p.Slug
			check.OnChanged = func(on bool) { s.choose(slug, on) }
		})
	profile := container.NewVScroll(container.NewVBox(
		wrapLabel("Tell PolicyWatch who you are: it decides which jurisdictions are flagged and how exposed each change leaves you. You can change it later in Settings."),
		s.profile.buildUI()))
	platforms := container.NewBorder(container.NewVBox(
		wrapLabel("Choose the platforms your organisation depends on. Each comes with the real addresses of its privacy policy, terms and other documents."),
		container.NewBorder(nil, nil, nil, fixedWidth(220, s.category), s.search), s.chosenN), nil, nil, nil, s.list)
	s.importBar.Hide()
	s.importCancel.Hide()
	imp := container.NewVBox(
		wrapLabel("If you have an Open Terms Archive dataset (a folder or .zip laid out as service/terms type/date.md), import it to get years of history on day one: every version keeps its original date and every consecutive pair is analysed."),
		widget.NewForm(&widget.FormItem{Text: "Monitoring starts", Widget: fixedWidth(160, s.monitorFrom),
			HintText: "Changes before this day are history: analysed and archived, but they raise no open checklist items."}),
		container.NewHBox(s.importFolder, s.importZip, s.importCancel), s.importBar, s.importStatus)
	s.checkBar.Hide()
	check := container.NewBorder(container.NewVBox(s.checkStatus, container.NewHBox(s.checkBtn), s.checkBar), nil, nil, nil,
		container.NewVScroll(s.checkLog))
	s.steps = []fyne.CanvasObject{profile, platforms, imp, check}
	s.stack = container.NewStack(s.steps...)
	nav := container.NewBorder(nil, nil, s.skip, container.NewHBox(s.back, s.next))
	welcome := wrapLabel("Welcome to PolicyWatch. Four short steps set up monitoring of the privacy policies and terms your organisation depends on.")
	s.content = container.NewPadded(container.NewBorder(container.NewVBox(s.title, welcome, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), nav), nil, nil, s.stack))
	s.show(stepProfile)
}

func ownerText(owner string) string {
	if owner == "" {
		return ""
	}
	return " · " + owner
}

// start loads the profile and the catalog.
func (s *onboardingScreen) start() {
	type data struct {
		profile   tracker.Profile
		platforms []tracker.PlatformSummary
	}
	background(s.ui, "load the catalog", func(ctx context.Context) (data, error) {
		var d data
		var err error
		if d.profile, err = s.ui.svc.Profile(ctx); err != nil {
			return d, err
		}
		d.platforms, err = s.ui.svc.Platforms(ctx)
		return d, err
	}, func(d data) {
		s.profile.set(d.profile)
		s.all = d.platforms
		cats := map[string]bool{}
		for _, p := range d.platforms {
			cats[p.Category] = true
			if p.Tracked > 0 {
				s.chosen[p.Slug] = true
			}
		}
		opts := []string{allPlatformCategories}
		for c := range cats {
			opts = append(opts, c)
		}
		sort.Strings(opts[1:])
		s.category.Options = opts
		s.applyFilter()
		s.showChosen()
	})
}

// show switches to step i.
func (s *onboardingScreen) show(i int) {
	s.step = i
	for j, o := range s.steps {
		if j == i {
			o.Show()
		} else {
			o.Hide()
		}
	}
	s.stack.Refresh()
	s.title.SetText(fmt.Sprintf("Step %d of %d: %s", i+1, stepCount, stepTitles[i]))
	if i == 0 {
		s.back.Disable()
	} else {
		s.back.Enable()
	}
	if i == stepCheck {
		s.next.SetText("Finish")
	} else {
		s.next.SetText("Next")
	}
}

func (s *onboardingScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, p := range s.all {
		if s.category.Selected != allPlatformCategories && p.Category != s.category.Selected {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(p.Name+" "+p.Owner+" "+p.Category+" "+p.Slug), q) {
			s.shown = append(s.shown, p)
		}
	}
	s.list.Refresh()
}

// choose marks a platform to track.
func (s *onboardingScreen) choose(slug string, on bool) {
	if on {
		s.chosen[slug] = true
	} else {
		delete(s.chosen, slug)
	}
	s.showChosen()
}

func (s *onboardingScreen) showChosen() {
	var names []string
	for _, p := range s.all {
		if s.chosen[p.Slug] {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		s.chosenN.SetText("No platform chosen yet: tick the ones you use.")
		return
	}
	s.chosenN.SetText(fmt.Sprintf("%d chosen: %s", len(names), clip(strings.Join(names, ", "), 160)))
}

func (s *onboardingScreen) onBack() {
	if s.step > 0 {
		s.show(s.step - 1)
	}
}

// onNext saves the current step and moves on.
func (s *onboardingScreen) onNext() {
	switch s.step {
	case stepProfile:
		p := s.profile.profile()
		background(s.ui, "save the profile", func(ctx context.Context) (struct{}, error) {
			return struct{}{}, s.ui.svc.SetProfile(ctx, p)
		}, func(struct{}) { s.show(stepPlatforms) })
	case stepPlatforms:
		if len(s.chosen) == 0 {
			s.ui.inform("Choose a platform", "Tick at least one platform to watch, or add your own later in Platforms (Skip setup).")
			return
		}
		chosen := map[string]bool{}
		for k := range s.chosen {
			chosen[k] = true
		}
		all := s.all
		background(s.ui, "track the platforms", func(ctx context.Context) (int, error) {
			n := 0
			for _, p := range all {
				if chosen[p.Slug] != (p.Tracked > 0) {
					k, err := s.ui.svc.SetTracked(ctx, p.Slug, chosen[p.Slug])
					if err != nil {
						return n, err
					}
					n += k
				}
			}
			return n, nil
		}, func(int) { s.show(stepImport) })
	case stepImport:
		if s.cancelImport != nil {
			s.ui.inform("Import running", "Wait for the import to finish, or cancel it.")
			return
		}
		s.show(stepCheck)
	case stepCheck:
		s.onFinish()
	}
}

func (s *onboardingScreen) onImportFolder() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err == nil && l != nil {
			s.importPath(l.Path())
		}
	}, s.ui.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

func (s *onboardingScreen) onImportZip() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err == nil && r != nil {
			path := r.URI().Path()
			r.Close()
			s.importPath(path)
		}
	}, s.ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".zip"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importPath imports an Open Terms Archive dataset with progress and cancel.
func (s *onboardingScreen) importPath(path string) {
	if s.cancelImport != nil {
		return
	}
	if _, err := os.Stat(path); err != nil {
		s.importStatus.SetText("The dataset could not be imported: " + path + " cannot be read.")
		s.ui.inform("Dataset not found", "PolicyWatch cannot read "+path+". Choose the dataset's folder or .zip file again.")
		return
	}
	since, err := time.Parse("2006-01-02", strings.TrimSpace(s.monitorFrom.Text))
	if err != nil {
		s.ui.inform("Monitoring start", "Write the day monitoring starts as YYYY-MM-DD, for example "+s.ui.svc.Now().Format("2006-01-02")+".")
		return
	}
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.cancelImport = cancel
	s.importFolder.Disable()
	s.importZip.Disable()
	s.importCancel.Show()
	s.importBar.SetValue(0)
	s.importBar.Show()
	s.importStatus.SetText("Reading " + path + " …")
	task(s.ui, ctx, func(ctx context.Context) (tracker.ImportSummary, error) {
		if err := s.ui.svc.SetMonitoringStart(ctx, since); err != nil {
			return tracker.ImportSummary{}, err
		}
		return s.ui.svc.ImportOTA(ctx, path, func(p tracker.ImportProgress) {
			ui(func() {
				if p.Total > 0 {
					s.importBar.SetValue(float64(p.Done) / float64(p.Total))
				}
				s.importStatus.SetText(fmt.Sprintf("Imported %d of %d documents: %s %s (%d versions)", p.Done, p.Total,
					p.Platform, strings.ToLower(tracker.KindTitle(p.Kind)), p.Versions))
			})
		})
	}, func(sum tracker.ImportSummary, err error) {
		cancelled := ctx.Err() != nil
		cancel()
		s.cancelImport = nil
		s.importFolder.Enable()
		s.importZip.Enable()
		s.importCancel.Hide()
		s.importBar.Hide()
		switch {
		case cancelled:
			s.importStatus.SetText("Import cancelled. Documents imported so far are kept; importing the same dataset again finishes the job.")
		case err != nil:
			s.importStatus.SetText("The dataset could not be imported. Check that it is an Open Terms Archive folder or .zip (service/terms type/date.md), not corrupt.")
			fyne.LogError("policywatch: import the dataset", err)
			s.ui.inform("Dataset not imported", "This is not a readable Open Terms Archive dataset: PolicyWatch expects a folder or .zip laid out as service/terms type/date.md. Nothing was imported from it.")
		default:
			s.importStatus.SetText(fmt.Sprintf("Imported %d documents: %d new versions (%d already archived), %d changes analysed. They are tracked from now on.",
				sum.Documents, sum.NewVersions, sum.SkippedVersions, sum.NewChanges))
		}
	})
}

// onStartCheck runs the first check.
func (s *onboardingScreen) onStartCheck() {
	s.checkLines = nil
	s.checkLog.SetText("")
	s.checkBar.SetValue(0)
	s.checkBar.Show()
	s.checkBtn.Disable()
	s.checkStatus.SetText("Checking… you can keep going: the check continues in the background and its progress stays in the status bar.")
	s.ui.checker.start(tracker.CheckOptions{}, "the tracked documents")
}

func (s *onboardingScreen) onCheckProgress(p tracker.CheckProgress) {
	if s.step != stepCheck {
		return
	}
	if p.Total > 0 {
		s.checkBar.SetValue(float64(p.Done) / float64(p.Total))
	}
	line := fmt.Sprintf("%s — %s: %s", p.Document.PlatformName, tracker.KindTitle(p.Document.Kind), eventWord(p.Event))
	if p.Event.Status == tracker.CheckFailed && p.Event.Detail != "" {
		line += " (" + clip(shortURLs(p.Event.Detail), 160) + ")"
	}
	s.checkLines = append(s.checkLines, line)
	s.checkLog.SetText(strings.Join(s.checkLines, "\n"))
}

func (s *onboardingScreen) onCheckDone(sum tracker.CheckSummary, err error) {
	if s.step != stepCheck {
		return
	}
	s.checked = true
	s.checkBar.Hide()
	s.checkBtn.Enable()
	s.checkBtn.SetText("Check again")
	msg := checkLine(sum, err, s.ui.svc.Now())
	if sum.Failed > 0 {
		msg += " Failed documents are listed below with the reason; the Platforms screen keeps their history."
	}
	s.checkStatus.SetText(msg + " Press Finish to open the dashboard.")
}

// onFinish leaves the onboarding for the main window.
func (s *onboardingScreen) onFinish() {
	if s.cancelImport != nil {
		s.cancelImport()
	}
	s.ui.showMain()
}

// reURL matches a web address in a check's detail.
var reURL = regexp.MustCompile(`https?://([^/\s)]+)[^\s)]*`)

// shortURLs shows each web address of s as its host: a line of the check
// log then wraps between words, never inside an address.
func shortURLs(s string) string {
	return reURL.ReplaceAllString(s, "$1")
}
