package main

import (
	"errors"
	"io"

	"github.com/triage-tools/triage/internal/textsafe"
)

// Error messages and flag diagnostics echo what the operator typed (paths,
// names, flag values) and what the file system holds (a file name can carry
// escape sequences), so they are sanitised like message text.

// reportError writes err's message to w as "triage: MESSAGE" lines, made
// safe for a terminal, and returns the exit status for err (0 for nil).
func reportError(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	code, msg := 1, err.Error()
	var ee exitError
	if errors.As(err, &ee) {
		code, msg = ee.code, ee.msg
	}
	if msg != "" {
		io.WriteString(w, "triage: "+textsafe.CleanMultiline(msg)+"\n")
	}
	return code
}

// cleanWriter sanitises multi-line text on its way to w. It serves the
// flag package, which echoes unknown flags and bad values raw; each Write
// from it is a whole line or message, so no escape sequence is split.
type cleanWriter struct{ w io.Writer }

func (c cleanWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(c.w, textsafe.CleanMultiline(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
