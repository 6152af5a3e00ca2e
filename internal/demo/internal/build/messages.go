package build

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
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

// payload returns the bytes a message file names with {data:name} or
// {data:name:arg}: attachment content that is binary, made here.
func payload(name, arg string) ([]byte, error) {
	noArg := func(b func() []byte) ([]byte, error) {
		if arg != "" {
			return nil, fmt.Errorf("%s takes no argument", name)
		}
		return b(), nil
	}
	switch name {
	case "exe-stub":
		return noArg(exeStub)
	case "iso-image":
		return noArg(isoImage)
	case "onenote":
		return noArg(oneNote)
	case "pdf":
		if arg == "" {
			return nil, fmt.Errorf("pdf needs the page text: {data:pdf:text}")
		}
		return pdfDoc(arg), nil
	case "js-zip":
		if arg == "" {
			return nil, fmt.Errorf("js-zip needs the script's file name: {data:js-zip:name.js}")
		}
		return zipOf(arg, jsStub, time.Date(2026, time.November, 13, 9, 58, 0, 0, time.UTC)), nil
	}
	return nil, fmt.Errorf("unknown payload %q (known: exe-stub, iso-image, onenote, pdf:text, js-zip:name.js)", name)
}

// jsStub is the inert JScript file of the js-zip payload.
var jsStub = []byte("// triage demo: inert placeholder for a JScript downloader.\r\n" +
	"// A real sample would build an ActiveXObject and fetch a payload.\r\n" +
	"var note = \"this file does nothing\";\r\n")
