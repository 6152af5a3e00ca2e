// Package mailbox reads mailboxes and yields raw messages one at a time.
//
// Supported containers, detected from the path and the first bytes:
//
//   - mbox in all its variants: mboxo, mboxrd, mboxcl and mboxcl2, with LF,
//     CRLF or CR-only line endings, a leading UTF-8 BOM or blank lines;
//   - maildir (cur/ and new/, never tmp/) including Maildir++ sub-folders;
//   - a single RFC 5322 message file (.eml) and a folder of them (recursive),
//     where a file that starts with an mbox "From " line is read as an mbox;
//   - gzip-compressed versions of any of the files (by magic bytes);
//   - standard input ("-"), as an mbox or a single message.
//
// Readers stream: memory stays bounded by one message plus a read buffer,
// whatever the size of the mailbox. A message larger than
// Options.MaxMessageSize is truncated with a warning.
//
// Every message carries a Locator from which ReadRaw re-reads exactly the
// bytes that were yielded. The identity of a message (Message.ID) is the
// SHA-256 of those bytes.
//
// # Raw bytes
//
// For mbox files the raw message is the bytes between the "From " line and
// the next separator, without the "From " line and without the single line
// terminator of the blank line that precedes the next separator (as mimekit
// and Python's mailbox module do). Lines matching ">+From " have one ">"
// removed (mboxrd unquoting). mboxo is ambiguous (a body line ">From " may
// be original text or an escaped "From "); it is unquoted like mboxrd,
// because real-world mboxo writers produced ">From " almost exclusively by
// escaping. CRLF mailboxes keep their CRLF bytes; CR-only (classic Mac)
// files are converted to LF, byte for byte, with a warning on the first
// message.
//
// Message files (maildir, .eml) are yielded verbatim, except that a leading
// mbox "From " envelope line is removed (and the rest unquoted as above) so
// that a message has the same identity whether it is stored alone or in an
// mbox.
package mailbox

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/triage-tools/triage/internal/locator"
)

// ErrNotMailbox is returned (wrapped, with the path) when the input is
// neither an mbox, a maildir, a message file nor a folder of messages.
var ErrNotMailbox = errors.New("not a mailbox")

// ErrNotReplayable is returned by ReadRaw for locators that cannot be
// re-read, such as messages that came from standard input.
var ErrNotReplayable = errors.New("message cannot be re-read from its locator")

// DefaultMaxMessageSize is the default bound on one message's raw size.
const DefaultMaxMessageSize = 64 << 20

// Kind is the container format of a mailbox.
type Kind uint8

// Container kinds.
const (
	KindMbox    Kind = iota + 1 // mbox file (any variant), possibly gzip-compressed
	KindMaildir                 // maildir or Maildir++ directory
	KindEML                     // a single message file or stream
	KindEMLDir                  // a folder (recursive) of message files
)

// String returns the lower-case name of the kind ("mbox", "maildir", "eml",
// "emldir").
func (k Kind) String() string {
	switch k {
	case KindMbox:
		return "mbox"
	case KindMaildir:
		return "maildir"
	case KindEML:
		return "eml"
	case KindEMLDir:
		return "emldir"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Locator says where a message's raw bytes live (see package locator); the
// same type as store.Locator.
type Locator = locator.Locator

// Message is one raw message taken out of a mailbox.
type Message struct {
	// Raw is the message as stored (see the package documentation for the
	// exact rules). It is owned by the caller; readers never reuse it.
	Raw []byte
	// Loc re-finds the message (see ReadRaw).
	Loc Locator
	// SepOffset is, for mbox messages, the offset of the "From " line that
	// precedes the message (mimekit's mboxMarkerOffset); 0 otherwise. It is
	// informative only and not part of the locator.
	SepOffset int64
	// Warnings are container-level problems met while reading this message
	// (lying Content-Length, truncation, CR-only line endings, ...). Nil
	// when there were none. Skipped files are reported to Options.OnSkip,
	// not here.
	Warnings []string
}

// ID returns the message identity, "sha256:" followed by the lower-case hex
// SHA-256 of Raw. It is recomputed on each call.
func (m *Message) ID() string {
	sum := sha256.Sum256(m.Raw)
	var b [7 + 64]byte
	copy(b[:], "sha256:")
	hex.Encode(b[7:], sum[:])
	return string(b[:])
}

// Reader yields the messages of one mailbox in storage order. A Reader is
// not safe for concurrent use.
type Reader interface {
	// Next returns the next message, or io.EOF after the last one. Any other
	// error is fatal for this mailbox (read error); problems with single
	// messages are reported as warnings instead.
	Next() (*Message, error)
	// Kind is the detected container format.
	Kind() Kind
	// Close releases the underlying files. It does not close a reader passed
	// to OpenReader.
	Close() error
}

// Options tune a Reader. The zero value is valid.
type Options struct {
	// MaxMessageSize bounds the raw size of one message; larger messages are
	// truncated to this size with a warning. 0 means DefaultMaxMessageSize.
	MaxMessageSize int
	// OnSkip, when non-nil, is called (from Next, or from OpenWith while it
	// validates a folder) for every file or sub-directory of a maildir or a
	// folder of messages that could not be read: unreadable, vanished, or
	// not a regular file (ErrNotRegular). path is the file's path (the
	// mailbox path joined with the relative name). The reader goes on with
	// the next file. Files of a folder that do not look like messages and
	// dot-files are ignored without a call.
	OnSkip func(path string, err error)
}

// skip reports a skipped file or directory to OnSkip.
func (o Options) skip(path string, err error) {
	if o.OnSkip != nil {
		o.OnSkip(path, err)
	}
}

func (o Options) max() int {
	if o.MaxMessageSize <= 0 {
		return DefaultMaxMessageSize
	}
	return o.MaxMessageSize
}

// Open opens the mailbox at path with default options; "-" reads standard
// input. See OpenWith.
func Open(path string) (Reader, error) { return OpenWith(path, Options{}) }

// OpenWith opens the mailbox at path ("-" = standard input) and detects its
// container format. A directory is a maildir when it (or a Maildir++
// sub-folder) has cur/ or new/, otherwise a folder of message files; a file
// is an mbox when its first non-blank line starts with "From ", a message
// when it starts with a header field, gzip-compressed when it starts with
// the gzip magic bytes. An empty file is an mbox with no messages.
//
// Errors: a missing or unreadable path returns the *os.PathError, as does a
// path that is neither a regular file nor a directory (wrapping
// ErrNotRegular: a named pipe is never opened for a blocking read; pipe it
// to standard input instead); anything else that is not a mailbox returns
// an error wrapping ErrNotMailbox that names the path.
func OpenWith(path string, opts Options) (Reader, error) {
	if path == "-" {
		return OpenReaderWith(path, os.Stdin, opts)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return openDir(path, opts)
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	r, err := openStream(path, f, f, opts)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return r, nil
}

// OpenReader reads a mailbox from a stream with default options. See
// OpenReaderWith.
func OpenReader(name string, r io.Reader) (Reader, error) {
	return OpenReaderWith(name, r, Options{})
}

// OpenReaderWith reads an mbox or a single message (gzip-compressed or not)
// from r. name is used in locators and errors; messages read this way
// cannot be re-read with ReadRaw unless name is the path of the same file.
// The returned Reader does not close r.
func OpenReaderWith(name string, r io.Reader, opts Options) (Reader, error) {
	return openStream(name, r, nil, opts)
}

func notMailbox(path, why string) error {
	return fmt.Errorf("mailbox: %s: %w: %s", path, ErrNotMailbox, why)
}
