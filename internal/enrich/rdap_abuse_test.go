package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

// arinIPDoc is shaped like ARIN's answer for 34.227.30.224: the abuse
// contact is an entity of the registrant organisation.
const arinIPDoc = `{"rdapConformance":["rdap_level_0","nro_rdap_profile_0","cidr0","arin_originas0"],
 "objectClassName":"ip network","handle":"NET-34-192-0-0-1","startAddress":"34.192.0.0","endAddress":"34.255.255.255",
 "ipVersion":"v4","name":"AT-88-Z","type":"DIRECT ALLOCATION",
 "entities":[{"objectClassName":"entity","handle":"AT-88-Z","roles":["registrant"],
   "vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Amazon Technologies Inc."],["kind",{},"text","org"]]],
   "entities":[
     {"objectClassName":"entity","handle":"ANO24-ARIN","roles":["noc"],
      "vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Amazon EC2 Network Operations"],["email",{},"text","amzn-noc-contact@amazon.com"]]]},
     {"objectClassName":"entity","handle":"AEA8-ARIN","roles":["abuse"],
      "vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Amazon EC2 Abuse"],["kind",{},"text","group"],
        ["email",{},"text","abuse@amazonaws.com"],["tel",{"type":["work","voice"]},"text","+1-206-555-0000"]]]}]}]}`

// ripeIPDoc is shaped like RIPE's answer: the abuse contact sits beside
// the registrant, its email carries a pref parameter.
const ripeIPDoc = `{"rdapConformance":["cidr0","rdap_level_0","nro_rdap_profile_0"],"objectClassName":"ip network",
 "handle":"193.0.0.0 - 193.0.7.255","name":"RIPE-NCC","startAddress":"193.0.0.0/32","endAddress":"193.0.7.255/32",
 "entities":[
   {"handle":"ORG-RIEN1-RIPE","vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"]]],"roles":["registrant"],"objectClassName":"entity"},
   {"handle":"OPS4-RIPE","roles":["administrative","technical"],"objectClassName":"entity"},
   {"handle":"AR7-RIPE","vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Abuse contact"],["kind",{},"text","group"],
     ["email",{"pref":"1"},"text","Abuse@RIPE.NET"]]],"roles":["abuse"],"objectClassName":"entity"}]}`

// abuseDoc is an IP network answer with one abuse entity whose email is v.
func abuseDoc(v string) string {
	q, _ := json.Marshal(v)
	return fmt.Sprintf(`{"objectClassName":"ip network","handle":"NET-X","entities":[{"roles":["abuse"],
	 "vcardArray":["vcard",[["version",{},"text","4.0"],["email",{},"text",%s]]]}]}`, q)
}

// nestedAbuse wraps an abuse entity in depth registrant levels.
func nestedAbuse(depth int) string {
	s := `{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text","deep@abuse.example"]]]}`
	for range depth {
		s = `{"roles":["registrant"],"entities":[` + s + `]}`
	}
	return `{"objectClassName":"ip network","entities":[` + s + `]}`
}

// startIPRDAP serves /ip/{addr} from docs; "slow" never answers in time,
// "redirect" redirects to 34.227.30.224.
func startIPRDAP(t *testing.T, docs map[string]string) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		doc, ok := docs[strings.TrimPrefix(r.URL.Path, "/ip/")]
		switch {
		case !ok:
			http.NotFound(w, r)
		case doc == "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case doc == "redirect":
			http.Redirect(w, r, "/ip/34.227.30.224", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/rdap+json")
			fmt.Fprint(w, doc)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestAbuseContact(t *testing.T) {
	docs := map[string]string{
		"34.227.30.224": arinIPDoc,
		"193.0.6.139":   ripeIPDoc,
		"198.51.100.1":  "redirect",
		// Two abuse entities: the first email is hostile, the second valid.
		"198.51.100.2": `{"entities":[{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text","x@y.example\r\nBcc: a@b.example"]]]},
		                               {"roles":["technical","Abuse"],"vcardArray":["vcard",[["email",{},"text","mailto:noc@net.example"]]]}]}`,
		"198.51.100.3": nestedAbuse(3),
	}
	srv, _ := startIPRDAP(t, docs)
	o := NewOnline(OnlineOptions{Enabled: true, RDAPBase: srv.URL + "/", Timeout: time.Second, Now: func() time.Time { return testNow }})
	defer o.Close()
	for _, c := range []struct{ ip, email, network, source string }{
		{"34.227.30.224", "abuse@amazonaws.com", "NET-34-192-0-0-1", "/ip/34.227.30.224"},
		{"::ffff:193.0.6.139", "Abuse@ripe.net", "193.0.0.0 - 193.0.7.255", "/ip/193.0.6.139"},
		{"198.51.100.1", "abuse@amazonaws.com", "NET-34-192-0-0-1", "/ip/34.227.30.224"},
		{"198.51.100.2", "noc@net.example", "", "/ip/198.51.100.2"},
		{"198.51.100.3", "deep@abuse.example", "", "/ip/198.51.100.3"},
	} {
		ai, err := o.AbuseContact(context.Background(), netip.MustParseAddr(c.ip))
		if err != nil || ai.Email != c.email || ai.Network != c.network || ai.Source != "rdap "+srv.URL+c.source || !ai.AsOf.Equal(testNow) {
			t.Errorf("AbuseContact(%s) = %+v, %v; want %s", c.ip, ai, err, c.email)
		}
	}
}

func TestAbuseContactHostile(t *testing.T) {
	huge := `{"entities":[{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text","a@b.example"]]]}],"pad":"` +
		strings.Repeat("x", maxRDAPBytes) + `"}`
	docs := map[string]string{
		"192.0.2.1":  huge,
		"192.0.2.2":  "<html>not json</html>",
		"192.0.2.3":  `{"objectClassName":"ip network","entities":[{"roles":["registrant","technical"],"vcardArray":["vcard",[["email",{},"text","noc@x.example"]]]}]}`,
		"192.0.2.4":  abuseDoc("abuse@evil.example\r\nBcc: victim@corp.example"),
		"192.0.2.5":  abuseDoc("abuse@evil.example\x1b]52;c;aGk=\x07"),
		"192.0.2.6":  abuseDoc("Abuse Desk <abuse@evil.example>"),
		"192.0.2.7":  abuseDoc("abuse@evil.example, victim@corp.example"),
		"192.0.2.8":  abuseDoc("abuse@localhost"),
		"192.0.2.9":  abuseDoc("ab\u202euse@evil.example"),
		"192.0.2.10": nestedAbuse(maxAbuseDepth + 1),
		"192.0.2.11": "slow",
		"192.0.2.12": `{"entities":[{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text",["a@b.example"]]]]}]}`,
		"192.0.2.13": `{"entities":"nope"}`,
		"192.0.2.14": strings.Repeat("[", 100000),
	}
	srv, served := startIPRDAP(t, docs)
	o := NewOnline(OnlineOptions{Enabled: true, RDAPBase: srv.URL, Timeout: 300 * time.Millisecond})
	defer o.Close()
	want := map[string]string{
		"192.0.2.1":   "larger than",
		"192.0.2.2":   "not an RDAP JSON answer",
		"192.0.2.3":   "no abuse contact",
		"192.0.2.4":   `not a plain email address`,
		"192.0.2.5":   `not a plain email address`,
		"192.0.2.6":   `"Abuse Desk <abuse@evil.example>" is not a plain email address`,
		"192.0.2.7":   `not a plain email address`,
		"192.0.2.8":   `"abuse@localhost" is not a plain email address`,
		"192.0.2.9":   `"ab\u202euse@evil.example" is not`,
		"192.0.2.10":  "no abuse contact",
		"192.0.2.11":  "rdap: Get", // a timeout
		"192.0.2.12":  "no abuse contact",
		"192.0.2.13":  "not an RDAP JSON answer",
		"192.0.2.14":  "not an RDAP JSON answer",
		"203.0.113.9": "status 404",
	}
	start := time.Now()
	for ip, w := range want {
		ai, err := o.AbuseContact(context.Background(), netip.MustParseAddr(ip))
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("AbuseContact(%s) = %+v, %v; want error with %q", ip, ai, err, w)
			continue
		}
		if strings.ContainsAny(err.Error(), "\r\n\x1b\x07\u202e") {
			t.Errorf("AbuseContact(%s) error carries raw controls: %q", ip, err)
		}
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("hostile RDAP answers took %v", el)
	}
	if _, err := o.AbuseContact(context.Background(), netip.MustParseAddr("192.0.2.3")); !errors.Is(err, ErrNoAbuseContact) {
		t.Errorf("no abuse entity: %v, want ErrNoAbuseContact", err)
	}

	// Not public: no request at all.
	n := served.Load()
	for _, ip := range []string{"10.0.0.1", "127.0.0.1", "100.64.1.1", "fe80::1"} {
		if _, err := o.AbuseContact(context.Background(), netip.MustParseAddr(ip)); err == nil || !strings.Contains(err.Error(), "not a public address") {
			t.Errorf("AbuseContact(%s) = %v", ip, err)
		}
	}
	if served.Load() != n {
		t.Error("RDAP asked about a non-public address")
	}
}

func TestAbuseContactOffline(t *testing.T) {
	o := NewOnline(OnlineOptions{RDAPBase: "http://127.0.0.1:1", Dialer: failDialer{t}})
	if _, err := o.AbuseContact(context.Background(), netip.MustParseAddr("34.227.30.224")); !errors.Is(err, ErrOffline) {
		t.Errorf("offline AbuseContact: %v", err)
	}
	var nilOnline *Online
	if _, err := nilOnline.AbuseContact(context.Background(), netip.MustParseAddr("34.227.30.224")); !errors.Is(err, ErrOffline) {
		t.Errorf("nil AbuseContact: %v", err)
	}
	if o.Queries() != 0 {
		t.Errorf("Queries() = %d", o.Queries())
	}
}

func TestPlainEmail(t *testing.T) {
	// ok must say whether an address came back: a mismatch is shown as
	// the pair, which no case wants.
	plain := func(in string) string {
		got, ok := plainEmail(in)
		if ok != (got != "") {
			return fmt.Sprintf("%q, ok %v", got, ok)
		}
		return got
	}
	testutil.Cases(t, "plainEmail", plain, map[string]string{
		"abuse@example.net":           "abuse@example.net",
		" Abuse@Example.NET. ":        "Abuse@example.net",
		"mailto:abuse@example.net":    "abuse@example.net",
		"abuse+ip@sub.example.net":    "abuse+ip@sub.example.net",
		"":                            "",
		"abuse":                       "",
		"@example.net":                "",
		"a@b@example.net":             "",
		"a b@example.net":             "",
		"a@exa mple.net":              "",
		"a@example.net\n":             "a@example.net", // trimmed
		"a@example.net\nBcc: x@y.net": "",
		"a\r@example.net":             "",
		"a@-bad-.example":             "",
		"\"quoted\"@example.net":      "",
		"a@例え.jp":                     "",
		strings.Repeat("a", 250) + "@example.net": "",
	})
}
