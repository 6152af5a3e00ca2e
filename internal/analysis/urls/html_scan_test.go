package urls

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// The hand-written scanHTML must give exactly what the tokenizer-based
// scanHTMLRef (html_ref_test.go) gives: same URLs in the same order, same
// sources, anchors, flags and warnings.

var htmlDiffRecipients = []string{"admin@example.com", "phishing@pot"}

// htmlDiffScan runs scanHTML, or scanHTMLRef when ref is set, over h.
func htmlDiffScan(h string, attach bool, max int, ref bool) ([]report.URL, []string) {
	e := newURLExtractor(htmlDiffRecipients, max)
	if ref {
		e.scanHTMLRef(h, attach)
	} else {
		e.scanHTML(h, attach)
	}
	return e.finish()
}

// htmlDiffSettings are the settings htmlDiff compares the scanners with:
// as a body part and as an attachment, with room for every URL and with a
// small limit (so that the limit is reached mid-document).
var htmlDiffSettings = []struct {
	attach bool
	max    int
}{{false, 500}, {false, 3}, {true, 500}, {true, 3}}

// htmlDiff compares both scanners on h with every setting. It returns ""
// or the first difference.
func htmlDiff(h string) string {
	for i := range htmlDiffSettings {
		if d := htmlDiffWith(h, i); d != "" {
			return d
		}
	}
	return ""
}

// htmlDiffSpread is htmlDiff for the n-th of many inputs: under the race
// detector it compares with one setting, the inputs taking them in turn,
// otherwise with all of them. The tests that walk every cut of a document
// or every corpus file run on one goroutine, where the detector has
// nothing to find and only slows them six times (testutil.Race).
func htmlDiffSpread(h string, n int) string {
	if testutil.Race {
		return htmlDiffWith(h, n%len(htmlDiffSettings))
	}
	return htmlDiff(h)
}

// htmlDiffWith compares both scanners on h with setting i.
func htmlDiffWith(h string, i int) string {
	attach, max := htmlDiffSettings[i].attach, htmlDiffSettings[i].max
	got, gotW := htmlDiffScan(h, attach, max, false)
	want, wantW := htmlDiffScan(h, attach, max, true)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotW, wantW) {
		return fmt.Sprintf("attach=%v max=%d\n got %s %q\nwant %s %q", attach, max,
			htmlDiffFmt(got), gotW, htmlDiffFmt(want), wantW)
	}
	return ""
}

func htmlDiffFmt(us []report.URL) string {
	var b strings.Builder
	for _, u := range us {
		fmt.Fprintf(&b, "\n\t%q %s %q %v", u.Raw, u.Source, u.AnchorText, u.Flags)
	}
	return b.String()
}

// extractURLsWith is ExtractURLs with the reference scanner when ref is set.
func extractURLsWith(p *message.Parsed, max int, ref bool) ([]report.URL, []string) {
	e := newURLExtractor(htmlDiffRecipients, max)
	scan := e.scanHTML
	if ref {
		scan = e.scanHTMLRef
	}
	for i := range p.TextParts {
		e.scanText(p.TextParts[i].Text, report.SourceText, false)
	}
	for i := range p.HTMLParts {
		scan(p.HTMLParts[i].Text, false)
	}
	for i := range p.Attachments {
		a := &p.Attachments[i]
		if a.Text == "" {
			continue
		}
		if urlLooksHTML(a) {
			scan(a.Text, true)
		} else {
			e.scanText(a.Text, report.SourceAttachment, false)
		}
	}
	return e.finish()
}

// htmlDiffMessage compares whole-message extraction with both scanners,
// and checks that extractURLsWith still mirrors ExtractURLs.
func htmlDiffMessage(p *message.Parsed) string { return htmlDiffMessageLimits(p, htmlDiffLimits...) }

// htmlDiffLimits are the URL limits htmlDiffMessage compares with.
var htmlDiffLimits = []int{500, 5}

// htmlDiffMessageSpread is htmlDiffMessage for the n-th of many messages:
// under the race detector with one limit, the messages taking them in
// turn (see testutil.Race).
func htmlDiffMessageSpread(p *message.Parsed, n int) string {
	if testutil.Race {
		return htmlDiffMessageLimits(p, htmlDiffLimits[n%len(htmlDiffLimits)])
	}
	return htmlDiffMessage(p)
}

func htmlDiffMessageLimits(p *message.Parsed, limits ...int) string {
	for _, max := range limits {
		got, gotW := extractURLsWith(p, max, false)
		want, wantW := extractURLsWith(p, max, true)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotW, wantW) {
			return fmt.Sprintf("max=%d\n got %s %q\nwant %s %q", max, htmlDiffFmt(got), gotW, htmlDiffFmt(want), wantW)
		}
		real, realW := Extract(p, htmlDiffRecipients, max)
		if !reflect.DeepEqual(got, real) || !reflect.DeepEqual(gotW, realW) {
			return "extractURLsWith no longer mirrors ExtractURLs"
		}
	}
	return ""
}

// htmlDiffCases are tokenizer corner cases: duplicated and odd
// attributes, self-closing tags, comments, raw text, script escapes,
// character references, NUL and CR, and input cut short.
var htmlDiffCases = []string{
	"", "<", "<a", "<a ", "<a href", "<a href=", "<a href= ", "</", "text</", "<!", "<!-", "<!--", "<!-->", "<?", "</a", "</a ",
	"<a href='http://x.example/", `<a href="http://x.example/"`, "<a href=http://x.example/", "<a href=http://x.example/ ",
	"<a href=http://x.example/>t", "<a href=http://x.example/ />t</a>after", "<a href='http://x.example/'/>t</a>u",
	`<a href="http://x.example/" href="http://y.example/">t</a>`, "<a HREF=http://x.example/ href=http://y.example/>t</a>",
	"<a x=1 href=http://y.example/ x=2/>t</a>u", "<a href=http://x.example/ x=1 x=2/>t</a>u",
	"<a href=http://x.example/ X=1 x=2/>t", "<a href=http://x.example/ x=1 X=2/>t</a>u", "<a href=http://x.example/ x=/>t</a>u",
	"<a href=http://x.example/ x/>t</a>u", "<a href=http://x.example/ /x=2/>t</a>u", "<a href=http://x.example/ ==/>t</a>u",
	"<a href=http://x.example/>one<a>two</a>three", "<a name=x>one<a href=http://x.example/>two<a name=y>three</a>",
	"<a href=http://x.example/>t</A >u", "<a href=http://x.example/>t</a\x00>u</a>", "<a href=http://x.example/>t</a x='>'>u",
	"<a href=http://x.example/>t &amp; &nbsp;&lt;b&gt; http&#58;//y.example/ &#x77;ww.z.example</a>",
	`<a href="http://x.example/?a=1&amp;b=2&ampc=3&amp=4&copy=5&copy;&notit;&notin;&#x41;&#65&#;&#x;&fjlig;&nvlt;&semi;&">t</a>`,
	`<a href="http://x.example/?&AMP;&amp&ampx&lt&lt;x&gtx&Aacute&Aacutex&nbsp=&nbsp;=&#38;&#x26&#0;&#128;&#x10FFFF;&#99999999;">t</a>`,
	"<a href='http://x.example/\r\npath\rx\x00y'>t\r\nu\x00v\r</a>", "<a\thref\n=\f'http://x.example/'\r>t</a>",
	"<a =href=http://x.example/>t</a>", "<a href = http://x.example/ >t</a>", "<a href=>t</a><a href= >u</a>",
	"<a/href=http://x.example/>t</a>", "<a href/=http://x.example/>t</a>", `<a href=http://x.example/"q'>t</a>`,
	"<a href='http://x.example/'x=1>t</a>", `<a href="http://x.example/"'y'>t</a>`, "<a href=\"http://x.example/\"\x00>t</a>",
	"<!-- <a href=http://c.example/> -->", "<!--> <a href=http://a.example/>a</a>", "<!---> <a href=http://a.example/>a</a>",
	"<!-- x --!> <a href=http://a.example/>a</a>", "<!-- x --!-> <a href=http://b.example/>b</a> -->",
	"<!-- x - -> <a href=http://b.example/>b</a> -->", "<!-- x --!!> <a href=http://b.example/>b</a> -->",
	"<!-- x ---!> <a href=http://b.example/>b</a> -->", "<!---x-> <a href=http://b.example/>b</a> -->",
	"<!-- unterminated <a href=http://a.example/>", "<!DOCTYPE html><a href=http://a.example/>a</a>",
	"<!doctype <a href=http://a.example/>a</a>", "<!DOCTYP", "<!DOCTYPE", "<!x <a href=http://a.example/>a</a>",
	"<!>http://a.example/", "<!->http://a.example/", "<?xml version='1.0'?><a href=http://a.example/>a</a>",
	"<?<a href=http://a.example/>a</a>", "</ x <a href=http://a.example/>a</a>", "</>http://a.example/", "</1>http://a.example/",
	"a < b http://a.example/ <3 www.b.example", "<1 http://a.example/<2", "<<a href=http://a.example/>x</a>",
	"<![CDATA[http://a.example/]]>http://b.example/",
	"<title>http://t.example/ &amp; </title>", "<title>http://t.example/</titlex></title>http://u.example/",
	"<TITLE>x</Title >http://u.example/", "<title>x</title/http://u.example/>http://v.example/", "<title>a</title", "<title>a</",
	"<script>var a='http://s.example/';</script>", "<script src=http://s.example/x.js></script>",
	"<script><!-- document.write('<script>http://x.example/</script>') --></script>http://after.example/",
	"<script><!--<script></script>http://in.example/--></script>http://after.example/",
	"<script><!-- </script> http://after.example/", "<script><!--<script>-->http://in.example/</script>http://b.example/",
	"<script><!--<script>--!><--</script>http://in.example/</script>http://b.example/",
	"<script><!--<SCRIPT/>-<</script>x</script>http://c.example/", "<script><!--->http://in.example/</script>",
	"<script><!--<scrip>-</script>http://c.example/", "<script><!-<--</script>http://c.example/", "<script><!--<",
	"<script>a</SCRIPT\t>http://x.example/", "<script>a</script", "<script>a</scrip", "<script>\x00http://x.example/\x00</script>",
	"<script/>http://s.example/</script>http://t.example/", "<style/>x{background:url(http://s.example/)}</style>",
	"<textarea>http://a.example/&amp;x</textarea>", "<a href=http://a.example/><textarea/>x&amp;</textarea>y</a>",
	"<iframe src=http://i.example/>http://in.example/ &amp;</iframe>", "<a href=http://a.example/><iframe>x&amp;\x00y\r\nz</iframe></a>",
	"<plaintext>http://p.example/ <a href=http://q.example/>", "<a href=http://a.example/><plaintext>x\x00y&amp;",
	"<xmp><a href=http://x.example/></xmp>", "<noscript><a href=http://x.example/>x</a></noscript>",
	"<a href=http://a.example/><noscript>n</noscript>text</a>", "<a href=http://a.example/><title>n</title>text</a>",
	"<a href=http://a.example/><noembed/>n</noembed>text</a>", "<noframes>http://a.example/</noframes>",
	"<base href=http://base.example/d/><a href=rel>r</a><img src=i.png>", "<base href=''><base href=https://b.example/><a href=x>x</a>",
	"<base href=ftp://b.example/><a href=x>x</a><base href=https://c.example/><a href=y>y</a>", "<base href=https://b.example/ href=https://c.example/><a href=x>x</a>",
	"<meta http-equiv=refresh content='0;url=http://m.example/'>", "<meta content='0;url=http://m.example/' http-equiv=REFRESH src=http://s.example/>",
	"<meta src=http://s.example/ content=1>", "<meta http-equiv=refresh content='0;url=rel' content='0;url=http://m.example/'>",
	"<td src=http://s.example/ title=background>", "<td src=http://s.example/>", "<TD BACKGROUND=http://bg.example/>",
	"<body background='http://bg.example/'>", "<table\nbackground=http://bg.example/ href=http://h.example/>",
	"<form action=http://f.example/><button formaction=http://b.example/>", "<input src=http://a.example/ formaction=//b.example/>",
	"<img src=http://a.example/a.png src=http://b.example/>", "<IMG SRC=http://a.example/>", "<img\x00 src=http://a.example/>",
	"<a href=http://a.example/\x00>t</a>", "<a\x00 href=http://a.example/>t</a>", "<a href\x00=http://a.example/>t</a>",
	"<a href=http://a.example/>t<a href=http://b.example/ />u</a>", "<scriptx>http://a.example/</scriptx>",
	"<a href='&#x68;ttp://a.example/'>t</a>", "<a href='http&colon;//a.example/'>t</a>",
	"http&colon;//a.example/ http&#x3a;&sol;&sol;b.example/ www&period;c.example &#119;ww.d.example",
	"<a href=http://a.example/>&#0;&#x110000;&#128;&#xD800;</a>", "<a href=https://a.example/>www.b.example</a>",
	"<a href=https://a.example/><b>x</b> <i> y </i></a>", "<a href=https://a.example/>\u00a0x\u2003y\u3000</a>",
	"<a href=http://a.example/>http://a.example/</a><a href=http://a.example/>http://a.example/</a>",
	"<a href=http://a.example/>" + strings.Repeat("x ", 1000) + "</a>",
	"<a href=http://a.example/>" + strings.Repeat("é&nbsp;", 500) + "</a>",
	"<a href=http://a.example/>" + strings.Repeat("\xff", 300) + "</a>",
	"<a href=\\\\evil.example\\x>t</a><a href=//cdn.example/x>u</a><a href=HTTPS://A.example/>v</a>",
	"<a href=\" http://a.example/ \n\">t</a><a href=\"mailto:x@y\">m</a><a href=\"#top\">t</a>",
}

// htmlTestDocs returns the HTML of the other tests of the package.
func htmlTestDocs(t testing.TB) []string {
	text, htm := urlBenchBodies()
	docs := []string{urlExtractHTMLDoc, htm, text}
	docs = append(docs, urlFuzzSeedDocs...)
	docs = append(docs, htmlDiffCases...)
	docs = append(docs,
		"<a href=x>"+strings.Repeat("https://a.example/ ", 1<<12),
		strings.Repeat("<a href=http://a.example/>", 1<<12))
	if b, err := os.ReadFile(filepath.Join("testdata", "urls", "activemail.html")); err == nil {
		docs = append(docs, string(b))
	} else {
		t.Error(err)
	}
	var msgs []string
	if b, err := os.ReadFile(filepath.Join("..", "testdata", "seed", "activemail.eml")); err == nil {
		msgs = append(msgs, string(b))
	} else {
		t.Error(err)
	}
	for _, m := range msgs {
		p := message.Parse([]byte(m), message.DefaultLimits())
		for _, pt := range p.HTMLParts {
			docs = append(docs, pt.Text)
		}
		for _, a := range p.Attachments {
			docs = append(docs, a.Text)
		}
	}
	return docs
}

func TestScanHTMLDiff(t *testing.T) {
	for _, h := range htmlTestDocs(t) {
		if d := htmlDiff(h); d != "" {
			t.Errorf("scanHTML(%.200q): %s", h, d)
		}
	}
}

// TestScanHTMLDiffPrefixes cuts documents at every byte: the end of the
// input can fall inside any construct.
func TestScanHTMLDiffPrefixes(t *testing.T) {
	if testutil.Race {
		t.Log("race detector: each cut with one of the four settings, in turn (all four without -race)")
	}
	docs := []string{urlExtractHTMLDoc, strings.Join(htmlDiffCases[:len(htmlDiffCases)-4], "\n")}
	for _, doc := range docs {
		for i := range len(doc) {
			if d := htmlDiffSpread(doc[:i], i); d != "" {
				t.Fatalf("scanHTML(%.200q…) cut at %d: %s", doc[max(0, i-200):i], i, d)
			}
		}
	}
}

// TestScanHTMLDiffCorpus compares the scanners on every corpus file taken
// as raw HTML, and on the parsed messages (body parts and attachments).
func TestScanHTMLDiffCorpus(t *testing.T) {
	dir := urlCorpusWalkDir(t)
	if testutil.Race {
		t.Log("race detector: each file with one of the four settings, each message with one of the two limits, in turn (all without -race)")
	}
	files, msgs := 0, 0
	devdata.EachFile(t, dir, "", func(path string, b []byte) {
		b = b[:min(len(b), 4<<20)]
		if d := htmlDiffSpread(string(b), files); d != "" {
			t.Errorf("%s as HTML: %s", path, d)
		}
		files++
		if strings.HasSuffix(path, ".eml") {
			if d := htmlDiffMessageSpread(message.Parse(b, message.DefaultLimits()), msgs); d != "" {
				t.Errorf("%s: %s", path, d)
			}
			msgs++
		}
	})
	t.Logf("%d files, %d messages", files, msgs)
}

func FuzzScanHTMLDiff(f *testing.F) {
	urlFuzzSeeds(f)
	for _, s := range htmlDiffCases {
		f.Add(s)
	}
	f.Add(urlExtractHTMLDoc)
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, s string) {
		if d := htmlDiff(s); d != "" {
			t.Fatalf("scanHTML(%q): %s", s, d)
		}
	})
}

// htmlStatsCases are inline styles that hide text or nearly do.
var htmlStatsCases = []string{
	"<span style='FONT-SIZE: 0px'>x</span>", "<span style='font-size:0.9em'>x</span>", "<p style='font-size:0'>",
	"<div style=\"visibility:hidden\">y</div>", "<p style=\"dis play : none\">x", "<p style=\"display:\tnone\">x",
	"<p style=\"display:\nnone\">x", "<p style='color:red;font-size :\t0'>x", "<p style='font-size:05px'>x",
	"<p title='display:' style='x:none;display:block'>x", "<p STYLE='DISPLAY:NONE'>x", "<p style=';;:n:h:0 display'>",
	"<p style='visibility: visible; visibility :h idden'>", "<p data-style='display:none'>", "<img src=a style=display:none>",
}

// htmlStatsDiff compares HTMLStats.add with addRef on h.
func htmlStatsDiff(h string) string {
	var got, want HTMLStats
	got.Add(h)
	want.addRef(h)
	if got != want {
		return fmt.Sprintf("got %+v, want %+v", got, want)
	}
	return ""
}

func TestHTMLStatsDiff(t *testing.T) {
	docs := append(htmlTestDocs(t), htmlStatsCases...)
	// The corpus is optional here: urlCorpusDir would skip the test.
	if dir, ok := devdata.Find("corpus"); ok && !testing.Short() {
		devdata.EachFile(t, dir, "", func(_ string, b []byte) { docs = append(docs, string(b)) })
	}
	for _, h := range docs {
		for _, s := range []string{h, h[:len(h)/2], h[len(h)/3:]} {
			if d := htmlStatsDiff(s); d != "" {
				t.Errorf("HTMLStats(%.200q): %s", s, d)
			}
		}
	}
	for c := range 256 {
		for n := range 20 {
			s := strings.Repeat(string([]byte{byte(c)}), n)
			want := 0
			if c > ' ' {
				want = n
			}
			if got := countVisible(s); got != want {
				t.Errorf("countVisible(%d × %#x) = %d, want %d", n, c, got, want)
			}
		}
	}
}

func FuzzHTMLStatsDiff(f *testing.F) {
	urlFuzzSeeds(f)
	for _, s := range append(htmlDiffCases, htmlStatsCases...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := htmlStatsDiff(s); d != "" {
			t.Fatalf("HTMLStats(%q): %s", s, d)
		}
	})
}

func FuzzHidesContent(f *testing.F) {
	for _, s := range htmlStatsCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if got, want := hidesContent(tag), hidesContentRef(tag); got != want {
			t.Fatalf("hidesContent(%q) = %v, want %v", tag, got, want)
		}
	})
}

func FuzzIndexFoldASCII(f *testing.F) {
	for _, s := range []string{"<span STYLE='x' style=y>", "HTTP://x http", "wWw.x.WWW.", "\u212a\u017ftyle sTyle", "ssssstyle", ""} {
		f.Add(s, "style")
		f.Add(s, "www.")
		f.Add(s, "http")
	}
	f.Fuzz(func(t *testing.T, s, sub string) {
		sub = strings.ToLower(sub)
		if sub == "" || !charset.IsASCII(sub) {
			return
		}
		if got, want := indexFoldASCII(s, sub), indexFoldASCIIRef(s, sub); got != want {
			t.Fatalf("indexFoldASCII(%q, %q) = %d, want %d", s, sub, got, want)
		}
	})
}

// TestScanHTMLBoundedWork feeds hostile documents of 1 MB and checks that
// the scanner examines each byte a bounded number of times.
func TestScanHTMLBoundedWork(t *testing.T) {
	const n = 1 << 20
	rep := func(s string) string { return strings.Repeat(s, n/len(s)) }
	for _, h := range []string{
		rep("<a"), rep("<a<"), rep("<"), rep("</"), rep("<!"), rep("<?"), rep("<a "), rep("<a x"), rep("<a x="), rep("<a x='"),
		"<!--" + rep("-"), "<!--" + rep("->"), "<!--" + rep("-!>"), "<!--" + rep("!>"), rep("<!--->"), rep("<!-- -->"),
		"<a " + rep("x=1 ") + "x=2/>", rep("<a x=1 x=/>"), rep("<a href=x/>"), rep("<a href=x href=y/>"),
		"<a href='" + rep("&amp;") + "'>", "<a href='" + rep("&#") + "'>", "<a href='" + rep("&notit") + "'>",
		"<a href=x>" + rep("&#"), "<a href=x>" + rep("&nbsp;"), "<a href=x>" + rep("x&"),
		"<title>" + rep("</titl"), "<title>" + rep("</"), "<textarea>" + rep("<"),
		"<script>" + rep("<!--"), "<script><!--" + rep("<script>"), "<script><!--<script>" + rep("</scrip"),
		"<script><!--<script>" + rep("-<"), "<script>" + rep("</scrip"), "<script><!--" + rep("--<"),
		rep("<td background x>"), rep("<meta refresh>"), rep("<td " + strings.Repeat("b", 100) + ">"),
		rep("<a href=x>" + "t"), rep("<a name=x>t</a>"), rep("\r\n"), rep("\x00"),
	} {
		for _, attach := range []bool{false, true} {
			s := htmlScanner{e: newURLExtractor(nil, 500), h: h, attach: attach, anchorIdx: urlNoIndex}
			s.run()
			if s.steps > 4*len(h) {
				t.Errorf("%.40q… (attach=%v): %d steps for %d bytes", h, attach, s.steps, len(h))
			}
		}
	}
}

// BenchmarkScanHTMLCorpus extracts the URLs of the HTML body parts and
// HTML attachments of the corpus messages, with the scanner and with the
// reference tokenizer-based scanHTMLRef. "cold" starts each message with
// an empty extractor, as ExtractURLs does; "warm" starts it with the URLs
// already normalised, which leaves the cost of reading the HTML.
func BenchmarkScanHTMLCorpus(b *testing.B) {
	dir := urlCorpusDir(b)
	type doc struct {
		h      string
		attach bool
	}
	var msgs [][]doc
	size := 0
	eachCorpusMessage(b, dir, func(_ string, p *message.Parsed) {
		var m []doc
		for _, pt := range p.HTMLParts {
			m = append(m, doc{pt.Text, false})
			size += len(pt.Text)
		}
		for i := range p.Attachments {
			if a := &p.Attachments[i]; a.Text != "" && urlLooksHTML(a) {
				m = append(m, doc{a.Text, true})
				size += len(a.Text)
			}
		}
		if m != nil {
			msgs = append(msgs, m)
		}
	})
	caches := make([]map[string]*urlInfo, len(msgs))
	for i, m := range msgs {
		e := newURLExtractor(htmlDiffRecipients, 500)
		for _, d := range m {
			e.scanHTML(d.h, d.attach)
		}
		caches[i] = e.cache
	}
	for _, impl := range []string{"scanner", "tokenizer"} {
		for _, warm := range []bool{false, true} {
			name := impl + "/cold"
			if warm {
				name = impl + "/warm"
			}
			b.Run(name, func(b *testing.B) {
				loopCorpusBench(b, size, func() {
					for i, m := range msgs {
						e := newURLExtractor(htmlDiffRecipients, 500)
						if warm {
							e.cache = caches[i]
						}
						for _, d := range m {
							if impl == "tokenizer" {
								e.scanHTMLRef(d.h, d.attach)
							} else {
								e.scanHTML(d.h, d.attach)
							}
						}
					}
				})
				b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msg/s")
			})
		}
	}
}

// BenchmarkHTMLStatsCorpus summarises the HTML body parts of the corpus
// messages with HTMLStats.add and with the reference addRef.
func BenchmarkHTMLStatsCorpus(b *testing.B) {
	dir := urlCorpusDir(b)
	var docs []string
	size := 0
	eachCorpusMessage(b, dir, func(_ string, p *message.Parsed) {
		for _, pt := range p.HTMLParts {
			docs = append(docs, pt.Text)
			size += min(len(pt.Text), statsBytes)
		}
	})
	for _, ref := range []bool{false, true} {
		name := "add"
		if ref {
			name = "addRef"
		}
		b.Run(name, func(b *testing.B) {
			loopCorpusBench(b, size, func() {
				for _, h := range docs {
					var st HTMLStats
					if ref {
						st.addRef(h)
					} else {
						st.Add(h)
					}
				}
			})
		})
	}
}

// loopCorpusBench runs op (one pass over size bytes of corpus text) in
// b's loop, reporting allocations and CPU time.
func loopCorpusBench(b *testing.B, size int, op func()) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	done := devdata.ReportCPU(b)
	for b.Loop() {
		op()
	}
	done()
}
