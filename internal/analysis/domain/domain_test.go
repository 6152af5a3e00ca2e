package domain

import (
	"net/netip"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestParseAddrMatchesNetip(t *testing.T) {
	for _, s := range []string{"", "1.2.3.4", "10.0.0.256", "::1", "fe80::1%eth0", "2001:db8::1", "example.com",
		"34-227-30-224.cprapid.com", "1.2.3", "abc", "dead:beef::", "[::1]", "1.2.3.4.5", "ff", "0x7f000001"} {
		want, err := netip.ParseAddr(s)
		got, ok := ParseAddr(s)
		if ok != (err == nil) || got != want {
			t.Errorf("ParseAddr(%q) = %v, %v; netip says %v, %v", s, got, ok, want, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ParseAddr("www.example.com") }); n != 0 {
		t.Errorf("ParseAddr of a host name allocates %v times", n)
	}
}

func TestOrgDomain(t *testing.T) {
	testutil.Cases(t, "Registered", Registered, map[string]string{
		"mail.Example.CO.JP.": "example.co.jp", "kagoya.com": "kagoya.com",
		"a.b.c.amazon.co.uk": "amazon.co.uk", "192.0.2.1": "", "[2001:db8::1]": "",
		"": "", "localhost": "localhost", "co.jp": "co.jp",
	})
}

func TestDomainOf(t *testing.T) {
	testutil.Cases(t, "OfAddress", OfAddress, map[string]string{
		"user@Kagoya.JP": "kagoya.jp", "<a@b.example.>": "b.example", "\"a@b\"@c.com": "c.com",
		"no-at-sign": "", "user@": "",
	})
}

func TestIsFreemail(t *testing.T) {
	testutil.Cases(t, "IsFreemail", IsFreemail, map[string]bool{
		"gmail.com": true, "GMAIL.COM": true, "yahoo.co.jp": true, "i.softbank.jp": true,
		"docomo.ne.jp": true, "mail.ru": true, "kagoya.com": false, "nifty.com": false,
		"softbank.jp": false, "corp.gmail.com": true, "": false,
	})
}

func TestRegisteredICANN(t *testing.T) {
	testutil.Cases(t, "RegisteredICANN", RegisteredICANN, map[string]string{
		"34-227-30-224.cprapid.com": "cprapid.com",
		"cprapid.com":               "cprapid.com",
		"WWW.Example.CO.JP.":        "example.co.jp",
		"a.b.example.org":           "example.org",
		"foo.bar.unknowntld":        "bar.unknowntld",
		"user.github.io":            "github.io",
		"com":                       "",
		"co.jp":                     "",
		"34.227.30.224":             "",
		"":                          "",
		"bad host.com":              "",
		" Mail.Example.COM ":        "example.com",
		"[192.0.2.1]":               "",
	})
}

// TestRegisteredOrSelf pins the store's variant against Registered where
// they differ.
func TestRegisteredOrSelf(t *testing.T) {
	for _, tt := range []struct{ in, want, registered string }{
		{"Mail.Example.CO.JP.", "example.co.jp", "example.co.jp"},
		{"user.github.io", "user.github.io", "user.github.io"},
		{"co.jp", "co.jp", "co.jp"},
		{"192.0.2.1", "192.0.2.1", ""},
		{"[192.0.2.1]", "2.1]", ""},
		{" a.com", " a.com", "a.com"},
		{"\u00c4.DE", "\u00e4.de", "\u00e4.de"},
		{"\u00c4.de", "\u00e4.de", "\u00c4.de"},
		{"", "", ""},
	} {
		if got := RegisteredOrSelf(tt.in); got != tt.want {
			t.Errorf("RegisteredOrSelf(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Registered(tt.in); got != tt.registered {
			t.Errorf("Registered(%q) = %q, want %q", tt.in, got, tt.registered)
		}
	}
}

// TestPlaceholderHosts checks the two uses of the one placeholder list,
// including where their rules differ on purpose.
func TestPlaceholderHosts(t *testing.T) {
	for _, tt := range []struct {
		in          string
		msgID, helo bool
	}{
		{"localhost", true, true},
		{"LocalHost.LocalDomain", true, true},
		{"localhost.localdomain.", true, false}, // HELO names are compared untrimmed
		{"x.localdomain", true, false},          // suffix rule for Message-IDs only
		{"localhost.example.net", true, false},
		{"localhost6.localdomain6", true, false},
		{"example.com", true, false},
		{"mail.example.com", false, false},
		{"kagoya.jp", false, false},
		{"", false, false},
	} {
		if got := IsPlaceholderMsgIDHost(tt.in); got != tt.msgID {
			t.Errorf("IsPlaceholderMsgIDHost(%q) = %v, want %v", tt.in, got, tt.msgID)
		}
		if got := IsPlaceholderHELO(tt.in); got != tt.helo {
			t.Errorf("IsPlaceholderHELO(%q) = %v, want %v", tt.in, got, tt.helo)
		}
	}
}
