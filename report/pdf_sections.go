package report

import (
	"fmt"
	"strconv"
	"strings"

	"policywatch/report/record"
	"policywatch/tracker"
)

// tableTime formats times in tables whose header says UTC.
const tableTime = "2006-01-02 15:04"

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
	notes := make([]string, 0, len(m.Checklist))
	for _, it := range m.Checklist {
		due := orText(it.DueDate, "–")
		if it.Overdue {
			due += " (overdue)"
		}
		rows = append(rows, []string{"#" + strconv.FormatInt(it.ID, 10), it.Status, it.Text,
			it.PlatformName + " · " + tracker.KindTitle(it.Kind) + " · change #" + strconv.FormatInt(it.ChangeID, 10) + " · " + record.CategoryName(m.Rules, it.Category),
			due})
		note := "Owner: " + orText(it.Owner, "unassigned")
		if it.Note != "" {
			note += " · Note: " + it.Note
		}
		notes = append(notes, note)
	}
	overdue := levelColor[tracker.ExposureHigh]
	d.tableNotes([]column{{"Item", 13, "L"}, {"Status", 26, "L"}, {"Due-diligence step", 70, "L"}, {"Change", 44, "L"}, {"Due", contentW - 153, "L"}}, rows, notes,
		func(r, c int) cellStyle {
			switch c {
			case 1:
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
		meta := fmt.Sprintf("Captured %s · stated date %s · %s · %d bytes of text · cited by change %s",
			v.FetchedAt.UTC().Format(dateTimeLayout), orText(v.StatedDate, "none stated"), v.Provenance(), v.Bytes, strings.Join(cites, ", "))
		d.multiAt(marginL, contentW, 3.7, "URL "+v.URL)
		d.multiAt(marginL, contentW, 3.7, meta)
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
		"Each change prints the passages its findings quote; every other changed passage is printed in full in the appendix of other changed passages " +
		"(or with its change when the report is made with --excerpts all). Cosmetic edits are counted, not printed; the archive holds the full texts.")
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
