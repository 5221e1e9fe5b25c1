package tracker

import (
	"context"
	"sort"
	"time"
)

// ExposureMatrixOptions scopes ExposureMatrix.
type ExposureMatrixOptions struct {
	// Since keeps changes detected at or after it (zero: all).
	Since time.Time
	// Jurisdictions are the columns; empty means every jurisdiction code.
	Jurisdictions []string
	// OpenOnly keeps changes nobody has marked reviewed yet.
	OpenOnly bool
}

// ExposureCell is one platform × jurisdiction cell of the exposure matrix.
type ExposureCell struct {
	// Exposure is the highest exposure among the cell's changes (low, medium, high).
	Exposure string
	// Changes counts the changes with a finding flagged in the jurisdiction.
	Changes int
}

// ExposureMatrix is the dashboard's heat map: for each platform and
// jurisdiction, the highest exposure of the changes whose findings engage
// that jurisdiction.
type ExposureMatrix struct {
	// Platforms that have at least one cell, by name.
	Platforms []PlatformRef
	// Jurisdictions are the columns, in Jurisdictions order.
	Jurisdictions []string
	// Cells maps platform slug, then jurisdiction code, to the cell.
	Cells map[string]map[string]ExposureCell
}

// PlatformRef names a platform.
type PlatformRef struct {
	Slug string
	Name string
}

// Cell returns the cell of a platform and jurisdiction (zero when empty).
func (m ExposureMatrix) Cell(slug, code string) ExposureCell { return m.Cells[slug][code] }

// ExposureMatrix builds the platform × jurisdiction exposure heat map of
// the changes with findings within o's scope: it pages through those changes
// and reads each one's findings, so its cost follows the number of changes
// in scope (a period), not the archive's size.
func (s *Service) ExposureMatrix(ctx context.Context, o ExposureMatrixOptions) (ExposureMatrix, error) {
	m := ExposureMatrix{Cells: map[string]map[string]ExposureCell{}}
	codes := o.Jurisdictions
	if len(codes) == 0 {
		codes = Jurisdictions
	}
	for _, c := range Jurisdictions {
		if contains(codes, c) {
			m.Jurisdictions = append(m.Jurisdictions, c)
		}
	}
	names := map[string]string{}
	err := s.store.View(ctx, func(tx Tx) error {
		f := ChangeFilter{Since: o.Since, MinExposure: ExposureLow}
		if o.OpenOnly {
			no := false
			f.Reviewed = &no
		}
		const page = 2000
		for f.Offset = 0; ; f.Offset += page {
			f.Limit = page
			list, err := tx.ListChanges(f)
			if err != nil {
				return err
			}
			for _, c := range list {
				if err := ctx.Err(); err != nil {
					return err
				}
				findings, err := tx.ListFindings(c.ID)
				if err != nil {
					return err
				}
				seen := map[string]bool{}
				for _, fd := range findings {
					for _, code := range fd.Jurisdictions {
						if seen[code] || !contains(m.Jurisdictions, code) {
							continue
						}
						seen[code] = true
						row := m.Cells[c.PlatformSlug]
						if row == nil {
							row = map[string]ExposureCell{}
							m.Cells[c.PlatformSlug] = row
							names[c.PlatformSlug] = c.PlatformName
						}
						cell := row[code]
						cell.Changes++
						if ExposureRank(c.Exposure) > ExposureRank(cell.Exposure) {
							cell.Exposure = c.Exposure
						}
						row[code] = cell
					}
				}
			}
			if len(list) < page {
				return nil
			}
		}
	})
	for slug, name := range names {
		m.Platforms = append(m.Platforms, PlatformRef{Slug: slug, Name: name})
	}
	sort.Slice(m.Platforms, func(i, j int) bool { return m.Platforms[i].Name < m.Platforms[j].Name })
	return m, err
}

// TimelineBucket counts the changes detected in one month by exposure.
type TimelineBucket struct {
	// Month is the first instant of the month (UTC).
	Month time.Time
	// Total counts every change; High, Medium and Low count changes at that
	// exposure; the rest (Total-High-Medium-Low) had no findings.
	Total, High, Medium, Low int
}

// ChangeTimeline counts changes per month for the months calendar months
// ending with the one containing until (UTC), oldest first.
func (s *Service) ChangeTimeline(ctx context.Context, until time.Time, months int) ([]TimelineBucket, error) {
	until = until.UTC()
	first := time.Date(until.Year(), until.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1-months, 0)
	out := make([]TimelineBucket, months)
	err := s.store.View(ctx, func(tx Tx) error {
		for i := range out {
			start := first.AddDate(0, i, 0)
			b := TimelineBucket{Month: start}
			f := ChangeFilter{Since: start, Until: start.AddDate(0, 1, 0)}
			var counts [4]int
			for rank, level := range []string{"", ExposureLow, ExposureMedium, ExposureHigh} {
				f.MinExposure = level
				n, err := tx.CountChanges(f)
				if err != nil {
					return err
				}
				counts[rank] = n
				if n == 0 {
					break
				}
			}
			b.Total, b.High = counts[0], counts[3]
			b.Medium, b.Low = counts[2]-counts[3], counts[1]-counts[2]
			out[i] = b
		}
		return nil
	})
	return out, err
}
