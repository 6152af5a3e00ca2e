package qr

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"testing"
)

// lumaImages are one image of each type lumaRow reads directly, and one it
// reads through At, with an odd size and a non-zero origin.
func lumaImages() []image.Image {
	r := image.Rect(3, 5, 3+61, 5+47)
	rgba, nrgba, gray := image.NewRGBA(r), image.NewNRGBA(r), image.NewGray(r)
	pal := image.NewPaletted(r, palette.Plan9[:200])
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	gray16 := image.NewGray16(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := uint8(x*7 + y*13)
			c := color.NRGBA{v, v ^ 0x5a, uint8(x * y), uint8(255 - x*3)}
			rgba.Set(x, y, c)
			nrgba.Set(x, y, c)
			gray.Set(x, y, c)
			pal.SetColorIndex(x, y, v%200)
			gray16.Set(x, y, c)
			ycc.Y[ycc.YOffset(x, y)] = v
		}
	}
	return []image.Image{rgba, nrgba, gray, pal, ycc, gray16}
}

// TestLumaDirect checks the unscaled path of luma against the box average
// with a box of one pixel, for every image type, and the palette table
// against the colours themselves.
func TestLumaDirect(t *testing.T) {
	for _, img := range lumaImages() {
		plane, w, h := luma(img, scanPixels)
		if w != img.Bounds().Dx() || h != img.Bounds().Dy() {
			t.Fatalf("%T: %d×%d", img, w, h)
		}
		want := make([]byte, w*h)
		boxLuma(img, 1, want, w, h, paletteLuma(img))
		if !bytes.Equal(plane, want) {
			t.Errorf("%T: the unscaled plane differs from the box average", img)
		}
		if _, ok := img.(*image.Paletted); ok {
			b := img.Bounds()
			for i, v := range plane {
				if c := colorLuma(img.At(b.Min.X+i%w, b.Min.Y+i/w)); c != v {
					t.Fatalf("paletted pixel %d: %d, its colour says %d", i, v, c)
				}
			}
		}
	}
}

// TestLumaScaled checks that an image over the pixel bound is scaled down
// by a whole factor, each pixel the average of its box.
func TestLumaScaled(t *testing.T) {
	for _, img := range lumaImages() {
		plane, w, h := luma(img, 700)
		W, H := img.Bounds().Dx(), img.Bounds().Dy()
		if w != W/2 || h != H/2 {
			t.Fatalf("%T: %d×%d from %d×%d, want a factor of 2", img, w, h, W, H)
		}
		full, _, _ := luma(img, scanPixels)
		for y := range h {
			for x := range w {
				s := int(full[2*y*W+2*x]) + int(full[2*y*W+2*x+1]) + int(full[(2*y+1)*W+2*x]) + int(full[(2*y+1)*W+2*x+1])
				if int(plane[y*w+x]) != s/4 {
					t.Fatalf("%T: pixel %d,%d = %d, box average %d", img, x, y, plane[y*w+x], s/4)
				}
			}
		}
	}
}

// BenchmarkLuma is the luminance plane of a 600×800 GIF-like paletted
// image, the common case of a logo or banner.
func BenchmarkLuma(b *testing.B) {
	img := image.NewPaletted(image.Rect(0, 0, 600, 800), palette.Plan9)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 31)
	}
	b.ReportAllocs()
	for b.Loop() {
		luma(img, scanPixels)
	}
}
