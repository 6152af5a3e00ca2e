package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// hostileText carries a title-setting OSC, a CSI, a one-character C1 CSI
// (U+009B) and a raw 0x9b byte, bidi overrides and isolates, zero-width
// characters and a line separator.
const hostileText = "x\x1b]0;pwned\x07\x1b[2J\u009b31m\x9b\u202eexe.pdf\u2066\u200b\u200d\ufeff\u2028y"

// terminalUnsafe returns the characters of s that must never reach a
// terminal raw: C0 controls other than newline, DEL, C1 controls, format
// characters (bidi, zero-width…), line/paragraph separators and bytes that
// are not UTF-8.
func terminalUnsafe(s string) []string {
	var bad []string
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				bad = append(bad, fmt.Sprintf("byte %#x", s[i]))
			}
		case r == '\n':
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			bad = append(bad, fmt.Sprintf("%U", r))
		}
	}
	return bad
}

// fillHostile sets every string reachable from v (fields, slice elements,
// pointed-to values) to hostileText, giving each slice one element, so that
// a field added later is covered without changing this test.
func fillHostile(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(hostileText)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillHostile(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillHostile(s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillHostile(p.Elem())
		v.Set(p)
	}
}

// hostileStore writes a store whose report, locator, label history and
// note carry hostileText in every string field, and returns its path and
// the message ID.
func hostileStore(t *testing.T) (string, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hostile.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var rep analysis.Report
	fillHostile(reflect.ValueOf(&rep).Elem())
	rep.ID = "sha256:" + strings.Repeat("ab", 32)
	rep.Score = 100
	var loc store.Locator
	fillHostile(reflect.ValueOf(&loc).Elem())
	loc.File = "" // show prints the offset form too
	if err := st.PutBatch([]store.Entry{{Report: &rep, Locator: loc}}); err != nil {
		t.Fatal(err)
	}
	var by store.Actor
	fillHostile(reflect.ValueOf(&by).Elem())
	if _, err := st.SetLabel(rep.ID, "phish", by); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddNote(rep.ID, hostileText+"\nsecond line "+hostileText, by); err != nil {
		t.Fatal(err)
	}
	return db, rep.ID
}

// TestShowSanitisesEveryField is issue 12 failure 9: whatever the origin
// of a stored field (analysis or an import), `show` prints it sanitised.
func TestShowSanitisesEveryField(t *testing.T) {
	db, id := hostileStore(t)
	out, errOut, err := triage(t, "", "show", "--db", db, id)
	if err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	if bad := terminalUnsafe(out + errOut); len(bad) > 0 {
		t.Errorf("show printed raw %v:\n%s", bad, out)
	}
	// The evidence is shown, as placeholders, not dropped.
	testutil.TextHas(t, "show output", out, "‹OSC›", "‹CSI›", "‹U+009B›", "‹\\x9b›", "‹RLO›", "‹ZWSP›")
	// Every line that names a field shows the payload: a field that skipped
	// sanitising would have failed above; one that vanished fails here.
	if n, min := strings.Count(out, "‹OSC›"), 30; n < min {
		t.Errorf("payload shown %d times, want at least %d:\n%s", n, min, out)
	}
}

// jsonUnsafe returns the characters of s that JSON output must escape.
func jsonUnsafe(s string) []string {
	var bad []string
	for _, b := range terminalUnsafe(s) {
		if b != "U+0009" && b != "U+000D" { // never produced, but harmless white space
			bad = append(bad, b)
		}
	}
	return bad
}

// sameJSON reports whether a and b decode to equal values.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

// TestJSONOutputsEscapeInvisible is issue 12 failure 15: show --json and
// export (json and jsonl, with and without --ascii) contain no raw C1,
// bidi or zero-width characters, and decode to exactly the stored values.
func TestJSONOutputsEscapeInvisible(t *testing.T) {
	db, id := hostileStore(t)
	st, err := store.Open(db, store.Options{ReadOnly: true, Raw: readRaw}) // as show opens it
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Report(id)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(rep)

	for _, ascii := range []bool{false, true} {
		out := checkedJSONRun(t, "show --json", ascii, "show", "--db", db, "--json", id)
		var rec struct {
			Report json.RawMessage `json:"report"`
		}
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, rec.Report, want) {
			t.Errorf("ascii=%v: show --json report does not decode to the stored report", ascii)
		}
	}

	plain, _, err := triage(t, "", "export", "--db", db, "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	checkJSONBytes(t, "export --format jsonl", plain, false)
	for _, args := range [][]string{{"--format", "json"}, {"--format", "jsonl", "--ascii"}, {"--format", "json", "--ascii"}} {
		out, _, err := triage(t, "", append([]string{"export", "--db", db}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		ascii := args[len(args)-1] == "--ascii"
		checkJSONBytes(t, "export "+strings.Join(args, " "), out, ascii)
		if args[1] == "jsonl" {
			// Line by line, the escaped export decodes to the same values as
			// the plain one, except for the export time in the header.
			got, base := strings.Split(out, "\n"), strings.Split(plain, "\n")
			if len(got) != len(base) || !sameJSON(t, []byte(got[1]), []byte(base[1])) {
				t.Errorf("export %v does not decode to the same message", args)
			}
		}
	}
}

// checkedJSONRun runs triage with args (and --ascii when ascii), checks
// its output with checkJSONBytes and returns it.
func checkedJSONRun(t *testing.T, what string, ascii bool, args ...string) string {
	t.Helper()
	if ascii {
		args = append(args, "--ascii")
	}
	out, _, err := triage(t, "", args...)
	if err != nil {
		t.Fatal(err)
	}
	checkJSONBytes(t, what, out, ascii)
	return out
}

// checkJSONBytes fails when out holds a raw character that must be
// escaped (with ascii: any non-ASCII byte).
func checkJSONBytes(t *testing.T, what, out string, ascii bool) {
	t.Helper()
	if !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\u009b`) || !strings.Contains(out, `\u200b`) {
		t.Errorf("%s: the payload is not in the output as escapes", what)
	}
	if bad := jsonUnsafe(out); len(bad) > 0 {
		t.Errorf("%s: raw %v in the output", what, bad)
	}
	if ascii {
		for i := 0; i < len(out); i++ {
			if out[i] >= utf8.RuneSelf {
				t.Errorf("%s --ascii: non-ASCII byte %#x at %d", what, out[i], i)
				break
			}
		}
	}
}

// TestScanJSONLEscapesInvisible: scan --jsonl escapes the same characters,
// and the subject decodes to what the message holds.
func TestScanJSONLEscapesInvisible(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "evil.eml")
	subject := "pay\u202eexe.pdf\u009b31m\u200bnow"
	raw := "From: a@example.net\r\nTo: b@example.com\r\nSubject: " + subject + "\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nhi\r\n"
	testutil.WriteFile(t, p, []byte(raw))
	for _, ascii := range []bool{false, true} {
		out := checkedJSONRun(t, "scan --jsonl", ascii, "scan", "--no-store", "--jsonl", p)
		recs := decodeLines(t, out)
		if len(recs) != 1 || recs[0]["subject"] != subject {
			t.Errorf("ascii=%v: subject does not round-trip: %q", ascii, recs[0]["subject"])
		}
	}
}

// TestOperatorTextSanitised is issue 12 failure 14: an analyst name, an
// unknown flag, and paths in error messages are printed sanitised.
func TestOperatorTextSanitised(t *testing.T) {
	db, id := hostileStore(t)
	out, errOut, err := triage(t, "", "label", "--db", db, "--analyst", hostileText, id, "spam")
	if err != nil {
		t.Fatal(err)
	}
	if bad := terminalUnsafe(out + errOut); len(bad) > 0 {
		t.Errorf("label printed raw %v: %q", bad, out)
	}
	if !strings.Contains(out, "‹OSC›") {
		t.Errorf("analyst name not shown: %q", out)
	}

	_, errOut, err = triage(t, "", "show", "--db", db, "--"+hostileText, id)
	if exitCode(err) != 2 {
		t.Errorf("unknown flag: exit %d", exitCode(err))
	}
	if bad := terminalUnsafe(errOut); len(bad) > 0 || !strings.Contains(errOut, "‹OSC›") {
		t.Errorf("flag error printed raw %v: %q", bad, errOut)
	}

	missing := filepath.Join(t.TempDir(), hostileText+".mbox")
	for _, args := range [][]string{
		{"scan", "--no-store", missing},
		{"import", "--db", db, missing},
		{"show", "--db", missing + ".db", id},
		{"show", "--db", db, "nope" + hostileText},
		{"export", "--db", db, "-o", filepath.Join(missing, "out.json")},
	} {
		_, _, err := triage(t, "", args...)
		if err == nil {
			t.Fatalf("%v: no error", args[0])
		}
		var buf bytes.Buffer
		code := reportError(&buf, err)
		if code == 0 {
			t.Errorf("%v: exit status 0", args[0])
		}
		if bad := terminalUnsafe(buf.String()); len(bad) > 0 {
			t.Errorf("%v: error printed raw %v: %q", args[0], bad, buf.String())
		}
		// A path is shown with placeholders; a quoted (%q) reference with Go escapes.
		if !strings.HasPrefix(buf.String(), "triage: ") || !strings.Contains(buf.String(), "‹OSC›") && !strings.Contains(buf.String(), `\x1b]0;`) {
			t.Errorf("%v: error does not name the path: %q", args[0], buf.String())
		}
	}
}
