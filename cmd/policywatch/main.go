// Command policywatch is PolicyWatch: with no command it opens the desktop
// app; with a command it runs that command of the CLI (see usage).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	// first, so that they act before the libraries initialise
	_ "policywatch/cmd/policywatch/internal/plainlocale"
	"policywatch/cmd/policywatch/internal/quietgc"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// oneShot are the commands that read at most two files and exit: they keep
// the garbage collector off (up to a memory limit), the others restore it.
var oneShot = map[string]bool{"diff": true, "analyze": true, "version": true}

func main() {
	if len(os.Args) > 1 && oneShot[os.Args[1]] {
		quietgc.OneShot()
	} else {
		quietgc.Restore()
	}
	ctx, stop := interruptible()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptGrace is how long a command may take to wind down after Ctrl+C
// or SIGTERM before the process exits regardless. Every command stops its
// reading, fetching, rendering and storing as soon as its context is
// cancelled (well within a second); the grace is a backstop for the rest
// (closing the archive or the browser on a machine under load) that must not cut a clean
// stop short. Every store write is a transaction and every report is
// written to a temporary file first, so exiting mid-way loses nothing that
// was committed and leaves nothing half-written.
const interruptGrace = 10 * time.Second

// repeatWindow is how soon after the first signal a second one counts as a
// repeat of it rather than a second Ctrl+C: timeout(1) sends its signal to
// the command and again to the command's process group, and a service
// manager may do the same.
const repeatWindow = time.Second

// interruptible returns a context cancelled by the first SIGINT or SIGTERM.
// A command that has not returned within interruptGrace of it, or a second
// signal (see forceAfter), ends the process with status 130.
func interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
		case <-ctx.Done():
			return
		}
		cancel()
		forceAfter(sig, interruptGrace, repeatWindow)
		fmt.Fprintln(os.Stderr, "policywatch: interrupted")
		os.Exit(130)
	}()
	return ctx, func() { signal.Stop(sig); cancel() }
}

// forceAfter returns, after a first signal, when the process should end
// regardless: at a signal that comes window or more after the first (the
// user pressed Ctrl+C again), or when grace has passed. Signals within
// window of the first are repeats of it and ignored.
func forceAfter(sig <-chan os.Signal, grace, window time.Duration) {
	first := time.Now()
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	for {
		select {
		case <-sig:
			if time.Since(first) >= window {
				return
			}
		case <-deadline.C:
			return
		}
	}
}
