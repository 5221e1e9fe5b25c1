package report

import (
	"fmt"
	"strconv"
	"strings"

	"policywatch/tracker"
)

// Chapter titles, also the contents entries and top-level bookmarks.
const (
	titleSummary     = "Executive summary"
	titlePlatforms   = "Changes by platform"
	titleChecklist   = "Due-diligence checklist"
	titleMonitoring  = "Proof of monitoring"
	titleEvidence    = "Evidence appendix"
	titleMethodology = "Methodology and disclaimer"
)

// tableTime formats times in tables whose header says UTC.
const tableTime = "2006-01-02 15:04"

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
	for _, t := range []string{titleChecklist, titleMonitoring, titleEvidence, titleMethodology} {
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
	p.SetX(marginL)
	p.MultiCell(contentW, 11, d.txt(m.Title), "", "L", false)
	p.SetFont(fontName, "", 13)
	p.SetX(marginL)
	p.MultiCell(contentW, 7, d.txt("Prepared for "+m.Organisation), "", "L", false)
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
		{"Covers", fmt.Sprintf("%d changes on %d platforms, %d archived versions cited", m.Totals.Changes, m.Totals.Platforms, m.Totals.VersionsCited)},
		{"Audit log", audit},
	}, 42)
	p.Ln(4)
	d.muted("The database fingerprint is the SHA-256 over the sorted SHA-256 hashes of every archived version this report cites (listed in the evidence appendix): recomputing it from the archive proves the report rests on the same evidence.")
	p.SetXY(marginL, pageH-60)
	d.fill(colPanel)
	p.Rect(marginL, pageH-62, contentW, 26, "F")
	p.SetXY(marginL+4, pageH-59)
	p.SetFont(fontName, "B", 9)
	d.color(colAccent)
	p.CellFormat(contentW-8, 5, "Not legal advice", "", 1, "L", false, 0, "")
	p.SetX(marginL + 4)
	p.SetFont(fontName, "", 8.5)
	d.color(colInk)
	p.MultiCell(contentW-8, 4.2, "This report is produced automatically from archived platform documents. It flags changes for review by qualified people; it does not state what the law requires of your organisation. See the methodology at the end.", "", "L", false)
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

// summary draws the executive summary: figures, charts, top items.
func (d *pdfDoc) summary() {
	m := d.m
	t := m.Totals
	d.chapter(titleSummary)
	d.para(fmt.Sprintf("In the period (%s), PolicyWatch detected %d changes to %d documents of %d platforms: %d substantive and %d cosmetic only. "+
		"%d carry high, %d medium and %d low exposure for %s; %d have no findings. The analysis produced %d findings and %d due-diligence items, "+
		"of which %d are open, %d in progress and %d overdue.",
		m.Period, t.Changes, t.Documents, t.Platforms, t.Substantive, t.Cosmetic, t.High, t.Medium, t.Low, m.Organisation, t.None,
		t.Findings, t.Items, t.OpenItems, t.InProgressItems, t.OverdueItems))
	d.para(fmt.Sprintf("Monitoring ran %d checks on the documents in scope, %d of which failed and archived nothing (see proof of monitoring).", t.Checks, t.FailedChecks))
	d.pdf.Ln(3)
	d.tiles([][2]string{
		{strconv.Itoa(t.Changes), "changes"},
		{strconv.Itoa(t.High), "high exposure"},
		{strconv.Itoa(t.OpenItems + t.InProgressItems), "open items"},
		{strconv.Itoa(t.OverdueItems), "overdue items"},
	})
	d.label("Changes by exposure")
	d.barChart(m.ByExposure)
	d.label("Changes by platform and exposure")
	d.platformChart()
	if len(m.ByJurisdiction) > 0 {
		d.label("Changes by jurisdiction flagged")
		d.barChart(m.ByJurisdiction)
	}
	d.ensure(40)
	d.label("Top high-exposure changes")
	if len(m.Top) == 0 {
		d.para("No change in this report carries high exposure.")
	} else {
		var rows [][]string
		for _, c := range m.Top {
			rows = append(rows, []string{"#" + strconv.FormatInt(c.ID, 10), c.DetectedAt.UTC().Format(dateLayout),
				c.PlatformName + " · " + tracker.KindTitle(c.Kind), categoryList(c.Categories, 6), clip(c.Summary, 220)})
		}
		d.table([]column{{"Change", 14, "L"}, {"Detected", 19, "L"}, {"Document", 34, "L"}, {"Categories", 38, "L"}, {"Summary", contentW - 105, "L"}}, rows, nil)
	}
	d.step()
}

// tiles draws key figures as boxes.
func (d *pdfDoc) tiles(figs [][2]string) {
	p := d.pdf
	d.ensure(22)
	gap := 4.0
	w := (contentW - gap*float64(len(figs)-1)) / float64(len(figs))
	y := p.GetY()
	for i, f := range figs {
		x := marginL + float64(i)*(w+gap)
		d.fill(colPanel)
		p.Rect(x, y, w, 18, "F")
		p.SetXY(x, y+2)
		p.SetFont(fontName, "B", 16)
		d.color(colAccent)
		p.CellFormat(w, 8, f[0], "", 0, "C", false, 0, "")
		p.SetXY(x, y+10.5)
		p.SetFont(fontName, "", 8)
		d.color(colMuted)
		p.CellFormat(w, 5, d.txt(f[1]), "", 0, "C", false, 0, "")
	}
	d.body()
	p.SetXY(marginL, y+22)
}

// barChart draws horizontal bars drawn with rectangles.
func (d *pdfDoc) barChart(bars []Count) {
	const barH, gap, labelW, max = 5.0, 1.6, 38.0, 14
	p := d.pdf
	if len(bars) > max {
		bars = bars[:max]
	}
	top := 1
	for _, b := range bars {
		if b.N > top {
			top = b.N
		}
	}
	d.ensure(float64(len(bars))*(barH+gap) + 4)
	scale := (contentW - labelW - 16) / float64(top)
	y := p.GetY()
	for _, b := range bars {
		p.SetFont(fontName, "", 8)
		d.color(colInk)
		p.SetXY(marginL, y)
		p.CellFormat(labelW, barH, d.txt(clip(b.Label, 28)), "", 0, "L", false, 0, "")
		c := colAccent
		if b.Level != "" {
			c = levelColor[b.Level]
		}
		d.fill(c)
		if b.N > 0 {
			p.Rect(marginL+labelW, y+0.6, float64(b.N)*scale, barH-1.2, "F")
		}
		p.SetXY(marginL+labelW+float64(b.N)*scale+1.5, y)
		p.CellFormat(14, barH, strconv.Itoa(b.N), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	d.draw(colRule)
	p.Line(marginL+labelW, p.GetY(), marginL+labelW, y)
	d.body()
	p.SetXY(marginL, y+2)
}

// platformChart draws one stacked bar per platform, split by exposure.
func (d *pdfDoc) platformChart() {
	const barH, gap, labelW, max = 5.0, 1.6, 38.0, 14
	p := d.pdf
	levels := []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow, tracker.ExposureNone}
	type row struct {
		name   string
		counts map[string]int
		total  int
	}
	var rows []row
	for _, ps := range d.m.Platforms {
		r := row{name: ps.Name, counts: map[string]int{}}
		for _, c := range ps.Changes {
			lvl := c.Exposure
			if tracker.ExposureRank(lvl) <= 0 {
				lvl = tracker.ExposureNone
			}
			r.counts[lvl]++
			r.total++
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		d.para("No changes in this period.")
		return
	}
	more := 0
	if len(rows) > max {
		more = len(rows) - max
		rows = rows[:max]
	}
	top := 1
	for _, r := range rows {
		top = maxInt(top, r.total)
	}
	d.ensure(float64(len(rows))*(barH+gap) + 12)
	scale := (contentW - labelW - 16) / float64(top)
	y := d.pdf.GetY()
	for _, r := range rows {
		p.SetFont(fontName, "", 8)
		d.color(colInk)
		p.SetXY(marginL, y)
		p.CellFormat(labelW, barH, d.txt(clip(r.name, 28)), "", 0, "L", false, 0, "")
		x := marginL + labelW
		for _, lvl := range levels {
			if n := r.counts[lvl]; n > 0 {
				d.fill(levelColor[lvl])
				p.Rect(x, y+0.6, float64(n)*scale, barH-1.2, "F")
				x += float64(n) * scale
			}
		}
		p.SetXY(x+1.5, y)
		p.CellFormat(14, barH, strconv.Itoa(r.total), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	// legend
	x := marginL + labelW
	p.SetFont(fontName, "", 7.5)
	for _, lvl := range levels {
		d.fill(levelColor[lvl])
		p.Rect(x, y+1.2, 3, 3, "F")
		p.SetXY(x+4, y)
		d.color(colMuted)
		p.CellFormat(18, 5.4, lvl, "", 0, "L", false, 0, "")
		x += 24
	}
	if more > 0 {
		p.SetXY(x+4, y)
		p.CellFormat(60, 5.4, fmt.Sprintf("and %d more platforms (see the contents)", more), "", 0, "L", false, 0, "")
	}
	d.body()
	p.SetXY(marginL, y+8)
}

// categoryList joins at most n categories, saying how many more there are.
func categoryList(cats []string, n int) string {
	if len(cats) <= n {
		return strings.Join(cats, ", ")
	}
	return strings.Join(cats[:n], ", ") + fmt.Sprintf(" and %d more", len(cats)-n)
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// checklist draws every due-diligence item with its status box.
func (d *pdfDoc) checklist() {
	m := d.m
	t := m.Totals
	d.chapter(titleChecklist)
	d.para(fmt.Sprintf("%d items: %d open, %d in progress, %d done, %d not applicable; %d overdue (due before %s and not done). "+
		"Items are generated from each finding's category and tracked in PolicyWatch, where every status change is written to the audit log.",
		t.Items, t.OpenItems, t.InProgressItems, t.DoneItems, t.NotApplicable, t.OverdueItems, m.GeneratedAt.UTC().Format(dateLayout)))
	d.pdf.Ln(1)
	d.statusLegend()
	if len(m.Checklist) == 0 {
		d.para("No checklist items: no change in this report has findings.")
		d.step()
		return
	}
	rows := make([][]string, 0, len(m.Checklist))
	for _, it := range m.Checklist {
		due := orText(it.DueDate, "–")
		if it.Overdue {
			due += " (overdue)"
		}
		rows = append(rows, []string{it.Status, it.Text, it.PlatformName + " · " + tracker.KindTitle(it.Kind) + " · #" + strconv.FormatInt(it.ChangeID, 10),
			orText(it.Owner, "–"), due})
	}
	overdue := levelColor[tracker.ExposureHigh]
	d.table([]column{{"Status", 27, "L"}, {"Item", 78, "L"}, {"Change", 34, "L"}, {"Owner", 17, "L"}, {"Due", contentW - 156, "L"}}, rows,
		func(r, c int) cellStyle {
			switch c {
			case 0:
				return cellStyle{status: m.Checklist[r].Status}
			case 4:
				if m.Checklist[r].Overdue {
					return cellStyle{bold: true, color: &overdue}
				}
			}
			return cellStyle{}
		})
	d.step()
}

// statusLegend explains the drawn status boxes.
func (d *pdfDoc) statusLegend() {
	p := d.pdf
	d.ensure(8)
	x, y := marginL, p.GetY()
	p.SetFont(fontName, "", 8)
	for _, s := range tracker.Statuses {
		d.statusBox(x, y+0.8, 3.2, s)
		p.SetXY(x+4.5, y)
		d.color(colInk)
		p.CellFormat(28, 5, s, "", 0, "L", false, 0, "")
		x += 34
	}
	d.body()
	p.SetXY(marginL, y+8)
}

// monitoring draws the proof-of-monitoring table and the failed checks.
func (d *pdfDoc) monitoring() {
	m := d.m
	d.chapter(titleMonitoring)
	d.para(fmt.Sprintf("Every check of a document in scope during the period (%s). A check either archives a new version, records that the text is unchanged "+
		"(a verification, with the hash of the text seen), or fails with a reason and archives nothing, so a page that failed to load never reads as a deleted policy.", m.Period))
	d.pdf.Ln(1)
	if len(m.Monitoring) == 0 {
		d.para("No document in scope was tracked or checked in this period.")
		d.step()
		return
	}
	rows := make([][]string, 0, len(m.Monitoring))
	notes := make([]string, 0, len(m.Monitoring))
	for _, mon := range m.Monitoring {
		first, last := "–", "–"
		if !mon.First.IsZero() {
			first, last = mon.First.UTC().Format(tableTime), mon.Last.UTC().Format(tableTime)
		}
		rows = append(rows, []string{mon.PlatformName + " · " + tracker.KindTitle(mon.Kind) + "\n" + mon.URL,
			strconv.Itoa(mon.Checks), strconv.Itoa(mon.Failures), orText(mon.Reasons, "–"), first, last})
		notes = append(notes, "SHA-256 of the text at the first successful check  "+orText(mon.FirstHash, "(none)")+
			"\nSHA-256 of the text at the last successful check  "+orText(mon.LastHash, "(none)"))
	}
	failed := levelColor[tracker.ExposureHigh]
	d.tableNotes([]column{{"Document", 62, "L"}, {"Checks", 13, "R"}, {"Failed", 13, "R"}, {"Failure reasons", 30, "L"},
		{"First check (UTC)", 28, "L"}, {"Last check (UTC)", contentW - 146, "L"}}, rows, notes, func(r, c int) cellStyle {
		if c == 2 && m.Monitoring[r].Failures > 0 {
			return cellStyle{bold: true, color: &failed}
		}
		return cellStyle{}
	})
	var fails [][]string
	for _, mon := range m.Monitoring {
		for _, e := range mon.FailedChecks {
			fails = append(fails, []string{e.At.UTC().Format(tableTime), mon.PlatformName + " · " + tracker.KindTitle(mon.Kind),
				orText(e.Reason, "unknown"), clip(e.Detail, 300)})
		}
	}
	if len(fails) > 0 {
		d.label("Failed checks")
		const maxFails = 300
		if len(fails) > maxFails {
			d.muted(fmt.Sprintf("The first %d of %d failed checks; the XLSX export and `policywatch history` list them all.", maxFails, len(fails)))
			fails = fails[:maxFails]
		}
		d.table([]column{{"At (UTC)", 26, "L"}, {"Document", 42, "L"}, {"Reason", 24, "L"}, {"Detail", contentW - 92, "L"}}, fails, nil)
	}
	d.step()
}

// evidence lists every version cited.
func (d *pdfDoc) evidence() {
	m := d.m
	p := d.pdf
	d.chapter(titleEvidence)
	d.para("Every archived version the changes in this report compare. The SHA-256 is computed over the version's normalised text as archived; " +
		"the raw bytes as served are archived alongside it. Recompute the fingerprint on the cover from these hashes.")
	p.Ln(2)
	for i, v := range m.Evidence {
		if i%50 == 0 {
			if err := d.ctx.Err(); err != nil {
				return
			}
		}
		d.ensure(20)
		p.SetFont(fontName, "B", 9)
		d.color(colAccent)
		title := fmt.Sprintf("Version #%d · %s · %s", v.ID, v.PlatformName, tracker.KindTitle(v.Kind))
		p.SetX(marginL)
		p.CellFormat(contentW, 4.8, d.txt(title), "", 1, "L", false, 0, "")
		p.SetFont(fontName, "", 7.8)
		d.color(colInk)
		cites := make([]string, len(v.CitedBy))
		for j, id := range v.CitedBy {
			cites[j] = "#" + strconv.FormatInt(id, 10)
		}
		meta := fmt.Sprintf("Fetched %s · stated date %s · HTTP %d · %s · %d bytes of text · cited by change %s",
			v.FetchedAt.UTC().Format(dateTimeLayout), orText(v.StatedDate, "none stated"), v.HTTPStatus, v.Source, v.Bytes, strings.Join(cites, ", "))
		p.SetX(marginL)
		p.MultiCell(contentW, 3.7, d.txt("URL "+v.URL), "", "L", false)
		p.SetX(marginL)
		p.MultiCell(contentW, 3.7, d.txt(meta), "", "L", false)
		p.SetX(marginL)
		p.CellFormat(contentW, 3.7, "SHA-256 "+v.SHA256, "", 1, "L", false, 0, "")
		d.draw(colRule)
		p.Line(marginL, p.GetY()+1, pageW-marginR, p.GetY()+1)
		p.Ln(2.5)
	}
	if len(m.Evidence) == 0 {
		d.para("No versions are cited: the report contains no changes.")
	}
	d.body()
	d.step()
}

// methodology explains how the report was made and what it is not.
func (d *pdfDoc) methodology() {
	m := d.m
	d.chapter(titleMethodology)
	d.label("How the evidence was collected")
	d.para("PolicyWatch fetches each tracked document over HTTP with a clear User-Agent, extracts the policy text with the document's CSS selectors, " +
		"normalises it to Markdown-like text and hashes it with SHA-256. A new hash archives a new version with the raw bytes as served, the URL, " +
		"the HTTP status, the time fetched and any effective date the text states; the same hash records a verification. Pages that fail to load, " +
		"are blocked, or extract to near-empty text are recorded as failed checks and never become versions. Versions imported from Open Terms Archive keep their original dates.")
	d.label("How changes were analysed")
	d.para("Consecutive versions are compared block by block (headings, paragraphs, list items) and word by word inside changed blocks; edits of whitespace, " +
		"punctuation, quotes or a bare date are marked cosmetic. Substantive passages are matched against PolicyWatch's rules file, which defines each " +
		"category with its signal phrases, the provisions it engages (framework, exact citation, title) per jurisdiction, and checklist templates. " +
		"Exposure (low, medium, high) is set per finding from the category and the organisation profile below, with a written rationale; a change's exposure is its highest finding's.")
	d.label("Organisation profile applied")
	pr := m.Profile
	juris := strings.Join(pr.Jurisdictions, ", ")
	if juris == "" {
		juris = "none set: every jurisdiction is flagged"
	}
	d.keyValues([][2]string{
		{"Organisation", m.Organisation},
		{"Jurisdictions", juris},
		{"Role", orText(pr.Role, "controller")},
		{"Serves children", yesNo(pr.ServesChildren)},
		{"Health data", yesNo(pr.HealthData)},
		{"Financial data", yesNo(pr.FinancialData)},
		{"Advertises", yesNo(pr.Advertises)},
		{"Negotiated B2B terms", yesNo(pr.B2BNegotiated)},
	}, 42)
	d.label("Integrity")
	audit := fmt.Sprintf("The audit log's hash chain was verified when this report was built: %d entries, %d of them in the period.", m.AuditEntries, m.Totals.AuditInPeriod)
	if !m.AuditVerified {
		audit = "The audit log's hash chain did NOT verify when this report was built: " + m.AuditProblem + "."
	}
	d.para(audit + " Reports are written to a temporary file and renamed into place only when complete. " +
		"Characters the embedded font cannot show (such as arrows or CJK text) are replaced in this PDF by ASCII stand-ins or '?'; the XLSX export and the archive keep the exact text. " +
		"Excerpts show at most the first passages of each change; the archive holds the full texts.")
	d.label("Disclaimer")
	d.pdf.SetFont(fontName, "B", bodySize)
	d.para("This report is not legal advice.")
	d.body()
	d.para("It is generated automatically to help qualified people decide what to review. Classifications, exposure levels, jurisdiction flags, citations " +
		"and checklist items come from rules and may miss or misjudge a change; they do not state what the law requires of your organisation in a given case. " +
		"Read the archived documents themselves and take advice from counsel before acting.")
	d.step()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
