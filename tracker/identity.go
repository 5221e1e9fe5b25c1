package tracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Identity is the person using PolicyWatch on this OS account: reviews and
// every log entry record it as the actor, instead of the account's name.
type Identity struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// String is the identity as the log records it: "Jane Doe <jane@acme.example>".
func (i Identity) String() string {
	if strings.ContainsAny(i.Name, "<>\"\\,@;:()[]") {
		return (&mail.Address{Name: i.Name, Address: i.Email}).String() // quoted
	}
	return i.Name + " <" + i.Email + ">"
}

// IsZero reports whether no identity is set.
func (i Identity) IsZero() bool { return i.Name == "" && i.Email == "" }

// InputError is a value given by the user that PolicyWatch refuses; its
// message is worded for them, so screens show it as it is.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// ErrNoIdentity is returned by reviews when nobody is named to sign them.
var ErrNoIdentity = errors.New("set your name and e-mail first (policywatch profile set --name \"Jane Doe\" --email jane@example.org, or Settings → Profile): a review records who made it")

// identityKey is the setting holding an OS account's identity.
func identityKey(osUser string) string { return "identity:" + osUser }

// who names the actor of the next log entry.
func (s *Service) who() string {
	if s.explicitActor != "" {
		return s.explicitActor
	}
	s.idMu.RLock()
	defer s.idMu.RUnlock()
	if !s.identity.IsZero() {
		return s.identity.String()
	}
	return s.osUser
}

// hasIdentity reports whether a named person acts (identity or WithActor).
func (s *Service) hasIdentity() bool {
	s.idMu.RLock()
	defer s.idMu.RUnlock()
	return s.explicitActor != "" || !s.identity.IsZero()
}

func (s *Service) loadIdentity(ctx context.Context) error {
	var raw string
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		raw, err = tx.Setting(identityKey(s.osUser))
		return err
	}); err != nil {
		return err
	}
	var id Identity
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &id); err != nil {
			return fmt.Errorf("the saved reviewer identity is unreadable: %w", err)
		}
	}
	s.idMu.Lock()
	s.identity = id
	s.idMu.Unlock()
	return nil
}

// Identity returns the reviewer identity saved for this OS account (zero
// when none) and the OS account's name.
func (s *Service) Identity() (Identity, string) {
	s.idMu.RLock()
	defer s.idMu.RUnlock()
	return s.identity, s.osUser
}

// SetIdentity validates and saves the reviewer identity of this OS account
// (audit-logged); entries from now on name it as the actor.
func (s *Service) SetIdentity(ctx context.Context, id Identity) error {
	id.Name, id.Email = strings.TrimSpace(id.Name), strings.TrimSpace(id.Email)
	if id.Name == "" {
		return &InputError{Msg: "a reviewer name is required"}
	}
	addr, err := mail.ParseAddress(id.Email)
	if err != nil || addr.Address != id.Email {
		return &InputError{Msg: fmt.Sprintf("%q is not an e-mail address like jane@acme.example", id.Email)}
	}
	raw, _ := json.Marshal(id)
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(identityKey(s.osUser), string(raw)); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "identity.set", "identity:"+s.osUser, id.String())
	})
	if err != nil {
		return err
	}
	s.idMu.Lock()
	s.identity = id
	s.idMu.Unlock()
	return nil
}
