package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/triage-tools/triage/store"
)

// outFlag adds the -o flag of the commands that write through writeOutput.
func outFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "o", "", "write to `file` instead of standard output (a regular file is replaced atomically; - is standard output)")
}

// writeOutput writes the output of a command to path through write:
//   - "" or "-" is standard output;
//   - a new file, or an existing regular file, is written atomically: into
//     a temporary file in the same directory, renamed into place once
//     complete, with the old file's permissions (a failed write leaves the
//     old file as it was);
//   - a symbolic link is followed: a link to a regular file has its target
//     replaced atomically as above, and the link is kept;
//   - anything else (a FIFO, a character device such as /dev/null or a
//     terminal) is opened for writing and written through, never replaced.
//     Opening a FIFO waits for a reader, as a shell redirection does.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	target := path
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if resolved, rerr := filepath.EvalSymlinks(path); rerr == nil {
			target = resolved
			fi, err = os.Lstat(target)
		} else {
			// A dangling link: opening it creates its target.
			return writeThrough(path, os.O_CREATE, write)
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return store.WriteFileAtomic(target, write)
	case err != nil:
		return err
	case fi.Mode().IsRegular():
		return store.WriteFileAtomic(target, write)
	case fi.IsDir():
		return fmt.Errorf("%s is a directory", path)
	}
	return writeThrough(target, 0, write)
}

// writeThrough opens path for writing (truncating it, with flag added) and
// writes to it in place.
func writeThrough(path string, flag int, write func(io.Writer) error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|flag, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return write(f)
}
