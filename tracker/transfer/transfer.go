// Package transfer copies a whole archive from one store to another, row
// for row with every id kept — versions, analyses, the evidence log and
// its signed checkpoints — and checks the copy: the same tables, the same
// number of rows in each and the same head of the log. `policywatch
// migrate` moves an SQLite archive to a team's PostgreSQL database with it,
// and copies a team archive into an SQLite file for a backup.
//
// Ids are kept because the log's hashes cover them (an entry names
// "version 12", and its own id is hashed). The destination must hold no
// archive yet: rows its migrations seeded are replaced, anything more is
// refused. Both stores convert values to their own column types (a time
// is text in SQLite and timestamptz in PostgreSQL), so the copy is exact
// in meaning, and `audit verify` on the copy recomputes every hash.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"policywatch/tracker"
)

// Table is one table of an archive: its columns in order and the tables
// its foreign keys reference.
type Table struct {
	Name       string
	Columns    []string
	References []string
}

// Rows iterates over the rows of a table, in key order.
type Rows interface {
	Next() bool
	// Values are the current row's columns: nil, int64, int32, float64,
	// bool, string, []byte or time.Time.
	Values() ([]any, error)
	Err() error
	Close()
}

// Reader reads tables from one consistent snapshot of an archive.
type Reader interface {
	Rows(ctx context.Context, t Table) (Rows, error)
}

// Writer fills tables of an archive inside one transaction.
type Writer interface {
	// Load stores every row of rows in table t and returns how many.
	Load(ctx context.Context, t Table, rows Rows) (int64, error)
}

// Store is an archive that can be copied from and into.
type Store interface {
	tracker.Store
	// Tables lists the archive's tables (schema_migrations aside).
	Tables(ctx context.Context) ([]Table, error)
	// Migrations lists the numbered migrations applied to it.
	Migrations(ctx context.Context) ([]int, error)
	// ReadTables calls fn with a reader of one snapshot of the archive.
	ReadTables(ctx context.Context, fn func(Reader) error) error
	// ReplaceTables empties the archive's tables (of rows its migrations
	// seeded) and calls fn to fill them, in one transaction; it fails,
	// changing nothing, when the archive already holds records.
	ReplaceTables(ctx context.Context, fn func(Writer) error) error
	// Count returns the number of rows in a table.
	Count(ctx context.Context, table string) (int64, error)
}

// ErrNotEmpty is returned when the destination already holds an archive.
var ErrNotEmpty = errors.New("the destination already holds an archive")

// Report says what was copied.
type Report struct {
	// Rows counts the rows of each table, on both sides once checked.
	Rows map[string]int64
	// Entries and Head are the log's length and newest hash, on both sides.
	Entries int64
	Head    string
}

// Total returns the number of rows copied.
func (r Report) Total() int64 {
	var n int64
	for _, c := range r.Rows {
		n += c
	}
	return n
}

// Copy copies every table of src into dst, which must hold no archive, and
// checks the copy (Check). Both must be at the same schema version.
func Copy(ctx context.Context, src, dst Store) (Report, error) {
	rep := Report{Rows: map[string]int64{}}
	tables, err := plan(ctx, src, dst)
	if err != nil {
		return rep, err
	}
	err = src.ReadTables(ctx, func(r Reader) error {
		return dst.ReplaceTables(ctx, func(w Writer) error {
			for _, t := range tables {
				rows, err := r.Rows(ctx, t)
				if err != nil {
					return fmt.Errorf("read %s from %s: %w", t.Name, src.Path(), err)
				}
				n, err := w.Load(ctx, t, rows)
				rows.Close()
				if err != nil {
					return fmt.Errorf("copy %s into %s: %w", t.Name, dst.Path(), err)
				}
				rep.Rows[t.Name] = n
			}
			return nil
		})
	})
	if err != nil {
		return rep, err
	}
	return Check(ctx, src, dst)
}

// plan checks that the two archives have the same schema and returns the
// tables in an order that fills every referenced table first.
func plan(ctx context.Context, src, dst Store) ([]Table, error) {
	sv, err := src.Migrations(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the schema version of %s: %w", src.Path(), err)
	}
	dv, err := dst.Migrations(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the schema version of %s: %w", dst.Path(), err)
	}
	if !slices.Equal(sv, dv) {
		return nil, fmt.Errorf("the two archives have different schema changes (%v and %v); open both with this PolicyWatch first", sv, dv)
	}
	st, err := src.Tables(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the tables of %s: %w", src.Path(), err)
	}
	dt, err := dst.Tables(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the tables of %s: %w", dst.Path(), err)
	}
	if err := sameTables(st, dt); err != nil {
		return nil, err
	}
	return order(st)
}

// sameTables requires the same tables with the same columns.
func sameTables(a, b []Table) error {
	index := map[string]Table{}
	for _, t := range b {
		index[t.Name] = t
	}
	var diffs []string
	for _, t := range a {
		o, ok := index[t.Name]
		if !ok {
			diffs = append(diffs, "table "+t.Name+" exists only in the source")
			continue
		}
		delete(index, t.Name)
		x, y := slices.Clone(t.Columns), slices.Clone(o.Columns)
		sort.Strings(x)
		sort.Strings(y)
		if !slices.Equal(x, y) {
			diffs = append(diffs, fmt.Sprintf("table %s has columns %v in the source and %v in the destination", t.Name, x, y))
		}
	}
	for name := range index {
		diffs = append(diffs, "table "+name+" exists only in the destination")
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		return fmt.Errorf("the two archives' schemas differ: %s", strings.Join(diffs, "; "))
	}
	return nil
}

// order sorts tables so that each comes after the tables it references.
func order(tables []Table) ([]Table, error) {
	byName := map[string]Table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	names := make([]string, 0, len(tables))
	for _, t := range tables {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	var out []Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("the tables reference each other in a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		refs := slices.Clone(byName[n].References)
		sort.Strings(refs)
		for _, r := range refs {
			if _, ok := byName[r]; ok && r != n {
				if err := visit(r); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		out = append(out, byName[n])
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Check compares two archives: the same tables, the same number of rows in
// each, and the same log (length and head hash).
func Check(ctx context.Context, src, dst Store) (Report, error) {
	rep := Report{Rows: map[string]int64{}}
	tables, err := plan(ctx, src, dst)
	if err != nil {
		return rep, err
	}
	var diffs []string
	for _, t := range tables {
		a, err := src.Count(ctx, t.Name)
		if err != nil {
			return rep, fmt.Errorf("count %s in %s: %w", t.Name, src.Path(), err)
		}
		b, err := dst.Count(ctx, t.Name)
		if err != nil {
			return rep, fmt.Errorf("count %s in %s: %w", t.Name, dst.Path(), err)
		}
		if a != b {
			diffs = append(diffs, fmt.Sprintf("%s has %d rows in the source and %d in the copy", t.Name, a, b))
		}
		rep.Rows[t.Name] = b
	}
	ha, err := head(ctx, src)
	if err != nil {
		return rep, err
	}
	hb, err := head(ctx, dst)
	if err != nil {
		return rep, err
	}
	if ha != hb {
		diffs = append(diffs, fmt.Sprintf("the log's head is entry %d %s in the source and entry %d %s in the copy", ha.ID, short(ha.Hash), hb.ID, short(hb.Hash)))
	}
	rep.Entries, rep.Head = hb.ID, hb.Hash
	if len(diffs) > 0 {
		return rep, fmt.Errorf("the copy differs from the source: %s", strings.Join(diffs, "; "))
	}
	return rep, nil
}

type logHead struct {
	ID   int64
	Hash string
}

func head(ctx context.Context, st Store) (logHead, error) {
	var h logHead
	err := st.View(ctx, func(tx tracker.Tx) error {
		e, err := tx.LastAudit()
		if errors.Is(err, tracker.ErrNotFound) {
			return nil
		}
		h = logHead{e.ID, e.Hash}
		return err
	})
	if err != nil {
		return h, fmt.Errorf("read the log of %s: %w", st.Path(), err)
	}
	return h, nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}
