package qr

import (
	"image"
	"image/color"
)

// scanPixels bounds the luminance plane handed to the QR detector: a
// larger image is scaled down by a whole factor (box average) first. QR
// codes in mail are drawn to be scanned from a screen, with modules of
// several pixels, and survive that; the detector's time grows with the
// plane, so this bounds the time per image.
const scanPixels = 2 << 20

// luma returns the luminance plane of img (transparent pixels composed on
// white), scaled down by a whole factor so that it has at most maxPixels,
// with its width and height. The common decoded types are read directly;
// others through At.
func luma(img image.Image, maxPixels int) (plane []byte, w, h int) {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	f := 1
	for (W/f)*(H/f) > maxPixels {
		f++
	}
	w, h = W/f, H/f
	if w == 0 || h == 0 {
		return nil, 0, 0
	}
	pal := paletteLuma(img)
	plane = make([]byte, w*h)
	if f == 1 { // the common case: each row straight into the plane
		for y := range h {
			lumaRow(img, b.Min.Y+y, plane[y*w:(y+1)*w], pal)
		}
		return plane, w, h
	}
	boxLuma(img, f, plane, w, h, pal)
	return plane, w, h
}

// boxLuma fills plane (w×h) with the luminance of img scaled down by f:
// the average of each f×f box.
func boxLuma(img image.Image, f int, plane []byte, w, h int, pal *[256]byte) {
	b := img.Bounds()
	sums := make([]uint32, w)
	row := make([]byte, b.Dx())
	for oy := range h {
		clear(sums)
		for dy := range f {
			lumaRow(img, b.Min.Y+oy*f+dy, row, pal)
			for ox := range w {
				for _, v := range row[ox*f : ox*f+f] {
					sums[ox] += uint32(v)
				}
			}
		}
		n := uint32(f * f)
		for ox := range w {
			plane[oy*w+ox] = byte(sums[ox] / n)
		}
	}
}

// paletteLuma is the luminance of each colour of a paletted image's
// palette (0 past its end), computed once per image; nil for other images.
func paletteLuma(img image.Image) *[256]byte {
	m, ok := img.(*image.Paletted)
	if !ok {
		return nil
	}
	var pal [256]byte
	for i, c := range m.Palette[:min(len(m.Palette), 256)] {
		pal[i] = colorLuma(c)
	}
	return &pal
}

// lumaRow fills row with the luminance of row y of img; pal is
// paletteLuma(img).
func lumaRow(img image.Image, y int, row []byte, pal *[256]byte) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		off := m.YOffset(b.Min.X, y)
		copy(row, m.Y[off:off+len(row)])
	case *image.Gray:
		off := m.PixOffset(b.Min.X, y)
		copy(row, m.Pix[off:off+len(row)])
	case *image.RGBA:
		off := m.PixOffset(b.Min.X, y)
		for x := range row {
			p := m.Pix[off+4*x : off+4*x+4]
			// Premultiplied: compose on white by adding the missing alpha.
			row[x] = gray8(uint32(p[0]), uint32(p[1]), uint32(p[2]), 255-uint32(p[3]))
		}
	case *image.NRGBA:
		off := m.PixOffset(b.Min.X, y)
		for x := range row {
			p := m.Pix[off+4*x : off+4*x+4]
			a := uint32(p[3])
			row[x] = gray8(uint32(p[0])*a/255, uint32(p[1])*a/255, uint32(p[2])*a/255, 255-a)
		}
	case *image.Paletted:
		off := m.PixOffset(b.Min.X, y)
		for x, i := range m.Pix[off : off+len(row)] {
			row[x] = pal[i]
		}
	default:
		for x := range row {
			row[x] = colorLuma(img.At(b.Min.X+x, y))
		}
	}
}

// gray8 is the luminance of a premultiplied 8-bit colour composed on white
// (white is the missing alpha, 0–255), with gozxing's weights (R+2G+B)/4.
func gray8(r, g, b, white uint32) byte {
	return byte((r + 2*g + b + 4*white) / 4)
}

func colorLuma(c color.Color) byte {
	if c == nil {
		return 255
	}
	r, g, b, a := c.RGBA()
	return gray8(r>>8, g>>8, b>>8, 255-a>>8)
}
