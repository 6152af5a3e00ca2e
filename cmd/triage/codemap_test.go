package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// TestCodeMapMatchesImports checks the README's "Code map": every package
// of the module is listed, once, every line names a package, and a package
// imports only packages listed below it, so the table is also the one-way
// import order.
func TestCodeMapMatchesImports(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme := testutil.ReadFile(t, filepath.Join(root, "README.md"))
	_, section, ok := strings.Cut(string(readme), "## Code map")
	if !ok {
		t.Fatal(`README.md has no "## Code map" section`)
	}
	pos := map[string]int{}
	for i, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(section, -1) {
		if _, dup := pos[m[1]]; dup {
			t.Errorf("the code map lists %s twice", m[1])
		}
		pos[m[1]] = i
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	const mod = "github.com/triage-tools/triage/"
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		me := strings.TrimPrefix(f[0], mod)
		seen[me] = true
		at, listed := pos[me]
		if !listed {
			t.Errorf("package %s is not in the README's code map", me)
			continue
		}
		for _, imp := range f[1:] {
			dep, ours := strings.CutPrefix(imp, mod)
			if !ours {
				continue
			}
			if p, ok := pos[dep]; ok && p <= at {
				t.Errorf("%s imports %s, which the code map lists above it", me, dep)
			}
		}
	}
	for p := range pos {
		if !seen[p] {
			t.Errorf("the code map lists %s, which is not a package of the module", p)
		}
	}
}
