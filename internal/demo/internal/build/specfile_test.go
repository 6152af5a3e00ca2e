package build

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// validMsg is a small well-formed message file, named 07-t.msg.
const validMsg = `# a comment
n: 7
seed: t-7
date: 2026-10-02 09:14:07 GMT
lag: 3s
subject: Hello
category: benign
signals: none
from: a@example.org
rcpt: b@example.com
helo: mx.example.org
ip: 192.0.2.1
---
From: A <{from}>
Subject: {subject}

Hi{U+200B}.
`

func TestParseSpecValid(t *testing.T) {
	s, err := parseSpec("07-t.msg", validMsg)
	if err != nil {
		t.Fatal(err)
	}
	want := spec{Entry: Entry{"Hello", "benign", "none"}, n: 7, seed: "t-7",
		date: time.Date(2026, time.October, 2, 9, 14, 7, 0, gmt), lag: 3 * time.Second, from: "a@example.org",
		hop:    hop{rcpt: "b@example.com", helo: "mx.example.org", ip: "192.0.2.1"},
		header: []string{"From: A <{from}>", "Subject: {subject}"},
		body:   []part{{text: "Hi\u200b.\n"}}}
	if s.date.Location() != gmt || !s.date.Equal(want.date) {
		t.Errorf("date = %v, want %v", s.date, want.date)
	}
	s.date = want.date
	if !equalSpec(s, want) {
		t.Errorf("parsed\n%#v\nwant\n%#v", s, want)
	}
}

// TestParseSpecMultipart checks parts, folded fields, signatures, {data:…}
// and crlf:.
func TestParseSpecMultipart(t *testing.T) {
	src := strings.Replace(validMsg, "---\n", "boundary: b-{hex::4}\ncrlf: 2\ntls: yes\n"+
		"dkim: d=example.org; s=k1; h=From:\n\t Subject; sfx=x\n---\n{dkim}\n", 1)
	src = strings.Replace(src, "Hi{U+200B}.\n", "--{boundary}\nContent-Type: text/plain;\n charset=utf-8\n\none\n\n"+
		"--{boundary}\nContent-Type: text/calendar\n\nA\nB\n--{boundary}\nContent-Type: application/pdf\n\n{data:pdf:Hi}\n--{boundary}--\n", 1)
	s, err := parseSpec("07-t.msg", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.body) != 3 || s.body[0].text != "one\n\n" || s.body[0].header[0] != "Content-Type: text/plain;\n charset=utf-8" ||
		s.body[1].text != "A\r\nB\r\n" || string(s.body[2].data) != string(pdfDoc("Hi")) || s.body[2].text != "" {
		t.Errorf("body = %#v", s.body)
	}
	if len(s.sigs) != 1 || s.sigs[0] != (sig{"example.org", "k1", "From:\n\t Subject", "x"}) || s.header[0] != "{dkim}" || !s.hop.tls {
		t.Errorf("sigs = %#v, header = %q, tls = %v", s.sigs, s.header, s.hop.tls)
	}
}

func TestParseSpecRejectsMalformed(t *testing.T) {
	sub := func(old, new string) string {
		if !strings.Contains(validMsg, old) {
			t.Fatalf("test case: %q not in validMsg", old)
		}
		return strings.Replace(validMsg, old, new, 1)
	}
	// multi replaces the body with body and adds a boundary: line (line 13).
	multi := func(body string) string {
		return strings.Replace(sub("ip: 192.0.2.1\n", "ip: 192.0.2.1\nboundary: b\n"), "Hi{U+200B}.\n", body, 1)
	}
	const twoParts = "--{boundary}\nA: b\n\nx\n--{boundary}\nA: b\n\ny\n--{boundary}--\n"
	for _, c := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unknown key", sub("seed: t-7", "sed: t-7"), 3, "sed: unknown key"},
		{"missing key", sub("seed: t-7\n", ""), 12, "no seed: line"},
		{"duplicate key", sub("lag: 3s\n", "lag: 3s\nlag: 4s\n"), 6, "lag: given twice (first on line 5)"},
		{"no value", sub("lag: 3s", "lag:"), 5, `want "key: value"`},
		{"bad zone", sub("GMT", "PST"), 4, "ZONE one of"},
		{"bad duration", sub("3s", "3 seconds"), 5, "lag: time: "},
		{"bad category", sub("benign", "spam"), 7, `want one of phish malware bec simulation benign borderline, got "spam"`},
		{"bad ip", sub("192.0.2.1", "192.0.2"), 12, "ip: ParseAddr"},
		{"bad dkim", sub("---", "dkim: d=x; s=y\n---"), 13, "d=, s= and h= are required"},
		{"dkim without {dkim}", sub("---", "dkim: d=x; s=y; h=From\n---"), 13, "dkim: the header has no {dkim} line"},
		{"{dkim} without dkim", sub("---\n", "---\n{dkim}\n"), 14, "{dkim} with no dkim: lines"},
		{"raw control", sub("Hi{U+200B}.", "Hi\x1b[2J."), 17, "raw character U+001B: write it as {U+001B}"},
		{"raw bidi", sub("Hello", "Hel\u202elo"), 6, "raw character U+202E"},
		{"bad escape", sub("{U+200B}", "{U+200b}"), 17, `bad character escape "{U+200b}"`},
		{"escaped line break", sub("{U+200B}", "{U+0D}"), 17, "a line break is a new line"},
		{"invalid UTF-8", sub("Hi", "H\xffi"), 17, "invalid UTF-8"},
		{"no end of front matter", validMsg[:strings.Index(validMsg, "---")], 12, `no "---" line`},
		{"front matter runs on", sub("---\n", ""), 16, `want "key: value" (or "---" to end the front matter), got "Hi\u200b."`},
		{"not a field", sub("Subject: {subject}", "Subject {subject}"), 15, `want a header field "Name: value"`},
		{"fold first", sub("From: A", " From: A"), 14, "folded line with no header field"},
		{"no blank line", strings.TrimSuffix(validMsg, "\nHi{U+200B}.\n"), 15, "no blank line and body"},
		{"no body", strings.TrimSuffix(validMsg, "Hi{U+200B}.\n"), 16, "no body after the header"},
		{"unknown placeholder", sub("Hi{U+200B}.", "Hi {nope}."), 17, "unknown placeholder {nope}"},
		{"placeholder number", sub("Hi{U+200B}.", "{b64::1000000000}"), 17, `bad number "1000000000" in a placeholder`},
		{"placeholder loop", sub("ip: 192.0.2.1\n", "ip: 192.0.2.1\nlink: x{link}\n"), 13, "link: may not refer to {link} or {boundary}"},
		{"placeholder in auth", sub("ip: 192.0.2.1\n", "ip: 192.0.2.1\nauth: {spf:pass}\nauth: {dkim:x}\n"), 14, "auth: demo build: unknown placeholder {dkim:x}"},
		{"placeholder in front matter", sub("ip: 192.0.2.1", "ip: 192.0.2.1\nlink: http://x/{rcpt"), 13, "link: demo build: unclosed placeholder"},
		{"no final newline", strings.TrimSuffix(validMsg, "\n"), 17, "must end with a newline"},
		{"n and file name", sub("n: 7", "n: 8"), 2, "n: 8 does not match the file name"},
		{"multipart without boundary", sub("Hi{U+200B}.\n", "--{boundary}\nA: b\n\nx\n--{boundary}\nA: b\n\ny\n--{boundary}--\n"), 17, "needs a boundary: line"},
		{"multipart not closed", multi("--{boundary}\nA: b\n\nx\n"), 21, "no closing --{boundary}-- line"},
		{"one part", multi("--{boundary}\nA: b\n\nx\n--{boundary}--\n"), 22, "needs two parts or more"},
		{"part without header", multi("--{boundary}\n\nx\n--{boundary}--\n"), 19, "a part needs header fields before its blank line"},
		{"part without text", multi("--{boundary}\nA: b\n\n--{boundary}--\n"), 20, "a part needs text after its blank line"},
		{"text after close", multi(twoParts + "x\n"), 27, "text after the closing --{boundary}--"},
		{"unknown payload", multi(strings.Replace(twoParts, "y\n", "{data:nope}\n", 1)), 25, `unknown payload "nope" (known: exe-stub, iso-image, js-zip, onenote, pdf)`},
		{"payload unclosed", multi(strings.Replace(twoParts, "y\n", "{data:onenote\n", 1)), 25, "want {data:name} or {data:name:arg}"},
		{"payload without argument", multi(strings.Replace(twoParts, "y\n", "{data:pdf}\n", 1)), 25, "pdf needs an argument, the page text: {data:pdf:…}"},
		{"payload argument", multi(strings.Replace(twoParts, "y\n", "{data:onenote:x}\n", 1)), 25, "onenote takes no argument"},
		{"boundary for one part", sub("ip: 192.0.2.1\n", "ip: 192.0.2.1\nboundary: b\n"), 13, "boundary: given for a single-part body"},
		{"crlf out of range", sub("ip: 192.0.2.1\n", "ip: 192.0.2.1\ncrlf: 2\n"), 13, "crlf: part 2 is not a text part"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseSpec("07-t.msg", c.src)
			var se *specError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a specError", err)
			}
			if se.file != "07-t.msg" || se.line != c.line || !strings.Contains(se.msg, c.msg) {
				t.Errorf("err = %q, want 07-t.msg:%d: …%s…", err, c.line, c.msg)
			}
		})
	}
}

// A malformed file among the embedded ones is named with its line.
func TestLoadSpecsNamesTheFile(t *testing.T) {
	fsys := fstest.MapFS{
		"messages/07-t.msg": {Data: []byte(validMsg)},
		"messages/08-u.msg": {Data: []byte(strings.Replace(strings.Replace(validMsg, "n: 7", "n: 8", 1), "benign", "spam", 1))},
	}
	_, err := loadSpecs(fsys)
	if err == nil || !strings.HasPrefix(err.Error(), "08-u.msg:7: category: ") {
		t.Fatalf("err = %v, want 08-u.msg:7: category: …", err)
	}
	delete(fsys, "messages/08-u.msg")
	if all, err := loadSpecs(fsys); err != nil || len(all) != 1 {
		t.Fatalf("loadSpecs = %d specs, %v", len(all), err)
	}
}

func TestMessageFilesParse(t *testing.T) {
	if _, err := loadSpecs(messageFiles); err != nil {
		t.Fatal(err)
	}
}

// equalSpec compares specs field by field (time zones by pointer via the date).
func equalSpec(a, b spec) bool {
	return a.Entry == b.Entry && a.n == b.n && a.seed == b.seed && a.date.Equal(b.date) && a.from == b.from &&
		a.hop == b.hop && a.lag == b.lag && a.settle == b.settle && a.link == b.link && a.boundary == b.boundary &&
		strings.Join(a.auth, "|") == strings.Join(b.auth, "|") && len(a.sigs) == len(b.sigs) &&
		strings.Join(a.header, "|") == strings.Join(b.header, "|") && len(a.body) == len(b.body) &&
		(len(a.body) == 0 || a.body[0].text == b.body[0].text)
}

// FuzzParseSpec: any input gives a spec or a specError, never a panic.
func FuzzParseSpec(f *testing.F) {
	f.Add(validMsg)
	for _, name := range []string{"messages/12-esc.msg", "messages/38-ics.msg", "messages/31-zipjs.msg"} {
		src, err := messageFiles.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := parseSpec("07-t.msg", src)
		var se *specError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("err = %v, want a specError", err)
		}
	})
}
