// Command triage is a terminal workbench for triaging suspicious email.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/triage-tools/triage/cmd/triage/internal/proctune"
)

func main() {
	// SIGHUP (the terminal closed) is handled like SIGTERM, so that deferred
	// clean-up runs (the demo's temporary folder, the store's lock).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	// The first Ctrl+C, SIGTERM or SIGHUP cancels ctx, and every long
	// operation honours it; a second one gets the default action (the
	// process ends).
	context.AfterFunc(ctx, stop)
	stopProfiles := proctune.StartProfiles()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopProfiles()
	stop()
	if code := reportError(os.Stderr, err); code != 0 {
		os.Exit(code)
	}
}
