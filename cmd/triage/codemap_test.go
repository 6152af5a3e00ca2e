package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCodeMapMatchesImports checks the README's "Code map": every package
// of the module is listed (the demo builder's internal package aside), and
// a package imports only packages listed below it, so the table is also
// the one-way import order.
func TestCodeMapMatchesImports(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Code map")
	if !ok {
		t.Fatal(`README.md has no "## Code map" section`)
	}
	pos := map[string]int{}
	for i, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(section, -1) {
		pos[m[1]] = i
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	const mod = "github.com/triage-tools/triage/"
	skip := func(p string) bool { return strings.HasPrefix(p, "internal/demo/") }
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		me := strings.TrimPrefix(f[0], mod)
		if skip(me) {
			continue
		}
		at, listed := pos[me]
		if !listed {
			t.Errorf("package %s is not in the README's code map", me)
			continue
		}
		for _, imp := range f[1:] {
			dep, ours := strings.CutPrefix(imp, mod)
			if !ours || skip(dep) {
				continue
			}
			if p, ok := pos[dep]; ok && p <= at {
				t.Errorf("%s imports %s, which the code map lists above it", me, dep)
			}
		}
	}
}
