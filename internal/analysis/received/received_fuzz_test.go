package received

import (
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// receivedSeeds returns our own fixture lines (testdata/received/*.txt, one
// Received value per line, "\n" written as \n) plus a few built-in forms.
func receivedSeeds(tb testing.TB) []string {
	seeds := []string{
		"",
		";",
		"from a (b [1.2.3.4]) by c; Mon, 1 Jan 2024 00:00:00 +0000",
		"(from x [1.2.3.4]) by y",
		"from ((((( [[[ ]]] ))))) by ; ;",
		"from [IPv6:::ffff:1.2.3.4]:99 (helo=[1.2.3.4]) by x with esmtps (TLS1.3) tls x id y for <a@b>; 2024-01-01T00:00:00Z",
	}
	for _, b := range testutil.ReadGlob(tb, "testdata/received/*.txt") {
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				seeds = append(seeds, strings.ReplaceAll(line, `\n`, "\n"))
			}
		}
	}
	return seeds
}

func FuzzParseReceived(f *testing.F) {
	for _, s := range receivedSeeds(f) {
		f.Add(s)
	}
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, v string) {
		h := ParseReceived(v)
		if h.Raw != v {
			t.Fatalf("Raw not preserved")
		}
		if len(h.With) > maxWithLen {
			t.Fatalf("With too long: %d", len(h.With))
		}
		if !h.Time.IsZero() && (h.Time.Year() < 1900 || h.Time.Year() > 9999) {
			t.Fatalf("bad year %v", h.Time)
		}
		hops := BuildHops([]report.HeaderField{{Key: "Received", Value: v}, {Key: "received", Value: v}}, time.Now(), nil, nil)
		if len(hops) != 2 || OriginHop(hops) == nil && hops[0].FromIP != "" {
			t.Fatalf("hops %+v", hops)
		}
	})
}

func BenchmarkParseReceived(b *testing.B) {
	benchParseReceived(b, receivedSeeds(b))
}

// benchParseReceived runs ParseReceived over values in turn, with the
// mean value length as bytes per op.
func benchParseReceived(b *testing.B, values []string) {
	total := 0
	for _, v := range values {
		total += len(v)
	}
	b.SetBytes(int64(total / len(values)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = ParseReceived(values[i%len(values)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "headers/s")
}

func BenchmarkBuildHops(b *testing.B) {
	headers := []report.HeaderField{
		{Key: "Received", Value: seedReceived[0]},
		{Key: "Received", Value: seedReceived[1]},
		{Key: "Received", Value: "from mail-wr1-f54.google.com (mail-wr1-f54.google.com. [209.85.221.54]) by mx.google.com with ESMTPS id a1-2023abc.123.2024.01.15.08.30.00 for <user@gmail.com>; Mon, 15 Jan 2024 08:30:00 -0800 (PST)"},
		{Key: "Received", Value: "from BN3NAM04FT003.eop-NAM04.prod.protection.outlook.com\n (10.152.92.53) by BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com\n (10.152.93.134) with Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384) id 15.20.696.11; Sat, 21\n Apr 2018 03:01:32 +0000"},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = BuildHops(headers, seedDate, nil, nil)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkParseReceivedCorpus parses the Received values of ~2,000 shared
// corpus messages (skipped when the corpus is absent); BenchmarkParseReceived
// runs on the seed forms only.
func BenchmarkParseReceivedCorpus(b *testing.B) {
	msgs, _ := devdata.Sample(b, 2000)
	var values []string
	for _, m := range msgs {
		for _, h := range message.Parse(m, message.DefaultLimits()).Headers {
			if strings.EqualFold(h.Key, "Received") {
				values = append(values, h.Value)
			}
		}
	}
	if len(values) == 0 {
		b.Skip("no Received headers")
	}
	benchParseReceived(b, values)
}

// BenchmarkBuildHopsCorpus builds the hop chains of ~2,000 shared corpus
// messages (skipped when the corpus is absent), as Analyze does.
func BenchmarkBuildHopsCorpus(b *testing.B) {
	msgs, _ := devdata.Sample(b, 2000)
	type msg struct {
		headers []report.HeaderField
		date    time.Time
	}
	var ms []msg
	for _, m := range msgs {
		p := message.Parse(m, message.DefaultLimits())
		ms = append(ms, msg{p.Headers, p.Summary.Date})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := &ms[i%len(ms)]
		_ = BuildHops(m.headers, m.date, nil, nil)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
