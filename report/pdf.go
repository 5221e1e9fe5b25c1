package report

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/jung-kurt/gofpdf"

	"policywatch/resources"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 18.0
	marginR   = 18.0
	marginT   = 20.0
	marginB   = 18.0
	contentW  = pageW - marginL - marginR
	fontName  = "noto"
	lineH     = 4.6 // body line height at 9.5 pt
	bodySize  = 9.5
	smallSize = 7.5
)

// rgb is a colour.
type rgb struct{ r, g, b int }

// The report's palette. Exposure colours are always paired with the level's
// name, and added/removed text with + and − marks, so print in grey works.
var (
	colInk     = rgb{33, 37, 41}
	colMuted   = rgb{108, 117, 125}
	colAccent  = rgb{31, 78, 121}
	colRule    = rgb{206, 212, 218}
	colPanel   = rgb{241, 243, 245}
	colAdded   = rgb{22, 121, 52}
	colRemoved = rgb{176, 32, 32}
	colWhite   = rgb{255, 255, 255}
	levelColor = map[string]rgb{
		"high":   {192, 41, 43},
		"medium": {204, 112, 0},
		"low":    {41, 98, 155},
		"none":   {134, 142, 150},
	}
)

// pdfDoc renders one model into one gofpdf document.
type pdfDoc struct {
	pdf     *gofpdf.Fpdf
	m       *Model
	ctx     context.Context
	section string // running header text
	glyphs  glyphCache
	toc     []tocEntry
	tocNext int // next toc entry a heading fills
	// done and total count the work for progress reports.
	done, total int
}

// tocEntry is one line of the contents page.
type tocEntry struct {
	title string
	level int
	link  int
	page  int     // the page the entry points at, once laid out
	at    tocSpot // where the entry's page number goes
}

// tocSpot is where a contents entry is printed.
type tocSpot struct {
	page int
	y    float64
	bold bool
}

// WritePDF renders m as a PDF at path, atomically: a failed or cancelled
// export leaves no file (and an existing file at path untouched). It then
// writes path's SHA-256 to <path>.sha256 and, for a model built from an
// archive (not deterministic), logs the report there and signs a checkpoint.
func WritePDF(ctx context.Context, m *Model, path string) error {
	if m == nil {
		return fmt.Errorf("write pdf %s: no report model", path)
	}
	if err := writeAtomic(ctx, path, func(w io.Writer) error { return renderPDF(ctx, m, ctxWriter{ctx, w}) }); err != nil {
		return err
	}
	return m.publish(ctx, path, "pdf")
}

// renderPDF lays the whole report out and writes it to w.
func renderPDF(ctx context.Context, m *Model, w io.Writer) error {
	d, err := newPDFDoc(ctx, m)
	if err != nil {
		return err
	}
	d.planContents()
	d.total = len(m.Changes) + 6 // each change, and the six other chapters
	d.progress()
	d.cover()
	d.contents()
	steps := []func(){d.summary, d.platforms, d.checklist, d.monitoring, d.evidence, d.otherPassages, d.methodology}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		step()
		if err := d.pdf.Error(); err != nil {
			return fmt.Errorf("lay out pdf: %w", err)
		}
	}
	d.fillContents()
	d.pageNumbers()
	d.progress()
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// newPDFDoc creates the document with the embedded fonts, metadata, header
// and footer.
func newPDFDoc(ctx context.Context, m *Model) (*pdfDoc, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	// gofpdf writes into the font slice it is given: clone the embedded bytes.
	pdf.AddUTF8FontFromBytes(fontName, "", bytes.Clone(resources.FontRegular))
	pdf.AddUTF8FontFromBytes(fontName, "B", bytes.Clone(resources.FontBold))
	pdf.AddUTF8FontFromBytes(fontName, "I", bytes.Clone(resources.FontItalic))
	pdf.AddUTF8FontFromBytes(fontName, "BI", bytes.Clone(resources.FontBoldItalic))
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load the report font: %w", err)
	}
	d := &pdfDoc{pdf: pdf, m: m, ctx: ctx, glyphs: newGlyphCache()}
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(m.GeneratedAt)
	pdf.SetModificationDate(m.GeneratedAt)
	pdf.SetTitle(d.txt(m.Title+" — "+m.Organisation), true)
	pdf.SetAuthor(d.txt(m.Organisation), true)
	pdf.SetSubject(d.txt("Changes to platform policies, "+m.Period), true)
	pdf.SetCreator("PolicyWatch "+m.AppVersion, true)
	pdf.SetKeywords(pdfKeywords(m), true)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(true, marginB+4)
	pdf.SetHeaderFuncMode(d.header, false)
	pdf.SetFooterFunc(d.footer)
	pdf.SetFont(fontName, "", bodySize)
	d.color(colInk)
	return d, nil
}

// header draws the running header on every page but the cover.
func (d *pdfDoc) header() {
	if d.pdf.PageNo() == 1 {
		return
	}
	p := d.pdf
	p.SetFont(fontName, "", smallSize)
	d.color(colMuted)
	p.SetXY(marginL, 9)
	p.CellFormat(contentW/2, 4, d.txt("PolicyWatch · "+d.m.Organisation), "", 0, "L", false, 0, "")
	p.CellFormat(contentW/2, 4, d.txt(d.section), "", 0, "R", false, 0, "")
	d.draw(colRule)
	p.SetLineWidth(0.2)
	p.Line(marginL, 14, pageW-marginR, 14)
	p.SetXY(marginL, marginT)
	p.SetFont(fontName, "", bodySize)
	d.color(colInk)
}

// footer draws "Page X of Y" and the report's identity on every page.
func (d *pdfDoc) footer() {
	p := d.pdf
	p.SetFont(fontName, "", smallSize)
	d.color(colMuted)
	d.draw(colRule)
	p.SetLineWidth(0.2)
	p.Line(marginL, pageH-13, pageW-marginR, pageH-13)
	p.SetXY(marginL, pageH-12)
	left := fmt.Sprintf("Generated %s · fingerprint %s · not legal advice", d.m.GeneratedAt.UTC().Format(dateTimeLayout), short(d.m.Fingerprint, 16))
	p.CellFormat(contentW-30, 4, d.txt(left), "", 0, "L", false, 0, "")
	p.SetFont(fontName, "", bodySize)
	d.color(colInk)
}

// pageNumbers prints "Page X of Y" on every page once the page count is
// known. (gofpdf's AliasNbPages would scan and copy every page at output.)
func (d *pdfDoc) pageNumbers() {
	p := d.pdf
	last := p.PageNo()
	p.SetAutoPageBreak(false, 0) // the footer sits below the page-break line
	defer p.SetAutoPageBreak(true, marginB+4)
	for n := 1; n <= last; n++ {
		p.SetPage(n)
		p.SetFont(fontName, "", smallSize+1) // force the font into this page's stream
		p.SetFont(fontName, "", smallSize)
		d.color(colMuted)
		p.SetXY(pageW-marginR-30, pageH-12)
		p.CellFormat(30, 4, fmt.Sprintf("Page %d of %d", n, last), "", 0, "R", false, 0, "")
	}
	p.SetPage(last)
	d.body()
}

// progress reports the writer's progress, if asked.
func (d *pdfDoc) progress() {
	if d.m.progress != nil {
		d.m.progress("pdf", min(d.done, d.total), d.total)
	}
}

func (d *pdfDoc) step() {
	d.done++
	if d.done%10 == 0 || d.done == d.total {
		d.progress()
	}
}

func (d *pdfDoc) color(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) fill(c rgb)  { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) draw(c rgb)  { d.pdf.SetDrawColor(c.r, c.g, c.b) }

func short(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
