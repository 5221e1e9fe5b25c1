package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// maxTop caps the executive summary's list of high-exposure changes.
const maxTop = 10

// Build reads what f selects from the archive into a report model.
func Build(ctx context.Context, svc *tracker.Service, f Filter, opts Options) (*Model, error) {
	if svc == nil {
		return nil, errors.New("build report: no service")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return nil, fmt.Errorf("build report: the period ends (%s) before it starts (%s)",
			f.Until.UTC().Format(dateLayout), f.Since.UTC().Format(dateLayout))
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	progress("read", 0, 1)
	// Sign the log as it stands first: the report prints that checkpoint.
	seal, err := svc.SealNow(ctx)
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	data, err := svc.ReportData(ctx, tracker.ReportQuery{Since: f.Since, Until: f.Until, Platforms: f.Platforms,
		Jurisdictions: f.Jurisdictions, MinExposure: f.MinExposure}, func(done, total int) { progress("read", done, total) })
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	checked, verr := svc.VerifyAudit(ctx)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	m := &Model{Title: "Platform policy change report", Organisation: data.Profile.Organisation, Profile: data.Profile,
		Filter: f, AppVersion: svc.AppVersion(), Deterministic: opts.Deterministic, AuditEntries: checked,
		AuditVerified: verr == nil, progress: opts.Progress, Excerpts: opts.Excerpts, Rules: svc.Rules()}
	if m.Excerpts != ExcerptsAll {
		m.Excerpts = ExcerptsFlagged
	}
	if m.Organisation == "" {
		m.Organisation = "(organisation not set in the profile)"
	}
	if m.AppVersion == "" {
		m.AppVersion = "dev"
	}
	if verr != nil {
		m.AuditProblem = verr.Error()
	}
	m.GeneratedAt = generatedAt(opts, f, data, svc)
	m.Period = periodText(f)
	m.Scope = scopeText(f)
	m.addChanges(data)
	if err := m.addComparables(ctx, svc); err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	m.addChecklist(data)
	m.addMonitoring(data)
	for _, v := range data.Versions {
		m.Evidence = append(m.Evidence, Evidence{CitedVersion: v})
	}
	m.Audit = data.Audit
	m.Fingerprint = fingerprint(data.Versions)
	m.Seal, m.archive = seal, svc
	m.Recount()
	progress("read", 1, 1)
	return m, nil
}

// generatedAt picks the report date: given, or now, or in deterministic mode
// the end of the period or the newest time in the data.
func generatedAt(opts Options, f Filter, data tracker.ReportData, svc *tracker.Service) time.Time {
	if !opts.GeneratedAt.IsZero() {
		return opts.GeneratedAt.UTC()
	}
	if !opts.Deterministic {
		return svc.Now().UTC()
	}
	var t time.Time
	later := func(c time.Time) {
		if c.After(t) {
			t = c
		}
	}
	for _, c := range data.Changes {
		later(c.DetectedAt)
	}
	for _, mon := range data.Monitoring {
		later(mon.Last)
	}
	for _, e := range data.Audit {
		later(e.At)
	}
	if !f.Until.IsZero() && (t.IsZero() || f.Until.Before(t)) {
		t = f.Until
	}
	return t.UTC().Truncate(time.Second)
}

func (m *Model) addChanges(data tracker.ReportData) {
	platforms := map[string]*PlatformSection{}
	for _, d := range data.Changes {
		c := &Change{ChangeSummary: d.ChangeSummary, DocumentURL: data.DocumentURLs[d.DocumentID], Record: d.Record,
			From: d.From, To: d.To}
		for _, it := range d.Checklist {
			c.Checklist = append(c.Checklist, m.item(it, d.PlatformSlug))
		}
		m.Changes = append(m.Changes, c)
		p := platforms[d.PlatformSlug]
		if p == nil {
			p = &PlatformSection{Slug: d.PlatformSlug, Name: d.PlatformName, Exposure: tracker.ExposureNone}
			platforms[d.PlatformSlug] = p
			m.Platforms = append(m.Platforms, p)
		}
		p.Changes = append(p.Changes, c)
		if tracker.ExposureRank(c.Exposure) > tracker.ExposureRank(p.Exposure) {
			p.Exposure = c.Exposure
		}
	}
	sort.SliceStable(m.Platforms, func(i, j int) bool {
		return strings.ToLower(m.Platforms[i].Name) < strings.ToLower(m.Platforms[j].Name)
	})
}

// comparablesPerPlatform caps the excerpts quoted per other platform and
// category; comparablesPerCategory caps the platforms quoted per category.
const (
	comparablesPerPlatform = 1
	comparablesPerCategory = 3
)

// addComparables quotes, for each change, how the other tracked platforms'
// latest documents treat its categories (the same section the GUI shows).
func (m *Model) addComparables(ctx context.Context, svc *tracker.Service) error {
	for i, c := range m.Changes {
		if len(c.Record.Findings) == 0 {
			continue
		}
		cs, err := svc.Comparables(ctx, c.ID, comparablesPerPlatform)
		if err != nil {
			return err
		}
		perCategory := map[string]int{}
		for _, cm := range cs {
			if len(cm.Excerpts) > 0 && perCategory[cm.Category] < comparablesPerCategory {
				perCategory[cm.Category]++
				c.Comparables = append(c.Comparables, cm)
			}
		}
		if m.progress != nil {
			m.progress("read", i+1, len(m.Changes))
		}
	}
	return nil
}

// addPeers notes, for each change's categories, the other platforms in the
// report whose changes engaged the same category.
func (m *Model) addPeers() {
	type hit struct {
		c         *Change
		direction string
	}
	byCategory := map[string][]hit{}
	for _, c := range m.Changes {
		seen := map[string]bool{}
		for _, f := range c.Record.Findings {
			if seen[f.Category] {
				continue
			}
			seen[f.Category] = true
			byCategory[f.Category] = append(byCategory[f.Category], hit{c, f.Direction})
		}
	}
	for _, c := range m.Changes {
		c.Peers = nil
		seen := map[string]bool{}
		for _, f := range c.Record.Findings {
			if seen[f.Category] {
				continue
			}
			seen[f.Category] = true
			platformSeen := map[string]bool{}
			for i := len(byCategory[f.Category]) - 1; i >= 0; i-- { // newest first
				h := byCategory[f.Category][i]
				if h.c.PlatformSlug == c.PlatformSlug || platformSeen[h.c.PlatformSlug] {
					continue
				}
				platformSeen[h.c.PlatformSlug] = true
				c.Peers = append(c.Peers, Peer{Category: f.Category, Platform: h.c.PlatformName, ChangeID: h.c.ID,
					Date: h.c.DetectedAt, Direction: h.direction, Exposure: h.c.Exposure})
				if len(platformSeen) == 4 {
					break
				}
			}
		}
	}
}

func (m *Model) item(it tracker.ChecklistRow, slug string) ChecklistItem {
	ci := ChecklistItem{ChecklistRow: it, PlatformSlug: slug}
	if it.DueDate != "" {
		if t, err := time.Parse(dateLayout, it.DueDate); err == nil {
			ci.Due = t
			open := it.Status == tracker.StatusOpen || it.Status == tracker.StatusInProgress
			ci.Overdue = open && t.Before(m.GeneratedAt.Truncate(24*time.Hour))
		}
	}
	return ci
}

func (m *Model) addChecklist(data tracker.ReportData) {
	for _, c := range m.Changes {
		m.Checklist = append(m.Checklist, c.Checklist...)
	}
	// By due date (undated last), then change exposure, then id: the order
	// the checklist command and the GUI use.
	sort.SliceStable(m.Checklist, func(i, j int) bool {
		a, b := m.Checklist[i], m.Checklist[j]
		if (a.DueDate == "") != (b.DueDate == "") {
			return b.DueDate == ""
		}
		if a.DueDate != b.DueDate {
			return a.DueDate < b.DueDate
		}
		if ra, rb := tracker.ExposureRank(a.Exposure), tracker.ExposureRank(b.Exposure); ra != rb {
			return ra > rb
		}
		return a.ID < b.ID
	})
}

func (m *Model) addMonitoring(data tracker.ReportData) {
	for _, s := range data.Monitoring {
		mon := Monitoring{MonitoringStat: s}
		reasons := make([]string, 0, len(s.FailureReasons))
		for r := range s.FailureReasons {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for i, r := range reasons {
			reasons[i] = fmt.Sprintf("%s ×%d", orText(r, "unknown"), s.FailureReasons[r])
		}
		mon.Reasons = strings.Join(reasons, ", ")
		m.Monitoring = append(m.Monitoring, mon)
	}
}

// Recount derives what the model's changes imply: each change's view of
// its analysis record (when it has none) and peers, then the totals, breakdowns and top
// high-exposure list from the changes, checklist, monitoring, evidence and
// audit entries. Build calls it; call it again after assembling or editing a
// model by hand (previews, tests, benchmarks).
func (m *Model) Recount() {
	today := m.GeneratedAt.UTC().Format(dateLayout)
	for _, c := range m.Changes {
		if c.View == nil {
			rows := make([]tracker.ChecklistRow, len(c.Checklist))
			for i, it := range c.Checklist {
				rows[i] = it.ChecklistRow
			}
			res := c.Record
			res.Summary, res.Rationale = orText(res.Summary, c.Summary), orText(res.Rationale, c.Rationale)
			res.Exposure = analysis.Level(orText(string(res.Exposure), c.Exposure))
			res.Substantive = res.Substantive || c.Substantive
			c.View = record.Build(res, record.Input{Rules: m.Rules, Checklist: rows, Today: today,
				Others: c.Comparables, OthersPerCategory: comparablesPerCategory})
		}
	}
	m.addPeers()
	m.Totals = Totals{}
	m.Top = nil
	t := &m.Totals
	byPlatform := map[string]int{}
	byJurisdiction := map[string]int{}
	docs := map[int64]bool{}
	for _, c := range m.Changes {
		t.Changes++
		if c.Substantive {
			t.Substantive++
		} else {
			t.Cosmetic++
		}
		if !c.ReviewedAt.IsZero() {
			t.Reviewed++
		}
		switch c.Exposure {
		case tracker.ExposureHigh:
			t.High++
		case tracker.ExposureMedium:
			t.Medium++
		case tracker.ExposureLow:
			t.Low++
		default:
			t.None++
		}
		t.Findings += len(c.Record.Findings)
		byPlatform[c.PlatformName]++
		docs[c.DocumentID] = true
		for _, fl := range c.Record.Flags {
			byJurisdiction[fl.Code]++
		}
	}
	t.Platforms, t.Documents = len(m.Platforms), len(docs)
	for _, mon := range m.Monitoring {
		t.Checks += mon.Checks
		t.FailedChecks += mon.Failures
	}
	for _, it := range m.Checklist {
		t.Items++
		switch it.Status {
		case tracker.StatusOpen:
			t.OpenItems++
		case tracker.StatusInProgress:
			t.InProgressItems++
		case tracker.StatusDone:
			t.DoneItems++
		case tracker.StatusNotApplicable:
			t.NotApplicable++
		}
		if it.Overdue {
			t.OverdueItems++
		}
	}
	t.VersionsCited, t.AuditInPeriod = len(m.Evidence), len(m.Audit)
	m.ByExposure = []Count{{"High", tracker.ExposureHigh, t.High}, {"Medium", tracker.ExposureMedium, t.Medium},
		{"Low", tracker.ExposureLow, t.Low}, {"None / cosmetic", tracker.ExposureNone, t.None}}
	m.ByPlatform = ranked(byPlatform)
	m.ByJurisdiction = ranked(byJurisdiction)
	for _, c := range m.Changes {
		if c.Exposure == tracker.ExposureHigh {
			m.Top = append(m.Top, c)
		}
	}
	sort.SliceStable(m.Top, func(i, j int) bool {
		if a, b := len(m.Top[i].Record.Findings), len(m.Top[j].Record.Findings); a != b {
			return a > b
		}
		return m.Top[i].DetectedAt.After(m.Top[j].DetectedAt)
	})
	if len(m.Top) > maxTop {
		m.Top = m.Top[:maxTop]
	}
}

// ranked turns counts into bars, most first, then by label.
func ranked(counts map[string]int) []Count {
	out := make([]Count, 0, len(counts))
	for k, n := range counts {
		out = append(out, Count{Label: k, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// fingerprint is the SHA-256 over the sorted SHA-256s of the versions cited,
// one per line: it names the evidence a report rests on.
func fingerprint(versions []tracker.CitedVersion) string {
	hashes := make([]string, 0, len(versions))
	for _, v := range versions {
		hashes = append(hashes, v.SHA256)
	}
	sort.Strings(hashes)
	h := sha256.New()
	for _, s := range hashes {
		h.Write([]byte(s))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04 UTC"
)

func periodText(f Filter) string {
	switch {
	case f.Since.IsZero() && f.Until.IsZero():
		return "all dates"
	case f.Until.IsZero():
		return "from " + f.Since.UTC().Format(dateLayout)
	case f.Since.IsZero():
		return "up to " + lastDay(f.Until)
	}
	return f.Since.UTC().Format(dateLayout) + " to " + lastDay(f.Until)
}

// lastDay names the last day an exclusive end covers.
func lastDay(until time.Time) string {
	u := until.UTC()
	if u.Equal(u.Truncate(24 * time.Hour)) {
		return u.Add(-time.Nanosecond).Format(dateLayout)
	}
	return u.Format(dateTimeLayout)
}

func scopeText(f Filter) string {
	var parts []string
	if len(f.Platforms) > 0 {
		parts = append(parts, "platforms: "+strings.Join(f.Platforms, ", "))
	} else {
		parts = append(parts, "all platforms")
	}
	if len(f.Jurisdictions) > 0 {
		parts = append(parts, "jurisdictions: "+strings.Join(f.Jurisdictions, ", "))
	} else {
		parts = append(parts, "all jurisdictions")
	}
	if f.MinExposure != "" {
		parts = append(parts, "exposure "+f.MinExposure+" or higher")
	} else {
		parts = append(parts, "every exposure level")
	}
	return strings.Join(parts, "; ")
}

func orText(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
