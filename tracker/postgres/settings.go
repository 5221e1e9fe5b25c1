package postgres

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/tracker"
)

// Profile returns the organisation profile, empty before it is first saved.
func (t *tx) Profile() (tracker.Profile, error) {
	var p tracker.Profile
	var codes string
	err := t.queryRow(`SELECT organisation, jurisdictions, serves_children, health_data, financial_data, advertises,
		role, b2b_negotiated FROM org_profile WHERE id = 1`).Scan(&p.Organisation, &codes, &p.ServesChildren,
		&p.HealthData, &p.FinancialData, &p.Advertises, &p.Role, &p.B2BNegotiated)
	if errors.Is(err, pgx.ErrNoRows) {
		return tracker.Profile{Role: "controller"}, nil
	}
	if err != nil {
		return p, fmt.Errorf("read profile: %w", err)
	}
	if codes != "" {
		p.Jurisdictions = strings.Split(codes, ",")
	}
	return p, nil
}

// SaveProfile stores the organisation profile.
func (t *tx) SaveProfile(p tracker.Profile) error {
	_, err := t.exec(`INSERT INTO org_profile (id, organisation, jurisdictions, serves_children, health_data,
			financial_data, advertises, role, b2b_negotiated, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET organisation = excluded.organisation, jurisdictions = excluded.jurisdictions,
			serves_children = excluded.serves_children, health_data = excluded.health_data,
			financial_data = excluded.financial_data, advertises = excluded.advertises, role = excluded.role,
			b2b_negotiated = excluded.b2b_negotiated, updated_at = excluded.updated_at`,
		p.Organisation, strings.Join(p.Jurisdictions, ","), p.ServesChildren, p.HealthData,
		p.FinancialData, p.Advertises, p.Role, p.B2BNegotiated, ts(time.Now()))
	if err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	return nil
}

// Setting returns a setting, or "" when unset.
func (t *tx) Setting(key string) (string, error) {
	var v string
	err := t.queryRow(`SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting.
func (t *tx) SetSetting(key, value string) error {
	if _, err := t.exec(`INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}
