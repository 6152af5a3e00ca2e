package urls

import "testing"

func TestHTMLStats(t *testing.T) {
	tests := []struct {
		html            string
		visible, images int
		hidden          bool
	}{
		{"<p>Hello <b>you</b></p>", 8, 0, false},
		{"<style>p { x }</style><script>var a = 1;</script><!-- note --><img src=a><IMG SRC=b>", 0, 2, false},
		{"<span style='FONT-SIZE: 0px'>x</span>", 1, 0, true},
		{"<span style='font-size:0.9em'>x</span>", 1, 0, false},
		{"<div style=\"visibility:hidden\">y</div>", 1, 0, true},
		{"<p>unterminated <a href='x'", 12, 0, false},
		{"<style>never closed", 0, 0, false},
		// Hidden elements with nothing to hide: an empty caption (a
		// zero-width space), a tracking pixel, spaces and references.
		{"<figcaption style=\"text-align:center;display:none\">\u200b</figcaption><p>Hi</p>", 5, 0, false},
		{"<img style=\"display:none\" src=\"https://t.example/p.gif\"><p>Hi</p>", 2, 1, false},
		{"<span style=\"display:none\">&nbsp;&zwnj; </span>", 12, 0, false},
		// Hidden text, directly or in nested elements.
		{"<div style=\"display:none\"><span>random words</span></div>", 11, 0, true},
		{"<span style=\"display:none\">Ihr Konto</span>", 8, 0, true},
	}
	for _, tt := range tests {
		var st HTMLStats
		st.Add(tt.html)
		if st.Visible != tt.visible || st.Images != tt.images || st.Hidden != tt.hidden {
			t.Errorf("HTMLStats(%q) = %+v, want visible %d images %d hidden %v", tt.html, st, tt.visible, tt.images, tt.hidden)
		}
	}
}
