package urls

import "testing"

func TestDefang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://34-227-30-224.cprapid.com/wp/login.php?a=b.c", "hxxp://34-227-30-224[.]cprapid[.]com/wp/login.php?a=b.c"},
		{"HTTPS://Example.com:8443/", "hxxps://Example[.]com:8443/"},
		{"ftp://files.example.org/x", "fxp://files[.]example[.]org/x"},
		{"http://paypal.com@evil.tld/", "hxxp://paypal[.]com[@]evil[.]tld/"},
		{"http://a@b@evil.tld/", "hxxp://a@b[@]evil[.]tld/"},
		{"http://[2001:db8::1]/", "hxxp://[2001:db8::1]/"},
		{"http://121.50.46.57#x.y", "hxxp://121[.]50[.]46[.]57#x.y"},
		{"www.example.com/a.b", "www[.]example[.]com/a.b"},
		{"example.com", "example[.]com"},
		{"hxxp://example[.]com/", "hxxp://example[.]com/"},
		{"/path/x://y.z", "/path/x://y.z"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Defang(tc.in); got != tc.want {
			t.Errorf("Defang(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Defang(Defang(tc.in)); got != tc.want {
			t.Errorf("Defang not idempotent on %q: %q", tc.in, got)
		}
	}
}
