package campaign

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
)

func TestIndexJoinsAndMerges(t *testing.T) {
	ix := NewIndex()
	a := Sig{Skeleton: "your parcel is waiting", SenderDomain: "x.example", Links: []string{"evil.example/track/*"}}
	b := Sig{Skeleton: "delivery failed again", SimHash: 0xdeadbeefcafef00d}
	c := Sig{Skeleton: "something else entirely", SimHash: 0xdeadbeefcafef00d ^ 0b101} // near b
	ca, _, created := ix.Add("sha256:aaaaaaaaaaaa", &a)
	if !created || ca != "c:aaaaaaaaaa" {
		t.Fatalf("first campaign %q created %v", ca, created)
	}
	cb, _, _ := ix.Add("sha256:bbbbbbbbbbbb", &b)
	cc, merges, created := ix.Add("sha256:cccccccccccc", &c)
	if cc != cb || created || merges != nil {
		t.Errorf("near-duplicate body: %q (want %q) created %v merges %v", cc, cb, created, merges)
	}
	// Same link template from the same sender domain as a, subject of b:
	// the two campaigns merge into the older one, a's.
	d := Sig{Skeleton: "delivery failed again", SenderDomain: "x.example", Links: []string{"evil.example/track/*"}}
	cd, merges, _ := ix.Add("sha256:dddddddddddd", &d)
	if cd != ca || len(merges) != 1 || merges[0] != (Merge{From: cb, Into: ca}) {
		t.Errorf("bridge: %q merges %v", cd, merges)
	}
	if ix.Resolve(cb) != ca || ix.Resolve(cc) != ca {
		t.Errorf("resolve %q → %q", cb, ix.Resolve(cb))
	}
	// A link into the sender's own domain is no key (mailing-list footers).
	e := Sig{Skeleton: "weekly digest one", SenderDomain: "lists.example", Links: []string{"lists.example/listinfo/dev"}}
	f := Sig{Skeleton: "weekly digest two", SenderDomain: "lists.example", Links: []string{"lists.example/listinfo/dev"}}
	ce, _, _ := ix.Add("sha256:eeeeeeeeeeee", &e)
	if cf, _, _ := ix.Add("sha256:ffffffffffff", &f); cf == ce {
		t.Error("a footer link into the sender's domain joined two messages")
	}
	// Short skeletons are not keys.
	g, h := Sig{Skeleton: "re #"}, Sig{Skeleton: "re #"}
	cg, _, _ := ix.Add("sha256:1111111111111", &g)
	if ch, _, _ := ix.Add("sha256:2222222222222", &h); ch == cg {
		t.Error(`skeleton "re #" joined two messages`)
	}
}

func TestIndexIDCollision(t *testing.T) {
	ix := NewIndex()
	a, b := Sig{Skeleton: "first subject here"}, Sig{Skeleton: "second subject here"}
	ca, _, _ := ix.Add("sha256:0123456789aa", &a)
	cb, _, _ := ix.Add("sha256:0123456789bb", &b)
	if ca != "c:0123456789" || cb != "c:0123456789bb" {
		t.Errorf("IDs %q %q", ca, cb)
	}
}

// TestIndexHostileBand adds 10,000 messages whose fingerprints all share
// one band but nothing else, and 10,000 that share one subject: the
// comparisons stay within 4·BandCap per message.
func TestIndexHostileBand(t *testing.T) {
	ix := NewIndex()
	r := rand.New(rand.NewPCG(1, 2))
	const n = 10000
	for i := range n {
		s := Sig{Skeleton: fmt.Sprintf("subject %c%c%c", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26), SimHash: r.Uint64()&^0xffff | 0x4242}
		ix.Add(fmt.Sprintf("sha256:%064x", i), &s)
	}
	one := ""
	for i := range n {
		s := Sig{Skeleton: "urgent action required", SimHash: r.Uint64()}
		c, _, _ := ix.Add(fmt.Sprintf("sha256:%064x", n+i), &s)
		if one == "" {
			one = c
		} else if ix.Resolve(c) != one {
			t.Fatalf("message %d left the shared-subject campaign", i)
		}
	}
	if ix.compared > 2*n*4*16 { // BandCap as documented, not as configured
		t.Errorf("%d comparisons for %d messages", ix.compared, 2*n)
	}
	if l := ix.bands.len(bandKey(0x4242, 0)); l > BandCap {
		t.Errorf("band bucket holds %d", l)
	}
}

func TestSigRoundTrip(t *testing.T) {
	s := Sig{Skeleton: "a b", SimHash: 42, Dup: 7, Sender: "x@y.example", SenderDomain: "y.example",
		LinkDomains: []string{"evil.example"}, LinkHosts: []string{"a.evil.example"}, Links: []string{"evil.example/*"},
		OriginIP: "192.0.2.1", HELO: "mail.y.example", AttachSHA256: []string{"ab"}, AttachNames: []string{"a.html"}}
	got, err := DecodeSig(s.Append(nil))
	if err != nil || fmt.Sprint(got) != fmt.Sprint(s) {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	b := s.Append(nil)
	for i := range b {
		if _, err := DecodeSig(b[:i]); err == nil {
			t.Errorf("truncated at %d decoded", i)
		}
	}
}

func FuzzDecodeSig(f *testing.F) {
	s := Sig{Skeleton: "a", Links: []string{"x/y"}}
	f.Add(s.Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := DecodeSig(b); err == nil {
			if _, err := DecodeSig(s.Append(nil)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestShared(t *testing.T) {
	sigs := []Sig{
		{Sender: "a@x.example", SenderDomain: "x.example", LinkDomains: []string{"evil.example", "cdn.example"}, OriginIP: "192.0.2.7"},
		{Sender: "b@x.example", SenderDomain: "x.example", LinkDomains: []string{"evil.example"}, OriginIP: "192.0.2.9", AttachSHA256: []string{"ff"}},
		{Sender: "c@y.example", SenderDomain: "y.example", LinkDomains: []string{"evil.example"}},
	}
	in := Shared(sigs, 1)
	if fmt.Sprint(in.SenderDomains) != "[{x.example 2}]" || fmt.Sprint(in.LinkDomains) != "[{evil.example 3}]" ||
		fmt.Sprint(in.OriginNetworks) != "[{192.0.2.0/24 2}]" || fmt.Sprint(in.AttachmentSHA256) != "[{ff 1}]" ||
		in.AttachmentNames == nil || len(in.AttachmentNames) != 0 {
		t.Errorf("Shared = %+v", in)
	}
}

// Copies of one message with an empty subject and a two-word body have
// no skeleton key and no fingerprint: the exact-duplicate key joins them.
func TestExactDuplicatesJoin(t *testing.T) {
	rep := func(from string) *analysis.Report {
		return &analysis.Report{Summary: analysis.Summary{From: analysis.Address{Address: from}}, Near: analysis.Near{Body: 42}}
	}
	a, b, other := SigOf(rep("x@y.example")), SigOf(rep("x@y.example")), SigOf(rep("z@y.example"))
	ix := NewIndex()
	ca, _, _ := ix.Add("sha256:1111111111aa", &a)
	cb, _, _ := ix.Add("sha256:2222222222bb", &b)
	co, _, _ := ix.Add("sha256:3333333333cc", &other)
	if ca != cb || co == ca {
		t.Errorf("copies in %s and %s, another sender's in %s", ca, cb, co)
	}
	// A format-1 record (before Dup) still decodes.
	v1 := append([]byte{1}, a.Append(nil)[17:]...)
	v1 = append(v1[:1], append(make([]byte, 8), v1[1:]...)...)
	if got, err := DecodeSig(v1); err != nil || got.Dup != 0 || got.Sender != "x@y.example" {
		t.Errorf("format 1: %+v %v", got, err)
	}
}

// TestExactKeysSkipOwnDomain: a link into the sender's own domain is no
// key; one into a domain that only starts with the same letters is.
func TestExactKeysSkipOwnDomain(t *testing.T) {
	s := Sig{SenderDomain: "x.example", Links: []string{"x.example/a/b", "x.examplex/a", "other.example/p", "x.example/"}}
	keys := exactKeys(&s)
	want := []uint64{keyHash('l', "x.example", "x.examplex/a"), keyHash('l', "x.example", "other.example/p")}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %x, want %x", keys, want)
	}
}
