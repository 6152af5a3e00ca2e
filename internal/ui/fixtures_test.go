package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

const (
	idKagoya  = "sha256:0001kagoya"
	idHostile = "sha256:0002hostile"
	idNews    = "sha256:0003news"
	idInvoice = "sha256:0004invoice"
	idCJK     = "sha256:0005cjk"
)

// hostileSubject carries a CSI clear-screen, an OSC 52 clipboard write, a
// bidi override, a zero-width space and a C1 control.
const hostileSubject = "Invoice\x1b[2J\x1b]52;c;ZXZpbA==\x07 paid\u202Efdp.exe pay\u200bpal \u009b31m done"

func ptr[T any](v T) *T { return &v }

func fixture() ([]store.Row, map[string]*analysis.Report, map[string][]byte) {
	t0 := time.Date(2024, 6, 3, 9, 15, 0, 0, time.UTC)
	kagoya := &analysis.Report{
		ID: idKagoya, AnalyzerVersion: analysis.Version, Size: 4711, Score: 92,
		Summary: analysis.Summary{
			From:       analysis.Address{Name: "Active! mail – カゴヤ・ジャパン株式会社", Address: "info@kagoya.jp"},
			To:         []analysis.Address{{Address: "admin@example.jp"}},
			ReturnPath: "info@kagoya.jp",
			Subject:    "【重要】アカウント停止のお知らせ",
			Date:       t0,
			MessageID:  "<20240603091500.1234@localhost.localdomain>",
		},
		Headers: []analysis.HeaderField{
			{Key: "Return-Path", Value: "<info@kagoya.jp>"},
			{Key: "Received", Value: "from localhost.localdomain ([121.50.46.57]) by mx.example.jp with ESMTP id 4Vt; Mon, 3 Jun 2024 18:15:02 +0900"},
			{Key: "Authentication-Results", Value: "mx.example.jp; spf=softfail smtp.mailfrom=kagoya.jp; dkim=none; dmarc=fail header.from=kagoya.jp"},
			{Key: "From", Value: "=?UTF-8?B?QWN0aXZlISBtYWlsIOKAkyDjgqvjgrTjg6Tjg7vjgrjjg6Pjg5Hjg7PmoKrlvI/kvJrnpL4=?= <info@kagoya.jp>", Decoded: "Active! mail – カゴヤ・ジャパン株式会社 <info@kagoya.jp>"},
			{Key: "To", Value: "admin@example.jp"},
			{Key: "Subject", Value: "=?UTF-8?B?44CQ6YeN6KaB44CR?=", Decoded: "【重要】アカウント停止のお知らせ"},
			{Key: "Message-ID", Value: "<20240603091500.1234@localhost.localdomain>"},
		},
		Hops: []analysis.Hop{
			{Index: 1, FromHelo: "localhost.localdomain", FromIP: "121.50.46.57", By: "mx.example.jp", With: "ESMTP", Time: t0.Add(2 * time.Second), Origin: true, Flags: []string{"helo-placeholder"}, Raw: "from localhost.localdomain ([121.50.46.57]) by mx.example.jp with ESMTP id 4Vt; Mon, 3 Jun 2024 18:15:02 +0900"},
			{Index: 2, FromHelo: "mx.example.jp", FromRDNS: "mx.example.jp", FromIP: "192.0.2.10", By: "mbox.example.jp", With: "LMTP", TLS: "TLSv1.3", Time: t0.Add(5 * time.Second), Delay: ptr(3.0), Trusted: true, Raw: "from mx.example.jp (mx.example.jp [192.0.2.10]) by mbox.example.jp with LMTP"},
		},
		Auth: analysis.Auth{AuthServID: "mx.example.jp", Trusted: true, Results: []analysis.AuthResult{
			{Method: "spf", Result: "softfail", Domain: "kagoya.jp"},
			{Method: "dkim", Result: "none"},
			{Method: "dmarc", Result: "fail", Domain: "kagoya.jp"},
		}},
		URLs: []analysis.URL{
			{Raw: "http://34-227-30-224.cprapid.com/kagoya/login?u=admin@example.jp", URL: "http://34-227-30-224.cprapid.com/kagoya/login?u=admin@example.jp",
				Source: analysis.SourceHTMLHref, AnchorText: "https://secure.kagoya.jp/login", Scheme: "http", Host: "34-227-30-224.cprapid.com", Domain: "cprapid.com",
				Flags: []string{"ip-encoded-host", "anchor-mismatch", "plain-http", "recipient-in-query"}, Defanged: "hxxp://34-227-30-224[.]cprapid[.]com/kagoya/login?u=admin@example[.]jp"},
			{Raw: "https://www.kagoya.jp/", URL: "https://www.kagoya.jp/", Source: analysis.SourceHTMLText, Scheme: "https", Host: "www.kagoya.jp", Domain: "kagoya.jp", Defanged: "hxxps://www[.]kagoya[.]jp/"},
		},
		Findings: []analysis.Finding{
			{Rule: "auth.dmarc_fail", Points: 15, Summary: "DMARC failed for the From domain", Evidence: "Authentication-Results"},
			{Rule: "sender.brand_domain_mismatch", Points: 30, Summary: "Display name claims KAGOYA but the sender domain kagoya.jp is not a KAGOYA domain (TLD swap of kagoya.com)", Evidence: "From"},
			{Rule: "url.ip_encoded_host", Points: 20, Summary: "URL host encodes an IP address", Evidence: "34-227-30-224.cprapid.com"},
			{Rule: "sender.messageid_placeholder", Points: 10, Summary: "Message-ID host is a placeholder", Evidence: "Message-ID"},
		},
	}
	hostile := &analysis.Report{
		ID: idHostile, Size: 900, Score: 55,
		Summary: analysis.Summary{
			From:    analysis.Address{Name: "Billing\u202E\x1b]0;owned\x07", Address: "billing@evil.example"},
			To:      []analysis.Address{{Address: "ap@example.com"}},
			Subject: hostileSubject,
			Date:    t0.Add(-48 * time.Hour),
		},
		Headers: []analysis.HeaderField{{Key: "Subject", Value: hostileSubject}, {Key: "X-Evil\x1b[31m", Value: "\x1b]52;c;ZXZpbA==\x07"}},
		Findings: []analysis.Finding{
			{Rule: "text.control_chars", Points: 25, Summary: "Subject contains terminal escape sequences", Evidence: "Subject"},
			{Rule: "text.bidi_override", Points: 30, Summary: "Subject contains a right-to-left override \u202E", Evidence: "Subject"},
		},
		Attachments: []analysis.Attachment{{Name: "invoice\u202Efdp.exe", DeclaredType: "application/pdf", SniffedType: "application/x-msdownload", Size: 73728, SHA256: strings.Repeat("ab", 32), Flags: []string{"type-mismatch", "executable"}}},
	}
	news := &analysis.Report{ID: idNews, Size: 12000, Score: 3, Summary: analysis.Summary{
		From: analysis.Address{Name: "Go Weekly", Address: "news@golangweekly.example"}, Subject: "Go 1.26 released", Date: t0.Add(-24 * time.Hour)}}
	invoice := &analysis.Report{ID: idInvoice, Size: 3000, Score: 71, Summary: analysis.Summary{
		From: analysis.Address{Address: "accounts@paypa1.example"}, Subject: "Your PayPal account is limited", Date: t0.Add(-72 * time.Hour)},
		Findings: []analysis.Finding{{Rule: "sender.lookalike_domain", Points: 71, Summary: "paypa1.example looks like paypal", Evidence: "From"}}}
	cjk := &analysis.Report{ID: idCJK, Size: 2000, Score: 40, Summary: analysis.Summary{
		From: analysis.Address{Name: "山田太郎 👍", Address: "taro@example.jp"}, Subject: "会議の議事録 📎 と次回の予定について（長い件名のテスト）", Date: t0.Add(-96 * time.Hour)}}
	reports := map[string]*analysis.Report{idKagoya: kagoya, idHostile: hostile, idNews: news, idInvoice: invoice, idCJK: cjk}
	var rows []store.Row
	for _, id := range []string{idNews, idKagoya, idCJK, idHostile, idInvoice} {
		rows = append(rows, rowOf(reports[id]))
	}
	raw := map[string][]byte{
		idKagoya: []byte("From: info@kagoya.jp\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
			"<html><head><style>p{}</style></head><body><p>お客様のアカウントは24時間以内に停止されます。</p>" +
			"<p><a href=\"http://34-227-30-224.cprapid.com/kagoya/login\">https://secure.kagoya.jp/login</a></p></body></html>"),
		idHostile: []byte("Subject: x\r\n\r\nPay now\x1b]52;c;ZXZpbA==\x07 or else\u202E.\r\n"),
	}
	return rows, reports, raw
}

func rowOf(r *analysis.Report) store.Row {
	row := store.Row{ID: r.ID, Score: r.Score, Date: r.Summary.Date, FromName: r.Summary.From.Name,
		FromAddr: r.Summary.From.Address, Subject: r.Summary.Subject, MessageID: r.Summary.MessageID}
	for _, u := range r.URLs {
		row.Hosts = append(row.Hosts, u.Host)
		row.Domains = append(row.Domains, u.Domain)
	}
	for _, f := range r.Findings {
		row.Rules = append(row.Rules, f.Rule)
	}
	return row
}

// bigRows fabricates n rows for benchmarks.
func bigRows(n int) []store.Row {
	rows := make([]store.Row, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rules := []string{"url.ip_encoded_host", "sender.brand_domain_mismatch", "auth.dmarc_fail", "text.pressure"}
	for i := range rows {
		rows[i] = store.Row{
			ID:       fmt.Sprintf("sha256:%064x", i),
			Score:    (i * 37) % 101,
			Date:     t0.Add(time.Duration(i) * time.Minute),
			FromName: fmt.Sprintf("Sender %d", i%5000),
			FromAddr: fmt.Sprintf("user%d@domain%d.example", i%5000, i%700),
			Subject:  fmt.Sprintf("Message number %d about invoice %x", i, i*7919),
			Domains:  []string{fmt.Sprintf("domain%d.example", i%700)},
			Hosts:    []string{fmt.Sprintf("www.host%d.example", i%900)},
			Rules:    rules[:i%len(rules)],
		}
	}
	return rows
}

func progressEvent(done, total int, rows []store.Row, finished ...bool) ingest.Event {
	return ingest.Event{Source: "test.mbox", Done: done, Total: total, Rate: 1234.5, Rows: rows, Finished: len(finished) > 0 && finished[0]}
}
