package main

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// TestShowPrintsOnlyThroughTextOut keeps show.go structural: the only
// call that writes is the one inside textOut.f, so a field added later
// cannot be printed without being sanitised.
func TestShowPrintsOnlyThroughTextOut(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "show.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	writers := map[string]bool{"Fprintf": true, "Fprint": true, "Fprintln": true, "Printf": true, "Print": true,
		"Println": true, "Write": true, "WriteString": true, "WriteByte": true, "WriteRune": true, "Encode": true}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		if fn.Name.Name == "f" && fn.Recv != nil {
			continue // textOut.f itself
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && writers[sel.Sel.Name] {
				t.Errorf("%s: %s writes without textOut.f", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// TestShowScoreOutOfRange: an imported report's score is not trusted to be
// 0–100; the bar is clamped instead of panicking.
func TestShowScoreOutOfRange(t *testing.T) {
	for _, score := range []int{-40, 0, 100, 250} {
		var buf bytes.Buffer
		printReport(&buf, &analysis.Report{ID: "sha256:00", Score: score}, "", nil, nil, nil)
		if !strings.Contains(buf.String(), "Score") {
			t.Errorf("score %d: %q", score, buf.String())
		}
	}
}

// show prints the authenticated identity as one line, and why there is
// none when a forwarder's pass was withdrawn.
func TestShowIdentityLine(t *testing.T) {
	for _, tt := range []struct {
		auth analysis.Auth
		want string
	}{
		{analysis.Auth{Trusted: true, Identity: &analysis.Identity{Domain: "paypal.com", Methods: []string{"dmarc", "dkim"}}},
			"Sender ID   authenticated as paypal.com (DMARC pass, aligned DKIM)\n"},
		{analysis.Auth{Trusted: true, ARCFirstFail: true},
			"Sender ID   not authenticated: the pass came through a forwarder whose first hop saw SPF/DMARC fail (ARC i=1)\n"},
	} {
		var buf bytes.Buffer
		printReport(&buf, &analysis.Report{ID: "sha256:00", Auth: tt.auth}, "", nil, nil, nil)
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("show output lacks %q:\n%s", tt.want, buf.String())
		}
	}
}

// TestFirstRaw: the first locator that still reads wins; with none that
// reads, the first failure is the error, and with no locator the given one.
func TestFirstRaw(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "m.eml")
	testutil.WriteFile(t, good, []byte("Subject: hi\n\nbody\n"))
	gone := store.Locator{Path: filepath.Join(dir, "gone.eml")}
	none := errors.New("no locator")
	raw, err := firstRaw([]store.Locator{gone, {Path: good}}, none)
	if err != nil || string(raw) != "Subject: hi\n\nbody\n" {
		t.Errorf("firstRaw(gone, good) = %q, %v", raw, err)
	}
	if _, err := firstRaw([]store.Locator{gone, {Path: "-"}}, none); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("firstRaw(gone, stdin) error %v; want the first one (not exist)", err)
	}
	if _, err := firstRaw(nil, none); err != none {
		t.Errorf("firstRaw(nil) error %v; want %v", err, none)
	}
}
