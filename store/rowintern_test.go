package store

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/triage-tools/triage/store/internal/codec"
)

// TestRowDecoderInterns checks that rows decoded by one decoder share
// equal lists and equal strings (the memory of a 100k-row list), that a
// shared list cannot be grown into another row's, and that the decoded
// rows are exact.
func TestRowDecoderInterns(t *testing.T) {
	date := time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("", 3600))
	rows := []Row{
		{Score: 40, RawScore: 55, Date: date, FromName: "A", FromAddr: "a@x.example", Subject: "s1", MessageID: "m1@x",
			Domains: []string{"x.example", "evil.example"}, Hosts: []string{"login.evil.example"}, Rules: []string{"url.ip_encoded_host", "sender.brand_domain_mismatch"}},
		{Score: 41, RawScore: 41, FromAddr: "b@y.example", Subject: "s2",
			Domains: []string{"y.example", "evil.example"}, Hosts: []string{"login.evil.example"}, Rules: []string{"url.ip_encoded_host", "sender.brand_domain_mismatch"}},
	}
	var rd rowDecoder
	got := make([]Row, len(rows))
	for i := range rows {
		k := make([]byte, 32)
		k[0] = byte(i + 1)
		sv := codec.Seal(bucketRows, k, codec.AppendRow(nil, &rows[i]))
		if err := rd.decode(make([]byte, ptrLen), withID(k, sv), &got[i]); err != nil {
			t.Fatal(err)
		}
		want := rows[i]
		want.ID = formatID(k)
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got[i], want)
		}
	}
	a, b := got[0], got[1]
	if &a.Rules[0] != &b.Rules[0] || &a.Hosts[0] != &b.Hosts[0] {
		t.Error("equal lists are not shared")
	}
	if unsafe.StringData(a.Domains[1]) != unsafe.StringData(b.Domains[1]) {
		t.Error("equal strings in different lists are not shared")
	}
	grown := append(a.Rules, "extra")
	if len(b.Rules) != 2 || &grown[0] == &b.Rules[0] {
		t.Error("append to a shared list wrote into the shared backing array")
	}
}
