// Command gen writes the demo mailbox embedded by package demo.
//
// It is run by "go generate ./internal/demo/" from the package directory:
//
//	go run ./gen -o demo.mbox
//
// The output is deterministic; demo_test.go fails when the committed file
// differs from what the generator produces.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/triage-tools/triage/internal/demo/internal/build"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("o", "demo.mbox", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return os.WriteFile(*out, build.Build(), 0o644)
}
