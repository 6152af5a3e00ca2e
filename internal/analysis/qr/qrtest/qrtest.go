// Package qrtest builds the pictures that the tests of the packages which
// read QR codes (qr, analysis) feed them: QR codes encoded by gozxing's own
// writer, and PNG headers that declare any size.
package qrtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/triage-tools/triage/internal/analysis/message"
)

// Image renders text as a QR code of size×size pixels, copied onto a white
// RGBA picture with a 20-pixel margin, as a picture in a mail would be.
func Image(tb testing.TB, text string, size int) image.Image {
	tb.Helper()
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, nil)
	if err != nil {
		tb.Fatal(err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, size+40, size+40))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, image.Rect(20, 20, size+20, size+20), m, image.Point{}, draw.Src)
	return dst
}

// Encode returns img as a file of kind: message.MediaPNG, MediaJPEG
// (quality 85) or MediaGIF.
func Encode(tb testing.TB, kind string, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	var err error
	switch kind {
	case message.MediaPNG:
		err = png.Encode(&b, img)
	case message.MediaJPEG:
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	case message.MediaGIF:
		err = gif.Encode(&b, img, nil)
	default:
		tb.Fatalf("qrtest: no encoder for %q", kind)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// PNGHeader returns a PNG whose IHDR declares w×h pixels, followed by a
// small IDAT and IEND: a decompression bomb's header.
func PNGHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
		b.WriteString(typ)
		b.Write(data)
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.Write(binary.BigEndian.AppendUint32(nil, c.Sum32()))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// Picture returns text as a 240-pixel QR code in a 280-pixel picture
// encoded as kind (see Encode): a code as a mail would carry it.
func Picture(tb testing.TB, kind, text string) []byte {
	tb.Helper()
	return Encode(tb, kind, Image(tb, text, 240))
}
