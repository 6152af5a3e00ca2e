package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// helpFlags returns the flag names a flag-package usage text lists.
func helpFlags(usage string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(usage, -1) {
		out = append(out, m[1])
	}
	return out
}

func docNames(flags []docFlag) []string {
	var out []string
	for _, f := range flags {
		out = append(out, f.name)
	}
	return out
}

// TestHelpListsEveryFlag: "triage -h" lists the workbench's flags and
// "triage COMMAND -h" each command's, and the flags the generated
// documents describe are exactly those the commands parse.
func TestHelpListsEveryFlag(t *testing.T) {
	cmds := docCommands()
	if len(cmds) != len(commands())+1 {
		t.Fatalf("%d documented commands for %d commands", len(cmds), len(commands()))
	}
	for _, c := range cmds {
		args := []string{c.name, "-h"}
		if c.name == "" {
			args = []string{"--bogus-flag"} // the workbench's own flag set prints the usage
		}
		out, errOut, err := triage(t, "", args...)
		help := out + errOut
		if c.name == "" && exitCode(err) != 2 || c.name != "" && exitCode(err) != 0 {
			t.Errorf("triage %q: %v", args, err)
		}
		if got, want := helpFlags(help), docNames(c.flags); !slices.Equal(got, want) {
			t.Errorf("triage %q lists flags %q; the command parses %q", args, got, want)
		}
		if !strings.Contains(help, c.summary) {
			t.Errorf("triage %q does not say what the command does (%q):\n%s", args, c.summary, help)
		}
		if c.name != "" && c.summary == "" || !strings.HasPrefix(c.synopsis, c.name) {
			t.Errorf("command %q: synopsis %q, summary %q", c.name, c.synopsis, c.summary)
		}
	}
	out, _, err := triage(t, "", "-h")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := helpFlags(out), docNames(cmds[0].flags); !slices.Equal(got, want) || len(want) < 5 {
		t.Errorf("triage -h lists %q, want the workbench's flags %q", got, want)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "triage "+c.synopsis) {
			t.Errorf("triage -h does not list %q", c.synopsis)
		}
	}
}

// section returns the part of script from the first line equal to start
// up to the next line that contains end.
func section(t *testing.T, script, start, end string) string {
	t.Helper()
	i := strings.Index(script, "\n"+start+"\n")
	if i < 0 {
		t.Fatalf("no %q in\n%s", start, script)
	}
	rest := script[i+len(start)+2:]
	if j := strings.Index(rest, end); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func completion(t *testing.T, shell string) string {
	t.Helper()
	out, _, err := triage(t, "", "completion", shell)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCompletionScripts: every flag of every command appears in that
// command's part of each script, and each script parses in its shell.
func TestCompletionScripts(t *testing.T) {
	for _, c := range docCommands() {
		label := c.name
		if label == "" {
			label = "*"
		}
		bash := section(t, completion(t, "bash"), "\t"+label+")", ";;")
		zsh := section(t, completion(t, "zsh"), "\t("+label+")", ";;")
		var fish []string
		cond := "'__fish_seen_subcommand_from " + c.name + "'"
		if c.name == "" {
			cond = "'not __fish_seen_subcommand_from "
		}
		for _, l := range strings.Split(completion(t, "fish"), "\n") {
			if strings.Contains(l, " -n "+cond) {
				fish = append(fish, l)
			}
		}
		for _, f := range c.flags {
			if !regexp.MustCompile(`[' ]` + regexp.QuoteMeta(f.dashed()) + `[' ]`).MatchString(bash) {
				t.Errorf("bash, %q: no %s", label, f.dashed())
			}
			if !strings.Contains(zsh, "'"+f.dashed()+"[") && !strings.Contains(zsh, "'"+f.dashed()+"=[") {
				t.Errorf("zsh, %q: no %s", label, f.dashed())
			}
			opt := " -l " + f.name + " "
			if len(f.name) == 1 {
				opt = " -s " + f.name + " "
			}
			if !slices.ContainsFunc(fish, func(l string) bool { return strings.Contains(l, opt) }) {
				t.Errorf("fish, %q: no %s", label, opt)
			}
		}
	}
	for _, shell := range completionShells {
		path, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not installed: syntax not checked", shell)
			continue
		}
		if out, err := exec.Command(path, "-n", completionFile(t, shell)).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
	}
	if _, _, err := triage(t, "", "completion", "tcsh"); exitCode(err) != 2 {
		t.Errorf("unknown shell: %v", err)
	}
}

// completionFile writes the completion script for shell to a temporary
// file and returns its path.
func completionFile(t *testing.T, shell string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "triage."+shell)
	if err := os.WriteFile(file, []byte(completion(t, shell)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestCompletionBashCompletes runs the bash script's function on typed
// command lines.
func TestCompletionBashCompletes(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	file := completionFile(t, "bash")
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"triage sc", []string{"scan"}},
		{"triage scan --js", []string{"--jsonl"}},
		{"triage --de", []string{"--demo"}},
		{"triage export --inc", []string{"--include-raw"}},
		{"triage serve --max", []string{"--max-sessions"}},
		{"triage completion ", []string{"bash", "fish", "zsh"}},
	} {
		words := strings.Split(tc.line, " ")
		script := "source " + shQuote(file) + "\nCOMP_WORDS=(" + strings.Join(mapSlice(words, shQuote), " ") + ")\n" +
			"COMP_CWORD=" + strconv.Itoa(len(words)-1) + "\n_triage\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort\n"
		cmd := exec.Command("bash", "--norc", "--noprofile", "-c", script)
		cmd.Dir = t.TempDir() // no file names to complete
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		if got := strings.Fields(string(out)); !slices.Equal(got, tc.want) {
			t.Errorf("%q completes to %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestCompletionFishCompletes asks fish for completions of typed command
// lines.
func TestCompletionFishCompletes(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish not installed")
	}
	file := completionFile(t, "fish")
	for _, tc := range []struct{ line, want string }{
		{"triage sc", "scan"},
		{"triage scan --js", "--jsonl"},
		{"triage --de", "--demo"},
		{"triage completion ", "zsh"},
	} {
		cmd := exec.Command("fish", "--no-config", "-c", "source "+shQuote(file)+"; complete -C "+shQuote(tc.line))
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			got = append(got, strings.SplitN(l, "\t", 2)[0])
		}
		if !slices.Contains(got, tc.want) {
			t.Errorf("%q completes to %q, want %q among them", tc.line, got, tc.want)
		}
	}
}

// TestManPage: every flag of every command is in that command's section
// of the man page, and groff renders it without warnings.
func TestManPage(t *testing.T) {
	out, _, err := triage(t, "", "man")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range docCommands() {
		part := section(t, out, ".SH OPTIONS", ".SH COMMANDS")
		if c.name != "" {
			part = section(t, out, `.SS "triage `+roff(c.synopsis)+`"`, ".SS")
		}
		for _, f := range c.flags {
			if !strings.Contains(part, roff(f.dashed())+"\n") && !strings.Contains(part, roff(f.dashed())+` "`) {
				t.Errorf("man page, %q: no %s", c.name, f.dashed())
			}
		}
	}
	if !strings.HasPrefix(out, `.\"`) || !strings.Contains(out, "\n.TH TRIAGE 1 ") {
		t.Errorf("not a man page:\n%.200s", out)
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Log("groff not installed: rendering not checked")
		return
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(out)
	if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
		t.Errorf("groff: %v\n%s", err, msg)
	}
}

// TestVersion: the version, the commit (from the build information or the
// link-time variable) and the analyzer version.
func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "true"}}}
	v := currentVersion(bi)
	if v.Version != "v1.2.3" || v.Commit != "0123456789abcdef0123456789abcdef01234567" || !v.Modified || v.Analyzer != analyzerVersion() {
		t.Errorf("from build info: %+v", v)
	}
	saved := commit
	commit = "fedcba9"
	t.Cleanup(func() { commit = saved })
	if v := currentVersion(bi); v.Commit != "fedcba9" || v.Modified {
		t.Errorf("with -X main.commit: %+v", v)
	}
	out, _, err := triage(t, "", "version")
	if err != nil {
		t.Fatal(err)
	}
	testutil.TextHas(t, "version output", out, "triage ", "commit:   fedcba9", "analyzer: "+analyzerVersion())
	if _, _, err := triage(t, "", "version", "extra"); exitCode(err) != 2 {
		t.Errorf("version with an argument: %v", err)
	}
}

func mapSlice(s []string, f func(string) string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
