package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/triage-tools/triage/internal/analysis"
)

// version and commit are set by the release build
// (-ldflags "-X main.version=... -X main.commit=..."). Otherwise they come
// from the build information the go command records (module version, VCS
// revision).
var (
	version = "dev"
	commit  = ""
)

// buildVersion is what `triage version` reports.
type buildVersion struct {
	Version  string // release version, module version, or "dev"
	Commit   string // VCS revision, "" when unknown
	Modified bool   // the working tree had uncommitted changes
	Analyzer string // the configured analyzer's version: reports made by another one are re-analysed
	Go       string // toolchain
}

// currentVersion combines the link-time variables with bi (from
// debug.ReadBuildInfo; nil when unavailable).
func currentVersion(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: version, Commit: commit, Analyzer: analyzerVersion()}
	if bi == nil {
		return v
	}
	v.Go = bi.GoVersion
	if v.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if v.Commit == "" {
				v.Commit = s.Value
			}
		case "vcs.modified":
			v.Modified = s.Value == "true" && commit == ""
		}
	}
	return v
}

func runVersion(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	bi, _ := debug.ReadBuildInfo()
	v := currentVersion(bi)
	c := v.Commit
	switch {
	case c == "":
		c = "unknown"
	case v.Modified:
		c += " (modified)"
	}
	fmt.Fprintf(stdout, "triage %s\ncommit:   %s\nanalyzer: %s\n", v.Version, c, v.Analyzer)
	if v.Go != "" {
		fmt.Fprintf(stdout, "go:       %s\n", v.Go)
	}
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
