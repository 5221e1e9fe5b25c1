package tracker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Lock timing: a holder renews its lock every lockRenew while it works; a
// lock not renewed for lockLease is stale and the next process takes it over.
const (
	lockLease = 2 * time.Minute
	lockRenew = 30 * time.Second
)

// Holders of the check lock, as recorded in it.
const (
	HolderGUI   = "gui"   // the desktop app
	HolderWatch = "watch" // `policywatch watch`
	HolderCheck = "check" // `policywatch check`
)

// CheckLock says who is checking the archive: one check round at a time per
// archive, whether it runs in the desktop app or in `policywatch watch`, on
// this machine or another sharing the archive. It also keeps when the last
// full round started, from which the shared schedule runs.
type CheckLock struct {
	Holder  string    // "gui", "watch" or "check"; "" when free
	Host    string    // the holder's host name
	PID     int       // the holder's process id
	Since   time.Time // when the holder took the lock
	Expires time.Time // the holder renews it while it works; after it, the lock is stale
	// LastRound is when the last full round (every tracked document) started.
	LastRound time.Time
}

// Free reports whether nobody holds the lock.
func (l CheckLock) Free() bool { return l.Holder == "" }

// Describe names the holder in words: "policywatch watch on host1 (pid 42) since 10:02".
func (l CheckLock) Describe() string {
	if l.Free() {
		return "another PolicyWatch process (starting a round just now)"
	}
	who := "the PolicyWatch desktop app"
	switch l.Holder {
	case HolderWatch:
		who = "policywatch watch"
	case HolderCheck:
		who = "policywatch check"
	}
	return fmt.Sprintf("%s on %s (pid %d) since %s", who, l.Host, l.PID, l.Since.Local().Format("2006-01-02 15:04:05"))
}

// LockedError is returned when another process holds the check lock.
type LockedError struct {
	Lock CheckLock
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another check is running on this archive: %s; try again when it has finished (a lock its holder stops renewing expires at %s)",
		e.Lock.Describe(), e.Lock.Expires.Local().Format("15:04:05"))
}

// ErrNotDue is returned for a scheduled round that is not due (another
// process ran it, or the schedule is off).
var ErrNotDue = errors.New("no scheduled round is due")

// lockOwner identifies this process in the check lock.
type lockOwner struct {
	holder string
	host   string
	pid    int
}

func thisProcess(holder string) lockOwner {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return lockOwner{holder: holder, host: host, pid: os.Getpid()}
}

// stale reports whether l, held by someone, may be taken over at now: its
// lease ran out, or its holder was a process of this host that has ended.
func (l CheckLock) stale(now time.Time, self lockOwner) bool {
	if !now.Before(l.Expires) {
		return true
	}
	return l.Host == self.host && l.PID != self.pid && !processAlive(l.PID)
}

// roundClaim is what claimLock was asked for.
type roundClaim struct {
	owner lockOwner
	// every, when non-zero, makes the claim a scheduled round: it succeeds
	// only when the last full round started at least every ago.
	every time.Duration
	// full marks a round over every tracked document, which restarts the schedule.
	full bool
	// queue puts the round's documents in the queue the workers share.
	queue bool
	// live says this process holds the archive's session lock: whoever
	// the lock row names has gone, wherever it ran (see SessionLocker).
	live bool
}

// claimLock takes the check lock for c.owner in one transaction, and for a
// scheduled round only when it is due. It returns the lock as written.
func (s *Service) claimLock(ctx context.Context, c roundClaim) (CheckLock, error) {
	var held CheckLock
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := tx.CheckLock()
		if err != nil {
			return err
		}
		// Stored times keep milliseconds: hold the lock as it reads back.
		now := s.now().UTC().Truncate(time.Millisecond)
		if !l.Free() && !c.live && !l.stale(now, c.owner) {
			return &LockedError{Lock: l}
		}
		if c.every > 0 && !l.LastRound.IsZero() && now.Sub(l.LastRound) < c.every {
			return ErrNotDue
		}
		l.Holder, l.Host, l.PID = c.owner.holder, c.owner.host, c.owner.pid
		l.Since, l.Expires = now, now.Add(lockLease)
		if c.full {
			l.LastRound = now
		}
		held = l
		if err := tx.SetCheckLock(l); err != nil {
			return err
		}
		if c.queue {
			// In the same transaction: a worker that finds the lock taken
			// finds the round's documents waiting too.
			return queueRound(tx, now)
		}
		return nil
	})
	return held, err
}

// renewLock extends the lease of a lock this process holds; it reports
// false when the lock was taken over in the meantime.
func (s *Service) renewLock(ctx context.Context, mine CheckLock) (bool, error) {
	ok := false
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := tx.CheckLock()
		if err != nil {
			return err
		}
		if !sameHolder(l, mine) {
			return nil
		}
		ok = true
		l.Expires = s.now().Add(lockLease)
		return tx.SetCheckLock(l)
	})
	return ok, err
}

// releaseLock frees the lock if this process still holds it.
func (s *Service) releaseLock(ctx context.Context, mine CheckLock) error {
	return s.store.Update(ctx, func(tx Tx) error {
		l, err := tx.CheckLock()
		if err != nil {
			return err
		}
		if !sameHolder(l, mine) {
			return nil
		}
		l.Holder, l.Host, l.PID, l.Since, l.Expires = "", "", 0, time.Time{}, time.Time{}
		return tx.SetCheckLock(l)
	})
}

func sameHolder(a, b CheckLock) bool {
	return a.Holder == b.Holder && a.Host == b.Host && a.PID == b.PID && a.Since.Equal(b.Since)
}

// CheckLockState returns the archive's check lock as stored (for display:
// who is checking, and when the last full round ran).
func (s *Service) CheckLockState(ctx context.Context) (CheckLock, error) {
	var l CheckLock
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		l, err = tx.CheckLock()
		return err
	})
	if err == nil && !l.Free() && l.stale(s.now(), thisProcess("")) {
		l.Holder = "" // a stale lock is nobody's
	}
	return l, err
}

// SessionLocker is implemented by stores whose database holds a lock for as
// long as the process that took it stays connected (PostgreSQL's advisory
// locks): the check lock of a worker that dies, on any machine, is free at
// once instead of when its lease runs out.
type SessionLocker interface {
	// TryLock takes the archive's lock of that name unless another process
	// holds it; release gives it back.
	TryLock(ctx context.Context, name string) (release func(), ok bool, err error)
}

// holdLock claims the lock and renews it in the background until release
// is called. release waits for the renewer and frees the lock. A store
// with session locks is asked first: one process at a time holds the
// round, and a holder that died holds nothing.
func (s *Service) holdLock(ctx context.Context, c roundClaim) (release func(), err error) {
	unlock := func() {}
	if sl, ok := s.store.(SessionLocker); ok {
		rel, got, err := sl.TryLock(ctx, "check")
		if err != nil {
			return nil, fmt.Errorf("take the check lock: %w", err)
		}
		if !got {
			var l CheckLock
			if err := s.store.View(ctx, func(tx Tx) error {
				var err error
				l, err = tx.CheckLock()
				return err
			}); err != nil {
				return nil, err
			}
			return nil, &LockedError{Lock: l}
		}
		unlock, c.live = rel, true
	}
	mine, err := s.claimLock(ctx, c)
	if err != nil {
		unlock()
		return nil, err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(lockRenew)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				// A failed renewal is retried at the next tick; the lease
				// is four ticks long.
				s.renewLock(context.WithoutCancel(ctx), mine)
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
		// Free the lock even when ctx was cancelled (Ctrl+C, window closed).
		s.releaseLock(context.WithoutCancel(ctx), mine)
		unlock()
	}, nil
}
