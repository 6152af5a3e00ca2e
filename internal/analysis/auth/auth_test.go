package auth

import (
	"reflect"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/report"
)

func boolPtr(b bool) *bool { return &b }

func TestParseAuth(t *testing.T) {
	seedAR := "mx1.example.com;\n\tspf=softfail (domain of transitioning support.center.Activemail@kagoya.jp does not designate 121.50.46.57 as permitted sender) smtp.mailfrom=support.center.Activemail@kagoya.jp;\n\tdkim=none;\n\tdmarc=fail (p=none dis=none) header.from=kagoya.jp"
	tests := []struct {
		name    string
		headers []report.HeaderField
		from    string
		trusted []string
		want    report.Auth
	}{
		{
			name:    "seed",
			headers: []report.HeaderField{{Key: "Authentication-Results", Value: seedAR}},
			from:    "kagoya.jp",
			want: report.Auth{
				AuthServID: "mx1.example.com", Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "softfail", Domain: "kagoya.jp"},
					{Method: "dkim", Result: "none"},
					{Method: "dmarc", Result: "fail", Domain: "kagoya.jp"},
				},
				SPFAligned: boolPtr(true), DKIMAligned: boolPtr(false),
			},
		},
		{
			name: "only the trusted authserv-id counts",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "mx.example.org; spf=fail smtp.mailfrom=evil.example.net; dkim=none"},
				{Key: "Authentication-Results", Value: "relay.evil.example.net; spf=pass smtp.mailfrom=bank.example; dkim=pass header.d=bank.example"},
			},
			from:    "bank.example",
			trusted: []string{"example.org"},
			want: report.Auth{
				AuthServID: "mx.example.org", Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "fail", Domain: "evil.example.net"},
					{Method: "dkim", Result: "none"},
				},
				SPFAligned: boolPtr(false), DKIMAligned: boolPtr(false),
			},
		},
		{
			name: "forged header below is ignored without configuration",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "mx.example.org; dkim=pass header.d=example.org"},
				{Key: "Authentication-Results", Value: "mx.example.org; dmarc=pass header.from=example.org"},
				{Key: "Authentication-Results", Value: "forger.example; spf=pass smtp.mailfrom=a@example.org"},
			},
			from: "mail.example.org",
			want: report.Auth{
				AuthServID: "mx.example.org", Trusted: true,
				Results: []report.AuthResult{
					{Method: "dkim", Result: "pass", Domain: "example.org"},
					{Method: "dmarc", Result: "pass", Domain: "example.org"},
				},
				DKIMAligned: boolPtr(true),
				Identity:    &report.Identity{Domain: "mail.example.org", Methods: []string{"dmarc", "dkim"}},
			},
		},
		{
			name: "no trusted header",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "other.example; spf=pass smtp.mailfrom=a@b.example"},
			},
			from:    "b.example",
			trusted: []string{"mx.example.org"},
			want: report.Auth{
				AuthServID: "other.example",
				Results:    []report.AuthResult{{Method: "spf", Result: "pass", Domain: "b.example"}},
			},
		},
		{
			name:    "gmail style",
			headers: []report.HeaderField{{Key: "Authentication-Results", Value: "mx.google.com;\r\n       dkim=pass header.i=@news.example.com header.s=s1 header.b=AbCd1234;\r\n       spf=pass (google.com: domain of bounce@mail.example.com designates 198.51.100.4 as permitted sender) smtp.mailfrom=bounce@mail.example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com"}},
			from:    "example.com",
			want: report.Auth{
				AuthServID: "mx.google.com", Trusted: true,
				Results: []report.AuthResult{
					{Method: "dkim", Result: "pass", Domain: "news.example.com"},
					{Method: "spf", Result: "pass", Domain: "mail.example.com"},
					{Method: "dmarc", Result: "pass", Domain: "example.com"},
				},
				SPFAligned: boolPtr(true), DKIMAligned: boolPtr(true),
				Identity: &report.Identity{Domain: "example.com", Methods: []string{"dmarc", "dkim", "spf"}},
			},
		},
		{
			name:    "microsoft style",
			headers: []report.HeaderField{{Key: "Authentication-Results", Value: "spf=pass (sender IP is 40.107.1.2)\r\n smtp.mailfrom=contoso.com; dkim=pass (signature was verified)\r\n header.d=contoso.com;dmarc=pass action=none\r\n header.from=contoso.com;compauth=pass reason=100"}},
			from:    "contoso.com",
			want: report.Auth{
				Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "pass", Domain: "contoso.com"},
					{Method: "dkim", Result: "pass", Domain: "contoso.com"},
					{Method: "dmarc", Result: "pass", Domain: "contoso.com"},
					{Method: "compauth", Result: "pass", Reason: "100"},
				},
				SPFAligned: boolPtr(true), DKIMAligned: boolPtr(true),
				Identity: &report.Identity{Domain: "contoso.com", Methods: []string{"dmarc", "dkim", "spf"}},
			},
		},
		{
			name:    "comment with semicolon and quoted reason",
			headers: []report.HeaderField{{Key: "Authentication-Results", Value: `mx.example.org 1; dkim=fail reason="signature verification failed; body hash" (2048-bit key; unprotected) header.d=example.com header.s=k1`}},
			from:    "example.com",
			want: report.Auth{
				AuthServID: "mx.example.org", Trusted: true,
				Results: []report.AuthResult{
					{Method: "dkim", Result: "fail", Domain: "example.com", Reason: "signature verification failed; body hash"},
				},
				DKIMAligned: boolPtr(false),
			},
		},
		{
			name: "arc newest instance, dkim signatures",
			headers: []report.HeaderField{
				{Key: "ARC-Authentication-Results", Value: "i=1; lists.example.org; spf=pass smtp.mailfrom=a.example"},
				{Key: "ARC-Authentication-Results", Value: "i=2; mx.example.net;\r\n dkim=pass header.d=lists.example.org; arc=pass (i=1)"},
				{Key: "DKIM-Signature", Value: "v=1; a=rsa-sha256; d=Lists.Example.org; s=s1;\r\n\th=from:to; bh=x; b=y"},
				{Key: "DKIM-Signature", Value: "v=1; a=rsa-sha256; d=lists.example.org; s=s2; b=z"},
				{Key: "DKIM-Signature", Value: "v=1; a=rsa-sha256; d = b.example ; s=s2; b=z"},
			},
			from: "a.example",
			want: report.Auth{
				ARC: []report.AuthResult{
					{Method: "dkim", Result: "pass", Domain: "lists.example.org"},
					{Method: "arc", Result: "pass"},
				},
				DKIMDomains: []string{"lists.example.org", "b.example"},
				ARCSets:     2,
				ARCFirst:    []report.AuthResult{{Method: "spf", Result: "pass", Domain: "a.example"}},
				ARCFirstID:  "lists.example.org",
			},
		},
		{
			name: "forwarded pass whose first hop failed is withdrawn",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=promo.example; dkim=none (message not signed) header.d=none;dmarc=pass action=none header.from=promo.example"},
				{Key: "ARC-Authentication-Results", Value: "i=2; mx.microsoft.com 1; spf=pass smtp.mailfrom=promo.example; dmarc=pass header.from=promo.example"},
				{Key: "ARC-Authentication-Results", Value: "i=1; mx.microsoft.com 1; spf=fail (sender ip is 198.51.100.7) smtp.mailfrom=promo.example; dmarc=fail (p=none) header.from=promo.example"},
			},
			from: "promo.example",
			want: report.Auth{
				Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "pass", Domain: "promo.example"},
					{Method: "dkim", Result: "none", Domain: "none"},
					{Method: "dmarc", Result: "pass", Domain: "promo.example"},
				},
				ARC:          []report.AuthResult{{Method: "spf", Result: "pass", Domain: "promo.example"}, {Method: "dmarc", Result: "pass", Domain: "promo.example"}},
				ARCSets:      2,
				ARCFirst:     []report.AuthResult{{Method: "spf", Result: "fail", Domain: "promo.example"}, {Method: "dmarc", Result: "fail", Domain: "promo.example"}},
				ARCFirstID:   "mx.microsoft.com",
				ARCFirstFail: true,
				SPFAligned:   boolPtr(true), DKIMAligned: boolPtr(false),
			},
		},
		{
			name: "forwarded pass whose first hop agrees; SPF alone needs a pass",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "mx.example.net; spf=softfail smtp.mailfrom=news.example.com; dkim=pass header.d=example.com; arc=pass"},
				{Key: "ARC-Authentication-Results", Value: "i=1; lists.example.org; spf=softfail smtp.mailfrom=news.example.com; dkim=pass header.d=example.com"},
			},
			from: "example.com",
			want: report.Auth{
				AuthServID: "mx.example.net", Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "softfail", Domain: "news.example.com"},
					{Method: "dkim", Result: "pass", Domain: "example.com"},
					{Method: "arc", Result: "pass"},
				},
				ARC:        []report.AuthResult{{Method: "spf", Result: "softfail", Domain: "news.example.com"}, {Method: "dkim", Result: "pass", Domain: "example.com"}},
				ARCSets:    1,
				ARCFirst:   []report.AuthResult{{Method: "spf", Result: "softfail", Domain: "news.example.com"}, {Method: "dkim", Result: "pass", Domain: "example.com"}},
				ARCFirstID: "lists.example.org",
				SPFAligned: boolPtr(true), DKIMAligned: boolPtr(true),
				Identity: &report.Identity{Domain: "example.com", Methods: []string{"dkim"}, ViaARC: true},
			},
		},
		{
			name: "dmarc fail for the sender: no identity",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: "mx.example.net; spf=pass smtp.mailfrom=bank.example; dmarc=fail header.from=bank.example"},
			},
			from: "bank.example",
			want: report.Auth{
				AuthServID: "mx.example.net", Trusted: true,
				Results: []report.AuthResult{
					{Method: "spf", Result: "pass", Domain: "bank.example"},
					{Method: "dmarc", Result: "fail", Domain: "bank.example"},
				},
				SPFAligned: boolPtr(true),
			},
		},
		{
			name: "garbage",
			headers: []report.HeaderField{
				{Key: "Authentication-Results", Value: ";;;=;(((;spf=;dkim"},
				{Key: "DKIM-Signature", Value: "garbage"},
				{Key: "ARC-Authentication-Results", Value: "i=x"},
			},
			from: "",
			want: report.Auth{Trusted: true},
		},
		{
			name: "none",
			want: report.Auth{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.headers, tt.from, tt.trusted)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", fmt(got), fmt(tt.want))
			}
		})
	}
}

type show struct {
	report.Auth
	SPF, DKIM string
}

func fmt(a report.Auth) show {
	s := show{Auth: a, SPF: "nil", DKIM: "nil"}
	if a.SPFAligned != nil {
		s.SPF = map[bool]string{true: "true", false: "false"}[*a.SPFAligned]
	}
	if a.DKIMAligned != nil {
		s.DKIM = map[bool]string{true: "true", false: "false"}[*a.DKIMAligned]
	}
	return s
}

func TestParseAuthLibraryPath(t *testing.T) {
	// No comments: parsed by authres.
	id, res := parseAR("mx.example.org; spf=pass smtp.mailfrom=a@example.com; dkim=pass header.i=@mail.example.com; iprev=pass policy.iprev=192.0.2.1")
	want := []report.AuthResult{
		{Method: "spf", Result: "pass", Domain: "example.com"},
		{Method: "dkim", Result: "pass", Domain: "mail.example.com"},
		{Method: "iprev", Result: "pass"},
	}
	if id != "mx.example.org" || !reflect.DeepEqual(res, want) {
		t.Errorf("got %q %+v", id, res)
	}
}

func FuzzParseAuth(f *testing.F) {
	f.Add("mx.example.org; spf=pass smtp.mailfrom=a@example.com; dkim=pass header.d=example.com", "i=1; x; arc=pass")
	f.Add(`x 1; dkim=fail reason="a;b" (c;d) header.d=e`, "i=2")
	f.Add(";;(", "")
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, ar, arc string) {
		a := Parse([]report.HeaderField{
			{Key: "Authentication-Results", Value: ar},
			{Key: "ARC-Authentication-Results", Value: arc},
			{Key: "DKIM-Signature", Value: ar},
		}, "example.com", nil)
		if len(a.Results) > maxResults {
			t.Fatalf("too many results: %d", len(a.Results))
		}
	})
}
