package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// discoverForm finds a site's governance documents from its address and
// adds the chosen ones, tracked, in one step.
type discoverForm struct {
	ui       *UI
	site     *widget.Entry
	platform *widget.Entry
	findBtn  *widget.Button
	stopBtn  *widget.Button
	addBtn   *widget.Button
	activity *widget.Activity
	status   *widget.Label
	list     *fyne.Container
	checks   []*widget.Check

	found  tracker.Discovery
	cancel context.CancelFunc
	gen    int
	dlg    dialog.Dialog
	// added is called with the new documents' ids after they were added.
	added func(ids []int64)
}

func newDiscoverForm(u *UI) *discoverForm {
	f := &discoverForm{ui: u,
		site:     &widget.Entry{PlaceHolder: "https://example.com"},
		platform: &widget.Entry{PlaceHolder: "Platform name (from the site when empty)"},
		activity: widget.NewActivity(),
		status:   wrapLabel("Type a site's address and press Find: PolicyWatch looks at its home page for links to its privacy policy, terms, cookie policy, AI terms, DPA… (rendering it in the browser when it needs scripts) and at the catalog."),
		list:     container.NewVBox(),
	}
	f.findBtn = widget.NewButtonWithIcon("Find", theme.SearchIcon(), f.onFind)
	f.stopBtn = widget.NewButtonWithIcon("Stop", theme.CancelIcon(), f.onStop)
	f.stopBtn.Hide()
	f.addBtn = widget.NewButtonWithIcon("Add selected", theme.ContentAddIcon(), f.onAdd)
	f.addBtn.Importance = widget.HighImportance
	f.addBtn.Disable()
	f.activity.Hide()
	return f
}

func (f *discoverForm) buildUI() fyne.CanvasObject {
	form := widget.NewForm(widget.NewFormItem("Site", f.site), widget.NewFormItem("Platform", f.platform))
	top := container.NewVBox(form, container.NewHBox(f.findBtn, f.stopBtn, f.activity), f.status)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(f.list))
}

// show opens the form in a dialog.
func (f *discoverForm) show() {
	closeBtn := widget.NewButton("Close", func() { f.onStop(); f.dlg.Hide() })
	content := container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(closeBtn, f.addBtn)), nil, nil, f.buildUI())
	f.dlg = dialog.NewCustomWithoutButtons("Discover a site's documents", content, f.ui.win)
	f.dlg.Resize(fyne.NewSize(920, 600))
	f.dlg.Show()
}

// onFind looks at the site in the background; Stop cancels it.
func (f *discoverForm) onFind() {
	site := strings.TrimSpace(f.site.Text)
	if err := tracker.CheckURL(site); err != nil {
		f.ui.showError("look at the site", inputError("Type the site's full address, starting with https:// (or http://)."))
		return
	}
	f.onStop()
	ctx, cancel := context.WithCancel(f.ui.ctx)
	f.cancel = cancel
	f.gen++
	gen := f.gen
	f.addBtn.Disable()
	showBusy(true, f.findBtn, f.stopBtn, f.activity)
	f.status.SetText("Looking at " + site + " …")
	task(f.ui, ctx, func(ctx context.Context) (tracker.Discovery, error) {
		return f.ui.svc.Discover(ctx, site)
	}, func(d tracker.Discovery, err error) {
		if gen != f.gen {
			return
		}
		stopped := ctx.Err() != nil
		cancel()
		f.cancel = nil
		showBusy(false, f.findBtn, f.stopBtn, f.activity)
		if err != nil {
			f.status.SetText("Nothing found.")
			if !stopped {
				_, advice, _ := adviceFor("look at the site", err)
				f.status.SetText("Nothing found: " + advice)
			}
			return
		}
		f.showFound(d)
	})
}

// showFound lists the documents found, the best of each kind ticked.
func (f *discoverForm) showFound(d tracker.Discovery) {
	f.found = d
	if f.platform.Text == "" {
		f.platform.SetText(d.Platform)
	}
	f.checks = nil
	f.list.RemoveAll()
	for _, doc := range d.Documents {
		label := fmt.Sprintf("%s — %s (%s) — %s", tracker.KindTitle(doc.Kind), doc.Title, sourceWords[doc.Source], doc.URL)
		c := widget.NewCheck(label, func(bool) { f.updateAdd() })
		c.SetChecked(doc.Best && !doc.Tracked)
		if doc.Tracked {
			c.Text = label + " — already tracked"
			c.Disable()
		}
		f.checks = append(f.checks, c)
		f.list.Add(c)
	}
	how := "fetched"
	if d.CapturedWith == tracker.RenderBrowser {
		how = "rendered in the browser"
	}
	if len(d.Documents) == 0 {
		f.status.SetText(fmt.Sprintf("No governance documents linked from %s (%s). Add them one by one with “Add custom document…”.", d.Site, how))
	} else {
		f.status.SetText(fmt.Sprintf("%d document(s) found on %s (%s); the best of each kind is ticked. Choose, then Add selected.", len(d.Documents), d.Site, how))
	}
	f.list.Refresh()
	f.updateAdd()
}

// sourceWords say where a discovered document was found.
var sourceWords = map[string]string{
	tracker.SourceRel:     "declared by the page",
	tracker.SourceCatalog: "from the catalog",
	tracker.SourceFooter:  "footer link",
	tracker.SourceLink:    "link on the page",
}

func (f *discoverForm) selected() []tracker.DiscoveredDocument {
	var out []tracker.DiscoveredDocument
	for i, c := range f.checks {
		if c.Checked && !c.Disabled() {
			out = append(out, f.found.Documents[i])
		}
	}
	return out
}

func (f *discoverForm) updateAdd() {
	if len(f.selected()) > 0 {
		f.addBtn.Enable()
	} else {
		f.addBtn.Disable()
	}
}

// onAdd adds the ticked documents to the platform through the service.
func (f *discoverForm) onAdd() {
	docs := f.selected()
	platform := strings.TrimSpace(f.platform.Text)
	if platform == "" {
		platform = f.found.Platform
	}
	if len(docs) == 0 || platform == "" {
		return
	}
	f.addBtn.Disable()
	task(f.ui, f.ui.ctx, func(ctx context.Context) ([]int64, error) {
		return f.ui.svc.AddDiscovered(ctx, platform, docs)
	}, func(ids []int64, err error) {
		if err != nil {
			f.updateAdd()
			f.ui.showError("add the documents", err)
			return
		}
		if f.dlg != nil {
			f.dlg.Hide()
		}
		if f.added != nil {
			f.added(ids)
		}
	})
}

// onStop cancels a running look.
func (f *discoverForm) onStop() {
	if f.cancel != nil {
		f.cancel()
	}
}
