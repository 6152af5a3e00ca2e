package message

import (
	"bytes"
	"fmt"
	"strconv"
)

// Media kinds, recognised by their magic bytes (never by the declared type,
// which the sender chooses).
const (
	MediaPNG  = "png"
	MediaJPEG = "jpeg"
	MediaGIF  = "gif"
	MediaPDF  = "pdf"
)

// Bounds on the media parts kept for the QR and PDF readers: a message
// without image or PDF parts keeps nothing and pays only a look at the
// first bytes of its other leaf parts.
const (
	maxMediaParts = 10       // image and PDF parts kept per message
	maxMediaBytes = 10 << 20 // bytes of one part kept (a larger part is skipped)
	maxMediaTotal = 32 << 20 // bytes kept per message
)

// Media is an image or PDF part, copied out of the message for the QR
// code and PDF link readers (packages qr and pdf).
type Media struct {
	// Name identifies the part for the analyst: its file name, else
	// "cid:" and its Content-ID, else "part N" (its MIME part number).
	Name      string
	ContentID string // without angle brackets, "" when absent
	Kind      string // one of the Media* constants
	Data      []byte
}

// MediaKind returns the Media* kind of data from its magic bytes, or "".
// A PDF header may follow up to 1 KiB of junk, as readers accept.
func MediaKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return MediaPNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return MediaJPEG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return MediaGIF
	}
	head := data[:min(len(data), 1024)]
	if bytes.Contains(head, []byte("%PDF-")) {
		return MediaPDF
	}
	return ""
}

// keepMedia records an image or PDF leaf part in Parsed.Media, within
// the bounds above; data may be scratch memory, so it is copied.
func (w *walker) keepMedia(filename, contentID string, data []byte) {
	kind := MediaKind(data)
	if kind == "" {
		return
	}
	name := filename
	switch {
	case name != "":
	case contentID != "":
		name = "cid:" + contentID
	default:
		name = "part " + strconv.Itoa(w.parts)
	}
	switch {
	case len(w.p.Media) >= maxMediaParts:
		w.warn(fmt.Sprintf("limit: more than %d image or PDF parts, rest not read for QR codes or links", maxMediaParts))
		return
	case len(data) > maxMediaBytes:
		w.warn(fmt.Sprintf("limit: %s part larger than %d MiB, not read for QR codes or links", kind, maxMediaBytes>>20))
		return
	case w.mediaLen+len(data) > maxMediaTotal:
		w.warn(fmt.Sprintf("limit: more than %d MiB of image or PDF parts, rest not read for QR codes or links", maxMediaTotal>>20))
		return
	}
	w.mediaLen += len(data)
	w.p.Media = append(w.p.Media, Media{Name: name, ContentID: contentID, Kind: kind, Data: bytes.Clone(data)})
}
