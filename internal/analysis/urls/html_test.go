package urls

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
		links          []string
	}{
		{"paragraphs", "<p>Hello   <b>world</b></p><p>Second\nline</p>", "Hello world\n\nSecond line", nil},
		{"br and div", "a<br>b<br><br><br>c<div>d</div>e", "a\nb\n\nc\nd\ne", nil},
		{"list", "<ul><li>one</li><li> two </li></ul>after", "• one\n• two\n\nafter", nil},
		{"links", `<a href="https://a.example/">Sign in</a> or <a href="https://b.example/">here</a>, <a href="https://a.example/">again</a>`,
			"Sign in [1] or here [2], again [1]", []string{"https://a.example/", "https://b.example/"}},
		{"link without text", `<a href="https://a.example/"><img src="x.png" alt=" Log  in "></a>`, "[image: Log in] [1]", []string{"https://a.example/"}},
		{"skipped links", `<a href="#top">top</a> <a href="javascript:void(0)">js</a>`, "top js", nil},
		{"image", `x<img src="a.png">y<img src="p.gif" width="1" height="1">z`, "x [image] yz", nil},
		{"dropped", `<head><title>T</title><style>p{}</style><script>alert(1)</script></head><body><noscript>ns</noscript><template><p>tpl</p></template>Body</body>`, "Body", nil},
		{"entities", "Tom &amp; Jerry&nbsp;&lt;3 &#x1F600; &copy;", "Tom & Jerry <3 😀 ©", nil},
		{"pre", "<pre>a  b\n  c</pre>d", "a  b\n  c\nd", nil},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc", nil},
		{"japanese", "<p>お客様の<b>アカウント</b>が停止されます。</p>", "お客様のアカウントが停止されます。", nil},
		{"heading hr", "<h1>Title</h1><hr>text", "Title\n\n----------\ntext", nil},
		{"broken", "<p>unclosed <b>bold <a href='http://x.example/'>link", "unclosed bold link [1]", []string{"http://x.example/"}},
		{"empty", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, links := HTMLToText(tc.in)
			if got != tc.want || !slices.Equal(links, tc.links) {
				t.Errorf("HTMLToText(%q)\n got %q %q\nwant %q %q", tc.in, got, links, tc.want, tc.links)
			}
		})
	}
}

func TestHTMLToTextBounded(t *testing.T) {
	var b strings.Builder
	for range 5000 {
		b.WriteString(`<a href="https://x.example/`)
		b.WriteString(strings.Repeat("a", 10))
		b.WriteString(`"><img alt="` + strings.Repeat("x", 300) + `"></a>`)
	}
	in := b.String()
	out, links := HTMLToText(in)
	if len(out) > 2*len(in)+1024 || len(links) > htmlMaxLinks {
		t.Errorf("output %d bytes for %d, %d links", len(out), len(in), len(links))
	}
}

func TestHTMLRefreshURL(t *testing.T) {
	testutil.Cases(t, "htmlRefreshURL", htmlRefreshURL, map[string]string{
		"0; url=http://x.example/":        "http://x.example/",
		"5;URL='http://x.example/a'":      "http://x.example/a",
		`0 ; Url = "http://x.example/b" `: "http://x.example/b",
		"0,http://x.example/c":            "http://x.example/c",
		"10":                              "",
	})
}
