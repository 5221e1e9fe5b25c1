package report

import (
	"fmt"
	"strconv"
)

// Chapter titles, also the contents entries and top-level bookmarks.
const (
	titleSummary    = "Executive summary"
	titlePlatforms  = "Changes by platform"
	titleChecklist  = "Due-diligence checklist"
	titleMonitoring = "Proof of monitoring"
	titleEvidence   = "Evidence appendix"
	// titleOtherPassages is the appendix of the passages no finding quotes.
	titleOtherPassages = "Other changed passages"
	titleMethodology   = "Methodology and disclaimer"
)

// tocPerPage is how many contents lines fit on a page.
const tocPerPage = 40

// planContents lists the contents entries before anything is laid out, so
// the contents pages take a known number of pages.
func (d *pdfDoc) planContents() {
	add := func(title string, level int) {
		d.toc = append(d.toc, tocEntry{title: title, level: level, link: d.pdf.AddLink()})
	}
	add(titleSummary, 0)
	add(titlePlatforms, 0)
	for _, p := range d.m.Platforms {
		add(p.Name, 1)
	}
	tail := []string{titleChecklist, titleMonitoring, titleEvidence, titleOtherPassages, titleMethodology}
	if d.m.Excerpts == ExcerptsAll {
		tail = []string{titleChecklist, titleMonitoring, titleEvidence, titleMethodology}
	}
	for _, t := range tail {
		add(t, 0)
	}
}

// cover draws the title page.
func (d *pdfDoc) cover() {
	p := d.pdf
	m := d.m
	d.section = "Cover"
	p.AddPage()
	d.fill(colAccent)
	p.Rect(0, 0, pageW, 78, "F")
	d.color(colWhite)
	p.SetFont(fontName, "B", 11)
	p.SetXY(marginL, 22)
	p.CellFormat(contentW, 6, "POLICYWATCH", "", 1, "L", false, 0, "")
	p.SetFont(fontName, "B", 24)
	d.multiAt(marginL, contentW, 11, m.Title)
	p.SetFont(fontName, "", 13)
	d.multiAt(marginL, contentW, 7, "Prepared for "+m.Organisation)
	p.SetXY(marginL, 92)
	audit := fmt.Sprintf("hash chain verified (%d entries)", m.AuditEntries)
	if !m.AuditVerified {
		audit = "NOT verified: " + m.AuditProblem
	}
	d.keyValues([][2]string{
		{"Organisation", m.Organisation},
		{"Period", m.Period},
		{"Filter", m.Scope},
		{"Generated at", m.GeneratedAt.UTC().Format(dateTimeLayout)},
		{"Generator", "PolicyWatch " + m.AppVersion},
		{"Database fingerprint", m.Fingerprint},
		{"Covers", fmt.Sprintf("%s on %s, %s cited", plural(m.Totals.Changes, "change"), plural(m.Totals.Platforms, "platform"),
			plural(m.Totals.VersionsCited, "archived version"))},
		{"Audit log", audit},
	}, 42)
	p.Ln(3)
	d.sealBlock()
	p.SetXY(marginL, pageH-60)
	d.fill(colPanel)
	p.Rect(marginL, pageH-62, contentW, 26, "F")
	p.SetXY(marginL+4, pageH-59)
	p.SetFont(fontName, "B", 9)
	d.color(colAccent)
	p.CellFormat(contentW-8, 5, "Not legal advice", "", 1, "L", false, 0, "")
	p.SetFont(fontName, "", 8.5)
	d.color(colInk)
	d.multiAt(marginL+4, contentW-8, 4.2, "This report is produced automatically from archived platform documents. It flags changes for review by qualified people; it does not state what the law requires of your organisation. See the methodology at the end.")
	d.body()
}

// contents draws the contents pages with aliases for page numbers that
// fillContents resolves once every chapter is laid out.
func (d *pdfDoc) contents() {
	p := d.pdf
	d.section = "Contents"
	p.AddPage()
	p.Bookmark("Contents", 0, -1)
	p.SetFont(fontName, "B", 18)
	d.color(colAccent)
	p.CellFormat(contentW, 10, "Contents", "", 1, "L", false, 0, "")
	p.Ln(4)
	for i, e := range d.toc {
		if i > 0 && i%tocPerPage == 0 {
			p.AddPage()
		}
		indent := 0.0
		if e.level == 0 {
			p.SetFont(fontName, "B", 10)
			d.color(colInk)
			p.Ln(1)
		} else {
			indent = 6
			p.SetFont(fontName, "", 9.5)
			d.color(colInk)
		}
		y := p.GetY()
		p.SetXY(marginL+indent, y)
		title := d.txt(e.title)
		p.CellFormat(contentW-indent-16, 5.5, title, "", 0, "L", false, e.link, "")
		if x := marginL + indent + p.GetStringWidth(title) + 3; x < pageW-marginR-16 { // dotted leader
			d.draw(colRule)
			p.SetDashPattern([]float64{0.4, 1.2}, 0)
			p.Line(x, y+4, pageW-marginR-14, y+4)
			p.SetDashPattern([]float64{}, 0)
		}
		d.toc[i].at = tocSpot{page: p.PageNo(), y: y, bold: e.level == 0}
		p.SetXY(marginL, y+5.5)
	}
	d.body()
}

// fillContents goes back to the contents pages and prints each entry's page
// number, known now that every chapter is laid out. (Page-number aliases
// would cost a scan of every page per entry when the document is written.)
func (d *pdfDoc) fillContents() {
	p := d.pdf
	last := p.PageNo()
	for _, e := range d.toc {
		page := "–"
		if e.page > 0 {
			page = strconv.Itoa(e.page)
		}
		p.SetPage(e.at.page)
		style, size := "", 9.5
		if e.at.bold {
			style, size = "B", 10
		}
		p.SetFont(fontName, style, size+1) // force the font into this page's stream
		p.SetFont(fontName, style, size)
		d.color(colInk)
		p.SetXY(pageW-marginR-12, e.at.y)
		p.CellFormat(12, 5.5, page, "", 0, "R", false, e.link, "")
	}
	p.SetPage(last)
	d.body()
}
