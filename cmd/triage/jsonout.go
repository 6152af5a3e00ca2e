package main

import (
	"encoding/json"
	"flag"
	"io"

	"github.com/triage-tools/triage/internal/jsonsafe"
)

// Every JSON output of triage (scan --jsonl, show --json, export) goes
// through jsonsafe: C1 controls, bidi controls, zero-width and other
// invisible characters are written as \uXXXX escapes, so that a tool such
// as `jq -r` cannot print them to a terminal; --ascii escapes every
// non-ASCII rune. The decoded values are unchanged. docs/export-format.md
// documents this for consumers.

// asciiFlag registers --ascii on fs.
func asciiFlag(fs *flag.FlagSet, p *bool) {
	fs.BoolVar(p, "ascii", false, "escape every non-ASCII character in JSON output as \\uXXXX")
}

// jsonWriter wraps w so that JSON written through it is escaped as above.
// Call Flush on the result after the last write.
func jsonWriter(w io.Writer, ascii bool) *jsonsafe.Writer {
	return jsonsafe.NewWriter(w, ascii)
}

// newJSONEncoder returns an encoder that writes through jsonWriter, with
// HTML escaping off. Encode writes each value in one Write call, which ends
// on a rune boundary, so nothing is ever held back: no Flush is needed.
func newJSONEncoder(w io.Writer, ascii bool) *json.Encoder {
	enc, _ := jsonsafe.NewEncoder(w, ascii)
	return enc
}

// writeJSON encodes v as one JSON value (indented with indent when it is
// not empty) followed by a newline, escaped as above.
func writeJSON(w io.Writer, ascii bool, indent string, v any) error {
	enc := newJSONEncoder(w, ascii)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(v)
}
