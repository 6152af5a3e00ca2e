package store

import (
	"bytes"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/store/internal/codec"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// corpusDir returns the shared development corpus (../shared/corpus
// beside the repository), or skips with one line.
func corpusDir(t testing.TB) string { return devdata.Dir(t, "corpus") }

// corpusReport builds an approximate report from a raw message: ordered
// headers (decoded where RFC 2047 applies), summary, Received hops and
// URLs found in the body. It stands in for the analyzer so that store size
// can be measured on real headers.
func corpusReport(raw []byte) *analysis.Report {
	rep := &analysis.Report{ID: idOf(string(raw)), AnalyzerVersion: testAnalyzerVersion, Size: len(raw)}
	head, body, _ := bytes.Cut(raw, []byte("\n\n"))
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 && i < len(head) {
		head, body = raw[:i], raw[i+4:]
	}
	var dec mime.WordDecoder
	for _, line := range strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(rep.Headers) > 0 {
			rep.Headers[len(rep.Headers)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		rep.Headers = append(rep.Headers, analysis.HeaderField{Key: k, Value: strings.TrimSpace(v)})
	}
	for i := range rep.Headers {
		h := &rep.Headers[i]
		if d, err := dec.DecodeHeader(h.Value); err == nil && d != h.Value {
			h.Decoded = d
		}
		switch strings.ToLower(h.Key) {
		case "from":
			if a, err := mail.ParseAddress(h.Value); err == nil {
				rep.Summary.From = analysis.Address{Name: a.Name, Address: a.Address}
			}
		case "to":
			if as, err := mail.ParseAddressList(h.Value); err == nil {
				for _, a := range as {
					rep.Summary.To = append(rep.Summary.To, analysis.Address{Name: a.Name, Address: a.Address})
				}
			}
		case "subject":
			rep.Summary.Subject, _ = dec.DecodeHeader(h.Value)
		case "date":
			rep.Summary.Date, _ = mail.ParseDate(h.Value)
		case "message-id":
			rep.Summary.MessageID = strings.Trim(h.Value, "<> ")
		case "received":
			hop := analysis.Hop{Index: len(rep.Hops) + 1, Raw: h.Value}
			if f := strings.Fields(h.Value); len(f) > 1 && f[0] == "from" {
				hop.FromHelo = f[1]
			}
			if i := strings.Index(h.Value, "["); i >= 0 {
				if j := strings.Index(h.Value[i:], "]"); j > 0 {
					hop.FromIP = h.Value[i+1 : i+j]
				}
			}
			if _, d, ok := strings.Cut(h.Value, ";"); ok {
				hop.Time, _ = mail.ParseDate(strings.TrimSpace(d))
			}
			rep.Hops = append(rep.Hops, hop)
		}
	}
	b := string(body)
	for len(rep.URLs) < 100 {
		i := strings.Index(b, "http")
		if i < 0 {
			break
		}
		b = b[i:]
		end := strings.IndexAny(b, " \t\r\n\"'<>")
		if end < 0 {
			end = len(b)
		}
		raw := b[:end]
		b = b[end:]
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		rep.URLs = append(rep.URLs, analysis.URL{Raw: raw, URL: u.String(), Source: report.SourceText, Scheme: u.Scheme,
			Host: u.Hostname(), Domain: u.Hostname(), Defanged: strings.ReplaceAll(strings.Replace(raw, "http", "hxxp", 1), ".", "[.]")})
	}
	rep.Findings = []analysis.Finding{{Rule: "url.count", Points: len(rep.URLs), Summary: "message has URLs"}}
	rep.Score = min(100, len(rep.URLs))
	return rep
}

// TestCorpusStoreSize stores every .eml of the corpus and compares the
// database size with the raw mail size (target ≤ 30% without raw copies).
func TestCorpusStoreSize(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the corpus")
	}
	dir := corpusDir(t)
	var raws [][]byte
	total := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".eml") {
			if b, err := os.ReadFile(p); err == nil {
				raws = append(raws, b)
				total += len(b)
			}
		}
		return nil
	})
	if len(raws) == 0 {
		t.Skip("no .eml files")
	}
	reps := make([]*analysis.Report, len(raws))
	for i, raw := range raws {
		reps[i] = corpusReport(raw)
	}
	s := openTestStore(t)
	start := time.Now()
	for i := 0; i < len(reps); i += 500 {
		batch := make([]Entry, 0, 500)
		for j, rep := range reps[i:min(i+500, len(reps))] {
			batch = append(batch, Entry{Report: rep, Locator: Locator{Path: "/corpus/corpus.mbox", Offset: int64(i+j) * 10000, Length: int64(len(raws[i+j]))}})
		}
		if err := s.PutBatch(batch); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.Count()
	_ = s.db.View(func(tx *bolt.Tx) error {
		st := s.db.Stats()
		t.Logf("file %d, tx.Size %d, free pages %d (%d B), pending %d", fi.Size(), tx.Size(), st.FreePageN, st.FreeAlloc, st.PendingPageN)
		for _, name := range allBuckets {
			bs := tx.Bucket(name).Stats()
			t.Logf("%-14s keys %6d leaf %8d B used %8d B, overflow pages %d, branch %d B", name, bs.KeyN, bs.LeafAlloc, bs.LeafInuse, bs.LeafOverflowN, bs.BranchAlloc)
		}
		return nil
	})
	ratio := float64(fi.Size()) / float64(total)
	t.Logf("%d messages (%d unique), %.1f MB raw → %.1f MB db (%.1f%%, %.0f B/msg); PutBatch %.0f msg/s",
		len(raws), n, float64(total)/1e6, float64(fi.Size())/1e6, 100*ratio, float64(fi.Size())/float64(n), float64(len(raws))/took.Seconds())
	// Target ≤ 30%: not met while reports keep every header (the header
	// list alone compresses to ~3.3 KB/msg on this corpus); logged, not
	// asserted, until the storage of headers is decided.
	if ratio > 0.30 {
		t.Logf("NOTE: store is %.1f%% of the mail size, target ≤ 30%%", 100*ratio)
	}
}

// benchReports returns n distinct realistic reports.
func benchReports(n int) []*analysis.Report {
	r := rand.New(rand.NewPCG(42, 42))
	pool := make([]*analysis.Report, 2000)
	for i := range pool {
		pool[i] = fakeReport(i, r)
	}
	out := make([]*analysis.Report, n)
	for i := range out {
		c := *pool[i%len(pool)]
		c.ID = idOf("bench" + string(rune(i)) + time.Duration(i).String())
		out[i] = &c
	}
	return out
}

func BenchmarkPutBatch(b *testing.B) {
	s := openTestStore(b)
	reps := benchReports(b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i += 500 {
		batch := make([]Entry, 0, 500)
		for j, rep := range reps[i:min(i+500, b.N)] {
			batch = append(batch, Entry{Report: rep, Locator: Locator{Path: "/mail/big.mbox", Offset: int64(i+j) * 10000, Length: 10000}})
		}
		if err := s.PutBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
	if fi, err := os.Stat(s.Path()); err == nil {
		b.ReportMetric(float64(fi.Size())/float64(b.N), "dbB/msg")
	}
}

func BenchmarkEncodeReport(b *testing.B) {
	reps := benchReports(1000)
	var buf []byte
	size := 0
	for i := 0; b.Loop(); i++ {
		buf, _ = codec.EncodeReport(buf[:0], reps[i%len(reps)])
		size += len(buf)
	}
	b.ReportMetric(float64(size)/float64(b.N), "B/report")
}

const rowsBenchN = 100_000

func BenchmarkRows(b *testing.B) {
	s := openTestStore(b)
	reps := benchReports(rowsBenchN)
	for i := 0; i < len(reps); i += 1000 {
		batch := make([]Entry, 0, 1000)
		for _, rep := range reps[i:min(i+1000, len(reps))] {
			batch = append(batch, Entry{Report: rep})
		}
		if err := s.PutBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	// Label every 20th message (one transaction) so the merge join works.
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i := 0; i < len(reps); i += 20 {
			k, _ := parseID(reps[i].ID)
			if err := putLabel(tx, k[:], []LabelEvent{{Label: "phish", Actor: alice, Time: now()}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.Rows()
		if err != nil || len(rows) != rowsBenchN {
			b.Fatalf("Rows: %d, %v", len(rows), err)
		}
	}
	b.ReportMetric(float64(rowsBenchN)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkExport(b *testing.B) {
	s := openTestStore(b)
	fill(b, s, 2000, 9)
	for b.Loop() {
		if _, err := s.Export(io.Discard, ExportOptions{All: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2000*float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
