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
	fmt.Fprintf(stdout, "triage %s (analyzer %s)\n", v, analyzerVersion())
	return nil
}

// analyzerVersion is the version of the analyzer the default
// configuration file builds (code version + configuration hash), or the
// code version alone when that file cannot be read.
func analyzerVersion() string {
	fc, err := loadConfig("")
	if err != nil {
		return analysis.CodeVersion()
	}
	cfg, err := fc.analysisConfig("")
	if err != nil {
		return analysis.CodeVersion()
	}
	return analysis.New(cfg).Version()
}
