package demo

import (
	"bytes"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
	gomail "github.com/emersion/go-message/mail"

	"github.com/triage-tools/triage/internal/demo/internal/build"
	"github.com/triage-tools/triage/internal/testutil"
)

// split cuts an mboxrd mailbox into raw messages: a message starts after a
// line beginning with "From ", ends before the blank line preceding the
// next one, and has one level of ">From " quoting removed.
func split(t *testing.T, mbox []byte) [][]byte {
	t.Helper()
	var (
		msgs [][]byte
		cur  []byte
		in   bool
	)
	flush := func() {
		if in {
			msgs = append(msgs, bytes.TrimSuffix(cur, []byte("\n")))
		}
		cur = nil
	}
	for line := range bytes.Lines(mbox) {
		if bytes.HasPrefix(line, []byte("From ")) {
			flush()
			in = true
			continue
		}
		if !in {
			t.Fatalf("content before the first From line: %q", line)
		}
		if l := bytes.TrimLeft(line, ">"); len(l) < len(line) && bytes.HasPrefix(l, []byte("From ")) {
			line = line[1:]
		}
		cur = append(cur, line...)
	}
	flush()
	return msgs
}

func messages(t *testing.T) [][]byte {
	t.Helper()
	msgs := split(t, Mbox())
	if len(msgs) < 28 {
		t.Fatalf("demo mailbox has %d messages, want at least 28", len(msgs))
	}
	return msgs
}

func TestMboxSplits(t *testing.T) {
	if len(Mbox()) == 0 {
		t.Fatal("embedded demo mailbox is empty")
	}
	msgs := messages(t)
	if got, want := len(msgs), len(build.Catalog()); got != want {
		t.Errorf("mailbox splits into %d messages, catalog lists %d (unescaped From line?)", got, want)
	}
}

func TestGeneratorMatchesCommittedFile(t *testing.T) {
	got := build.Build()
	if !bytes.Equal(got, Mbox()) {
		t.Fatal("demo.mbox is stale: run `go generate ./internal/demo/` and commit the result")
	}
	if !bytes.Equal(got, build.Build()) {
		t.Fatal("generator output is not deterministic")
	}
}

func TestRequiredHeaders(t *testing.T) {
	start := time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	for i, raw := range messages(t) {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Errorf("message %d: %v", i+1, err)
			continue
		}
		for _, k := range []string{"From", "To", "Subject", "Date", "Message-Id", "Received", "Return-Path", "Authentication-Results"} {
			if m.Header.Get(k) == "" {
				t.Errorf("message %d: missing %s", i+1, k)
			}
		}
		d, err := m.Header.Date()
		if err != nil {
			t.Errorf("message %d: Date: %v", i+1, err)
		} else if d.Before(start) || !d.Before(end) {
			t.Errorf("message %d: Date %v outside 2026-10/11", i+1, d)
		}
		if n := len(m.Header["Received"]); n < 2 || n > 5 {
			t.Errorf("message %d: %d Received fields, want 2..5", i+1, n)
		}
		if !strings.HasPrefix(m.Header.Get("Authentication-Results"), "mx.example.com;") {
			t.Errorf("message %d: Authentication-Results not stamped by mx.example.com", i+1)
		}
	}
}

// TestDecoding checks that every subject decodes to the catalog's subject and
// that every text part decodes in its declared charset, so the charset and
// transfer encodings written by the generator are right.
func TestDecoding(t *testing.T) {
	cat := build.Catalog()
	wantText := map[int][]string{ // 1-based index → substrings of the decoded text
		2:  {"24時間以内", "https://secure.kagoya.jp/activemail/login", "34-227-30-224.cprapid.com"},
		5:  {"ご注文を承りました", "注文番号"},
		8:  {"サーバー設備のメンテナンス", "https://support.example.co.jp/maintenance/20261108"},
		13: {"24時間以内", "セキュリティコード", "vpass.smbc-card.com.secure-jp.cn"},
		15: {"自動退会", "jreast-ekinet.xyz"},
		16: {"ご不在のため持ち帰りました", "duckdns.org"},
		17: {"お届け予定日時", "toi.kuronekoyamato.co.jp"},
		7:  {"nam12.safelinks.protection.outlook.com/?url=http%3A%2F%2Fbrooks-partners-sharepoint"},
		12: {"\x1b]8;;http://203.0.113.9/owa/", "\u202eCOD-1234"},
	}
	wantHeader := map[int][]string{ // hostile characters that must survive decoding
		6:  {"PayPal Service <service@paypal.com>"},
		12: {"\x1b[2J", "\x1b]52;c;", "\x07", "\u202e", "\u2066", "\u200b", "\u200d", "\x1b[31m"},
		15: {"\u2064"},
		29: {"PayPal"},
	}
	for i, raw := range messages(t) {
		n := i + 1
		e, err := message.Read(bytes.NewReader(raw))
		if err != nil {
			t.Errorf("message %d: %v", n, err)
			continue
		}
		h := gomail.Header{Header: e.Header}
		subj, err := h.Subject()
		if err != nil {
			t.Errorf("message %d: subject: %v", n, err)
		}
		if i < len(cat) && !strings.Contains(cat[i].Subject, "<") && subj != cat[i].Subject {
			t.Errorf("message %d: subject %q, want %q", n, subj, cat[i].Subject)
		}
		from, err := h.AddressList("From")
		if err != nil || len(from) != 1 {
			t.Errorf("message %d: From: %v %v", n, from, err)
			continue
		}
		for _, s := range wantHeader[n] {
			if !strings.Contains(subj+"\n"+from[0].Name, s) {
				t.Errorf("message %d: decoded subject/display name lack %q", n, s)
			}
		}
		var text strings.Builder
		err = e.Walk(func(path []int, p *message.Entity, err error) error {
			if err != nil {
				return err
			}
			ct, _, _ := p.Header.ContentType()
			if !strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "text/calendar") {
				return nil
			}
			b, err := io.ReadAll(p.Body)
			text.Write(b)
			return err
		})
		if err != nil {
			t.Errorf("message %d: walk: %v", n, err)
		}
		for _, s := range wantText[n] {
			if !strings.Contains(text.String(), s) {
				t.Errorf("message %d: decoded text lacks %q", n, s)
			}
		}
	}
}

func TestAttachmentNames(t *testing.T) {
	want := map[int]string{ // 1-based index → decoded attachment file name
		9:  "invoice.html",
		11: "invoice_\u202efdp.exe",
		31: "Shipment_SH-88214.zip",
		33: "Arrival_Notice_BL_MAEU2468013579.iso",
		35: "Remittance_Advice.one",
		37: "Invoice_77612.pdf.exe",
	}
	msgs := messages(t)
	for n, name := range want {
		r, err := gomail.CreateReader(bytes.NewReader(msgs[n-1]))
		if err != nil {
			t.Fatalf("message %d: %v", n, err)
		}
		var got []string
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("message %d: %v", n, err)
			}
			if ah, ok := p.Header.(*gomail.AttachmentHeader); ok {
				fn, err := ah.Filename()
				if err != nil {
					t.Errorf("message %d: filename: %v", n, err)
				}
				got = append(got, fn)
			}
		}
		if len(got) != 1 || got[0] != name {
			t.Errorf("message %d: attachments %q, want [%q]", n, got, name)
		}
	}
}

func TestWriteTemp(t *testing.T) {
	dir := t.TempDir()
	for range 2 { // the second call replaces the first file
		path, err := WriteTemp(dir)
		if err != nil {
			t.Fatal(err)
		}
		if path != filepath.Join(dir, Name) {
			t.Errorf("path %q, want %q", path, filepath.Join(dir, Name))
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		b := testutil.ReadFile(t, path)
		if !bytes.Equal(b, Mbox()) {
			t.Error("written file differs from the embedded mailbox")
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only %s", len(entries), Name)
	}
	if _, err := WriteTemp(filepath.Join(dir, "missing")); err == nil {
		t.Error("WriteTemp into a missing dir succeeded")
	}
}

func TestMboxIsCopy(t *testing.T) {
	a := Mbox()
	a[0] = 'X'
	if Mbox()[0] != 'F' {
		t.Error("Mbox returned the embedded slice itself")
	}
}

// TestLineLimits checks RFC 5322 §2.1.1 (lines ≤ 998 octets) and RFC 2047
// §2 (encoded words ≤ 75 characters) over the whole mailbox.
func TestLineLimits(t *testing.T) {
	for i, line := range bytes.Split(Mbox(), []byte("\n")) {
		if len(line) > 998 {
			t.Errorf("line %d: %d octets", i+1, len(line))
		}
		for rest := line; ; {
			s := bytes.Index(rest, []byte("=?"))
			if s < 0 {
				break
			}
			e := bytes.Index(rest[s+2:], []byte("?="))
			if e < 0 {
				break
			}
			if w := rest[s : s+2+e+2]; bytes.Count(w, []byte("?")) == 4 && len(w) > 75 {
				t.Errorf("line %d: encoded word of %d characters", i+1, len(w))
			}
			rest = rest[s+2+e+2:]
		}
	}
}
