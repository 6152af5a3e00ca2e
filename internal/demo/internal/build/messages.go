package build

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
)

// messageFiles holds one file per demo message; specfile.go describes the format.
//
//go:embed messages/*.msg
var messageFiles embed.FS

// loadSpecs parses every messages/*.msg file of fsys and returns the specs
// in mailbox order (spec.n).
func loadSpecs(fsys fs.FS) ([]spec, error) {
	names, err := fs.Glob(fsys, "messages/*.msg")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("demo build: no messages/*.msg files")
	}
	all := make([]spec, 0, len(names))
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s, err := parseSpec(path.Base(name), string(src))
		if err != nil {
			return nil, err
		}
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b spec) int { return cmp.Compare(a.n, b.n) })
	return all, nil
}

// payloads are the attachment contents that are binary, made in Go: a
// message file names one with {data:name}, or {data:name:arg} when the
// entry describes an argument.
var payloads = map[string]struct {
	arg  string // what the argument is; "" when there is none
	make func(arg string) []byte
}{
	"exe-stub":  {"", func(string) []byte { return exeStub() }},
	"iso-image": {"", func(string) []byte { return isoImage() }},
	"onenote":   {"", func(string) []byte { return oneNote() }},
	"pdf":       {"the page text", pdfDoc},
	"js-zip":    {"the script's file name", jsZip},
}

// payload returns the bytes of {data:name:arg}.
func payload(name, arg string) ([]byte, error) {
	p, ok := payloads[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("unknown payload %q (known: %s)", name, strings.Join(slices.Sorted(maps.Keys(payloads)), ", "))
	case p.arg == "" && arg != "":
		return nil, fmt.Errorf("%s takes no argument", name)
	case p.arg != "" && arg == "":
		return nil, fmt.Errorf("%s needs an argument, %s: {data:%s:…}", name, p.arg, name)
	}
	return p.make(arg), nil
}

// jsZip returns a stored zip archive holding one inert JScript file, name.
func jsZip(name string) []byte {
	return zipOf(name, jsStub, time.Date(2026, time.November, 13, 9, 58, 0, 0, time.UTC))
}

// jsStub is the inert JScript file of the js-zip payload.
var jsStub = []byte("// triage demo: inert placeholder for a JScript downloader.\r\n" +
	"// A real sample would build an ActiveXObject and fetch a payload.\r\n" +
	"var note = \"this file does nothing\";\r\n")
