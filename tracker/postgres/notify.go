package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/tracker"
)

var _ tracker.ChangeNotifier = (*DB)(nil)

// notifyChannel is the channel migration 0060's trigger announces every new
// log entry on, when its transaction commits.
const notifyChannel = "policywatch"

// NotifyChanges listens on a connection of its own for the log's
// announcements and signals (coalesced) for those of this archive's schema.
// A lost connection is re-opened with backoff, and signalled once when it
// is back, since announcements made meanwhile were lost.
func (d *DB) NotifyChanges(ctx context.Context) (<-chan struct{}, error) {
	out := make(chan struct{}, 1)
	signal := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	conn, err := d.listener(ctx)
	if err != nil {
		return nil, err
	}
	go func() {
		defer close(out)
		backoff := time.Second
		for {
			if conn != nil {
				d.waitNotifications(ctx, conn, signal)
				conn.Close(context.WithoutCancel(ctx))
				conn = nil
			}
			if ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Minute)
			if c, err := d.listener(ctx); err == nil {
				conn, backoff = c, time.Second
				signal()
			}
		}
	}()
	return out, nil
}

// listener opens a connection outside the pool and listens on it.
func (d *DB) listener(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, connectAdvice(err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// waitNotifications signals for each announcement about this archive until
// ctx ends or the connection fails.
func (d *DB) waitNotifications(ctx context.Context, conn *pgx.Conn, signal func()) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		var p struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal([]byte(n.Payload), &p) == nil && p.Schema != d.schema {
			continue
		}
		signal()
	}
}
