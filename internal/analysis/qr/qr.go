// Package qr finds QR codes in the images of a message (PNG, JPEG and GIF
// parts, and images inlined in HTML as data: URIs) and returns their text,
// so that a link hidden in a picture joins the message's URL list.
//
// Everything is bounded before any pixel is decoded: the image header is
// read first (image.DecodeConfig) and an image over MaxPixels or MaxBytes is
// skipped with a warning, as are images past MaxImages. Decoding runs in the
// caller's goroutine with no wall-clock deadline, so a report stays the same
// from run to run; the time per image is bounded by the pixel cap, and per
// message by MaxTotalPixels (see BenchmarkDecode and BenchmarkDecodeWorst
// for the cost). Problems become warnings prefixed "qr: ".
// The package is pure and safe for concurrent use: the outcome of each
// decode is cached by the image's SHA-256 (cache.go), which changes the
// cost of an image seen again, never the result.
package qr

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/triage-tools/triage/internal/analysis/message"
)

// Limits bound the work on the images of one message.
type Limits struct {
	MaxImages int // images decoded per message
	MaxPixels int // width × height of one image
	// MaxTotalPixels bounds the pixels decoded per message, all images
	// together (decoding is most of the cost: about 0.4 s of CPU for a
	// 16 MP JPEG, see BenchmarkDecodeWorst).
	MaxTotalPixels int
	MaxBytes       int // encoded bytes of one image
	MaxText        int // bytes of one QR code's text kept
}

// DefaultLimits decode the QR codes of real mail (a few images of at most a
// few megapixels) and keep a hostile message to well under a second.
func DefaultLimits() Limits {
	return Limits{MaxImages: 8, MaxPixels: 16 << 20, MaxTotalPixels: 32 << 20, MaxBytes: 8 << 20, MaxText: 4 << 10}
}

// Image is one image to scan: Name says where it came from (a part name or
// "data URI N"), Kind is a message.Media* image kind.
type Image struct {
	Name string
	Kind string
	Data []byte
}

// Code is the text of one QR code and the image it was found in.
type Code struct {
	Image string
	Text  string
}

// Scan decodes the QR code of each image, within lim. It never panics.
func Scan(images []Image, lim Limits) (codes []Code, warnings []string) {
	lim = sanitize(lim)
	n, budget := 0, lim.MaxTotalPixels
	for _, im := range images {
		if im.Kind != message.MediaPNG && im.Kind != message.MediaJPEG && im.Kind != message.MediaGIF {
			continue
		}
		if n >= lim.MaxImages {
			warnings = append(warnings, fmt.Sprintf("qr: more than %d images, the rest were not scanned for QR codes", lim.MaxImages))
			break
		}
		n++
		text, warn := decodeOne(im, lim, &budget)
		if warn != "" {
			warnings = append(warnings, warn)
		}
		if text != "" {
			codes = append(codes, Code{Image: im.Name, Text: text})
		}
	}
	return codes, warnings
}

func sanitize(l Limits) Limits {
	d := DefaultLimits()
	if l.MaxImages <= 0 {
		l.MaxImages = d.MaxImages
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	if l.MaxTotalPixels <= 0 {
		l.MaxTotalPixels = max(d.MaxTotalPixels, l.MaxPixels)
	}
	return l
}

// decodeOne returns the text of the QR code in im ("" when there is none)
// and a warning when the image could not be read.
func decodeOne(im Image, lim Limits, budget *int) (text, warn string) {
	defer func() {
		if r := recover(); r != nil { // a decoder bug, never the message's fault
			text, warn = "", fmt.Sprintf("qr: %s: internal error: %v", quote(im.Name), r)
		}
	}()
	if len(im.Data) > lim.MaxBytes {
		return "", fmt.Sprintf("qr: %s: %d bytes, over the %d MiB cap, not scanned", quote(im.Name), len(im.Data), lim.MaxBytes>>20)
	}
	cfg, err := decodeConfig(im)
	if err != nil {
		return "", fmt.Sprintf("qr: %s: unreadable %s image: %v", quote(im.Name), im.Kind, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxPixels/max(cfg.Height, 1) {
		return "", fmt.Sprintf("qr: %s: %d×%d pixels, over the %d MP cap, not scanned", quote(im.Name), cfg.Width, cfg.Height, lim.MaxPixels>>20)
	}
	px := cfg.Width * cfg.Height
	if px > *budget {
		return "", fmt.Sprintf("qr: %s: over the %d MP the images of one message may take together, not scanned", quote(im.Name), lim.MaxTotalPixels>>20)
	}
	*budget -= px
	k := keyOf(im)
	o, ok := decodeCache.get(k)
	if !ok {
		o = decodePixels(im)
		decodeCache.put(k, o)
	}
	if o.err != "" {
		return "", fmt.Sprintf("qr: %s: unreadable %s image: %s", quote(im.Name), im.Kind, o.err)
	}
	t := o.text
	if len(t) > lim.MaxText {
		t = t[:lim.MaxText]
		warn = fmt.Sprintf("qr: %s: QR code text longer than %d bytes, truncated", quote(im.Name), lim.MaxText)
	}
	return t, warn
}

// decodePixels decodes im and looks for a QR code in it: the expensive
// part of decodeOne, a pure function of im's bytes and kind (cached).
func decodePixels(im Image) outcome {
	img, err := decodeImage(im)
	if err != nil {
		return outcome{err: err.Error()}
	}
	plane, w, h := luma(img, scanPixels)
	if w == 0 {
		return outcome{}
	}
	src, err := gozxing.NewPlanarYUVLuminanceSource(plane, w, h, 0, 0, w, h, false)
	if err != nil {
		return outcome{}
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return outcome{}
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return outcome{} // no QR code: the common case, not a problem
	}
	return outcome{text: res.GetText()}
}

// codec is the pair of decoders of one image format.
type codec struct {
	config func(io.Reader) (image.Config, error)
	image  func(io.Reader) (image.Image, error)
}

// codecOf returns the decoders for an image kind; Decode accepts only
// PNG, JPEG and GIF, so any other kind is GIF. gif.Decode walks every
// frame; the byte cap bounds that work.
func codecOf(kind string) codec {
	switch kind {
	case message.MediaPNG:
		return codec{png.DecodeConfig, png.Decode}
	case message.MediaJPEG:
		return codec{jpeg.DecodeConfig, jpeg.Decode}
	default:
		return codec{gif.DecodeConfig, gif.Decode}
	}
}

func decodeConfig(im Image) (image.Config, error) {
	return codecOf(im.Kind).config(bytes.NewReader(im.Data))
}

func decodeImage(im Image) (image.Image, error) {
	return codecOf(im.Kind).image(bytes.NewReader(im.Data))
}

// quote makes a part name safe to embed in a warning (the UI sanitises
// again at render time): control characters escaped, length capped.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// maxDataURIs bounds the data: URIs decoded from the HTML of one message.
const maxDataURIs = 16

// DataURIs returns the images inlined in html as base64 data: URIs
// (data:image/png|jpeg|gif;base64,…), named "data URI 1", "data URI 2"…,
// at most maxDataURIs of them and each at most maxBytes decoded bytes.
// The kind comes from the decoded magic bytes, not from the declared type.
// The scan looks for "base64," with strings.Index (fast on HTML without
// inline images) and then checks the "data:image/" before it, in any case.
func DataURIs(html string, maxBytes int) []Image {
	var out []Image
	n := 0
	for s := html; len(out) < maxDataURIs; {
		i := strings.Index(s, "base64,")
		if i < 0 {
			break
		}
		head := strings.ToLower(s[max(0, i-40):i])
		s = s[i+len("base64,"):]
		j := strings.LastIndex(head, "data:image/")
		if j < 0 || !strings.HasSuffix(head, ";") {
			continue
		}
		k := 0
		for k < len(s) && k < base64.StdEncoding.EncodedLen(maxBytes) && isB64(s[k]) {
			k++
		}
		enc := strings.TrimRight(s[:k], "=")
		s = s[k:]
		if len(enc)%4 == 1 {
			enc = enc[:len(enc)-1] // a lone trailing sextet carries no byte
		}
		data, err := base64.RawStdEncoding.DecodeString(enc)
		if err != nil {
			continue
		}
		n++
		if kind := message.MediaKind(data); kind == message.MediaPNG || kind == message.MediaJPEG || kind == message.MediaGIF {
			out = append(out, Image{Name: "data URI " + strconv.Itoa(n), Kind: kind, Data: data})
		}
	}
	return out
}

func isB64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}
