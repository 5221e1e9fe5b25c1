package postgres

import (
	"context"
	"fmt"

	"policywatch/tracker"
)

var _ tracker.AccessReporter = (*DB)(nil)

// Access reads who the connection signed in as and what its role may do:
// change the archive (UPDATE on checklist items), append to the log
// (INSERT on audit_log: a reviewer's exports are logged), or administer
// the tables (a member of their owner). scripts/postgres-roles.sql sets the
// roles up.
func (d *DB) Access(ctx context.Context) (tracker.Access, error) {
	var a tracker.Access
	err := d.pool.QueryRow(ctx, `SELECT session_user::text,
			has_table_privilege('checklist_items', 'UPDATE') AND has_table_privilege('versions', 'INSERT'),
			has_table_privilege('audit_log', 'INSERT') AND has_table_privilege('checkpoints', 'INSERT'),
			pg_has_role((SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_log'), 'MEMBER')`).
		Scan(&a.Account, &a.Edit, &a.Log, &a.Admin)
	if err != nil {
		return a, fmt.Errorf("read the privileges of %s: %w", d.display, err)
	}
	switch {
	case a.Admin:
		a.Role = "owner"
	case a.Edit:
		a.Role = "editor"
	case a.Log:
		a.Role = "reviewer: read and export"
	default:
		a.Role = "read only"
	}
	return a, nil
}
