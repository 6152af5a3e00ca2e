package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// rdapIPServer serves /ip/121.50.46.57 (the seed's origin) with whatever
// body is set, counting requests.
type rdapIPServer struct {
	*httptest.Server
	mu   sync.Mutex
	body string
	n    atomic.Int64
}

func startRDAPIP(t *testing.T) *rdapIPServer {
	s := &rdapIPServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.n.Add(1)
		if r.URL.Path != "/ip/121.50.46.57" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		body := s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rdap+json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rdapIPServer) serve(body string) {
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

// Shaped like ARIN's answer (abuse entity nested in the registrant) and
// RIPE's/APNIC's (abuse entity beside the network's other entities).
const (
	arinStyle = `{"objectClassName":"ip network","handle":"NET-121-50-0-0-1","entities":[{"roles":["registrant"],"handle":"TSUKA",
	 "vcardArray":["vcard",[["fn",{},"text","Tsukaeru"]]],"entities":[{"roles":["technical"],"vcardArray":["vcard",[["email",{},"text","noc@tsukaeru.example"]]]},
	 {"roles":["abuse"],"handle":"ABUSE-ARIN","vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Abuse"],["email",{},"text","abuse@tsukaeru.example"]]]}]}]}`
	ripeStyle = `{"objectClassName":"ip network","handle":"121.50.46.0 - 121.50.46.255","entities":[{"roles":["registrant"],"handle":"ORG-T1"},
	 {"roles":["abuse"],"handle":"AR1-RIPE","vcardArray":["vcard",[["version",{},"text","4.0"],["kind",{},"text","group"],["email",{"pref":"1"},"text","abuse-desk@ripe-isp.example"]]]}]}`
)

// arfTo reads the To header of the ARF file at path.
func arfTo(t *testing.T, path string) (string, mail.Header) {
	t.Helper()
	msg := readMail(t, path)
	return msg.Header.Get("To"), msg.Header
}

// TestReportOnlineRDAP: with --online the abuse contact is the origin
// network's RDAP abuse entity (ARIN and RIPE shapes); --to and a matching
// configured network win without a query; without --online nothing is
// asked.
func TestReportOnlineRDAP(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	cfg := filepath.Join(dir, "config.json")
	testutil.WriteFile(t, cfg, []byte(`{"abuse":{"from":"soc@corp.example","contacts":[{"network":"192.0.2.0/24","to":"x@y.example"}]}}`))
	srv := startRDAPIP(t)
	for _, c := range []struct{ body, want string }{{arinStyle, "abuse@tsukaeru.example"}, {ripeStyle, "abuse-desk@ripe-isp.example"}} {
		srv.serve(c.body)
		out := filepath.Join(dir, "arf.eml")
		_, stderr, err := triage(t, "", "report", "--db", db, "--config", cfg, "--online", "--rdap", srv.URL, "-o", out, id)
		if err != nil {
			t.Fatalf("%s: %v %s", c.want, err, stderr)
		}
		if to, _ := arfTo(t, out); to != c.want {
			t.Errorf("To = %q, want %q", to, c.want)
		}
		if !strings.Contains(stderr, "abuse contact "+c.want) || !strings.Contains(stderr, srv.URL+"/ip/121.50.46.57") {
			t.Errorf("stderr does not name the contact's source: %q", stderr)
		}
	}
	n := srv.n.Load()
	out := filepath.Join(dir, "to.eml")
	if _, _, err := triage(t, "", "report", "--db", db, "--config", cfg, "--online", "--rdap", srv.URL, "--to", "me@corp.example", "-o", out, id); err != nil {
		t.Fatal(err)
	}
	if to, _ := arfTo(t, out); to != "me@corp.example" || srv.n.Load() != n {
		t.Errorf("--to: To %q, %d RDAP queries", to, srv.n.Load()-n)
	}
	_, stderr, err := triage(t, "", "report", "--db", db, "--config", cfg, "--rdap", srv.URL, "-o", filepath.Join(dir, "off.eml"), id)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "no abuse contact") || srv.n.Load() != n {
		t.Errorf("without --online: %v %q, %d RDAP queries", err, stderr, srv.n.Load()-n)
	}
}

// TestReportOnlineRDAPHostile: a hostile or useless RDAP answer gives a
// clear error (or the configured default, with a warning), never a header
// injected into the ARF email.
func TestReportOnlineRDAPHostile(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	srv := startRDAPIP(t)
	abuse := func(email string) string {
		return `{"entities":[{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text",` + email + `]]]}]}`
	}
	cases := []struct{ name, body, want string }{
		{"huge", `{"entities":[],"x":"` + strings.Repeat("a", 2<<20) + `"}`, "larger than"},
		{"not JSON", "<html>rate limited</html>", "not an RDAP JSON answer"},
		{"no abuse entity", `{"entities":[{"roles":["registrant"],"vcardArray":["vcard",[["email",{},"text","noc@isp.example"]]]}]}`, "no abuse contact in the RDAP answer"},
		{"CRLF", abuse(`"abuse@isp.example\r\nBcc: victim@corp.example"`), `"abuse@isp.example\r\nBcc: victim@corp.example" is not a plain email address`},
		{"controls", abuse(`"abuse@isp.example\u001b]52;c;aGk=\u0007"`), `is not a plain email address`},
		{"display name", abuse(`"Evil <abuse@isp.example>"`), `is not a plain email address`},
	}
	for _, c := range cases {
		srv.serve(c.body)
		out := filepath.Join(dir, "arf.eml")
		os.Remove(out)
		_, stderr, err := triage(t, "", "report", "--db", db, "--from", "soc@corp.example", "--online", "--rdap", srv.URL, "-o", out, id)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want exit 2 with %q (stderr %q)", c.name, err, c.want, stderr)
		}
		var b bytes.Buffer
		reportError(&b, err)
		if strings.ContainsAny(b.String(), "\r\x1b\x07") || strings.Count(b.String(), "\n") != 1 {
			t.Errorf("%s: error message not one clean line: %q", c.name, b.String())
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a report was written", c.name)
		}
	}

	// With abuse.default the report falls back to it, with a warning.
	cfg := filepath.Join(dir, "config.json")
	testutil.WriteFile(t, cfg, []byte(`{"abuse":{"from":"soc@corp.example","default":"abuse@fallback.example"}}`))
	srv.serve(abuse(`"abuse@isp.example\r\nBcc: victim@corp.example"`))
	out := filepath.Join(dir, "default.eml")
	_, stderr, err := triage(t, "", "report", "--db", db, "--config", cfg, "--online", "--rdap", srv.URL, "-o", out, id)
	if err != nil {
		t.Fatal(err)
	}
	to, h := arfTo(t, out)
	if to != "abuse@fallback.example" || h.Get("Bcc") != "" || !strings.Contains(stderr, "using abuse.default") {
		t.Errorf("fallback: To %q, Bcc %q, stderr %q", to, h.Get("Bcc"), stderr)
	}
}
