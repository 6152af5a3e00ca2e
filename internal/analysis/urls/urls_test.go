package urls

import (
	"encoding/base64"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

func urlScanAll(s string) []string {
	var got []string
	urlScanText(s, func(raw string) bool {
		got = append(got, raw)
		return true
	})
	return got
}

func TestURLScanText(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "see http://example.com/a now", []string{"http://example.com/a"}},
		{"trailing dot", "see http://example.com.", []string{"http://example.com"}},
		{"trailing punct", "go https://example.com/path?x=1! ok, https://b.example/;", []string{"https://example.com/path?x=1", "https://b.example/"}},
		{"parens around", "(see http://example.com/x)", []string{"http://example.com/x"}},
		{"balanced parens", "http://en.example.org/wiki/Foo_(bar) and", []string{"http://en.example.org/wiki/Foo_(bar)"}},
		{"balanced in parens", "(http://en.example.org/wiki/Foo_(bar))", []string{"http://en.example.org/wiki/Foo_(bar)"}},
		{"markdown", "[link](https://example.com/a)", []string{"https://example.com/a"}},
		{"brackets", "[https://example.com/a]", []string{"https://example.com/a"}},
		{"angle", "<http://example.com/a?b=c&d=e>", []string{"http://example.com/a?b=c&d=e"}},
		{"quotes", `href "http://example.com/q" x 'https://example.net/'`, []string{"http://example.com/q", "https://example.net/"}},
		{"japanese glued", "こちらhttps://example.jp/path。次へ", []string{"https://example.jp/path"}},
		{"japanese brackets", "「https://example.jp/a」、ご確認ください", []string{"https://example.jp/a"}},
		{"fullwidth paren", "（https://example.jp/b）", []string{"https://example.jp/b"}},
		{"fullwidth colon", "URL：https://example.jp/c", []string{"https://example.jp/c"}},
		{"ideographic space", "https://example.jp/d\u3000次", []string{"https://example.jp/d"}},
		{"zero width", "http://example.com/\u200bhidden", []string{"http://example.com/"}},
		{"nbsp", "http://example.com/a\u00a0b", []string{"http://example.com/a"}},
		{"cyrillic host", "http://пример.рф/путь end", []string{"http://пример.рф/путь"}},
		{"accented path", "https://example.fr/été?x=ç.", []string{"https://example.fr/été?x=ç"}},
		{"www", "visit www.example.com/path, now", []string{"www.example.com/path"}},
		{"www needs tld", "www.example and www.", nil},
		{"www in email", "mail a@www.example.com", nil},
		{"www glued to word", "foowww.example.com", nil},
		{"scheme glued to word", "Linkhttps://a.example/x", []string{"https://a.example/x"}},
		{"upper scheme", "HTTPS://EXAMPLE.COM/A", []string{"HTTPS://EXAMPLE.COM/A"}},
		{"ftp", "ftp://files.example.org/pub/x.tgz", []string{"ftp://files.example.org/pub/x.tgz"}},
		{"defanged ignored", "hxxp://evil.example/ and hxxps://evil[.]example", nil},
		{"other schemes", "javascript://x file://c/x smb://h/s", nil},
		{"empty host", "http:// example.com http:///x", nil},
		{"two", "http://a.example/1 http://b.example/2", []string{"http://a.example/1", "http://b.example/2"}},
		{"www inside url", "http://www.example.com/www.x", []string{"http://www.example.com/www.x"}},
		{"ipv6", "http://[2001:db8::1]:8080/x", []string{"http://[2001:db8::1]:8080/x"}},
		{"invalid utf8", "http://example.com/a\xffb", []string{"http://example.com/a"}},
		{"only separator", "://", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := urlScanAll(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("scan(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func urlTextMsg(parts ...string) *message.Parsed {
	p := &message.Parsed{}
	for _, s := range parts {
		p.TextParts = append(p.TextParts, message.Part{ContentType: "text/plain", Text: s})
	}
	return p
}

func urlHTMLMsg(parts ...string) *message.Parsed {
	p := &message.Parsed{}
	for _, s := range parts {
		p.HTMLParts = append(p.HTMLParts, message.Part{ContentType: "text/html", Text: s})
	}
	return p
}

// urlOne extracts the single URL of a text part.
func urlOne(t *testing.T, raw string, recipients ...string) report.URL {
	t.Helper()
	us, _ := Extract(urlTextMsg(raw), recipients, 10)
	if len(us) != 1 {
		t.Fatalf("Extract(%q) = %d URLs, want 1: %+v", raw, len(us), us)
	}
	return us[0]
}

func TestURLNormalize(t *testing.T) {
	tests := []struct {
		in, url, host, domain, unicode string
	}{
		{"HTTP://WWW.Example.COM", "http://www.example.com/", "www.example.com", "example.com", ""},
		{"https://Example.com:443/A?B#C", "https://example.com/A?B#C", "example.com", "example.com", ""},
		{"http://example.com:80/", "http://example.com/", "example.com", "example.com", ""},
		{"http://example.com:8080/", "http://example.com:8080/", "example.com", "example.com", ""},
		{"https://example.com:0443/", "https://example.com:443/", "example.com", "example.com", ""},
		{"http://example.com?x=1", "http://example.com/?x=1", "example.com", "example.com", ""},
		{"www.example.co.uk/x", "http://www.example.co.uk/x", "www.example.co.uk", "example.co.uk", ""},
		{"http://example.com./", "http://example.com/", "example.com", "example.com", ""},
		{"http://user:pw@Example.com/", "http://user:pw@example.com/", "example.com", "example.com", ""},
		{"http://121.50.46.57/x", "http://121.50.46.57/x", "121.50.46.57", "", ""},
		{"http://0x7f000001/", "http://127.0.0.1/", "127.0.0.1", "", ""},
		{"http://3232235777/", "http://192.168.1.1/", "192.168.1.1", "", ""},
		{"http://[2001:DB8::1]/", "http://[2001:db8::1]/", "[2001:db8::1]", "", ""},
		{"http://пример.рф/", "http://xn--e1afmkfd.xn--p1ai/", "xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai", "пример.рф"},
		{"http://xn--e1afmkfd.xn--p1ai/", "http://xn--e1afmkfd.xn--p1ai/", "xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai", "пример.рф"},
		{"http://localhost/", "http://localhost/", "localhost", "", ""},
		{"http://%65xample.com/", "http://example.com/", "example.com", "example.com", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			u := urlOne(t, tc.in)
			if u.Raw != tc.in || u.URL != tc.url || u.Host != tc.host || u.Domain != tc.domain || u.HostUnicode != tc.unicode {
				t.Errorf("got raw=%q url=%q host=%q domain=%q unicode=%q\nwant url=%q host=%q domain=%q unicode=%q",
					u.Raw, u.URL, u.Host, u.Domain, u.HostUnicode, tc.url, tc.host, tc.domain, tc.unicode)
			}
			if u.Source != report.SourceText || u.Scheme == "" || u.Defanged == "" {
				t.Errorf("source=%q scheme=%q defanged=%q", u.Source, u.Scheme, u.Defanged)
			}
		})
	}
}

func TestNormalizeHTMLHref(t *testing.T) {
	// Browsers drop tabs/newlines and accept backslashes; entities are decoded.
	us, _ := Extract(urlHTMLMsg("<a href=\" http:\\\\evil.example\\a\\b?x=1&amp;y=2\n\">x</a>"), nil, 10)
	if len(us) != 1 || us[0].URL != `http://evil.example/a/b?x=1&y=2` {
		t.Fatalf("got %+v", us)
	}
}

func TestUnwrap(t *testing.T) {
	tests := []struct {
		name, in, unwrapped, flag string
		also                      []string
	}{
		{"safelinks", "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example.tk%2Flogin&data=04%7C01%7Cadmin%40example.com%7Cabc&reserved=0",
			"https://evil.example.tk/login", FlagRewriterSafeLinks, []string{FlagSuspiciousTLD}},
		{"proofpoint v1", "https://urldefense.proofpoint.com/v1/url?u=http%3A%2F%2Fwww.example.com%2Fa%3Fb%3Dc&k=abc",
			"http://www.example.com/a?b=c", FlagRewriterProofpoint, nil},
		{"proofpoint v2", "https://urldefense.proofpoint.com/v2/url?u=https-3A__example.com_path_page-3Fa-3D1-26b-3D2&d=DwMFaQ&c=x&r=y",
			"https://example.com/path/page?a=1&b=2", FlagRewriterProofpoint, nil},
		{"proofpoint v3", "https://urldefense.com/v3/__https://example.com/a*b**Ac__;IUAj!!xyz$",
			"https://example.com/a!b@#c", FlagRewriterProofpoint, nil},
		{"proofpoint v3 plus", "https://urldefense.com/v3/__https://google.com:443/search?q=a*test&gs=ps__;Kw!-612Flbf0JvQ3kNJkRi5Jg!Ue6t$",
			"https://google.com/search?q=a+test&gs=ps", FlagRewriterProofpoint, nil},
		{"proofpoint v3 no stars", "https://urldefense.com/v3/__http://bit.ly/abc__;!!x$",
			"http://bit.ly/abc", FlagRewriterProofpoint, []string{FlagShortener}},
		{"google", "https://www.google.com/url?q=https://evil.example/x&sa=D",
			"https://evil.example/x", FlagRewriterGoogle, nil},
		{"google url param", "https://www.google.co.jp/url?sa=t&url=http%3A%2F%2Fevil.example%2Flogin",
			"http://evil.example/login", FlagRewriterGoogle, []string{FlagHTTPCredentialPath}},
		{"facebook", "https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example%2F&h=AT0",
			"https://evil.example/", FlagRewriterFacebook, nil},
		{"barracuda", "https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fevil.example%2f&c=E,1,x&typo=1",
			"https://evil.example/", FlagRewriterBarracuda, nil},
		{"mimecast", "https://protect-eu.mimecast.com/s/AbCdEfGhIj?domain=evil.example",
			"", FlagRewriterMimecast, nil},
		{"nested", "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Furldefense.proofpoint.com%2Fv2%2Furl%3Fu%3Dhttp-3A__34-2D227-2D30-2D224.cprapid.com_login%26d%3Dx&data=1",
			"http://34-227-30-224.cprapid.com/login", FlagRewriterSafeLinks, []string{FlagRewriterProofpoint, FlagIPEncodedHost, FlagFreeHosting, FlagHTTPCredentialPath}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := urlOne(t, tc.in, "admin@example.com")
			if u.Unwrapped != tc.unwrapped {
				t.Errorf("Unwrapped = %q, want %q", u.Unwrapped, tc.unwrapped)
			}
			for _, f := range append([]string{tc.flag}, tc.also...) {
				if !slices.Contains(u.Flags, f) {
					t.Errorf("flags %v lack %s", u.Flags, f)
				}
			}
			// Flags describe the target: the wrapper's length and its
			// tracking data (which carries the recipient) do not count.
			for _, f := range []string{FlagLongURL, FlagRecipientInQuery, FlagOpenRedirectParam} {
				if tc.unwrapped != "" && slices.Contains(u.Flags, f) {
					t.Errorf("flags %v include %s", u.Flags, f)
				}
			}
			if tc.unwrapped != "" && u.Host == "" {
				t.Errorf("no target host")
			}
		})
	}
}

// urlOneHref extracts the single URL of an HTML link.
func urlOneHref(t *testing.T, href string, recipients ...string) report.URL {
	t.Helper()
	us, _ := Extract(urlHTMLMsg(`<a href="`+html.EscapeString(href)+`">x</a>`), recipients, 10)
	if len(us) != 1 {
		t.Fatalf("Extract(%q) = %d URLs, want 1: %+v", href, len(us), us)
	}
	return us[0]
}

func TestURLFlags(t *testing.T) {
	long := "http://example.com/" + strings.Repeat("a", 200)
	b64 := base64.RawStdEncoding.EncodeToString([]byte("admin@example.com"))
	tests := []struct {
		flag string
		yes  []string
		no   []string
	}{
		{FlagIPLiteralHost, []string{"http://121.50.46.57/x", "http://[2001:db8::1]/", "http://0x7f.1/"}, []string{"http://example.com/", "http://121-50-46-57.example.com/"}},
		{FlagIPObfuscated, []string{"http://0x7f000001/", "http://3232235777/", "http://0177.0.0.1/"}, []string{"http://127.0.0.1/"}},
		{FlagIPEncodedHost, []string{"http://34-227-30-224.cprapid.com/", "http://121.50.46.57.nip.io/", "http://ec2-3-4-5-6.compute-1.amazonaws.com/",
			"http://0x22e31ee0.example.com/", "http://22e31ee0.nip.io/", "http://host-10-1-2-3-static.example.net/"},
			[]string{"http://121.50.46.57/", "http://a1b2c3d4.cloudfront.net/", "http://release-2024-01-15.example.com/", "http://1-2-3.example.com/", "http://300-1-1-1.example.com/"}},
		{FlagPunycode, []string{"http://xn--e1afmkfd.xn--p1ai/", "http://日本語.jp/", "http://pаypal.com/"}, []string{"http://example.com/"}},
		{FlagIDNMixedScript, []string{"http://pаypal.com/", "http://xn--pypal-4ve.com/", "http://αpple.com/"}, []string{"http://пример.рф/", "http://日本語.jp/", "http://münchen.de/", "http://example.com/"}},
		{FlagUserinfo, []string{"http://paypal.com@evil.example/", "http://user:pass@example.com/"}, []string{"http://example.com/a@b", "http://example.com/?e=a@b.c"}},
		{FlagNonstandardPort, []string{"http://example.com:8080/", "https://example.com:80/"}, []string{"http://example.com:80/", "https://example.com:443/"}},
		{FlagHTTPCredentialPath, []string{"http://example.com/login", "http://example.com/wp-login.php", "http://example.com/x?cmd=LOGIN_submit", "http://example.com/owa/", "http://example.com/Account/Verify"},
			[]string{"https://example.com/login", "http://example.com/news/today"}},
		{FlagLongURL, []string{long}, []string{"http://example.com/" + strings.Repeat("a", 150)}},
		{FlagRecipientInQuery, []string{"http://example.net/?email=admin@example.com", "http://example.net/?e=ADMIN%40example.com", "http://example.net/#" + b64, "http://example.net/p/" + base64.RawURLEncoding.EncodeToString([]byte("admin@example.com")) + "x"},
			[]string{"http://example.net/?email=other@example.com", "http://example.net/"}},
		{FlagShortener, []string{"https://bit.ly/3abc", "https://j.bit.ly/x", "http://tinyurl.com/y"}, []string{"https://notbit.ly/", "https://bit.ly.example.com/"}},
		{FlagFreeHosting, []string{"http://34-227-30-224.cprapid.com/", "https://foo.web.app/", "https://bucket.s3.us-east-1.amazonaws.com/x.html",
			"https://cloudflare-ipfs.example/ipfs/bafy/", "https://bafy.ipfs.dweb.link/", "https://abc.trycloudflare.com/",
			"https://telegra.ph/New-transaction-01-12", "https://graph.org/NEW-TRANSACTION-01-12"},
			[]string{"https://example.com/", "https://aws.amazon.com/", "https://web.application.example/"}},
		{FlagSuspiciousTLD, []string{"http://example.tk/", "http://shop.example.xyz/"}, []string{"http://example.com/", "http://tk.example.com/"}},
		{FlagOpenRedirectParam, []string{"https://example.com/redirect?url=https%3A%2F%2Fevil.example%2F", "https://example.com/r?next=http://evil.example/"},
			[]string{"https://example.com/redirect?url=/local", "https://example.com/?q=https://x.example/"}},
	}
	for _, tc := range tests {
		for _, in := range tc.yes {
			t.Run(tc.flag+"/yes/"+in, func(t *testing.T) {
				if u := urlOneHref(t, in, "admin@example.com"); !slices.Contains(u.Flags, tc.flag) {
					t.Errorf("flags %v lack %s", u.Flags, tc.flag)
				}
			})
		}
		for _, in := range tc.no {
			t.Run(tc.flag+"/no/"+in, func(t *testing.T) {
				if u := urlOneHref(t, in, "admin@example.com"); slices.Contains(u.Flags, tc.flag) {
					t.Errorf("flags %v include %s", u.Flags, tc.flag)
				}
			})
		}
	}
}

func TestEncodedIP(t *testing.T) {
	testutil.Cases(t, "EncodedIP", testutil.FoundText(EncodedIP), map[string]string{
		"34-227-30-224.cprapid.com":           "34.227.30.224",
		"121.50.46.57.nip.io":                 "121.50.46.57",
		"app.121.50.46.57.sslip.io":           "121.50.46.57",
		"ec2-3-4-5-6.compute-1.amazonaws.com": "3.4.5.6",
		"0x22e31ee0.example.com":              "34.227.30.224",
		"22e31ee0.nip.io":                     "34.227.30.224",
		"22e31ee0.example.com":                "",
		"121.50.46.57":                        "",
		"1.2.3.com":                           "",
		"example.com":                         "",
		"":                                    "",
		"[::1]":                               "",
	})
}

// urlExtractHTMLDoc exercises every URL source of scanHTML.
const urlExtractHTMLDoc = `<html><head><base href="https://base.example/dir/"><title>http://title.example/</title>
<meta http-equiv="Refresh" content="0; URL='https://refresh.example/go'">
<style>body{background:url(http://style.example/x.png)}</style></head>
<body background="https://bg.example/b.png">
<p>Visit https://visible.example/page.</p>
<a href="https://evil.example/login?a=1&amp;b=2"> <b>https://secure.bank.example/login</b>  </a>
<a href="https://www.bank.example/help">www.bank.example</a>
<a href="https://evil.example/login?a=1&amp;b=2">https://secure.bank.example/login</a>
<a href="https://evil.example/login?a=1&amp;b=2">Click here</a>
<a href="relative/page.html">rel</a>
<a href="mailto:x@example.com">mail</a><a href="javascript:alert(1)">js</a><a href="#top">top</a>
<img src="cid:part1@x"><img src="data:image/png;base64,AAAA"><img src="//cdn.example/i.png">
<form action="http://harvest.example/post.php"><input type=submit formaction="https://other.example/f"></form>
<map><area href="https://area.example/"></map>
<script>var u="https://script.example/x"</script>
</body></html>`

func TestExtractHTML(t *testing.T) {
	doc := urlExtractHTMLDoc
	us, warns := Extract(urlHTMLMsg(doc), nil, 100)
	type row struct{ url, source, anchor string }
	var got []row
	for _, u := range us {
		got = append(got, row{u.URL, u.Source, u.AnchorText})
	}
	want := []row{
		{"https://refresh.example/go", report.SourceHTMLMeta, ""},
		{"https://bg.example/b.png", report.SourceHTMLSrc, ""},
		{"https://visible.example/page", report.SourceHTMLText, ""},
		{"https://evil.example/login?a=1&b=2", report.SourceHTMLHref, "https://secure.bank.example/login"},
		{"https://secure.bank.example/login", report.SourceHTMLText, ""},
		{"https://www.bank.example/help", report.SourceHTMLHref, "www.bank.example"},
		{"http://www.bank.example/", report.SourceHTMLText, ""},
		{"https://evil.example/login?a=1&b=2", report.SourceHTMLHref, "Click here"},
		{"https://base.example/dir/relative/page.html", report.SourceHTMLHref, "rel"},
		{"https://cdn.example/i.png", report.SourceHTMLSrc, ""},
		{"http://harvest.example/post.php", report.SourceHTMLForm, ""},
		{"https://other.example/f", report.SourceHTMLForm, ""},
		{"https://area.example/", report.SourceHTMLHref, ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s\nwarnings %v", urlFmtRows(got), urlFmtRows(want), warns)
	}
	for _, u := range us {
		mismatch := slices.Contains(u.Flags, FlagAnchorDomainMismatch)
		if wantM := u.AnchorText == "https://secure.bank.example/login"; mismatch != wantM {
			t.Errorf("%s %q: anchor_domain_mismatch = %v", u.URL, u.AnchorText, mismatch)
		}
	}
}

func urlFmtRows[T any](rows []T) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %+v\n", r)
	}
	return b.String()
}

func TestAnchorDomain(t *testing.T) {
	testutil.Cases(t, "urlAnchorDomain", urlAnchorDomain, map[string]string{
		"https://secure.kagoya.jp/activemail/login": "kagoya.jp",
		"www.PayPal.com": "paypal.com",
		"Amazon.co.jp":   "amazon.co.jp",
		"Log in at https://www.paypal.com/signin now": "paypal.com",
		"http://121.50.46.57/":                        "121.50.46.57",
		"Click here":                                  "",
		"file.pdf":                                    "",
		"admin@example.com":                           "",
		"e.g. this":                                   "",
		"":                                            "",
	})
}

func TestAttachmentURLs(t *testing.T) {
	p := &message.Parsed{Attachments: []report.Attachment{
		{Name: "invoice.html", DeclaredType: "application/octet-stream",
			Text: `<form method=post action="https://harvest.example/p.php"><a href="https://a.example/">x</a></form><script>fetch("https://exfil.example/c")</script>`},
		{Name: "notes.txt", DeclaredType: "text/plain", Text: "see https://txt.example/x"},
		{Name: "empty.bin"},
	}}
	us, _ := Extract(p, nil, 10)
	var got []string
	for _, u := range us {
		if u.Source != report.SourceAttachment {
			t.Errorf("%s: source %q", u.URL, u.Source)
		}
		got = append(got, u.URL)
	}
	want := []string{"https://harvest.example/p.php", "https://a.example/", "https://exfil.example/c", "https://txt.example/x"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(us) > 0 && !slices.Contains(us[0].Flags, FlagFormAction) {
		t.Errorf("form action flags %v", us[0].Flags)
	}
}

func TestExtractDedupAndBounds(t *testing.T) {
	p := urlTextMsg("http://a.example/ http://a.example/ HTTP://A.EXAMPLE:80/", "http://a.example/")
	p.HTMLParts = []message.Part{{Text: `<a href="http://a.example/">x</a><a href="http://a.example/">x</a><a href="http://a.example/">y</a>`}}
	us, _ := Extract(p, nil, 10)
	if len(us) != 3 {
		t.Fatalf("got %d URLs: %+v", len(us), us)
	}

	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "http://h%d.example/ ", i)
	}
	us, warns := Extract(urlTextMsg(b.String()), nil, 10)
	if len(us) != 10 || len(warns) != 1 || !strings.HasPrefix(warns[0], "urls: ") {
		t.Errorf("max 10: got %d URLs, warnings %q", len(us), warns)
	}
	// The same URL a million times costs one normalisation and stays bounded.
	us, warns = Extract(urlTextMsg(strings.Repeat("http://same.example/ ", 100000)), nil, 10)
	if len(us) != 1 || len(warns) != 1 {
		t.Errorf("repeated: got %d URLs, warnings %q", len(us), warns)
	}
	if us, w := Extract(nil, nil, 10); us != nil || w != nil {
		t.Errorf("nil message: %v %v", us, w)
	}
	long := "http://example.com/" + strings.Repeat("x", 20000)
	us, warns = Extract(urlHTMLMsg(`<a href="`+long+`">x</a>`), nil, 10)
	if len(us) != 1 || len(us[0].URL) > urlMaxLen || len(us[0].Raw) > urlMaxLen || len(warns) != 1 {
		t.Errorf("long: %d URLs, warnings %q", len(us), warns)
	}
}

// TestActiveMailFixture is the seed case, on our own reconstruction.
func TestActiveMailFixture(t *testing.T) {
	txt, err := os.ReadFile(filepath.Join("testdata", "urls", "activemail.txt"))
	if err != nil {
		t.Fatal(err)
	}
	htm, err := os.ReadFile(filepath.Join("testdata", "urls", "activemail.html"))
	if err != nil {
		t.Fatal(err)
	}
	p := &message.Parsed{
		TextParts: []message.Part{{ContentType: "text/plain", Text: string(txt)}},
		HTMLParts: []message.Part{{ContentType: "text/html", Text: string(htm)}},
	}
	us, warns := Extract(p, []string{"admin@example.com"}, 500)
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	urlCheckActiveMail(t, us)
}

func urlCheckActiveMail(t *testing.T, us []report.URL) {
	t.Helper()
	want := []string{FlagIPEncodedHost, FlagFreeHosting, FlagHTTPCredentialPath, FlagLongURL, FlagRecipientInQuery}
	var text, href bool
	for _, u := range us {
		if u.Host != "34-227-30-224.cprapid.com" {
			continue
		}
		for _, f := range want {
			if !slices.Contains(u.Flags, f) {
				t.Errorf("%s %s: flags %v lack %s", u.Source, u.Defanged, u.Flags, f)
			}
		}
		if !strings.HasPrefix(u.Defanged, "hxxp://34-227-30-224[.]cprapid[.]com/wp-includes/") {
			t.Errorf("defanged %q", u.Defanged)
		}
		switch u.Source {
		case report.SourceText:
			text = true
		case report.SourceHTMLHref:
			href = true
			if !slices.Contains(u.Flags, FlagAnchorDomainMismatch) || !strings.HasPrefix(u.AnchorText, "https://secure.kagoya.jp/") {
				t.Errorf("href anchor %q flags %v", u.AnchorText, u.Flags)
			}
		}
	}
	if !text || !href {
		t.Errorf("text=%v href=%v in %+v", text, href, us)
	}
	for _, u := range us {
		if strings.Contains(u.URL, "tracker.example.net") && u.Source != report.SourceHTMLSrc {
			t.Errorf("tracker source %q", u.Source)
		}
		if strings.HasPrefix(u.Raw, "cid:") {
			t.Errorf("cid: kept")
		}
	}
}

// urlCorpusDir returns the shared corpus or skips the test.
func urlCorpusDir(t testing.TB) string {
	t.Helper()
	return devdata.Dir(t, "corpus")
}

// urlCorpusWalkDir returns the shared corpus for a test that walks all
// of it, skipping the test when the corpus is absent or with -short.
func urlCorpusWalkDir(t *testing.T) string {
	t.Helper()
	dir := urlCorpusDir(t)
	if testing.Short() {
		t.Skip("short")
	}
	return dir
}

// eachCorpusMessage calls fn with every .eml file under dir, parsed.
func eachCorpusMessage(tb testing.TB, dir string, fn func(path string, p *message.Parsed)) {
	tb.Helper()
	devdata.EachFile(tb, dir, ".eml", func(path string, b []byte) { fn(path, message.Parse(b, message.DefaultLimits())) })
}

// TestCorpusRawNoPanic runs the extractors over the raw bytes of every
// corpus file, as text and as HTML.
func TestCorpusRawNoPanic(t *testing.T) {
	dir := urlCorpusWalkDir(t)
	n, found := 0, 0
	devdata.EachFile(t, dir, "", func(path string, b []byte) {
		s := string(b[:min(len(b), 4<<20)])
		p := &message.Parsed{TextParts: []message.Part{{Text: s}}, HTMLParts: []message.Part{{Text: s}},
			Attachments: []report.Attachment{{Name: "x.html", Text: s}}}
		us, _ := Extract(p, []string{"phishing@pot", "admin@example.com"}, 500)
		for _, u := range us {
			if u.URL == "" || u.Host == "" || u.Defanged == "" || u.Source == "" {
				t.Errorf("%s: incomplete %+v", path, u)
			}
		}
		found += len(us)
		HTMLToText(s)
		n++
	})
	t.Logf("%d files, %d URLs", n, found)
}

// TestExtractPathological feeds inputs that would be quadratic for a naive
// scanner; it must finish quickly (a regression shows up as a slow test).
func TestExtractPathological(t *testing.T) {
	for _, s := range []string{
		"http://a.example/" + strings.Repeat(")", 1<<20),
		strings.Repeat("www.a?", 1<<18),
		strings.Repeat("http://", 1<<18),
		strings.Repeat("https://a.example/(", 1<<16),
		"<a href=x>" + strings.Repeat("https://a.example/ ", 1<<15),
		strings.Repeat("<a href=http://a.example/>", 1<<15),
	} {
		p := &message.Parsed{TextParts: []message.Part{{Text: s}}, HTMLParts: []message.Part{{Text: s}}}
		us, _ := Extract(p, []string{"admin@example.com"}, 500)
		if len(us) > 500 {
			t.Errorf("%d URLs", len(us))
		}
		HTMLToText(s)
	}
}

// TestURLCredentialPathCase pins the case folding of urlCredentialPath:
// strings.ToLower's, which also maps U+212A KELVIN SIGN to 'k'.
func TestURLCredentialPathCase(t *testing.T) {
	testutil.Cases(t, "urlCredentialPath", urlCredentialPath, map[string]bool{
		"/LOGIN": true, "/Sign-In/x": true, "/x?cmd=LOGIN": true, "/mail/OWA": true, "/OWA/x": true, "/owl": false,
		"/x/OWA?y=1": true, "/ban\u212aing": true, "/\u212aeep": false, "/wallet\u00e9": true, "/index.html": false,
	})
}
