package learn

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/features"
)

func randSet(r *rand.Rand, n int) []uint32 {
	seen := map[uint32]bool{}
	var hs []uint32
	for len(hs) < n {
		h := r.Uint32N(features.Buckets)
		if !seen[h] {
			seen[h] = true
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	return hs
}

type example struct {
	hs []uint32
	c  Class
}

func examples(n int, seed uint64) []example {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []example
	for i := range n {
		out = append(out, example{randSet(r, 20+r.IntN(200)), Class(1 + i%2)})
	}
	return out
}

func TestOrderIndependentAndUndo(t *testing.T) {
	ex := examples(200, 1)
	var a, b Model
	for _, e := range ex {
		a.Add(e.hs, e.c)
	}
	r := rand.New(rand.NewPCG(2, 2))
	// b: shuffled, with detours that are undone, removals before adds.
	b.Remove(ex[0].hs, ex[0].c)
	for _, i := range r.Perm(len(ex)) {
		b.Add(ex[i].hs, Good)
		b.Remove(ex[i].hs, Good)
		if i != 0 {
			b.Add(ex[i].hs, ex[i].c)
		}
	}
	b.Add(ex[0].hs, ex[0].c)
	b.Add(ex[0].hs, ex[0].c)
	if !a.Equal(&b) {
		t.Fatal("same examples in another order give another model")
	}
	s := features.FromHashes(ex[3].hs)
	if ra, rb := a.Score(&s), b.Score(&s); ra.Sum != rb.Sum || ra.Probability != rb.Probability {
		t.Fatalf("scores differ: %v %v", ra, rb)
	}
}

func TestUntrained(t *testing.T) {
	var m Model
	for _, e := range examples(2*MinPerClass-1, 3) {
		m.Add(e.hs, e.c)
	}
	s := features.FromHashes([]uint32{1, 2})
	r := m.Score(&s)
	if r.Trained || r.Points != 0 || !strings.Contains(r.Note, "not yet trained") || Combined(42, r) != 42 {
		t.Fatalf("untrained model scored: %+v", r)
	}
}

func TestScoreEvidence(t *testing.T) {
	var m Model
	r := rand.New(rand.NewPCG(5, 5))
	bad := features.Extract(&features.Input{LinkDomains: []string{"duckdns.org"}, Body: "verify your account"})
	for i := range 30 {
		hs := randSet(r, 50)
		if i < 14 {
			hs = slices.Compact(slices.Sorted(slices.Values(append(hs, bad.Hashes...))))
		}
		m.Add(hs, Bad)
		m.Add(randSet(r, 50), Good)
	}
	res := m.Score(&bad)
	if !res.Trained || res.Points <= 0 || res.Probability <= 0.5 {
		t.Fatalf("bad features not learned: %+v", res)
	}
	line := res.Line()
	if !strings.Contains(line, "link domain duckdns.org (seen in 14 bad, 0 good)") || !strings.HasPrefix(line, "learned +") {
		t.Fatalf("evidence line: %s", line)
	}
	good := features.FromHashes(randSet(r, 50))
	if g := m.Score(&good); g.Points >= res.Points {
		t.Fatalf("unseen features score %d ≥ %d", g.Points, res.Points)
	}
}

// TestAuthenticatedNoPositivePoints: the learned points of a message whose
// sender is authenticated (DMARC pass, aligned DKIM pass) can be negative
// but not positive, in Score and Quick alike (docs/learning.md, "Bias").
func TestAuthenticatedNoPositivePoints(t *testing.T) {
	var m Model
	r := rand.New(rand.NewPCG(6, 6))
	badIn := features.Input{LinkDomains: []string{"duckdns.org"}, Body: "verify your account"}
	goodIn := features.Input{LinkDomains: []string{"lists.example.org"}, Body: "minutes of the meeting"}
	bad, good := features.Extract(&badIn), features.Extract(&goodIn)
	for range 30 {
		m.Add(slices.Compact(slices.Sorted(slices.Values(append(randSet(r, 50), bad.Hashes...)))), Bad)
		m.Add(slices.Compact(slices.Sorted(slices.Values(append(randSet(r, 50), good.Hashes...)))), Good)
	}
	for _, rule := range []string{"auth.dmarc_pass", "auth.dkim_aligned_pass", "auth.spf_fail"} {
		authed := rule != "auth.spf_fail"
		for _, in := range []features.Input{badIn, goodIn} {
			in.Rules = []string{rule}
			s := features.Extract(&in)
			if Authenticated(s.Hashes) != authed {
				t.Fatalf("%s: Authenticated = %v", rule, !authed)
			}
			res := m.Score(&s)
			_, quick := m.Quick(s.Hashes)
			if quick != res.Points {
				t.Errorf("%s: Quick %d, Score %d points", rule, quick, res.Points)
			}
			switch {
			case in.Body == goodIn.Body && res.Points >= 0:
				t.Errorf("%s: good features give %d points, want < 0", rule, res.Points)
			case in.Body == badIn.Body && authed && (res.Points != 0 || res.Note != AuthNote || res.Probability <= 0.5):
				t.Errorf("%s: bad features of an authenticated sender: %+v", rule, res)
			case in.Body == badIn.Body && !authed && res.Points <= 0:
				t.Errorf("%s: bad features of an unauthenticated sender give %d points", rule, res.Points)
			}
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	var m Model
	for _, e := range examples(100, 6) {
		m.Add(e.hs, e.c)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Model
	if err := back.UnmarshalBinary(b); err != nil || !back.Equal(&m) {
		t.Fatalf("round trip: %v", err)
	}
	if err := back.UnmarshalBinary(b[:len(b)-1]); err == nil {
		t.Fatal("truncated model accepted")
	}
	if err := back.UnmarshalBinary(append([]byte{1, 'x'}, b[len(Version)+1:]...)); err != ErrVersion {
		t.Fatalf("other version: %v", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	var m Model
	for _, e := range examples(5, 7) {
		m.Add(e.hs, e.c)
	}
	b, _ := m.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Model
		_ = m.UnmarshalBinary(b)
	})
}

const plainHam = "From: Alice <alice@lists.example.org>\r\nTo: dev@lists.example.org\r\nSubject: Weekly meeting notes\r\n" +
	"Date: Mon, 2 Mar 2009 10:00:00 +0000\r\nMessage-ID: <1@lists.example.org>\r\nMIME-Version: 1.0\r\n"

// TestNoStructureFeatures: the same words sent as plain text and as HTML
// give the same features, so a model trained on plain-text ham and HTML
// phish cannot learn "HTML means phish" (docs/learning.md).
func TestNoStructureFeatures(t *testing.T) {
	body := "Thanks everyone for joining the meeting. The notes are below and the next release is planned for Friday."
	plain := plainHam + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
	html := plainHam + "Content-Type: text/html; charset=utf-8\r\n\r\n<html><head><style>p{color:red}</style></head><body><table><tr><td><p><b>" +
		strings.ReplaceAll(body, " the ", " <i>the</i> ") + "</b></p></td></tr></table></body></html>\r\n"
	an := analysis.New(nil)
	fp, fh := an.Analyze([]byte(plain)).Features, an.Analyze([]byte(html)).Features
	if !slices.Equal(fp.Hashes, fh.Hashes) {
		var diff []string
		for _, h := range fh.Hashes {
			if _, ok := slices.BinarySearch(fp.Hashes, h); !ok {
				diff = append(diff, fh.Name(h))
			}
		}
		for _, h := range fp.Hashes {
			if _, ok := slices.BinarySearch(fh.Hashes, h); !ok {
				diff = append(diff, "-"+fp.Name(h))
			}
		}
		t.Fatalf("HTML and plain versions differ in features: %q", diff)
	}
	// Trained on plain ham and HTML phish, the HTML ham scores as the plain.
	var m Model
	r := rand.New(rand.NewPCG(8, 8))
	for range 30 {
		m.Add(slices.Compact(slices.Sorted(slices.Values(append(randSet(r, 30), fp.Hashes...)))), Good)
		m.Add(randSet(r, 60), Bad)
	}
	if p, h := m.Score(&fp), m.Score(&fh); p.Sum != h.Sum {
		t.Fatalf("plain %v, HTML %v", p.Sum, h.Sum)
	}
}

func BenchmarkUpdate(b *testing.B) {
	ex := examples(1000, 9)
	var m Model
	b.ResetTimer()
	for i := range b.N {
		e := ex[i%len(ex)]
		m.Add(e.hs, e.c)
	}
}

// BenchmarkRetrain100k: a full retrain from 100,000 labeled feature sets of
// 300 features each.
func BenchmarkRetrain100k(b *testing.B) {
	r := rand.New(rand.NewPCG(10, 10))
	ex := make([][]uint32, 1000)
	for i := range ex {
		ex[i] = randSet(r, 300)
	}
	for range b.N {
		var m Model
		for i := range 100_000 {
			m.Add(ex[i%len(ex)], Class(1+i%2))
		}
	}
}

func BenchmarkScore(b *testing.B) {
	var m Model
	for _, e := range examples(200, 11) {
		m.Add(e.hs, e.c)
	}
	s := features.FromHashes(randSet(rand.New(rand.NewPCG(1, 1)), 300))
	b.ResetTimer()
	for range b.N {
		m.Score(&s)
	}
}
