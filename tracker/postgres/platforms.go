package postgres

import (
	"fmt"
	"time"

	"policywatch/tracker"
)

const platformColumns = `p.id, p.slug, p.name, p.category, p.owner, p.eu_lead_authority, p.vlop, p.gatekeeper,
	p.allows_minors, p.custom, p.created_at`

func scanPlatform(s interface{ Scan(...any) error }, extra ...any) (tracker.Platform, error) {
	var p tracker.Platform
	var created *time.Time
	dest := append([]any{&p.ID, &p.Slug, &p.Name, &p.Category, &p.Owner, &p.EULeadAuthority,
		&p.VLOP, &p.Gatekeeper, &p.AllowsMinors, &p.Custom, &created}, extra...)
	if err := s.Scan(dest...); err != nil {
		return p, err
	}
	p.CreatedAt = timeOf(created)
	return p, nil
}

// UpsertPlatform inserts p or updates the platform with the same slug.
func (t *tx) UpsertPlatform(p *tracker.Platform) error {
	err := t.queryRow(`INSERT INTO platforms (slug, name, category, owner, eu_lead_authority, vlop, gatekeeper,
			allows_minors, custom, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, category = excluded.category,
			owner = excluded.owner, eu_lead_authority = excluded.eu_lead_authority, vlop = excluded.vlop,
			gatekeeper = excluded.gatekeeper, allows_minors = excluded.allows_minors, custom = excluded.custom
		RETURNING id`,
		p.Slug, p.Name, p.Category, p.Owner, p.EULeadAuthority, p.VLOP, p.Gatekeeper,
		p.AllowsMinors, p.Custom, ts(p.CreatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("save platform %s: %w", p.Slug, err)
	}
	return nil
}

// PlatformBySlug finds a platform by slug.
func (t *tx) PlatformBySlug(slug string) (tracker.Platform, error) {
	p, err := scanPlatform(t.queryRow(`SELECT `+platformColumns+` FROM platforms p WHERE p.slug = $1`, slug))
	return p, notFound(err, "platform "+slug)
}

// PlatformByID finds a platform by id.
func (t *tx) PlatformByID(id int64) (tracker.Platform, error) {
	p, err := scanPlatform(t.queryRow(`SELECT `+platformColumns+` FROM platforms p WHERE p.id = $1`, id))
	return p, notFound(err, fmt.Sprintf("platform %d", id))
}

// PlatformByName finds a platform by its name, ignoring case.
func (t *tx) PlatformByName(name string) (tracker.Platform, error) {
	p, err := scanPlatform(t.queryRow(`SELECT `+platformColumns+` FROM platforms p WHERE lower(p.name) = lower($1)
		ORDER BY p.id LIMIT 1`, name))
	return p, notFound(err, "platform "+name)
}

// ListPlatforms lists platforms with document, tracked and version counts,
// by name in byte order (as SQLite orders them, whatever the database's collation).
func (t *tx) ListPlatforms() ([]tracker.PlatformSummary, error) {
	rows, err := t.query(`SELECT ` + platformColumns + `,
			(SELECT COUNT(*) FROM documents d WHERE d.platform_id = p.id),
			(SELECT COUNT(*) FROM documents d WHERE d.platform_id = p.id AND d.tracked),
			(SELECT COUNT(*) FROM versions v JOIN documents d ON d.id = v.document_id WHERE d.platform_id = p.id)
		FROM platforms p ORDER BY lower(p.name) COLLATE "C", p.id`)
	if err != nil {
		return nil, fmt.Errorf("list platforms: %w", err)
	}
	defer rows.Close()
	var out []tracker.PlatformSummary
	for rows.Next() {
		var s tracker.PlatformSummary
		p, err := scanPlatform(rows, &s.Documents, &s.Tracked, &s.Versions)
		if err != nil {
			return nil, fmt.Errorf("list platforms: %w", err)
		}
		s.Platform = p
		out = append(out, s)
	}
	return out, rows.Err()
}
