package infra

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultLoadsAndEverySourceNamed(t *testing.T) {
	s := Default()
	if len(s.Entries()) < 30 {
		t.Fatalf("only %d entries", len(s.Entries()))
	}
	seen := map[string]string{}
	for _, e := range s.Entries() {
		if !strings.Contains(e.Source, "https://") {
			t.Errorf("%s: source %q has no URL", e.Name, e.Source)
		}
		for _, d := range e.Domains {
			key := e.Kind + " " + d
			if prev, dup := seen[key]; dup && len(e.Paths) == 0 {
				t.Errorf("%s listed by %s and %s", key, prev, e.Name)
			}
			seen[key] = e.Name
		}
	}
}

func TestLookups(t *testing.T) {
	for _, tc := range []struct {
		host string
		esp  string
	}{
		{"u123.ct.sendgrid.net", "SendGrid"},
		{"click.pstmrk.it", "Postmark"},
		{"r.us-east-1.awstrack.me", "Amazon SES"},
		{"mandrillapp.com", "Mandrill (Mailchimp Transactional)"},
		{"e-eu.customeriomail.com", "Customer.io"},
		{"CLICK.PSTMRK.IT.", "Postmark"},
		{"pstmrk.it.evil.example", ""},
		{"notsendgrid.net", ""},
	} {
		v, ok := ESP(tc.host)
		if v != tc.esp || ok != (tc.esp != "") {
			t.Errorf("ESP(%q) = %q, %v; want %q", tc.host, v, ok, tc.esp)
		}
	}
	if b, ok := BrandAsset("media.licdn.com"); !ok || b != "LinkedIn" {
		t.Errorf("BrandAsset(media.licdn.com) = %q, %v", b, ok)
	}
	if _, ok := BrandAsset("licdn.com.evil.example"); ok {
		t.Error("a suffix match must be on a label boundary")
	}
	for _, tc := range []struct {
		host, path       string
		platform, tenant string
		ok               bool
	}{
		{"contoso.sharepoint.com", "/", "SharePoint Online", "contoso", true},
		{"a.b.contoso.sharepoint.com", "", "SharePoint Online", "contoso", true},
		{"evil.onmicrosoft.com", "", "Microsoft 365 tenant", "evil", true},
		{"figma.com", "/file/x", "Figma", "", true},
		{"example.com", "/", "", "", false},
	} {
		p, tenant, ok := Default().SharedPlatformURL(tc.host, tc.path)
		if p != tc.platform || tenant != tc.tenant || ok != tc.ok {
			t.Errorf("SharedPlatformURL(%q, %q) = %q %q %v; want %q %q %v", tc.host, tc.path, p, tenant, ok, tc.platform, tc.tenant, tc.ok)
		}
	}
}

// The default list has no path-restricted entry, so path matching is
// checked on a loaded one.
func TestSharedPlatformPaths(t *testing.T) {
	s, err := Load(strings.NewReader(`[
{"kind":"shared_platform","name":"Forms","domains":["docs.example"],"paths":["/forms"],"source":"https://docs.example/help"},
{"kind":"shared_platform","name":"Short forms","domains":["f.example"],"source":"https://docs.example/help"}]`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		host, path, platform string
		ok                   bool
	}{
		{"f.example", "/abc", "Short forms", true},
		{"docs.example", "/forms", "Forms", true},
		{"docs.example", "/forms/d/e/x/viewform", "Forms", true},
		{"docs.example", "/formsx", "", false},
		{"docs.example", "/document/d/x", "", false},
		{"docs.example", "", "", false},
	} {
		p, _, ok := s.SharedPlatformURL(tc.host, tc.path)
		if p != tc.platform || ok != tc.ok {
			t.Errorf("SharedPlatformURL(%q, %q) = %q %v; want %q %v", tc.host, tc.path, p, ok, tc.platform, tc.ok)
		}
	}
	if _, _, ok := s.SharedPlatform("docs.example"); ok {
		t.Error("a path-restricted platform matched without its path")
	}
}

func TestLoadRejects(t *testing.T) {
	for _, in := range []string{
		`{}`,
		`[null]`,
		`[{"kind":"cdn","name":"x","domains":["a.com"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"","domains":["a.com"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["a.com"],"source":""}]`,
		`[{"kind":"esp","name":"x","domains":[],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["*.a.com"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["https://a.com/"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["com"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["a.com"],"paths":["/x"],"source":"https://x"}]`,
		`[{"kind":"shared_platform","name":"x","domains":["a.com"],"paths":["x"],"source":"https://x"}]`,
		`[{"kind":"esp","name":"x","domains":["a.com"],"source":"https://x","extra":1}]`,
	} {
		if _, err := Load(strings.NewReader(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Load(%s) = %v, want ErrInvalid", in, err)
		}
	}
}

func TestMerge(t *testing.T) {
	user, err := Load(strings.NewReader(`[{"kind":"esp","name":"In-house","domains":["Track.Example.COM"],"source":"https://intranet.example/esp"}]`))
	if err != nil {
		t.Fatal(err)
	}
	m := Default().Merge(user)
	if v, ok := m.ESP("x.track.example.com"); !ok || v != "In-house" {
		t.Errorf("merged ESP = %q, %v", v, ok)
	}
	if _, ok := m.ESP("click.pstmrk.it"); !ok {
		t.Error("merge dropped a default entry")
	}
	if _, ok := Default().ESP("track.example.com"); ok {
		t.Error("merge modified the default set")
	}
	if Default().Merge(nil) != Default() {
		t.Error("Merge(nil) should return the receiver")
	}
}
