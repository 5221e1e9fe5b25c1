package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"policywatch/tracker"
)

// platforms draws one section per platform: a timeline, then every change's
// full analysis record.
func (d *pdfDoc) platforms() {
	d.chapter(titlePlatforms)
	d.para(fmt.Sprintf("%s changed documents in the period. Each section opens with a timeline of the platform's changes and then gives each change's full analysis record.", plural(len(d.m.Platforms), "platform")))
	if len(d.m.Platforms) == 0 {
		d.para("No changes match the report's filter.")
	}
	for i, ps := range d.m.Platforms {
		if err := d.ctx.Err(); err != nil {
			return
		}
		if i > 0 {
			d.pdf.AddPage()
		}
		d.section = ps.Name
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
	d.ensure(30)
	y := p.GetY() + 6
	x0, x1 := marginL+4, pageW-marginR-4
	d.draw(colMuted)
	p.SetLineWidth(0.4)
	p.Line(x0, y, x1, y)
	p.Line(x0, y-1.5, x0, y+1.5)
	p.Line(x1, y-1.5, x1, y+1.5)
	span := end.Sub(start).Seconds()
	for _, c := range ps.Changes {
		x := x0 + (x1-x0)*c.DetectedAt.Sub(start).Seconds()/span
		lvl := c.Exposure
		if tracker.ExposureRank(lvl) <= 0 {
			lvl = tracker.ExposureNone
		}
		d.fill(levelColor[lvl])
		p.Circle(x, y, 1.6, "F")
		if len(ps.Changes) <= 12 { // few enough to name each marker
			p.SetFont(fontName, "", 6.5)
			d.color(colMuted)
			label := "#" + strconv.FormatInt(c.ID, 10)
			w := p.GetStringWidth(label)
			p.SetXY(x-w/2-1, y-5.6)
			p.CellFormat(w+2, 3, label, "", 0, "C", false, 0, "")
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
	rows := make([][]string, 0, len(ps.Changes))
	for _, c := range ps.Changes {
		kind := "cosmetic"
		if c.Substantive {
			kind = orText(categoryList(c.Categories, 10), "substantive, no category matched")
		}
		rows = append(rows, []string{c.DetectedAt.UTC().Format(dateLayout), "#" + strconv.FormatInt(c.ID, 10), tracker.KindTitle(c.Kind), "", kind})
	}
	d.table([]column{{"Detected", 20, "L"}, {"Change", 14, "L"}, {"Document", 34, "L"}, {"Exposure", 18, "L"}, {"Categories", contentW - 86, "L"}}, rows,
		func(r, col int) cellStyle {
			if col == 3 {
				return cellStyle{level: orText(ps.Changes[r].Exposure, tracker.ExposureNone)}
			}
			return cellStyle{}
		})
}

// change draws one change's full analysis record.
func (d *pdfDoc) change(c *Change) {
	p := d.pdf
	rec := c.Record
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

	d.label("Summary")
	d.para(orText(c.Summary, "No summary."))
	if !c.Substantive {
		d.para("Cosmetic change only (whitespace, punctuation, quotes or a date): no analysis applies.")
	}
	d.label("Governance exposure: " + orText(c.Exposure, tracker.ExposureNone))
	d.para(orText(c.Rationale, "No findings, so no exposure."))

	if len(rec.Landscape) > 0 {
		d.label("Regulatory landscape")
		for _, pv := range rec.Landscape {
			// The citation in bold, then why it matters. (MultiCell, not
			// Write: gofpdf's Write re-decodes the rest of the text per line.)
			d.ensure(9)
			p.SetFont(fontName, "B", 8.8)
			p.SetX(marginL)
			head := pv.Framework + " " + pv.Citation + " — " + pv.Title
			if len(pv.Jurisdictions) > 0 {
				head += " (" + strings.Join(pv.Jurisdictions, ", ") + ")"
			}
			p.MultiCell(contentW, 4.3, d.txt(head), "", "L", false)
			if pv.Why != "" {
				p.SetX(marginL + 4)
				p.SetFont(fontName, "", 8.5)
				p.MultiCell(contentW-4, 4.1, d.txt(pv.Why), "", "L", false)
			}
		}
		d.body()
	}
	if len(rec.Flags) > 0 {
		d.label("Jurisdiction flags")
		rows := make([][]string, 0, len(rec.Flags))
		for _, f := range rec.Flags {
			rows = append(rows, []string{f.Code, "", strings.Join(f.Categories, ", "), strings.Join(f.Frameworks, ", ")})
		}
		d.table([]column{{"Jurisdiction", 22, "L"}, {"Exposure", 18, "L"}, {"Categories", 80, "L"}, {"Frameworks", contentW - 120, "L"}}, rows,
			func(r, col int) cellStyle {
				if col == 1 {
					return cellStyle{level: rec.Flags[r].Exposure}
				}
				return cellStyle{}
			})
	}
	if len(rec.Findings) > 0 {
		d.label("Findings")
		for _, f := range rec.Findings {
			d.ensure(10)
			p.SetFont(fontName, "B", 8.8)
			p.SetX(marginL)
			head := f.Category + " · " + f.Direction + " · " + f.Exposure
			if f.Heading != "" {
				head += " · under “" + f.Heading + "”"
			}
			p.MultiCell(contentW, 4.3, d.txt(head), "", "L", false)
			p.SetFont(fontName, "I", 8.5)
			p.SetX(marginL + 4)
			p.MultiCell(contentW-4, 4.1, d.txt("“"+clip(f.Evidence, 600)+"”"), "", "L", false)
			d.body()
		}
	}
	if len(rec.ContractImplications) > 0 {
		d.label("Contract and vendor implications")
		d.bullets(rec.ContractImplications)
	}
	if len(rec.ComplianceConsiderations) > 0 {
		d.label("Compliance considerations")
		d.bullets(rec.ComplianceConsiderations)
	}
	if len(c.Excerpt) > 0 {
		d.label("What changed (+ added, in green; - removed, in red and struck through)")
		for _, b := range c.Excerpt {
			d.ensure(10)
			if b.Heading != "" {
				p.SetFont(fontName, "I", 7.8)
				d.color(colMuted)
				p.SetX(marginL + 3)
				p.MultiCell(contentW-3, 3.8, d.txt(b.Heading), "", "L", false)
				d.body()
			}
			top := p.GetY()
			d.flow(b.Runs, marginL+3, contentW-3)
			d.draw(colRule)
			p.SetLineWidth(0.6)
			if p.GetY() > top { // a side rule marks the passage, unless it crossed a page
				p.Line(marginL+0.8, top+0.5, marginL+0.8, p.GetY()-0.5)
			}
			p.SetLineWidth(0.2)
			p.Ln(1.2)
		}
		if c.MoreHunks > 0 {
			d.muted(fmt.Sprintf("%d more changed passages are in the archive (versions #%d → #%d).", c.MoreHunks, c.From.ID, c.To.ID))
		}
	}
	if len(c.Comparables) > 0 {
		d.label("How other tracked platforms handle this")
		var lines []string
		for _, cm := range c.Comparables {
			if len(cm.Excerpts) == 0 {
				continue
			}
			lines = append(lines, fmt.Sprintf("%s — %s %s (version #%d of %s, sha256 %s…): “%s”", cm.Category, cm.PlatformName,
				tracker.KindTitle(cm.Kind), cm.VersionID, cm.FetchedAt.UTC().Format(dateLayout), shortHash(cm.SHA256), cm.Excerpts[0]))
		}
		d.bullets(lines)
	}
	if len(c.Peers) > 0 {
		d.label("Other platforms' changes in this report, same categories")
		var lines []string
		for _, pe := range c.Peers {
			lines = append(lines, fmt.Sprintf("%s: %s %s (change #%d, %s, %s exposure).", pe.Category, pe.Platform,
				directionVerb(pe.Direction), pe.ChangeID, pe.Date.UTC().Format(dateLayout), pe.Exposure))
		}
		d.bullets(lines)
	}
	if len(c.Checklist) > 0 {
		d.label("Due-diligence checklist")
		for _, it := range c.Checklist {
			d.ensure(6)
			y := p.GetY()
			d.statusBox(marginL+0.5, y+0.7, 3.2, it.Status)
			p.SetXY(marginL+6, y)
			p.MultiCell(contentW-6, lineH, d.txt(it.Text), "", "L", false)
			meta := fmt.Sprintf("%s · owner %s · due %s", it.Status, orText(it.Owner, "–"), orText(it.DueDate, "–"))
			p.SetFont(fontName, "", 7.5)
			d.color(colMuted)
			if it.Overdue {
				meta += " · overdue"
				d.color(levelColor[tracker.ExposureHigh])
			}
			p.SetX(marginL + 6)
			p.CellFormat(contentW-6, 3.8, d.txt(meta), "", 1, "L", false, 0, "")
			d.body()
			p.Ln(0.6)
		}
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
