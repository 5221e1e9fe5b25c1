package tracker

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SettingMonitoringStart is the day monitoring began (YYYY-MM-DD). Changes
// detected before it are history: they are analysed and archived, but they
// raise no open checklist items, and items of later changes are due
// counting from it at the earliest.
const SettingMonitoringStart = "monitoring.start"

// dateLayout is how days are written in settings and due dates.
const dateLayout = "2006-01-02"

// MonitoringStart returns the day monitoring began, or the zero time when
// it is not set yet.
func (s *Service) MonitoringStart(ctx context.Context) (time.Time, error) {
	var start time.Time
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		start, err = monitoringStart(tx)
		return err
	})
	return start, err
}

// SetMonitoringStart sets the day monitoring began and logs it. It does not
// touch items already raised.
func (s *Service) SetMonitoringStart(ctx context.Context, day time.Time) error {
	if day.IsZero() {
		return errors.New("monitoring start: no date given")
	}
	v := day.UTC().Format(dateLayout)
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(SettingMonitoringStart, v); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "settings.monitoring-start", "settings", v)
	})
}

// ensureMonitoringStart sets the monitoring start to today when it is not
// set, so that history imported or found on a first check stays history.
func (s *Service) ensureMonitoringStart(ctx context.Context) error {
	start, err := s.MonitoringStart(ctx)
	if err != nil || !start.IsZero() {
		return err
	}
	today := s.now().UTC().Truncate(24 * time.Hour)
	return s.SetMonitoringStart(ctx, today)
}

// monitoringStart reads the setting inside tx.
func monitoringStart(tx Tx) (time.Time, error) {
	v, err := tx.Setting(SettingMonitoringStart)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("setting %s is not a date (%q): %w", SettingMonitoringStart, v, err)
	}
	return t, nil
}

// Historical reports whether a change detected at detected predates the
// monitoring start (a zero start means nothing is history).
func Historical(detected, start time.Time) bool {
	return !start.IsZero() && detected.Before(start)
}
