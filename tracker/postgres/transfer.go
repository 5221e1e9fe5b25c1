package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/tracker/evidence"
	"policywatch/tracker/transfer"
)

var _ transfer.Store = (*DB)(nil)

// Tables lists the archive's tables with their columns and references
// (schema_migrations aside), for copying.
func (d *DB) Tables(ctx context.Context) ([]transfer.Table, error) {
	cols, err := d.columns(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := d.pool.Query(ctx, `SELECT c.relname, r.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE k.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		refs[from] = append(refs[from], to)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []transfer.Table
	for _, name := range cols.order {
		if name == "schema_migrations" {
			continue
		}
		t := transfer.Table{Name: name, References: refs[name]}
		for _, c := range cols.byTable[name] {
			t.Columns = append(t.Columns, c.name)
		}
		out = append(out, t)
	}
	return out, nil
}

type column struct {
	name, kind string // kind: the column's data_type
}

type schemaColumns struct {
	order   []string
	byTable map[string][]column
}

func (d *DB) columns(ctx context.Context) (schemaColumns, error) {
	s := schemaColumns{byTable: map[string][]column{}}
	rows, err := d.pool.Query(ctx, `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.name, &c.kind); err != nil {
			return s, err
		}
		if _, ok := s.byTable[table]; !ok {
			s.order = append(s.order, table)
		}
		s.byTable[table] = append(s.byTable[table], c)
	}
	return s, rows.Err()
}

// Migrations lists the applied migrations, in order.
func (d *DB) Migrations(ctx context.Context) ([]int, error) {
	rows, err := d.pool.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = int(v)
	}
	return out, err
}

// Count returns the number of rows in a table of the archive.
func (d *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := d.pool.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, err
}

// ReadTables calls fn with a reader of one REPEATABLE READ snapshot.
func (d *DB) ReadTables(ctx context.Context, fn func(transfer.Reader) error) error {
	t, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin transaction: %w", connectAdvice(err))
	}
	defer t.Rollback(context.WithoutCancel(ctx))
	return fn(tableReader{t})
}

type tableReader struct{ tx pgx.Tx }

// Rows reads a table in the order of its primary key.
func (r tableReader) Rows(ctx context.Context, t transfer.Table) (transfer.Rows, error) {
	var key []string
	rows, err := r.tx.Query(ctx, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
		pgx.Identifier{t.Name}.Sanitize())
	if err != nil {
		return nil, err
	}
	if key, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	q := `SELECT ` + identifiers(t.Columns) + ` FROM ` + pgx.Identifier{t.Name}.Sanitize()
	if len(key) > 0 {
		q += ` ORDER BY ` + identifiers(key)
	}
	return r.tx.Query(ctx, q)
}

func identifiers(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(out, ", ")
}

// ReplaceTables empties the tables, calls fn to fill them and moves every
// id sequence past the ids copied in, in one transaction that holds the
// archive's write lock. It refuses an archive that holds records.
func (d *DB) ReplaceTables(ctx context.Context, fn func(transfer.Writer) error) error {
	cols, err := d.columns(ctx)
	if err != nil {
		return err
	}
	tables, err := d.Tables(ctx)
	if err != nil {
		return err
	}
	t, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return fmt.Errorf("begin transaction: %w", connectAdvice(err))
	}
	defer t.Rollback(context.WithoutCancel(ctx))
	if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, d.writerKey); err != nil {
		return err
	}
	var used bool
	if err := t.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log) OR EXISTS (SELECT 1 FROM platforms)
		OR EXISTS (SELECT 1 FROM versions)`).Scan(&used); err != nil {
		return err
	}
	if used {
		return fmt.Errorf("%s: %w (it has platforms, versions or log entries); copy into a new, empty database", d.display, transfer.ErrNotEmpty)
	}
	for i := len(tables) - 1; i >= 0; i-- {
		// Only rows the migrations seeded (settings, a lock row) are here.
		if _, err := t.Exec(ctx, `DELETE FROM `+pgx.Identifier{tables[i].Name}.Sanitize()); err != nil {
			return fmt.Errorf("empty %s: %w", tables[i].Name, mapError(err))
		}
	}
	if err := fn(tableWriter{tx: t, cols: cols}); err != nil {
		return mapError(err)
	}
	for _, tb := range tables {
		if !hasColumn(cols.byTable[tb.Name], "id") {
			continue
		}
		var seq *string
		if err := t.QueryRow(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, pgx.Identifier{tb.Name}.Sanitize()).Scan(&seq); err != nil {
			return err
		}
		if seq == nil {
			continue
		}
		if _, err := t.Exec(ctx, `SELECT setval($1, COALESCE((SELECT MAX(id) FROM `+pgx.Identifier{tb.Name}.Sanitize()+`), 0) + 1, false)`, *seq); err != nil {
			return fmt.Errorf("move the ids of %s on: %w", tb.Name, err)
		}
	}
	if err := t.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", mapError(err))
	}
	return nil
}

func hasColumn(cols []column, name string) bool {
	for _, c := range cols {
		if c.name == name {
			return true
		}
	}
	return false
}

type tableWriter struct {
	tx   pgx.Tx
	cols schemaColumns
}

// Load copies rows into table t with COPY, converting each value to the
// column's type.
func (w tableWriter) Load(ctx context.Context, t transfer.Table, rows transfer.Rows) (int64, error) {
	kinds := map[string]string{}
	for _, c := range w.cols.byTable[t.Name] {
		kinds[c.name] = c.kind
	}
	order := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		k, ok := kinds[c]
		if !ok {
			return 0, fmt.Errorf("no column %s in %s", c, t.Name)
		}
		order[i] = k
	}
	src := &convertingRows{rows: rows, kinds: order, columns: t.Columns}
	n, err := w.tx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, src)
	if err != nil {
		return n, err
	}
	return n, src.err
}

// convertingRows adapts transfer.Rows to pgx.CopyFromSource.
type convertingRows struct {
	rows    transfer.Rows
	kinds   []string
	columns []string
	values  []any
	err     error
}

func (c *convertingRows) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	vals, err := c.rows.Values()
	if err != nil {
		c.err = err
		return false
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		if out[i], err = toColumn(c.kinds[i], v); err != nil {
			c.err = fmt.Errorf("column %s: %w", c.columns[i], err)
			return false
		}
	}
	c.values = out
	return true
}

func (c *convertingRows) Values() ([]any, error) { return c.values, nil }

func (c *convertingRows) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

// toColumn converts a value read from another store to a column's type.
func toColumn(kind string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case "timestamp with time zone":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			if x == "" {
				return nil, nil
			}
			t, err := evidence.ParseTime(x)
			if err != nil {
				if t, err = time.Parse(time.RFC3339Nano, x); err != nil {
					return nil, fmt.Errorf("%q is not a time", x)
				}
			}
			return t.UTC(), nil
		case []byte:
			return toColumn(kind, string(x))
		}
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case int32:
			return x != 0, nil
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case float64:
			return int64(x), nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case "text", "character varying":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case time.Time:
			return evidence.FormatTime(x), nil
		case int64, int32, float64, bool:
			return fmt.Sprint(x), nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "double precision", "real":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("cannot store a %T in a %s column", v, kind)
}
