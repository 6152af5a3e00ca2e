package analysis

import (
	"net/netip"
	"testing"
)

func TestParseAddrMatchesNetip(t *testing.T) {
	for _, s := range []string{"", "1.2.3.4", "10.0.0.256", "::1", "fe80::1%eth0", "2001:db8::1", "example.com",
		"34-227-30-224.cprapid.com", "1.2.3", "abc", "dead:beef::", "[::1]", "1.2.3.4.5", "ff", "0x7f000001"} {
		want, err := netip.ParseAddr(s)
		got, ok := parseAddr(s)
		if ok != (err == nil) || got != want {
			t.Errorf("parseAddr(%q) = %v, %v; netip says %v, %v", s, got, ok, want, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { parseAddr("www.example.com") }); n != 0 {
		t.Errorf("parseAddr of a host name allocates %v times", n)
	}
}
