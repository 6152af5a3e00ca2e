package store

import (
	"errors"
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

// TestRowDecoderSharesListTriples checks that a row whose three lists
// are encoded as an earlier row's takes that row's lists (one lookup),
// that the lists stay exact when only one of the three differs, and that
// every truncation of a row value is ErrCorrupt, also once its lists are
// remembered.
func TestRowDecoderSharesListTriples(t *testing.T) {
	base := Row{Score: 40, RawScore: 55, Date: time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("", -7200)),
		FromName: "Zoë", FromAddr: "z@x.example", Subject: "s", MessageID: "m@x",
		Domains: []string{"x.example"}, Hosts: []string{"a.example", "b.example"}, Rules: []string{"r1", "r2", "r3"}}
	other := base
	other.Subject, other.Hosts = "t", []string{"a.example"}
	none := Row{Score: -3, RawScore: -3, Subject: "no lists"}
	var rd rowDecoder
	var got []Row
	var values [][]byte
	for i, r := range []Row{base, other, base, none, base, none} {
		k := make([]byte, 32)
		k[31] = byte(i)
		v := codec.AppendRow(nil, &r)
		values = append(values, v)
		var row Row
		if err := rd.Decode(k, v, &row); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		r.ID = formatID(k)
		if !reflect.DeepEqual(row, r) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, row, r)
		}
		got = append(got, row)
	}
	if &got[0].Domains[0] != &got[2].Domains[0] || &got[0].Hosts[0] != &got[2].Hosts[0] || &got[0].Rules[0] != &got[2].Rules[0] {
		t.Error("rows with equal lists do not share all three")
	}
	if &got[1].Rules[0] != &got[0].Rules[0] || len(got[1].Hosts) != 1 {
		t.Error("a row differing in one list: the others are not shared, or the differing one is wrong")
	}
	for _, v := range values {
		for i := range len(v) {
			var row Row
			if err := rd.Decode(make([]byte, 32), v[:i], &row); !errors.Is(err, codec.ErrCorrupt) {
				t.Fatalf("value cut to %d of %d bytes: %v, want ErrCorrupt", i, len(v), err)
			}
		}
	}
}
