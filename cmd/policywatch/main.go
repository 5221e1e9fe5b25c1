// Command policywatch is PolicyWatch: with no command it opens the desktop
// app; with a command it runs that command of the CLI (see usage).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
