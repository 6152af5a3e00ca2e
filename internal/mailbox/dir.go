package mailbox

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// errNotMessage marks a file of an .eml folder that does not look like a
// message; such files are skipped.
var errNotMessage = errors.New("not a message")

// errIsMbox marks a file of a folder whose first non-blank line is an mbox
// "From " separator: it is read as a mailbox, not as one message.
var errIsMbox = errors.New("an mbox")

// loaded is a message file read from disk.
type loaded struct {
	raw       []byte
	kept      int  // bytes kept when truncated
	truncated bool // the file was larger than the limit
	cr        bool // CR-only line endings were converted
}

// loadFile reads the message file at path: gzip is decompressed, CR-only
// line endings converted, at most max bytes kept, and fileMessage applied.
// With requireMessage (a file of a folder), a file whose first bytes do not
// look like a message returns errNotMessage, and one that starts with an
// mbox "From " line returns errIsMbox, without reading further.
func loadFile(path string, max int, requireMessage bool) (loaded, error) {
	f, err := openFile(path)
	if err != nil {
		return loaded{}, err
	}
	defer f.Close()
	head, err := readHead(f)
	if err != nil {
		return loaded{}, err
	}
	src, head, err := decompressed(head, f)
	if err != nil {
		return loaded{}, err
	}
	var l loaded
	if isCROnly(head) {
		l.cr = true
		crToLF(head)
		src = crReader{src}
	}
	if requireMessage {
		p := skipPreamble(head)
		switch {
		case p < len(head) && bytes.HasPrefix(head[p:], fromSp):
			if !isMessageFileName(path) {
				return loaded{}, errIsMbox
			}
			// A single message saved with its envelope line (SpamAssassin's
			// corpus, mutt's save): fileMessage drops that line, and body
			// lines starting with "From " stay in the message.
		case p == len(head) || !isHeaderLine(head[p:]):
			return loaded{}, errNotMessage
		}
	}
	data, truncated, err := readBounded(head, src, max)
	if err != nil {
		return loaded{}, err
	}
	l.truncated = truncated
	if truncated {
		l.kept = len(data)
	}
	l.raw = fileMessage(data)
	return l, nil
}

// message builds the Message for a loaded file.
func (l loaded) message(loc Locator) *Message {
	m := &Message{Raw: l.raw, Loc: loc}
	if l.truncated {
		m.Loc.Length = int64(l.kept)
		m.Warnings = append(m.Warnings, truncWarning(l.kept))
	}
	if l.cr {
		m.Warnings = append(m.Warnings, warnCROnly)
	}
	return m
}

// isMaildir reports whether dir has a cur/ or new/ sub-directory.
func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// openDir opens a maildir (with Maildir++ sub-folders) or a folder of
// message files.
func openDir(path string, opts Options) (Reader, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var folders []string // "" = INBOX, else the Maildir++ folder name
	if isMaildir(path) {
		folders = append(folders, "")
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() && len(name) > 1 && name[0] == '.' && name != ".." && isMaildir(filepath.Join(path, name)) {
			folders = append(folders, name[1:])
		}
	}
	if len(folders) > 0 {
		return &maildirReader{root: path, folders: folders, opts: opts}, nil
	}
	r := &emlDirReader{root: path, opts: opts, dirs: []string{"."}}
	m, err := r.Next()
	if err == io.EOF {
		return nil, notMailbox(path, "no messages found in the directory")
	}
	if err != nil {
		return nil, err
	}
	r.first = m
	return r, nil
}

// maildirReader yields the messages of a maildir: for each folder (INBOX,
// then the Maildir++ sub-folders in name order) the files of new/ then cur/
// in name order. tmp/, dot-files and sub-directories are ignored; named
// pipes, sockets and devices are skipped (Options.OnSkip). Symbolic links
// are followed to regular files.
type maildirReader struct {
	root    string
	folders []string
	opts    Options
	fi      int      // index into folders
	sub     int      // 0 = new, 1 = cur, 2 = folder done
	files   []string // remaining file names of the current sub-directory
}

var maildirSubs = [...]string{"new", "cur"}

func (r *maildirReader) Kind() Kind   { return KindMaildir }
func (r *maildirReader) Close() error { return nil }

// folderDir returns the directory of folder relative to the root.
func folderDir(folder string) string {
	if folder == "" {
		return ""
	}
	return "." + folder
}

func (r *maildirReader) Next() (*Message, error) {
	for {
		for len(r.files) == 0 {
			if r.fi >= len(r.folders) {
				return nil, io.EOF
			}
			if r.sub >= len(maildirSubs) {
				r.fi++
				r.sub = 0
				continue
			}
			dir := filepath.Join(r.root, folderDir(r.folders[r.fi]), maildirSubs[r.sub])
			r.sub++
			entries, err := os.ReadDir(dir)
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					r.opts.skip(dir, err)
				}
				continue
			}
			for _, e := range entries {
				switch t := e.Type(); {
				case strings.HasPrefix(e.Name(), ".") || e.IsDir():
				case t.IsRegular() || t&fs.ModeSymlink != 0:
					r.files = append(r.files, e.Name())
				default:
					path := filepath.Join(dir, e.Name())
					r.opts.skip(path, notRegular(path, t))
				}
			}
		}
		name := r.files[0]
		r.files = r.files[1:]
		folder := r.folders[r.fi]
		rel := filepath.ToSlash(filepath.Join(folderDir(folder), maildirSubs[r.sub-1], name))
		path := filepath.Join(r.root, rel)
		l, err := loadFile(path, r.opts.max(), false)
		if err != nil {
			r.opts.skip(path, err)
			continue
		}
		return l.message(Locator{Path: r.root, File: rel, Flags: maildirFlags(name), Folder: folder}), nil
	}
}

// maildirInfo returns the index of the info separator (":2,", ";2," or
// "!2,") in a maildir file name, or -1.
func maildirInfo(name string) int {
	for i := len(name) - 3; i >= 0; i-- {
		if (name[i] == ':' || name[i] == ';' || name[i] == '!') && name[i+1] == '2' && name[i+2] == ',' {
			return i
		}
	}
	return -1
}

// maildirFlags returns the standard flags (upper-case letters, in ASCII
// order, without duplicates) of a maildir file name. Lower-case Dovecot
// keywords are ignored.
func maildirFlags(name string) string {
	i := maildirInfo(name)
	if i < 0 {
		return ""
	}
	var set [26]bool
	for _, c := range []byte(name[i+3:]) {
		if c >= 'A' && c <= 'Z' {
			set[c-'A'] = true
		}
	}
	var b []byte
	for c, ok := range set {
		if ok {
			b = append(b, byte('A'+c))
		}
	}
	return string(b)
}

// isMessageFileName reports whether name says it holds one message
// (.eml, possibly gzip-compressed), whatever its first line.
func isMessageFileName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".eml") || strings.HasSuffix(n, ".eml.gz")
}

// emlDirReader yields the message files of a directory tree in name order,
// depth first. A file whose first non-blank line is an mbox "From "
// separator is read as an mbox (.mbox, Thunderbird's extension-less
// folders), unless its name ends in .eml: that is one message saved with
// its envelope line, even when its body has lines starting with "From ".
// Each message of an mbox file is located by the file's own path and
// offset, as if it had been opened alone; a read error in it skips the rest of that file
// (Options.OnSkip). Dot-files, dot-directories and files that do not look
// like messages are ignored; symbolic links, named pipes, sockets and
// devices are skipped (Options.OnSkip).
type emlDirReader struct {
	root   string
	opts   Options
	dirs   []string // stack of directories (relative) still to list
	files  []string // remaining files (relative) of the current directory
	first  *Message // message read by openDir to validate the folder
	mbox   Reader   // the mbox file being read, or nil
	mboxAt string   // its path
}

func (r *emlDirReader) Kind() Kind { return KindEMLDir }

func (r *emlDirReader) Close() error {
	if r.mbox != nil {
		err := r.mbox.Close()
		r.mbox = nil
		return err
	}
	return nil
}

// nextInMbox returns the next message of the mbox file being read, or nil
// when there is none (the file is then closed).
func (r *emlDirReader) nextInMbox() *Message {
	if r.mbox == nil {
		return nil
	}
	m, err := r.mbox.Next()
	if err == nil {
		return m
	}
	if err != io.EOF {
		r.opts.skip(r.mboxAt, err)
	}
	r.mbox.Close()
	r.mbox = nil
	return nil
}

// openMbox starts reading the mbox file at path.
func (r *emlDirReader) openMbox(path string) {
	f, err := openFile(path)
	if err != nil {
		r.opts.skip(path, err)
		return
	}
	rd, err := openStream(path, f, f, r.opts)
	if err != nil {
		f.Close()
		r.opts.skip(path, err)
		return
	}
	r.mbox, r.mboxAt = rd, path
}

func (r *emlDirReader) Next() (*Message, error) {
	if r.first != nil {
		m := r.first
		r.first = nil
		return m, nil
	}
	for {
		if m := r.nextInMbox(); m != nil {
			return m, nil
		}
		for len(r.files) == 0 {
			if len(r.dirs) == 0 {
				return nil, io.EOF
			}
			dir := r.dirs[len(r.dirs)-1]
			r.dirs = r.dirs[:len(r.dirs)-1]
			entries, err := os.ReadDir(filepath.Join(r.root, dir))
			if err != nil {
				r.opts.skip(filepath.Join(r.root, dir), err)
				continue
			}
			var subdirs []string
			for _, e := range entries {
				name := e.Name()
				if strings.HasPrefix(name, ".") {
					continue
				}
				rel := filepath.ToSlash(filepath.Join(dir, name))
				switch {
				case e.IsDir():
					subdirs = append(subdirs, rel)
				case e.Type().IsRegular():
					r.files = append(r.files, rel)
				default:
					path := filepath.Join(r.root, rel)
					r.opts.skip(path, notRegular(path, e.Type()))
				}
			}
			slices.Reverse(subdirs) // pop in name order
			r.dirs = append(r.dirs, subdirs...)
		}
		rel := r.files[0]
		r.files = r.files[1:]
		path := filepath.Join(r.root, rel)
		l, err := loadFile(path, r.opts.max(), true)
		if errors.Is(err, errNotMessage) {
			continue
		}
		if errors.Is(err, errIsMbox) {
			r.openMbox(path)
			continue
		}
		if err != nil {
			r.opts.skip(path, err)
			continue
		}
		return l.message(Locator{Path: r.root, File: rel}), nil
	}
}
