package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/triage-tools/triage/internal/analysis"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	v := version
	if v == "dev" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	fmt.Fprintf(stdout, "triage %s (analyzer %s)\n", v, analysis.Version)
	return nil
}
