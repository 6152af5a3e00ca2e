package analysis

import "testing"

func TestOrgDomain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"mail.Example.CO.JP.", "example.co.jp"}, {"kagoya.com", "kagoya.com"},
		{"a.b.c.amazon.co.uk", "amazon.co.uk"}, {"192.0.2.1", ""}, {"[2001:db8::1]", ""},
		{"", ""}, {"localhost", "localhost"}, {"co.jp", "co.jp"},
	} {
		if got := OrgDomain(tt.in); got != tt.want {
			t.Errorf("OrgDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDomainOf(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"user@Kagoya.JP", "kagoya.jp"}, {"<a@b.example.>", "b.example"}, {"\"a@b\"@c.com", "c.com"},
		{"no-at-sign", ""}, {"user@", ""},
	} {
		if got := DomainOf(tt.in); got != tt.want {
			t.Errorf("DomainOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsPlaceholderHost(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"localhost.localdomain", true}, {"localhost", true}, {"LOCALHOST.", true}, {"[121.50.46.57]", true},
		{"121.50.46.57", true}, {"[IPv6:2001:db8::1]", true}, {"desktop-abc", true}, {"pc1.local", true},
		{"router.lan", true}, {"host.internal", true}, {"", true}, {"example.com", true},
		{"mail.kagoya.com", false}, {"mx.google.com", false}, {"smtp.local-isp.jp", false},
	} {
		if got := IsPlaceholderHost(tt.in); got != tt.want {
			t.Errorf("IsPlaceholderHost(%q) = %v", tt.in, got)
		}
	}
}

func TestIsFreemail(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"gmail.com", true}, {"GMAIL.COM", true}, {"yahoo.co.jp", true}, {"i.softbank.jp", true},
		{"docomo.ne.jp", true}, {"mail.ru", true}, {"kagoya.com", false}, {"nifty.com", false},
		{"softbank.jp", false}, {"corp.gmail.com", true}, {"", false},
	} {
		if got := IsFreemail(tt.in); got != tt.want {
			t.Errorf("IsFreemail(%q) = %v", tt.in, got)
		}
	}
}

func TestDisplayNameAddress(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"service@paypal.com", "service@paypal.com", true},
		{"\"service@PayPal.com\"", "service@paypal.com", true},
		{"PayPal.com Support", "paypal.com", true},
		{"Amazon.co.jp via Osst-users", "amazon.co.jp", true},
		{"Amazons.co.jp", "amazons.co.jp", true},
		{"etc-meisai.jp", "etc-meisai.jp", true},
		{"ＡＭＡＺＯＮ．ＣＯ．ＪＰ", "amazon.co.jp", true},
		{"Mr. Smith", "", false},
		{"Version 1.2", "", false},
		{"John Doe", "", false},
		{"image.jpeg", "", false},
		{"カゴヤ・ジャパン株式会社", "", false},
		{"", "", false},
	} {
		got, ok := DisplayNameAddress(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DisplayNameAddress(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
