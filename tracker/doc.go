// Package tracker is PolicyWatch's domain: platforms and their governance
// documents, archived versions, check events, analysed changes, due-diligence
// checklists, the organisation profile and the hash-chained audit log.
//
// It owns the storage interfaces (Store, Tx) and the Service that the GUI and
// the CLI both call. It holds no SQL and imports no GUI toolkit; the SQLite
// implementation lives in tracker/sqlite.
package tracker
