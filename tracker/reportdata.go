package tracker

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ReportQuery selects what a report covers. Zero fields match everything;
// Until is exclusive.
type ReportQuery struct {
	Since, Until time.Time
	// Platforms are platform slugs; unknown slugs are refused.
	Platforms []string
	// Jurisdictions keep changes with at least one finding flagged in one of
	// these codes; the change's whole analysis record is kept.
	Jurisdictions []string
	// MinExposure keeps changes at or above this level (low, medium, high).
	MinExposure string
}

// ReportData is everything a report renders, read in one transaction so that
// every figure comes from the same state of the archive.
type ReportData struct {
	Profile Profile
	// Changes in scope with their analysis records, oldest first.
	Changes []ChangeDetail
	// DocumentURLs maps a document id to its URL, for every change's document.
	DocumentURLs map[int64]string
	// Versions cited by the changes (both sides), by id.
	Versions []CitedVersion
	// Monitoring holds proof-of-monitoring figures for each document in
	// scope (tracked, or with checks in the period), by platform then kind.
	Monitoring []MonitoringStat
	// Audit holds the audit entries recorded in the period, oldest first.
	Audit []AuditEntry
	// AuditTotal is the number of entries in the whole audit log.
	AuditTotal int
}

// CitedVersion is an archived version a report cites as evidence.
type CitedVersion struct {
	VersionInfo
	PlatformName string
	Kind         string
	// CitedBy lists the ids of the changes citing the version, ascending.
	CitedBy []int64
}

// MonitoringStat is one document's checks in a report period.
type MonitoringStat struct {
	CheckStat
	PlatformSlug string
	PlatformName string
	Kind         string
	URL          string
	Tracked      bool
	// FirstHash and LastHash are the SHA-256 of the text seen by the first and
	// last successful checks in the period ("" when none succeeded).
	FirstHash, LastHash string
	// FailureReasons counts failed checks by reason.
	FailureReasons map[string]int
	// FailedChecks are the failed checks of the period, oldest first.
	FailedChecks []CheckEvent
}

// ReportData reads what a report over q covers. progress, if not nil, is
// called as changes are read.
func (s *Service) ReportData(ctx context.Context, q ReportQuery, progress func(done, total int)) (ReportData, error) {
	var out ReportData
	if r := ExposureRank(q.MinExposure); r < 0 {
		return out, fmt.Errorf("unknown exposure level %q (low, medium or high)", q.MinExposure)
	}
	wantJ := map[string]bool{}
	for _, j := range q.Jurisdictions {
		j = strings.ToUpper(strings.TrimSpace(j))
		if !ValidJurisdiction(j) {
			return out, fmt.Errorf("unknown jurisdiction %q (one of %s)", j, strings.Join(Jurisdictions, ", "))
		}
		wantJ[j] = true
	}
	err := s.store.View(ctx, func(tx Tx) error {
		inScope := map[string]bool{}
		for _, slug := range q.Platforms {
			if _, err := tx.PlatformBySlug(slug); err != nil {
				return unknownPlatform(slug, err)
			}
			inScope[slug] = true
		}
		var err error
		if out.Profile, err = tx.Profile(); err != nil {
			return err
		}
		list, err := tx.ListChanges(ChangeFilter{Since: q.Since, Until: q.Until, PlatformSlugs: q.Platforms, MinExposure: q.MinExposure})
		if err != nil {
			return err
		}
		// ListChanges is newest first; reports read oldest first.
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
		items, err := tx.ListChecklist(ChecklistFilter{})
		if err != nil {
			return err
		}
		byChange := map[int64][]ChecklistRow{}
		for _, it := range items {
			byChange[it.ChangeID] = append(byChange[it.ChangeID], it)
		}
		versions := map[int64]map[int64]VersionInfo{} // document → version id → info
		docVersion := func(docID, id int64) (VersionInfo, error) {
			m, ok := versions[docID]
			if !ok {
				list, err := tx.ListVersions(docID)
				if err != nil {
					return VersionInfo{}, err
				}
				m = make(map[int64]VersionInfo, len(list))
				for _, v := range list {
					m[v.ID] = v
				}
				versions[docID] = m
			}
			v, ok := m[id]
			if !ok {
				return v, fmt.Errorf("version %d of document %d: %w", id, docID, ErrNotFound)
			}
			return v, nil
		}
		cited := map[int64]*CitedVersion{}
		out.DocumentURLs = map[int64]string{}
		for i, c := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			_, record, err := tx.ChangeByID(c.ID)
			if err != nil {
				return err
			}
			d := ChangeDetail{ChangeSummary: c}
			if err := json.Unmarshal(record, &d.Record); err != nil {
				return fmt.Errorf("analysis record of change %d is unreadable: %w", c.ID, err)
			}
			if len(wantJ) > 0 && !engages(d, wantJ) {
				continue
			}
			if d.From, err = docVersion(c.DocumentID, c.FromVersionID); err != nil {
				return err
			}
			if d.To, err = docVersion(c.DocumentID, c.ToVersionID); err != nil {
				return err
			}
			if _, ok := out.DocumentURLs[c.DocumentID]; !ok {
				doc, err := tx.DocumentByID(c.DocumentID)
				if err != nil {
					return err
				}
				out.DocumentURLs[c.DocumentID] = doc.URL
			}
			d.Checklist = byChange[c.ID]
			for _, v := range []VersionInfo{d.From, d.To} {
				cv, ok := cited[v.ID]
				if !ok {
					cv = &CitedVersion{VersionInfo: v, PlatformName: c.PlatformName, Kind: c.Kind}
					cited[v.ID] = cv
				}
				cv.CitedBy = append(cv.CitedBy, c.ID)
			}
			out.Changes = append(out.Changes, d)
			if progress != nil {
				progress(i+1, len(list))
			}
		}
		for _, cv := range cited {
			sort.Slice(cv.CitedBy, func(i, j int) bool { return cv.CitedBy[i] < cv.CitedBy[j] })
			out.Versions = append(out.Versions, *cv)
		}
		sort.Slice(out.Versions, func(i, j int) bool { return out.Versions[i].ID < out.Versions[j].ID })
		if out.Monitoring, err = monitoring(tx, q, inScope); err != nil {
			return err
		}
		audit, err := tx.ListAudit(0, 0)
		if err != nil {
			return err
		}
		out.AuditTotal = len(audit)
		for _, e := range audit {
			if (q.Since.IsZero() || !e.At.Before(q.Since)) && (q.Until.IsZero() || e.At.Before(q.Until)) {
				out.Audit = append(out.Audit, e)
			}
		}
		return nil
	})
	return out, err
}

// engages reports whether a change has a finding flagged in one of want.
func engages(d ChangeDetail, want map[string]bool) bool {
	for _, f := range d.Record.Findings {
		for _, j := range f.Jurisdictions {
			if want[j.Code] {
				return true
			}
		}
	}
	return false
}

// monitoring gathers per-document check figures for the period.
func monitoring(tx Tx, q ReportQuery, inScope map[string]bool) ([]MonitoringStat, error) {
	stats, err := tx.CheckStats(q.Since, q.Until)
	if err != nil {
		return nil, err
	}
	byDoc := map[int64]CheckStat{}
	for _, st := range stats {
		byDoc[st.DocumentID] = st
	}
	docs, err := tx.ListDocuments(DocumentFilter{TrackedOrArchived: true})
	if err != nil {
		return nil, err
	}
	var out []MonitoringStat
	for _, d := range docs {
		if len(inScope) > 0 && !inScope[d.PlatformSlug] {
			continue
		}
		st, checked := byDoc[d.ID]
		if !checked && !d.Tracked {
			continue
		}
		m := MonitoringStat{CheckStat: st, PlatformSlug: d.PlatformSlug, PlatformName: d.PlatformName,
			Kind: d.Kind, URL: d.URL, Tracked: d.Tracked}
		m.DocumentID = d.ID
		if checked {
			events, err := tx.ListCheckEvents(d.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range events {
				if (!q.Since.IsZero() && e.At.Before(q.Since)) || (!q.Until.IsZero() && !e.At.Before(q.Until)) {
					continue
				}
				if e.Status == CheckFailed {
					if m.FailureReasons == nil {
						m.FailureReasons = map[string]int{}
					}
					m.FailureReasons[e.Reason]++
					m.FailedChecks = append(m.FailedChecks, e)
					continue
				}
				if e.SHA256 != "" {
					if m.FirstHash == "" {
						m.FirstHash = e.SHA256
					}
					m.LastHash = e.SHA256
				}
			}
		}
		out = append(out, m)
	}
	return out, nil
}
