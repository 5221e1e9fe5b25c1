package tampertest

import (
	"database/sql"
	"testing"
)

// Cell is one text value of an archive file, with where it is stored.
type Cell struct {
	Table, Column, Text string
}

// TextCells reads every text value of every table of the SQLite archive
// at path, as someone with a copy of the file would: tests use it to check
// that a secret is stored nowhere in it.
func TextCells(t testing.TB, path string) []Cell {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	var out []Cell
	for _, table := range tables {
		out = append(out, tableCells(t, db, table)...)
	}
	return out
}

// tableCells reads the text values of one table.
func tableCells(t testing.TB, db *sql.DB, table string) []Cell {
	t.Helper()
	r, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []Cell
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case string:
				out = append(out, Cell{table, cols[i], x})
			case []byte:
				out = append(out, Cell{table, cols[i], string(x)})
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
