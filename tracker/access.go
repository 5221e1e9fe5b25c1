package tracker

import (
	"context"
	"fmt"
)

// Access is who is signed in to the archive and what they may do. A team
// archive (PostgreSQL) says it from the database role the connection signed
// in as; an SQLite file belongs to the OS account that opened it.
type Access struct {
	// Account is the database role signed in; "" for an archive file.
	Account string `json:"account"`
	// Role says what the account may do, in words: "owner", "editor",
	// "reviewer (read and export)", "read only".
	Role string `json:"role"`
	// Edit: check, review, edit the checklist, change settings and
	// documents. Log: append to the evidence log and sign checkpoints
	// (exports and backups are logged). Admin: create and upgrade the
	// archive's tables.
	Edit, Log, Admin bool
}

// Team reports whether the archive is a team's database one signs in to.
func (a Access) Team() bool { return a.Account != "" }

// ReadOnly reports whether the account may not change the archive.
func (a Access) ReadOnly() bool { return !a.Edit }

// Describe says it in one line: "jane (editor)".
func (a Access) Describe() string {
	if a.Account == "" {
		return a.Role
	}
	return fmt.Sprintf("%s (%s)", a.Account, a.Role)
}

// AccessReporter is implemented by stores whose users sign in (PostgreSQL).
type AccessReporter interface {
	// Access says who the connection signed in as and what it may do.
	Access(ctx context.Context) (Access, error)
}

// fullAccess is the access of the OS account that owns an archive file.
var fullAccess = Access{Role: "owner of the archive file", Edit: true, Log: true, Admin: true}

// loadAccess asks the store who is signed in. The database role then names
// the person: their reviewer identity is kept under it, and it is the actor
// of their log entries until they set one.
func (s *Service) loadAccess(ctx context.Context) error {
	s.access = fullAccess
	r, ok := s.store.(AccessReporter)
	if !ok {
		return nil
	}
	a, err := r.Access(ctx)
	if err != nil {
		return fmt.Errorf("read what your database role may do: %w", err)
	}
	s.access = a
	if a.Account != "" {
		s.osUser = a.Account
	}
	return nil
}

// Access returns who is signed in to the archive and what they may do, as
// read when the service started.
func (s *Service) Access() Access { return s.access }
