package postgres

import (
	"fmt"
	"time"

	"policywatch/tracker"
)

// CheckLock returns the archive's check lock row (Holder is "" when free).
func (t *tx) CheckLock() (tracker.CheckLock, error) {
	var l tracker.CheckLock
	var since, expires, last *time.Time
	var pid int32
	err := t.queryRow(`SELECT holder, host, pid, since, expires_at, last_round_at FROM check_lock WHERE id = 1`).
		Scan(&l.Holder, &l.Host, &pid, &since, &expires, &last)
	if err != nil {
		return l, notFound(err, "read check lock")
	}
	l.PID = int(pid)
	l.Since, l.Expires, l.LastRound = timeOf(since), timeOf(expires), timeOf(last)
	return l, nil
}

// SetCheckLock writes the check lock row.
func (t *tx) SetCheckLock(l tracker.CheckLock) error {
	_, err := t.exec(`INSERT INTO check_lock (id, holder, host, pid, since, expires_at, last_round_at) VALUES (1, $1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
			since = excluded.since, expires_at = excluded.expires_at, last_round_at = excluded.last_round_at`,
		l.Holder, l.Host, l.PID, ts(l.Since), ts(l.Expires), ts(l.LastRound))
	if err != nil {
		return fmt.Errorf("write check lock: %w", err)
	}
	return nil
}
