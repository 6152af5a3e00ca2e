package mailbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is returned (wrapped in an *fs.PathError) for a mailbox
// path or a message file that is neither a regular file nor a directory:
// a named pipe, a socket or a device. Such files could block a reader for
// ever, so they are never read; inside a maildir or a folder they are
// skipped (Options.OnSkip).
var ErrNotRegular = errors.New("not a regular file")

// notRegular describes why a file of the given mode is not read.
func notRegular(path string, mode fs.FileMode) error {
	what := "special file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "named pipe"
	case mode&fs.ModeSocket != 0:
		what = "socket"
	case mode&fs.ModeDevice != 0:
		what = "device"
	case mode&fs.ModeSymlink != 0:
		what = "symbolic link"
	}
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, what)}
}

// openFile opens path for reading only if it is a regular file. The open
// is non-blocking, so that a named pipe put where a file was expected
// cannot hang it; the type is then checked on the opened descriptor.
func openFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, fi.Mode())
	}
	return f, nil
}

// OpenMboxTail opens the part of an uncompressed mbox file that starts at
// off (the end of the last message seen before) and yields the messages
// appended since, with locators relative to the whole file. It fails unless
// a "From " separator starts at off (possibly after blank lines), so that
// a file that was rewritten rather than appended to is read in full
// instead.
func OpenMboxTail(path string, off int64, opts Options) (Reader, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, off)
	head = head[:n]
	skip := 0
	for skip < len(head) && (head[skip] == '\n' || head[skip] == '\r') {
		skip++
	}
	if !bytes.HasPrefix(head[skip:], fromSp) {
		f.Close()
		return nil, fmt.Errorf("mailbox: %s: mbox tail at %d does not start with a separator", path, off)
	}
	start := off + int64(skip)
	rd, err := OpenReaderWith(path, io.NewSectionReader(f, start, 1<<62), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &tailReader{Reader: rd, f: f, off: start}, nil
}

// tailReader shifts the locators of a reader over a file section back to
// file offsets.
type tailReader struct {
	Reader
	f   *os.File
	off int64
}

func (t *tailReader) Next() (*Message, error) {
	m, err := t.Reader.Next()
	if m != nil {
		m.Loc.Offset += t.off
		m.SepOffset += t.off
	}
	return m, err
}

func (t *tailReader) Close() error {
	err := t.Reader.Close()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}
