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

// previewChars caps the extracted text shown in the preview.
const previewChars = 8000

// docForm adds a custom document, or edits a document's selectors, with a
// live preview of the text a check would archive.
type docForm struct {
	ui     *UI
	editID int64 // document being edited; 0 when adding

	platform  *widget.SelectEntry
	url       *widget.Entry
	kind      *widget.Select
	selectCSS *widget.Entry
	removeCSS *widget.Entry
	render    *widget.Select

	previewBtn *widget.Button
	cancelBtn  *widget.Button
	saveBtn    *widget.Button
	activity   *widget.Activity
	status     *widget.Label
	preview    *widget.Label

	cancelPreview context.CancelFunc
	previewGen    int
	dlg           dialog.Dialog
	// saved is called with the document id after a successful save.
	saved func(id int64)
}

// renderChoices name tracker.RenderModes, in the same order.
var renderChoices = []string{
	"Automatic (HTTP, the browser when the page needs scripts)",
	"HTTP only",
	"Always in the browser (headless Chromium)",
}

// renderIndex is the position of a render mode in renderChoices.
func renderIndex(mode string) int {
	for i, m := range tracker.RenderModes {
		if m == mode {
			return i
		}
	}
	return 0
}

// newDocForm makes the form; platforms are the names offered.
func newDocForm(u *UI, platforms []string) *docForm {
	f := &docForm{ui: u,
		platform:  widget.NewSelectEntry(platforms),
		url:       &widget.Entry{PlaceHolder: "https://example.com/privacy"},
		kind:      widget.NewSelect(kindTitles(), nil),
		selectCSS: &widget.Entry{PlaceHolder: "optional, e.g. main article, #terms"},
		removeCSS: &widget.Entry{PlaceHolder: "optional, e.g. .cookie-banner, nav"},
		render:    widget.NewSelect(renderChoices, nil),
		activity:  widget.NewActivity(),
		status:    wrapLabel("Fill in the address and press Preview to see the text a check would archive."),
		preview:   &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Monospace: true}},
	}
	f.platform.PlaceHolder = "Platform name (new or existing)"
	f.kind.SetSelected(tracker.KindTitle(tracker.KindPrivacyPolicy))
	f.render.SetSelectedIndex(0)
	f.previewBtn = widget.NewButtonWithIcon("Preview", theme.VisibilityIcon(), f.onPreview)
	f.cancelBtn = widget.NewButtonWithIcon("Stop", theme.CancelIcon(), f.onCancelPreview)
	f.cancelBtn.Hide()
	f.saveBtn = widget.NewButtonWithIcon("Save and track", theme.DocumentSaveIcon(), f.onSave)
	f.saveBtn.Importance = widget.HighImportance
	f.activity.Hide()
	return f
}

func (f *docForm) buildUI() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Platform", f.platform),
		widget.NewFormItem("URL", f.url),
		widget.NewFormItem("Kind", f.kind),
		widget.NewFormItem("Keep (CSS)", f.selectCSS),
		widget.NewFormItem("Remove (CSS)", f.removeCSS),
		widget.NewFormItem("Capture", f.render),
	)
	actions := container.NewHBox(f.previewBtn, f.cancelBtn, f.activity)
	top := container.NewVBox(form, actions, f.status)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(f.preview))
}

// show opens the form in a dialog.
func (f *docForm) show(title string) {
	closeBtn := widget.NewButton("Close", func() { f.onCancelPreview(); f.dlg.Hide() })
	content := container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(closeBtn, f.saveBtn)), nil, nil, f.buildUI())
	f.dlg = dialog.NewCustomWithoutButtons(title, content, f.ui.win)
	f.dlg.Resize(fyne.NewSize(920, 660))
	f.dlg.Show()
}

// fields validates the form.
func (f *docForm) fields() (tracker.NewDocument, error) {
	nd := tracker.NewDocument{PlatformName: strings.TrimSpace(f.platform.Text), URL: strings.TrimSpace(f.url.Text),
		Select: strings.TrimSpace(f.selectCSS.Text), Remove: strings.TrimSpace(f.removeCSS.Text)}
	if i := f.kind.SelectedIndex(); i >= 0 {
		nd.Kind = tracker.Kinds[i]
	}
	if i := f.render.SelectedIndex(); i >= 0 {
		nd.Render = tracker.RenderModes[i]
	}
	if f.editID == 0 && nd.PlatformName == "" {
		return nd, inputError("Name the platform the document belongs to (a new name creates a custom platform).")
	}
	if err := tracker.CheckURL(nd.URL); err != nil {
		return nd, inputError("Type the document's full address, starting with https:// (or http://).")
	}
	return nd, nil
}

// onPreview fetches the page and extracts it with the selectors, in the
// background; Stop cancels it.
func (f *docForm) onPreview() {
	nd, err := f.fields()
	if err != nil {
		f.ui.showError("preview the document", err)
		return
	}
	f.onCancelPreview()
	ctx, cancel := context.WithCancel(f.ui.ctx)
	f.cancelPreview = cancel
	f.previewGen++
	gen := f.previewGen
	showBusy(true, f.previewBtn, f.cancelBtn, f.activity)
	f.status.SetText("Fetching " + nd.URL + " …")
	task(f.ui, ctx, func(ctx context.Context) (tracker.Preview, error) {
		return f.ui.svc.Preview(ctx, nd)
	}, func(p tracker.Preview, err error) {
		if gen != f.previewGen {
			return
		}
		stopped := ctx.Err() != nil
		cancel()
		f.cancelPreview = nil
		showBusy(false, f.previewBtn, f.cancelBtn, f.activity)
		if err != nil {
			_, advice, _ := adviceFor("preview the document", err)
			f.status.SetText("No preview: " + advice)
			if stopped {
				f.status.SetText("Preview stopped.")
			}
			f.preview.SetText("")
			return
		}
		text := p.Text
		words := len(strings.Fields(text))
		how := "fetched"
		if p.CapturedWith == tracker.RenderBrowser {
			how = "rendered in the browser"
		}
		info := fmt.Sprintf("Preview of %s (%s, HTTP %d, %.1f s): %s characters, %s words", p.URL, how, p.HTTPStatus,
			p.Elapsed.Seconds(), thousands(len(text)), thousands(words))
		if p.StatedDate != "" {
			info += ", states a date of " + p.StatedDate
		}
		if p.Title != "" {
			info += ", titled “" + p.Title + "”"
		}
		info += ". This is the text a check would archive; adjust the selectors until only the document remains."
		f.status.SetText(info)
		if r := []rune(text); len(r) > previewChars {
			text = string(r[:previewChars]) + "\n\n… (" + thousands(len(r)-previewChars) + " more characters)"
		}
		f.preview.SetText(text)
	})
}

// onCancelPreview stops a running preview.
func (f *docForm) onCancelPreview() {
	if f.cancelPreview != nil {
		f.cancelPreview()
	}
}

// onSave adds the document (or saves the selectors) through the service.
func (f *docForm) onSave() {
	nd, err := f.fields()
	if err != nil {
		f.ui.showError("save the document", err)
		return
	}
	f.saveBtn.Disable()
	editID := f.editID
	task(f.ui, f.ui.ctx, func(ctx context.Context) (int64, error) {
		if editID != 0 {
			return editID, f.ui.svc.UpdateCapture(ctx, editID, nd.Select, nd.Remove, nd.Render)
		}
		return f.ui.svc.AddDocument(ctx, nd)
	}, func(id int64, err error) {
		f.saveBtn.Enable()
		if err != nil {
			f.ui.showError("save the document", err)
			return
		}
		f.onCancelPreview()
		if f.dlg != nil {
			f.dlg.Hide()
		}
		if f.saved != nil {
			f.saved(id)
		}
	})
}
