package qr

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/qr/qrtest"
	"github.com/triage-tools/triage/internal/testutil"
)

const lure = "http://34-227-30-224.cprapid.com/owa/login?u=admin@example.jp"

func TestScanFindsQRCodes(t *testing.T) {
	for _, kind := range []string{message.MediaPNG, message.MediaJPEG, message.MediaGIF} {
		t.Run(kind, func(t *testing.T) {
			data := qrtest.Encode(t, kind, qrtest.Image(t, lure, 250))
			if got := message.MediaKind(data); got != kind {
				t.Fatalf("MediaKind = %q, want %q", got, kind)
			}
			codes, warns := Scan([]Image{{Name: "scan-me." + kind, Kind: kind, Data: data}}, DefaultLimits())
			if len(warns) != 0 {
				t.Errorf("warnings: %q", warns)
			}
			if len(codes) != 1 || codes[0].Text != lure || codes[0].Image != "scan-me."+kind {
				t.Fatalf("codes = %+v", codes)
			}
		})
	}
}

func TestScanNoCode(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	codes, warns := Scan([]Image{{Name: "logo.png", Kind: message.MediaPNG, Data: qrtest.Encode(t, message.MediaPNG, img)}}, DefaultLimits())
	if len(codes) != 0 || len(warns) != 0 {
		t.Fatalf("codes %v warnings %q, want none", codes, warns)
	}
}

func TestHostileImages(t *testing.T) {
	good := qrtest.Encode(t, message.MediaPNG, qrtest.Image(t, lure, 200))
	corrupt := bytes.Clone(good[:len(good)/2])
	for i := 40; i < len(corrupt); i += 7 {
		corrupt[i] ^= 0x5a
	}
	cases := []struct {
		name, kind, warn string
		data             []byte
	}{
		{"bomb.png", message.MediaPNG, "30000×30000 pixels, over the 16 MP cap", qrtest.PNGHeader(30000, 30000)},
		{"corrupt.png", message.MediaPNG, "unreadable png image", corrupt},
		{"truncated.jpg", message.MediaJPEG, "unreadable jpeg image", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16}},
		{"big.png", message.MediaPNG, "over the 8 MiB cap", append(bytes.Clone(good), make([]byte, 9<<20)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			codes, warns := Scan([]Image{{Name: c.name, Kind: c.kind, Data: c.data}}, DefaultLimits())
			if d := time.Since(start); d > testutil.TimeBound {
				t.Errorf("took %v, want under %v", d, testutil.TimeBound)
			}
			if len(codes) != 0 {
				t.Errorf("codes = %+v", codes)
			}
			if len(warns) != 1 || !strings.Contains(warns[0], c.warn) || !strings.HasPrefix(warns[0], "qr: "+c.name+": ") {
				t.Errorf("warnings = %q, want one containing %q", warns, c.warn)
			}
		})
	}
}

func TestImagesCap(t *testing.T) {
	data := qrtest.Encode(t, message.MediaPNG, qrtest.Image(t, "https://example.com/", 120))
	var ims []Image
	for range 3 {
		ims = append(ims, Image{Name: "a.png", Kind: message.MediaPNG, Data: data})
	}
	codes, warns := Scan(ims, Limits{MaxImages: 2})
	if len(codes) != 2 || len(warns) != 1 || !strings.Contains(warns[0], "more than 2 images") {
		t.Fatalf("codes %d, warnings %q", len(codes), warns)
	}
}

func TestTotalPixelsCap(t *testing.T) {
	data := qrtest.Encode(t, message.MediaPNG, qrtest.Image(t, "https://example.com/", 120)) // 160×160
	ims := []Image{{Name: "a.png", Kind: message.MediaPNG, Data: data}, {Name: "b.png", Kind: message.MediaPNG, Data: data}}
	codes, warns := Scan(ims, Limits{MaxPixels: 160 * 160, MaxTotalPixels: 160*160 + 1})
	if len(codes) != 1 || len(warns) != 1 || !strings.Contains(warns[0], "qr: b.png: over the 0 MP the images of one message") {
		t.Fatalf("codes %d, warnings %q", len(codes), warns)
	}
}

func TestDataURIs(t *testing.T) {
	data := qrtest.Encode(t, message.MediaPNG, qrtest.Image(t, lure, 150))
	b64 := base64.StdEncoding.EncodeToString(data)
	html := `<p>Scan:</p><img src="DATA:image/png;base64,` + b64 + `"><img src="data:image/svg+xml;base64,PHN2Zz4=">` +
		`<a href="x">base64, but no image</a><img src='data:image/jpeg;base64,` + b64[:len(b64)-2] + `'>`
	ims := DataURIs(html, 1<<20)
	if len(ims) != 2 || ims[0].Name != "data URI 1" || ims[0].Kind != message.MediaPNG || !bytes.Equal(ims[0].Data, data) {
		t.Fatalf("DataURIs = %d images, first %q %q", len(ims), ims[0].Name, ims[0].Kind)
	}
	if ims[1].Name != "data URI 3" || ims[1].Kind != message.MediaPNG { // declared jpeg, is png
		t.Fatalf("second = %q %q", ims[1].Name, ims[1].Kind)
	}
	codes, _ := Scan(ims[:1], DefaultLimits())
	if len(codes) != 1 || codes[0].Text != lure {
		t.Fatalf("codes = %+v", codes)
	}
	if got := DataURIs(strings.Repeat("base64,", 1000), 1<<20); len(got) != 0 {
		t.Fatalf("junk gave %d images", len(got))
	}
}

func BenchmarkDecode(b *testing.B) {
	defer decodeCache.setEnabled(decodeCache.setEnabled(false)) // the decoder's own cost
	for _, size := range []int{300, 1000, 3000} {
		data := qrtest.Encode(b, message.MediaPNG, qrtest.Image(b, lure, size))
		b.Run(fmtSize(size), func(b *testing.B) {
			ims := []Image{{Name: "q.png", Kind: message.MediaPNG, Data: data}}
			for b.Loop() {
				if c, _ := Scan(ims, DefaultLimits()); len(c) != 1 {
					b.Fatal("no code")
				}
			}
		})
	}
}

func fmtSize(n int) string { return strconv.Itoa(n) + "px" }

// BenchmarkDecodeWorst is the most work one image can cost: 16 MP of
// noise at the pixel cap (decoded, scaled down, searched in vain).
func BenchmarkDecodeWorst(b *testing.B) {
	img := image.NewGray(image.Rect(0, 0, 4096, 4096))
	x := uint32(1)
	for y := 0; y < 4096; y += 6 { // 6×6 blocks of noise: fits the bytes cap
		for xx := 0; xx < 4096; xx += 6 {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			draw.Draw(img, image.Rect(xx, y, xx+6, y+6), image.NewUniform(color.Gray{byte(x)}), image.Point{}, draw.Src)
		}
	}
	data := qrtest.Encode(b, message.MediaJPEG, img)
	ims := []Image{{Name: "noise.jpg", Kind: message.MediaJPEG, Data: data}}
	defer decodeCache.setEnabled(decodeCache.setEnabled(false))
	for b.Loop() {
		if c, w := Scan(ims, DefaultLimits()); len(c) != 0 || len(w) != 0 {
			b.Fatal(c, w)
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "<img src=\"data:image/png;base64,iVBORw0KGgo=\">")
	f.Add(qrtest.PNGHeader(30000, 30000), "")
	f.Fuzz(func(t *testing.T, data []byte, html string) {
		ims := DataURIs(html, 1<<20)
		if kind := message.MediaKind(data); kind != "" && kind != message.MediaPDF {
			ims = append(ims, Image{Name: "f", Kind: kind, Data: data})
		}
		codes, _ := Scan(ims, Limits{MaxPixels: 1 << 20})
		if len(codes) > len(ims) {
			t.Fatalf("%d codes from %d images", len(codes), len(ims))
		}
	})
}
