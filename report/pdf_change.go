package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"policywatch/report/record"
	"policywatch/tracker"
)

// platforms draws one section per platform: a timeline, then every change's
// full analysis record.
func (d *pdfDoc) platforms() {
	d.chapter(titlePlatforms)
	d.para(fmt.Sprintf("%s changed documents in the period. Each section opens with a timeline of the platform's changes and then gives each change's full analysis record, "+
		"with each finding's sentence before and after the change: removed words in red and struck through, added words in green and underlined.", plural(len(d.m.Platforms), "platform")))
	if len(d.m.Platforms) == 0 {
		d.para("No changes match the report's filter.")
	}
	for i, ps := range d.m.Platforms {
		if err := d.ctx.Err(); err != nil {
			return
		}
		d.section = ps.Name // before the page break, so the new page's header names it
		if i > 0 {
			d.pdf.AddPage()
		}
		d.heading(ps.Name, 1)
		d.pdf.SetFont(fontName, "", 8.5)
		d.color(colMuted)
		d.pdf.CellFormat(contentW, 4.5, d.txt(fmt.Sprintf("%s · highest exposure %s", plural(len(ps.Changes), "change"), ps.Exposure)), "", 1, "L", false, 0, "")
		d.body()
		d.timeline(ps)
		for _, c := range ps.Changes {
			if err := d.ctx.Err(); err != nil {
				return
			}
			d.change(c)
			d.step()
		}
	}
}

// timeline draws the platform's changes on a time axis, then lists them.
// Marker labels go on up to three rows above the axis so that none prints
// over another; a label with no room is left out (the table names them all).
func (d *pdfDoc) timeline(ps *PlatformSection) {
	p := d.pdf
	start, end := d.m.Filter.Since, d.m.Filter.Until
	for _, c := range ps.Changes {
		if start.IsZero() || c.DetectedAt.Before(start) {
			start = c.DetectedAt
		}
		if end.IsZero() || c.DetectedAt.After(end) {
			end = c.DetectedAt
		}
	}
	if !end.After(start) {
		start, end = start.Add(-24*time.Hour), end.Add(24*time.Hour)
	}
	const rows, rowH = 3, 3.2
	d.ensure(36)
	y := p.GetY() + 2 + rows*rowH + 1.5
	x0, x1 := marginL+4, pageW-marginR-4
	d.draw(colMuted)
	p.SetLineWidth(0.4)
	p.Line(x0, y, x1, y)
	p.Line(x0, y-1.5, x0, y+1.5)
	p.Line(x1, y-1.5, x1, y+1.5)
	span := end.Sub(start).Seconds()
	rowEnd := make([]float64, rows) // right edge of the last label on each row
	for i := range rowEnd {
		rowEnd[i] = -1e9
	}
	p.SetFont(fontName, "", 6.5)
	for _, c := range ps.Changes {
		x := x0 + (x1-x0)*c.DetectedAt.Sub(start).Seconds()/span
		lvl := c.Exposure
		if tracker.ExposureRank(lvl) <= 0 {
			lvl = tracker.ExposureNone
		}
		d.fill(levelColor[lvl])
		p.Circle(x, y, 1.6, "F")
		label := "#" + strconv.FormatInt(c.ID, 10)
		w := p.GetStringWidth(label) + 1
		lx := min(max(x-w/2, marginL), pageW-marginR-w)
		for r := 0; r < rows; r++ {
			if lx > rowEnd[r]+0.8 {
				rowEnd[r] = lx + w
				d.color(colMuted)
				ly := y - 2.2 - float64(r+1)*rowH
				p.SetXY(lx, ly)
				p.CellFormat(w, rowH, label, "", 0, "C", false, 0, "")
				if r > 0 {
					d.draw(colRule)
					p.SetLineWidth(0.15)
					p.Line(x, ly+rowH, x, y-1.8)
					p.SetLineWidth(0.4)
				}
				break
			}
		}
	}
	p.SetFont(fontName, "", 7)
	d.color(colMuted)
	p.SetXY(x0-4, y+2.5)
	p.CellFormat(40, 4, start.UTC().Format(dateLayout), "", 0, "L", false, 0, "")
	p.SetXY(x1-36, y+2.5)
	p.CellFormat(40, 4, end.UTC().Format(dateLayout), "", 0, "R", false, 0, "")
	p.SetLineWidth(0.2)
	p.SetXY(marginL, y+9)
	d.body()
	rows2 := make([][]string, 0, len(ps.Changes))
	for _, c := range ps.Changes {
		kind := "cosmetic"
		if c.Substantive {
			kind = orText(categoryList(c.View.CategoryNames(), 6), "substantive, no category matched")
		}
		rows2 = append(rows2, []string{c.DetectedAt.UTC().Format(dateLayout), "#" + strconv.FormatInt(c.ID, 10), tracker.KindTitle(c.Kind), "", kind})
	}
	d.table([]column{{"Detected", 20, "L"}, {"Change", 14, "L"}, {"Document", 34, "L"}, {"Exposure", 18, "L"}, {"Categories", contentW - 86, "L"}}, rows2,
		func(r, col int) cellStyle {
			if col == 3 {
				return cellStyle{level: orText(ps.Changes[r].Exposure, tracker.ExposureNone)}
			}
			return cellStyle{}
		})
}

// labelW is the width of the Before/After labels of evidence lines.
const labelW = 14.0

// change draws one change's full analysis record, section by section in
// the record's order.
func (d *pdfDoc) change(c *Change) {
	p := d.pdf
	d.ensure(40)
	p.Ln(3)
	title := fmt.Sprintf("Change #%d · %s · %s", c.ID, tracker.KindTitle(c.Kind), c.DetectedAt.UTC().Format(dateLayout))
	p.Bookmark(d.txt(title), 2, -1)
	d.draw(colAccent)
	p.SetLineWidth(0.5)
	p.Line(marginL, p.GetY(), pageW-marginR, p.GetY())
	p.Ln(1.5)
	y := p.GetY()
	p.SetFont(fontName, "B", 11.5)
	d.color(colInk)
	p.SetXY(marginL, y)
	p.CellFormat(contentW-24, 6, d.txt(title), "", 0, "L", false, 0, "")
	d.badge(pageW-marginR-22, y+0.8, orText(c.Exposure, tracker.ExposureNone))
	p.SetXY(marginL, y+6.5)
	reviewed := "not yet reviewed"
	if !c.ReviewedAt.IsZero() {
		reviewed = "reviewed " + c.ReviewedAt.UTC().Format(dateLayout) + " by " + c.ReviewedBy
	}
	d.muted(fmt.Sprintf("%s · version #%d (%s, sha256 %s) → #%d (%s, sha256 %s) · +%d / −%d words · %s",
		c.DocumentURL, c.From.ID, c.From.FetchedAt.UTC().Format(dateLayout), short(c.From.SHA256, 12),
		c.To.ID, c.To.FetchedAt.UTC().Format(dateLayout), short(c.To.SHA256, 12), c.AddedWords, c.RemovedWords, reviewed))
	for _, s := range record.Sections {
		if err := d.ctx.Err(); err != nil {
			return
		}
		d.recordSection(c, s)
	}
}

// recordSection draws one section of a change's record.
func (d *pdfDoc) recordSection(c *Change, s record.Section) {
	p := d.pdf
	v := c.View
	title := s.Title()
	if s == record.SectionExposure {
		title += ": " + orText(c.Exposure, tracker.ExposureNone)
	}
	empty := v.Empty(s)
	switch s {
	case record.SectionLandscape, record.SectionFlags, record.SectionContract, record.SectionCompliance, record.SectionOthers:
		if empty != "" && (s != record.SectionOthers || len(c.Peers) == 0) {
			return // nothing to say: the section is left out of the PDF
		}
	case record.SectionChecklist:
		if empty != "" {
			return
		}
	case record.SectionPassages:
		if len(v.FlaggedFirst()) == 0 {
			return
		}
	}
	d.label(title)
	if empty != "" && s != record.SectionOthers {
		d.para(empty)
		if s == record.SectionFindings {
			d.setAside(v.SetAside)
		}
		return
	}
	switch s {
	case record.SectionSummary:
		d.para(v.Summary)
	case record.SectionLandscape:
		for _, pv := range v.Landscape {
			// The label in bold, then why it matters.
			d.ensure(9)
			p.SetFont(fontName, "B", 8.8)
			p.SetX(marginL)
			head := pv.Label + " — " + pv.Title
			if len(pv.Jurisdictions) > 0 {
				head += " (" + strings.Join(pv.Jurisdictions, ", ") + ")"
			}
			d.multi(contentW, 4.3, head)
			if pv.Why != "" {
				p.SetX(marginL + 4)
				p.SetFont(fontName, "", 8.5)
				d.multiAt(marginL+4, contentW-4, 4.1, pv.Why)
			}
		}
		d.body()
	case record.SectionExposure:
		d.para(v.Rationale)
	case record.SectionFindings:
		for i, f := range v.Findings {
			d.finding(i+1, f)
		}
		d.setAside(v.SetAside)
	case record.SectionFlags:
		rows := make([][]string, 0, len(v.Flags))
		for _, f := range v.Flags {
			rows = append(rows, []string{f.Code, "", strings.Join(f.Categories, "; "), strings.Join(f.Frameworks, ", ")})
		}
		d.table([]column{{"Jurisdiction", 22, "L"}, {"Exposure", 18, "L"}, {"Categories", 80, "L"}, {"Frameworks", contentW - 120, "L"}}, rows,
			func(r, col int) cellStyle {
				if col == 1 {
					return cellStyle{level: v.Flags[r].Exposure}
				}
				return cellStyle{}
			})
	case record.SectionContract:
		d.bullets(v.Contract)
	case record.SectionCompliance:
		d.bullets(v.Compliance)
	case record.SectionChecklist:
		for _, it := range v.Checklist {
			d.ensure(6)
			y := p.GetY()
			d.statusBox(marginL+0.5, y+0.7, 3.2, it.Status)
			d.multiAt(marginL+6, contentW-6, lineH, it.Text)
			meta := fmt.Sprintf("item #%d · %s · %s · owner %s · due %s", it.ID, it.CategoryName, orText(it.Status, tracker.StatusOpen),
				orText(it.Owner, "–"), orText(it.Due, "–"))
			if it.Note != "" {
				meta += " · note: " + it.Note
			}
			p.SetFont(fontName, "", 7.5)
			d.color(colMuted)
			if it.Overdue {
				meta += " · overdue"
				d.color(levelColor[tracker.ExposureHigh])
			}
			for _, line := range d.wrap(d.txt(meta), contentW-6) {
				p.SetX(marginL + 6)
				p.CellFormat(contentW-6, 3.6, line, "", 1, "L", false, 0, "")
			}
			d.body()
			p.Ln(0.6)
		}
	case record.SectionOthers:
		var lines []string
		for _, o := range v.Others {
			lines = append(lines, fmt.Sprintf("%s — %s %s (version #%d of %s, sha256 %s…): “%s”", o.CategoryName, o.Platform,
				tracker.KindTitle(o.Kind), o.VersionID, o.FetchedAt.UTC().Format(dateLayout), shortHash(o.SHA256), clip(o.Quote, 600)))
		}
		for _, pe := range c.Peers {
			lines = append(lines, fmt.Sprintf("%s: %s %s in this report (change #%d, %s, %s exposure).", record.CategoryName(d.m.Rules, pe.Category), pe.Platform,
				directionVerb(pe.Direction), pe.ChangeID, pe.Date.UTC().Format(dateLayout), pe.Exposure))
		}
		if len(lines) == 0 {
			d.para(empty)
		}
		d.bullets(lines)
	case record.SectionPassages:
		d.passages(c)
	}
}

// finding draws one finding: its category and direction, then the sentence
// before and after the change.
func (d *pdfDoc) finding(n int, f record.Finding) {
	p := d.pdf
	d.ensure(14)
	p.SetFont(fontName, "B", 8.8)
	d.color(colInk)
	head := fmt.Sprintf("%d. %s · %s · %s exposure", n, f.CategoryName, f.Direction, f.Exposure)
	if f.Effect != "" && f.Effect != "changes" {
		head += " · " + strings.ReplaceAll(f.Effect, "-", " ")
	}
	if f.Heading != "" {
		head += " · under “" + f.Heading + "”"
	}
	d.multiAt(marginL, contentW, 4.3, head)
	var links []record.Link
	o := flowOpts{size: 8.5, lh: 4.1, markWords: true}
	d.evidenceLine("Before", f.Before, "(not in the previous version)", o, &links)
	d.evidenceLine("After", f.After, "(removed)", o, &links)
	if f.Explanation != "" {
		d.pdf.SetFont(fontName, "I", 8.2)
		d.color(colMuted)
		d.multiAt(marginL+labelW, contentW-labelW, 3.9, f.Explanation)
		d.body()
	}
	d.linkNotes(links, marginL+labelW)
	d.pdf.Ln(1)
}

// evidenceLine prints a label in the margin and spans beside it.
func (d *pdfDoc) evidenceLine(label string, spans []record.Span, empty string, o flowOpts, links *[]record.Link) {
	p := d.pdf
	d.ensure(o.lh + 0.5)
	y := p.GetY()
	p.SetFont(fontName, "B", 7)
	d.color(colMuted)
	p.SetXY(marginL+2, y)
	p.CellFormat(labelW-2, o.lh, label, "", 0, "L", false, 0, "")
	p.SetXY(marginL+labelW, y)
	if len(spans) == 0 {
		p.SetFont(fontName, "I", o.size)
		p.CellFormat(contentW-labelW, o.lh, empty, "", 1, "L", false, 0, "")
		d.body()
		return
	}
	d.flow(spans, marginL+labelW, contentW-labelW, o, links)
}

// passages prints the change's changed passages: the flagged ones first,
// then, with ExcerptsAll, every other one; with ExcerptsFlagged the others
// are in the appendix.
func (d *pdfDoc) passages(c *Change) {
	v := c.View
	order := v.FlaggedFirst()
	others := 0
	for _, i := range order {
		pg := v.Passages[i]
		if !pg.Flagged && d.m.Excerpts != ExcerptsAll {
			others++
			continue
		}
		d.passage(pg)
	}
	var notes []string
	if others > 0 {
		notes = append(notes, fmt.Sprintf("%s that no finding quotes %s printed in full in the appendix “%s”.",
			plural(others, "other changed passage"), map[bool]string{true: "is", false: "are"}[others == 1], titleOtherPassages))
	}
	if n := len(v.Cosmetic()); n > 0 {
		notes = append(notes, fmt.Sprintf("%s (whitespace, punctuation, quotes, link targets, dates, moves) %s not shown.",
			plural(n, "cosmetic edit"), map[bool]string{true: "is", false: "are"}[n == 1]))
	}
	if len(notes) > 0 {
		d.muted(strings.Join(notes, " "))
	}
}

// passage prints one changed passage: its heading path, whether a finding
// quotes it, then sentence by sentence, each changed one before and after.
func (d *pdfDoc) passage(pg record.Passage) {
	p := d.pdf
	d.ensure(12)
	p.Ln(0.8)
	head := orText(pg.Heading, "(top of the document)")
	if pg.Flagged {
		head += "  ·  quoted by: " + strings.Join(pg.Categories, "; ")
	}
	p.SetFont(fontName, "I", 7.8)
	d.color(colMuted)
	d.multiAt(marginL, contentW, 3.8, head)
	var links []record.Link
	mark := flowOpts{size: 8.5, lh: 4.1, markWords: true}
	for _, s := range pg.Sentences {
		switch {
		case !s.Changed:
			d.evidenceLine("", s.After, "", flowOpts{size: 8.5, lh: 4.1, muted: true}, &links)
		case s.Before == nil:
			d.evidenceLine("Added", s.After, "", flowOpts{size: 8.5, lh: 4.1}, &links)
		case s.After == nil:
			d.evidenceLine("Removed", s.Before, "", flowOpts{size: 8.5, lh: 4.1}, &links)
		default:
			d.evidenceLine("Before", s.Before, "", mark, &links)
			d.evidenceLine("After", s.After, "", mark, &links)
		}
	}
	d.linkNotes(links, marginL+labelW)
}

// otherPassages is the appendix of the changed passages no finding quotes
// (ExcerptsFlagged), change by change.
func (d *pdfDoc) otherPassages() {
	if d.m.Excerpts == ExcerptsAll {
		return
	}
	d.chapter(titleOtherPassages)
	d.para("Every changed passage of the report's changes that no finding quotes, in full, change by change in the order of the report. " +
		"Each changed sentence is printed before and after the change: removed words in red and struck through, added words in green and underlined.")
	any := false
	for _, c := range d.m.Changes {
		if err := d.ctx.Err(); err != nil {
			return
		}
		var idx []int
		for _, i := range c.View.FlaggedFirst() {
			if !c.View.Passages[i].Flagged {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		any = true
		d.ensure(20)
		d.pdf.Ln(2)
		d.pdf.SetFont(fontName, "B", 10)
		d.color(colAccent)
		d.multiAt(marginL, contentW, 5, fmt.Sprintf("Change #%d · %s · %s · %s — %s", c.ID, c.PlatformName, tracker.KindTitle(c.Kind),
			c.DetectedAt.UTC().Format(dateLayout), plural(len(idx), "passage")))
		d.body()
		for _, i := range idx {
			d.passage(c.View.Passages[i])
		}
	}
	if !any {
		d.para("Every changed passage of this report is quoted by a finding and printed with its change.")
	}
	d.step()
}

// multi prints wrapped text at the cursor's x with the current font.
func (d *pdfDoc) multi(w, lh float64, s string) {
	d.multiAt(d.pdf.GetX(), w, lh, s)
}

// multiAt prints wrapped text from x over w with the current font, lines
// broken by wrap (long addresses break after a slash or dot, not anywhere).
func (d *pdfDoc) multiAt(x, w, lh float64, s string) {
	p := d.pdf
	for _, line := range d.wrap(d.txt(s), w) {
		d.ensure(lh)
		p.SetX(x)
		p.CellFormat(w, lh, line, "", 1, "L", false, 0, "")
	}
}

// directionVerb phrases a finding's direction for the peer comparison.
func directionVerb(dir string) string {
	switch dir {
	case "added":
		return "added such provisions"
	case "removed":
		return "removed such provisions"
	}
	return "changed such provisions"
}

// shortHash is the first 12 hex digits of a SHA-256, for inline citations.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// clip keeps the first n runes of s, at a word boundary, adding "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// setAside lists the readings the word model set aside, after a change's
// findings.
func (d *pdfDoc) setAside(lines []string) {
	if len(lines) == 0 {
		return
	}
	d.para(record.SetAsideNote)
	d.bullets(lines)
}
