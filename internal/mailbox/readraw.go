package mailbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap"
)

// maxReadRaw bounds ReadRaw of a message file that was not truncated when
// first read.
const maxReadRaw = 1 << 30

// ReadRaw re-reads one message's raw bytes from its locator and returns
// exactly the bytes Next yielded for it (same envelope-line removal,
// unquoting, CR conversion and truncation), provided the file did not
// change. Compressed mboxes are decompressed from the start and the bytes
// before Offset discarded. A maildir message whose file was renamed since
// (its flags changed) is found again by its unique name in cur/ or new/.
//
// Locators of messages read from standard input return ErrNotReplayable.
//
// A locator with an unwrap path (the original inside a report wrapper)
// re-reads the wrapper and re-derives the original from it.
func ReadRaw(loc Locator) ([]byte, error) {
	if loc.Unwrap != "" {
		raw, err := ReadRaw(loc.Wrapper())
		if err != nil {
			return nil, err
		}
		orig, err := unwrap.Derive(raw, loc.Unwrap, message.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("mailbox: %s: %w", loc.Path, err)
		}
		return orig, nil
	}
	if loc.Path == "-" || loc.Path == "" {
		return nil, fmt.Errorf("mailbox: %q: %w", loc.Path, ErrNotReplayable)
	}
	if loc.IsMbox() {
		raw, err := readMboxRaw(loc)
		if err != nil {
			return nil, fmt.Errorf("mailbox: %s@%d: %w", loc.Path, loc.Offset, err)
		}
		return raw, nil
	}
	path := loc.Path
	if loc.File != "" {
		path = filepath.Join(loc.Path, filepath.FromSlash(loc.File))
	}
	limit := maxReadRaw
	if loc.Length > 0 {
		limit = int(loc.Length)
	}
	l, err := loadFile(path, limit, false)
	if errors.Is(err, fs.ErrNotExist) && loc.File != "" {
		if moved := findRenamed(loc); moved != "" {
			l, err = loadFile(moved, limit, false)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	return l.raw, nil
}

func readMboxRaw(loc Locator) ([]byte, error) {
	if loc.Length < 0 || loc.Length > maxReadRaw {
		return nil, fmt.Errorf("invalid length %d", loc.Length)
	}
	f, err := openFile(loc.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head, err := readHead(f)
	if err != nil {
		return nil, err
	}
	cr := false
	buf := make([]byte, loc.Length)
	if isGzip(head) {
		src, h, err := decompressed(head, f)
		if err != nil {
			return nil, err
		}
		cr = isCROnly(h)
		if _, err := io.CopyN(io.Discard, src, loc.Offset-int64(len(h))); err != nil && loc.Offset > int64(len(h)) {
			return nil, shortRead(err)
		}
		// The range may start inside the head.
		n := 0
		if loc.Offset < int64(len(h)) {
			n = copy(buf, h[loc.Offset:])
		}
		if _, err := io.ReadFull(src, buf[n:]); err != nil {
			return nil, shortRead(err)
		}
	} else {
		cr = isCROnly(head)
		if _, err := f.ReadAt(buf, loc.Offset); err != nil && !(err == io.EOF && len(buf) == 0) {
			return nil, shortRead(err)
		}
	}
	if cr {
		crToLF(buf)
	}
	return unquote(buf), nil
}

func shortRead(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errShortRead
	}
	return err
}

// findRenamed looks for a maildir file with the same unique name as
// loc.File (the part before the info separator) in cur/ and new/ of its
// folder. It returns "" when there is none.
func findRenamed(loc Locator) string {
	dir, name := filepath.Split(filepath.FromSlash(loc.File))
	unique := name
	if i := maildirInfo(name); i >= 0 {
		unique = name[:i]
	}
	folder := filepath.Dir(filepath.Clean(dir))
	for _, sub := range maildirSubs {
		d := filepath.Join(loc.Path, folder, sub)
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if n == unique || (strings.HasPrefix(n, unique) && maildirInfo(n) == len(unique)) {
				return filepath.Join(d, n)
			}
		}
	}
	return ""
}
