package urls

import (
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestDefang(t *testing.T) {
	cases := map[string]string{
		"http://34-227-30-224.cprapid.com/wp/login.php?a=b.c": "hxxp://34-227-30-224[.]cprapid[.]com/wp/login.php?a=b.c",
		"HTTPS://Example.com:8443/":                           "hxxps://Example[.]com:8443/",
		"ftp://files.example.org/x":                           "fxp://files[.]example[.]org/x",
		"http://paypal.com@evil.tld/":                         "hxxp://paypal[.]com[@]evil[.]tld/",
		"http://a@b@evil.tld/":                                "hxxp://a@b[@]evil[.]tld/",
		"http://[2001:db8::1]/":                               "hxxp://[2001:db8::1]/",
		"http://121.50.46.57#x.y":                             "hxxp://121[.]50[.]46[.]57#x.y",
		"www.example.com/a.b":                                 "www[.]example[.]com/a.b",
		"example.com":                                         "example[.]com",
		"hxxp://example[.]com/":                               "hxxp://example[.]com/",
		"/path/x://y.z":                                       "/path/x://y.z",
		"":                                                    "",
	}
	testutil.Cases(t, "Defang", Defang, cases)
	// idempotent: defanging a defanged URL changes nothing
	twice := func(s string) string { return Defang(Defang(s)) }
	testutil.Cases(t, "Defang∘Defang", twice, cases)
}
