package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"policywatch/tracker/transfer"
)

var _ transfer.Store = (*DB)(nil)

// columnInfo is a column as PRAGMA table_info describes it.
type columnInfo struct {
	name    string
	kind    string // the declared type, upper case: TEXT, INTEGER, BLOB…
	notNull bool
	key     int // position in the primary key, 0 when not part of it
}

func (d *DB) tableNames(ctx context.Context) ([]string, error) {
	rows, err := d.ro.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (d *DB) tableColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]columnInfo, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, upper(type), "notnull", pk FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []columnInfo
	for rows.Next() {
		var c columnInfo
		if err := rows.Scan(&c.name, &c.kind, &c.notNull, &c.key); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Tables lists the archive's tables with their columns and references
// (schema_migrations aside), for copying.
func (d *DB) Tables(ctx context.Context) ([]transfer.Table, error) {
	names, err := d.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	var out []transfer.Table
	for _, n := range names {
		cols, err := d.tableColumns(ctx, d.ro, n)
		if err != nil {
			return nil, err
		}
		t := transfer.Table{Name: n}
		for _, c := range cols {
			t.Columns = append(t.Columns, c.name)
		}
		rows, err := d.ro.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				rows.Close()
				return nil, err
			}
			t.References = append(t.References, ref)
		}
		rows.Close()
		out = append(out, t)
	}
	return out, nil
}

// Migrations lists the applied migrations, in order.
func (d *DB) Migrations(ctx context.Context) ([]int, error) {
	rows, err := d.ro.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Count returns the number of rows in a table of the archive.
func (d *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := d.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(table)).Scan(&n)
	return n, err
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ReadTables calls fn with a reader of one read transaction's snapshot.
func (d *DB) ReadTables(ctx context.Context, fn func(transfer.Reader) error) error {
	t, err := d.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer t.Rollback()
	return fn(tableReader{d: d, tx: t})
}

type tableReader struct {
	d  *DB
	tx *sql.Tx
}

// Rows reads a table in the order of its primary key.
func (r tableReader) Rows(ctx context.Context, t transfer.Table) (transfer.Rows, error) {
	cols, err := r.d.tableColumns(ctx, r.tx, t.Name)
	if err != nil {
		return nil, err
	}
	var key []string
	for k := 1; ; k++ {
		found := false
		for _, c := range cols {
			if c.key == k {
				key, found = append(key, quoteIdent(c.name)), true
			}
		}
		if !found {
			break
		}
	}
	quoted := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		quoted[i] = quoteIdent(c)
	}
	q := `SELECT ` + strings.Join(quoted, ", ") + ` FROM ` + quoteIdent(t.Name)
	if len(key) > 0 {
		q += ` ORDER BY ` + strings.Join(key, ", ")
	} else {
		q += ` ORDER BY rowid`
	}
	rows, err := r.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &sqlRows{rows: rows, n: len(t.Columns)}, nil
}

// sqlRows adapts *sql.Rows to transfer.Rows.
type sqlRows struct {
	rows *sql.Rows
	n    int
}

func (r *sqlRows) Next() bool { return r.rows.Next() }
func (r *sqlRows) Err() error { return r.rows.Err() }
func (r *sqlRows) Close()     { r.rows.Close() }

func (r *sqlRows) Values() ([]any, error) {
	vals := make([]any, r.n)
	ptrs := make([]any, r.n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	err := r.rows.Scan(ptrs...)
	return vals, err
}

// ReplaceTables empties the tables and calls fn to fill them, in one write
// transaction. It refuses an archive that holds records.
func (d *DB) ReplaceTables(ctx context.Context, fn func(transfer.Writer) error) error {
	tables, err := d.Tables(ctx)
	if err != nil {
		return err
	}
	t, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer t.Rollback()
	var used bool
	if err := t.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log) OR EXISTS (SELECT 1 FROM platforms)
		OR EXISTS (SELECT 1 FROM versions)`).Scan(&used); err != nil {
		return err
	}
	if used {
		return fmt.Errorf("%s: %w (it has platforms, versions or log entries); copy into a new file", d.path, transfer.ErrNotEmpty)
	}
	for i := len(tables) - 1; i >= 0; i-- {
		// Only rows the migrations seeded (settings, a lock row) are here.
		if _, err := t.ExecContext(ctx, `DELETE FROM `+quoteIdent(tables[i].Name)); err != nil {
			return fmt.Errorf("empty %s: %w", tables[i].Name, err)
		}
	}
	if err := fn(tableWriter{d: d, tx: t}); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return commitError(ctx, err)
	}
	return nil
}

type tableWriter struct {
	d  *DB
	tx *sql.Tx
}

// Load inserts rows into table t, converting each value to the column's
// declared type.
func (w tableWriter) Load(ctx context.Context, t transfer.Table, rows transfer.Rows) (int64, error) {
	info, err := w.d.tableColumns(ctx, w.tx, t.Name)
	if err != nil {
		return 0, err
	}
	byName := map[string]columnInfo{}
	for _, c := range info {
		byName[c.name] = c
	}
	cols := make([]columnInfo, len(t.Columns))
	quoted := make([]string, len(t.Columns))
	for i, name := range t.Columns {
		c, ok := byName[name]
		if !ok {
			return 0, fmt.Errorf("no column %s in %s", name, t.Name)
		}
		cols[i], quoted[i] = c, quoteIdent(name)
	}
	stmt, err := w.tx.PrepareContext(ctx, `INSERT INTO `+quoteIdent(t.Name)+` (`+strings.Join(quoted, ", ")+`) VALUES (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+`)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var n int64
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return n, err
		}
		for i, v := range vals {
			if vals[i], err = toColumn(cols[i], v); err != nil {
				return n, fmt.Errorf("column %s: %w", cols[i].name, err)
			}
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// toColumn converts a value read from another store to a column's declared
// type: times become fixed-width UTC text (the empty text when unset),
// booleans 0 or 1.
func toColumn(c columnInfo, v any) (any, error) {
	switch {
	case strings.Contains(c.kind, "INT"):
		switch x := v.(type) {
		case nil:
			if c.notNull {
				return int64(0), nil
			}
			return nil, nil
		case bool:
			return int64(boolInt(x)), nil
		case int64, int32, int:
			return x, nil
		case float64:
			return int64(x), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case strings.Contains(c.kind, "TEXT") || c.kind == "":
		switch x := v.(type) {
		case nil:
			if c.notNull {
				return "", nil
			}
			return nil, nil
		case time.Time:
			return formatTime(x), nil
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case bool, int64, int32, float64:
			return fmt.Sprint(x), nil
		}
	case strings.Contains(c.kind, "BLOB"):
		switch x := v.(type) {
		case nil:
			return nil, nil
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("cannot store a %T in a %s column", v, c.kind)
}
