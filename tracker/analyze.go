package tracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"policywatch/tracker/analysis"
)

// WithRules sets the classification rules (default: none, which diffs
// without classifying).
func WithRules(r *analysis.Rules) Option { return func(s *Service) { s.rules = r } }

// Rules returns the classification rules in use.
func (s *Service) Rules() *analysis.Rules { return s.rules }

// analysisOptions builds the analysis options for a platform under profile.
func (s *Service) analysisOptions(p Platform, profile Profile) analysis.Options {
	return analysis.Options{Profile: profile.Analysis(), Platform: p.Facts(), Rules: s.rules}
}

// Facts returns the platform facts the analysis uses for exposure.
func (p Platform) Facts() analysis.PlatformFacts {
	return analysis.PlatformFacts{Name: p.Name, EULeadAuthority: p.EULeadAuthority,
		Gatekeeper: p.Gatekeeper, VLOP: p.VLOP, AllowsMinors: p.AllowsMinors, Financial: p.Category == "fintech"}
}

// Analysis returns the subset of the profile the analysis engine reads, or
// nil when no jurisdiction is set (then every jurisdiction is flagged).
func (p Profile) Analysis() *analysis.Profile {
	if len(p.Jurisdictions) == 0 {
		return nil
	}
	return &analysis.Profile{Jurisdictions: p.Jurisdictions, ServesChildren: p.ServesChildren,
		HealthData: p.HealthData, FinancialData: p.FinancialData, Advertises: p.Advertises,
		Role: p.Role, B2BNegotiated: p.B2BNegotiated}
}

// dueDays is how long after it is raised a checklist item is due, by exposure.
var dueDays = map[string]int{ExposureHigh: 14, ExposureMedium: 30, ExposureLow: 60}

// saveAnalysis stores the analysis of the change from → to with its findings
// and checklist items, inside tx. Re-analysing a pair replaces its findings
// and adds only checklist items it did not have (their edits are kept).
func (s *Service) saveAnalysis(tx Tx, docID int64, from, to VersionInfo, detected time.Time, res analysis.Result) (Change, error) {
	c := Change{DocumentID: docID, FromVersionID: from.ID, ToVersionID: to.ID, DetectedAt: detected,
		Substantive: res.Substantive, Exposure: string(res.Exposure), Summary: res.Summary, Rationale: res.Rationale,
		AddedWords: res.AddedWords, RemovedWords: res.RemovedWords}
	if c.Exposure == "" {
		c.Exposure = ExposureNone
	}
	record, err := json.Marshal(res)
	if err != nil {
		return c, fmt.Errorf("encode analysis: %w", err)
	}
	rows := make([]FindingRow, 0, len(res.Findings))
	for _, f := range res.Findings {
		row := FindingRow{Category: f.Category, Direction: f.Direction, Exposure: string(f.Exposure),
			Heading: f.Heading, Evidence: f.Evidence, Rule: f.Rule}
		for _, j := range f.Jurisdictions {
			row.Jurisdictions = append(row.Jurisdictions, j.Code)
		}
		rows = append(rows, row)
	}
	if err := tx.SaveChange(&c, record, rows); err != nil {
		return c, err
	}
	if err := RecordAnalysis(tx, s.now(), s.who(), c.ID, ""); err != nil {
		return c, err
	}
	return c, s.raiseChecklist(tx, c, from, to, res)
}

// raiseChecklist raises a change's due-diligence items, one open item per
// document and concern: a concern is a category, and its item lists the
// category's steps (only the first when all of its findings are low); a
// concern that
// already has an open or in-progress item of an earlier change of the same
// document is linked to that item instead of raising another. A change that
// predates the monitoring start is history and raises nothing. Items are
// due a number of days (by exposure) after the change was detected or the
// monitoring began, whichever is later.
func (s *Service) raiseChecklist(tx Tx, c Change, from, to VersionInfo, res analysis.Result) error {
	start, err := monitoringStart(tx)
	if err != nil {
		return err
	}
	if Historical(c.DetectedAt, start) {
		return nil
	}
	base := c.DetectedAt
	if start.After(base) {
		base = start
	}
	ref := fmt.Sprintf("change #%d: version #%d (sha256 %s) → #%d (sha256 %s)", c.ID,
		from.ID, short(from.SHA256), to.ID, short(to.SHA256))
	// one item per concern: a category, its steps in one text; a category
	// whose findings are all low (a narrowing, an added promise or control)
	// needs noting, not the whole due-diligence: its first step only
	level := map[string]analysis.Level{}
	for _, f := range res.Findings {
		if f.Exposure.Rank() > level[f.Category].Rank() {
			level[f.Category] = f.Exposure
		}
	}
	steps := map[string][]string{}
	var order []string
	for _, item := range res.Checklist {
		if _, ok := steps[item.Category]; !ok {
			order = append(order, item.Category)
		}
		if level[item.Category] == analysis.LevelLow && len(steps[item.Category]) == 1 {
			continue
		}
		steps[item.Category] = append(steps[item.Category], item.Text)
	}
	for _, cat := range order {
		item := analysis.ChecklistItem{Category: cat, Text: concernText(steps[cat])}
		const seq = 1
		open, err := tx.OpenChecklistItemFor(c.DocumentID, item.Category, seq)
		switch {
		case err == nil && open.ChangeID != c.ID:
			linked, err := tx.LinkChecklistItem(open.ID, c.ID, s.now())
			if err != nil {
				return err
			}
			if linked {
				if err := RecordChecklistItem(tx, s.now(), s.who(), actionChecklistSet, open.ID,
					fmt.Sprintf("also raised by change %d", c.ID)); err != nil {
					return err
				}
			}
			continue
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		due := "" // by the concern's own level
		if d, ok := dueDays[string(level[cat])]; ok {
			due = base.AddDate(0, 0, d).Format(dateLayout)
		}
		it := ChecklistItem{ChangeID: c.ID, Category: item.Category, Seq: seq, Text: item.Text,
			Status: StatusOpen, DueDate: due, EvidenceRef: ref, CreatedAt: s.now(), UpdatedAt: s.now()}
		inserted, err := tx.EnsureChecklistItem(&it)
		if err != nil {
			return err
		}
		if inserted {
			if err := RecordChecklistItem(tx, s.now(), s.who(), actionChecklistNew, it.ID, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

func versionInfo(v Version) VersionInfo {
	return VersionInfo{ID: v.ID, DocumentID: v.DocumentID, FetchedAt: v.FetchedAt, URL: v.URL,
		HTTPStatus: v.HTTPStatus, SHA256: v.SHA256, StatedDate: v.StatedDate, Source: v.Source, Bytes: len(v.Text),
		CapturedWith: v.CapturedWith}
}

// ChangeDetail is a change with its full analysis record.
type ChangeDetail struct {
	ChangeSummary
	Record    analysis.Result
	From, To  VersionInfo
	Checklist []ChecklistRow
}

// Change returns a change with its analysis record, versions and checklist.
func (s *Service) Change(ctx context.Context, id int64) (ChangeDetail, error) {
	var d ChangeDetail
	err := s.store.View(ctx, func(tx Tx) error {
		c, record, err := tx.ChangeByID(id)
		if err != nil {
			return err
		}
		d.ChangeSummary = c
		if err := json.Unmarshal(record, &d.Record); err != nil {
			return fmt.Errorf("analysis record of change %d is unreadable: %w", id, err)
		}
		from, err := tx.VersionByID(c.FromVersionID)
		if err != nil {
			return err
		}
		to, err := tx.VersionByID(c.ToVersionID)
		if err != nil {
			return err
		}
		d.From, d.To = versionInfo(from), versionInfo(to)
		d.Checklist, err = tx.ListChecklist(ChecklistFilter{ChangeID: id})
		return err
	})
	return d, err
}

// ChangeRecord is a change with its analysis record, for registers and exports.
type ChangeRecord struct {
	ChangeSummary
	Record analysis.Result
}

// ChangeRecords lists the changes matching f, newest first, with their
// analysis records, in one read transaction and without loading versions.
func (s *Service) ChangeRecords(ctx context.Context, f ChangeFilter) ([]ChangeRecord, error) {
	var out []ChangeRecord
	err := s.store.View(ctx, func(tx Tx) error {
		list, err := tx.ListChanges(f)
		if err != nil {
			return err
		}
		out = make([]ChangeRecord, 0, len(list))
		for _, c := range list {
			_, record, err := tx.ChangeByID(c.ID)
			if err != nil {
				return err
			}
			r := ChangeRecord{ChangeSummary: c}
			if err := json.Unmarshal(record, &r.Record); err != nil {
				return fmt.Errorf("analysis record of change %d is unreadable: %w", c.ID, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// versionPair is two versions of one document with what analysing them needs.
type versionPair struct {
	from, to Version
	platform Platform
	profile  Profile
}

// loadPair reads two versions of one document, its platform and the profile.
func loadPair(tx Tx, fromID, toID int64) (versionPair, error) {
	var vp versionPair
	var err error
	if vp.from, err = tx.VersionByID(fromID); err != nil {
		return vp, err
	}
	if vp.to, err = tx.VersionByID(toID); err != nil {
		return vp, err
	}
	if vp.from.DocumentID != vp.to.DocumentID {
		return vp, fmt.Errorf("versions %d and %d belong to different documents", fromID, toID)
	}
	d, err := tx.DocumentByID(vp.from.DocumentID)
	if err != nil {
		return vp, err
	}
	if vp.platform, err = tx.PlatformByID(d.PlatformID); err != nil {
		return vp, err
	}
	vp.profile, err = tx.Profile()
	return vp, err
}

// analyse runs the analysis of the pair under its platform and profile.
func (s *Service) analyse(vp versionPair) analysis.Result {
	return analysis.Analyze(vp.from.Text, vp.to.Text, s.analysisOptions(vp.platform, vp.profile))
}

// Compare analyses the difference between any two versions of one document
// without storing anything.
func (s *Service) Compare(ctx context.Context, fromID, toID int64) (analysis.Result, error) {
	var vp versionPair
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		vp, err = loadPair(tx, fromID, toID)
		return err
	})
	if err != nil {
		return analysis.Result{}, err
	}
	return s.analyse(vp), nil
}

// Reanalyse re-runs the analysis of every stored change (after a rules or
// profile update), keeping review state and checklist edits. Each change is
// read, analysed outside any transaction, then saved. progress, if not nil,
// is called after each change.
func (s *Service) Reanalyse(ctx context.Context, progress func(done, total int)) (int, error) {
	var changes []ChangeSummary
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		changes, err = tx.ListChanges(ChangeFilter{})
		return err
	}); err != nil {
		return 0, err
	}
	for i, c := range changes {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		var vp versionPair
		if err := s.store.View(ctx, func(tx Tx) error {
			var err error
			vp, err = loadPair(tx, c.FromVersionID, c.ToVersionID)
			return err
		}); err != nil {
			return i, err
		}
		res := s.analyse(vp)
		if err := s.store.Update(ctx, func(tx Tx) error {
			_, err := s.saveAnalysis(tx, c.DocumentID, versionInfo(vp.from), versionInfo(vp.to), c.DetectedAt, res)
			return err
		}); err != nil {
			return i, err
		}
		if progress != nil {
			progress(i+1, len(changes))
		}
	}
	return len(changes), nil
}

// concernText writes a concern's steps as one item: a single step as it
// is, several numbered.
func concernText(steps []string) string {
	if len(steps) == 1 {
		return steps[0]
	}
	var b strings.Builder
	for i, st := range steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "(%d) %s", i+1, st)
	}
	return b.String()
}
