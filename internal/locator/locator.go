// Package locator defines Locator, where a message's raw bytes live, shared
// by the mailbox readers that make locators, the store that keeps them and
// the commands that print them.
//
// It is a leaf package because store must not import mailbox (the readers)
// and mailbox must not import store (bbolt): both import this one.
package locator

import "encoding/json"

// Locator says where a message's raw bytes live so that they can be read
// again (mailbox.ReadRaw).
//
// For an mbox, Offset and Length delimit the stored bytes of the message
// (after the "From " line, before mboxrd unquoting) in the decompressed
// file; Offset is always > 0 because a "From " line precedes it. For
// message files (maildir, .eml, folder of .eml) File is the path relative
// to Path ("" for a single file), Offset is 0 and Length is non-zero only
// when the message was truncated (it is then the number of bytes kept).
//
// Locators are comparable: two locators are the same place when they are ==.
type Locator struct {
	Path   string `json:"path"`             // the mailbox path as given (mbox file, maildir root, eml file/dir)
	Offset int64  `json:"offset,omitempty"` // mbox only
	Length int64  `json:"length,omitempty"` // mbox only (or truncated file messages)
	File   string `json:"file,omitempty"`   // maildir / eml-dir: path relative to Path
	Flags  string `json:"flags,omitempty"`  // maildir flags, e.g. "RS"
	Folder string `json:"folder,omitempty"` // Maildir++ folder name, e.g. "Folder.Sub"; "" = INBOX
	// Unwrap, when set, says that the message is the original inside the
	// report wrapper found at the rest of the locator: it names the
	// unwrap path (report.Wrapper.Path) that re-derives the original from
	// the wrapper's bytes. The same locator without Unwrap re-reads the
	// wrapper itself.
	Unwrap string `json:"unwrap,omitempty"`
}

// Wrapper returns the locator of the report wrapper l was unwrapped from
// (l itself when Unwrap is empty).
func (l Locator) Wrapper() Locator {
	l.Unwrap = ""
	return l
}

// IsMbox reports whether the locator points into an mbox file.
func (l Locator) IsMbox() bool { return l.File == "" && l.Offset > 0 }

// MarshalJSON writes mbox locators as {"path","offset","length"} (all three
// always present) and file locators as {"path","file","flags","folder",
// "length"} with empty fields omitted ("length" only when the message was
// truncated); both add "unwrap" when it is set. The default decoding reads both shapes back.
func (l Locator) MarshalJSON() ([]byte, error) {
	if l.IsMbox() {
		return json.Marshal(struct {
			Path   string `json:"path"`
			Offset int64  `json:"offset"`
			Length int64  `json:"length"`
			Unwrap string `json:"unwrap,omitempty"`
		}{l.Path, l.Offset, l.Length, l.Unwrap})
	}
	return json.Marshal(struct {
		Path   string `json:"path"`
		File   string `json:"file,omitempty"`
		Flags  string `json:"flags,omitempty"`
		Folder string `json:"folder,omitempty"`
		Length int64  `json:"length,omitempty"`
		Unwrap string `json:"unwrap,omitempty"`
	}{l.Path, l.File, l.Flags, l.Folder, l.Length, l.Unwrap})
}
