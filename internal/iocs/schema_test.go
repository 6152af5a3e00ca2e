package iocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"
)

// compiler returns a JSON Schema compiler that knows every schema under
// dir by its $id (or draft-04 id), so that nothing is fetched.
func compiler(t *testing.T, dir string) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		m, _ := doc.(map[string]any)
		id, _ := m["$id"].(string)
		if id == "" {
			id, _ = m["id"].(string)
		}
		if id == "" {
			return nil // not a schema (describeTypes.json)
		}
		fixMISPSchema(m)
		return c.AddResource(id, doc)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixMISPSchema moves the one misplaced keyword of PyMISP's schema.json:
// defs.sharing_group has its "required" list inside "properties", where
// a schema must be an object. Python's jsonschema does not check schemas
// against the meta-schema by default; this validator does, and refuses
// it. The list becomes the "required" keyword it was meant to be.
func fixMISPSchema(m map[string]any) {
	defs, _ := m["defs"].(map[string]any)
	sg, _ := defs["sharing_group"].(map[string]any)
	props, _ := sg["properties"].(map[string]any)
	if req, ok := props["required"].([]any); ok {
		delete(props, "required")
		sg["required"] = req
	}
}

const stixBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

func decode(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// stixErrors validates a bundle and each of its objects against its
// type's schema and checks every indicator's pattern.
func stixErrors(t *testing.T, c *jsonschema.Compiler, bundle []byte) []string {
	var errs []string
	sch, err := c.Compile(stixBase + "common/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(decode(t, bundle)); err != nil {
		errs = append(errs, "bundle: "+err.Error())
	}
	var b struct{ Objects []json.RawMessage }
	if err := json.Unmarshal(bundle, &b); err != nil {
		t.Fatal(err)
	}
	for _, raw := range b.Objects {
		var o struct{ Type, ID, Pattern string }
		json.Unmarshal(raw, &o)
		dir := "sdos/"
		if !slices.Contains([]string{"identity", "indicator"}, o.Type) {
			dir = "observables/"
		}
		s, err := c.Compile(stixBase + dir + o.Type + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(decode(t, raw)); err != nil {
			errs = append(errs, o.ID+": "+err.Error())
		}
		if o.Type == "indicator" {
			if err := checkPattern(o.Pattern); err != nil {
				errs = append(errs, o.ID+": pattern "+err.Error())
			}
		}
	}
	return errs
}

// patternForm is the one comparison form we emit: [type:path = 'string'].
var patternForm = regexp.MustCompile(`^\[([a-z0-9-]+):([a-z_]+(?:\.(?:[a-z_]+|'[A-Za-z0-9-]+'))*) = '((?:[^'\\]|\\['\\])*)'\]$`)

// patternPaths are the object paths we emit, per STIX 2.1 object type.
var patternPaths = map[string][]string{
	"url": {"value"}, "domain-name": {"value"}, "ipv4-addr": {"value"}, "ipv6-addr": {"value"},
	"email-addr": {"value"}, "email-message": {"subject", "from_ref.value"}, "file": {"hashes.'SHA-256'"},
}

// checkPattern parses a STIX pattern of the form we emit (one comparison
// expression with a string literal, STIX 2.1 section 9) and checks the
// object type and property path.
func checkPattern(p string) error {
	m := patternForm.FindStringSubmatch(p)
	if m == nil {
		return fmt.Errorf("%q: not a [type:path = 'string'] comparison", p)
	}
	if !slices.Contains(patternPaths[m[1]], m[2]) {
		return fmt.Errorf("%q: path %s:%s is not one we emit", p, m[1], m[2])
	}
	return nil
}

func TestCheckPattern(t *testing.T) {
	for p, ok := range map[string]bool{
		`[url:value = 'http://x/']`:                    true,
		`[email-message:subject = 'it\'s \\ ok']`:      true,
		`[file:hashes.'SHA-256' = 'ab']`:               true,
		`[email-message:from_ref.value = 'a@b']`:       true,
		`[url:value = 'unescaped ' quote']`:            false,
		`[url:value = 'x'] OR [url:value = 'y']`:       false,
		`[url:valu = 'x']`:                             false,
		`url:value = 'x'`:                              false,
		`[domain-name:value = 'trailing backslash \']`: false,
	} {
		if err := checkPattern(p); (err == nil) != ok {
			t.Errorf("checkPattern(%s) = %v, want ok %v", p, err, ok)
		}
	}
}

func TestSTIXValidates(t *testing.T) {
	c := compiler(t, devdata.Dir(t, "schemas", "stix2.1"))
	var b bytes.Buffer
	if err := WriteSTIX(&b, demoIndicators(t), goldenOpts); err != nil {
		t.Fatal(err)
	}
	if errs := stixErrors(t, c, b.Bytes()); len(errs) > 0 {
		t.Errorf("STIX bundle invalid:\n%s", strings.Join(errs, "\n"))
	}
	// The check can fail: an indicator without its pattern, an object
	// with a bad id, and a pattern we do not emit.
	bad := strings.Replace(b.String(), `"pattern_type": "stix",`, `"pattern_type": 7,`, 1)
	bad = strings.Replace(bad, `"id": "identity--`, `"id": "identity-`, 1)
	bad = strings.Replace(bad, `[url:value = '`, `[url:href = '`, 1)
	if errs := stixErrors(t, c, []byte(bad)); len(errs) < 3 {
		t.Errorf("broken bundle gave %d errors, want at least 3: %q", len(errs), errs)
	}
}

// mispErrors validates an event against PyMISP's schema.json and every
// attribute's type and category against describeTypes.json.
func mispErrors(t *testing.T, dir string, event []byte) []string {
	var errs []string
	c := compiler(t, dir)
	sch, err := c.Compile("https://github.com/MISP/MISP/blob/2.4/format/2.4/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(decode(t, event)); err != nil {
		errs = append(errs, "event: "+err.Error())
	}
	raw := testutil.ReadFile(t, filepath.Join(dir, "describeTypes.json"))
	var dt struct {
		Result struct {
			Types    []string            `json:"types"`
			Mappings map[string][]string `json:"category_type_mappings"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &dt); err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Event struct {
			Attribute []struct{ Type, Category, Value string }
		}
	}
	if err := json.Unmarshal(event, &ev); err != nil {
		t.Fatal(err)
	}
	for _, a := range ev.Event.Attribute {
		if !slices.Contains(dt.Result.Types, a.Type) {
			errs = append(errs, "unknown type "+a.Type)
		} else if !slices.Contains(dt.Result.Mappings[a.Category], a.Type) {
			errs = append(errs, fmt.Sprintf("type %s not allowed in category %q", a.Type, a.Category))
		}
		if a.Value == "" {
			errs = append(errs, "empty value of "+a.Type)
		}
	}
	return errs
}

func TestMISPValidates(t *testing.T) {
	dir := devdata.Dir(t, "schemas", "misp")
	var b bytes.Buffer
	ins := demoIndicators(t)
	if err := WriteMISP(&b, ins, goldenOpts); err != nil {
		t.Fatal(err)
	}
	if errs := mispErrors(t, dir, b.Bytes()); len(errs) > 0 {
		t.Errorf("MISP event invalid:\n%s", strings.Join(errs, "\n"))
	}
	types := map[string]bool{}
	for _, in := range ins {
		types[in.Type] = true
	}
	if len(types) < 6 {
		t.Errorf("the demo exercises only %d indicator types", len(types))
	}
	// Every type we can emit has its category allowed.
	var all []Indicator
	for _, typ := range typeOrder {
		all = append(all, Indicator{Type: typ, Value: "x", Messages: 1})
	}
	b.Reset()
	WriteMISP(&b, all, goldenOpts)
	if errs := mispErrors(t, dir, b.Bytes()); len(errs) > 0 {
		t.Errorf("types: %q", errs)
	}
	// The check can fail.
	bad := strings.Replace(b.String(), `"category": "Network activity"`, `"category": "Social network"`, 1)
	bad = strings.Replace(bad, `"to_ids": true`, `"to_ids": "yes"`, 1)
	if errs := mispErrors(t, dir, []byte(bad)); len(errs) < 2 {
		t.Errorf("broken event gave %d errors, want 2: %q", len(errs), errs)
	}
}
