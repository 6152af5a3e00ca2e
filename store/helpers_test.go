package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/learned"
)

// openTestStore opens a fresh store in a temp dir. At cleanup it reopens the
// file if the test closed it and checks the invariants.
func openTestStore(t testing.TB) *Store {
	t.Helper()
	return openTestStoreAt(t, filepath.Join(t.TempDir(), "sub", "triage.db"))
}

func openTestStoreAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		ch, cancel := s.Subscribe() // closed at once on a closed store
		closed := false
		select {
		case _, ok := <-ch:
			closed = !ok
		default:
		}
		cancel()
		if closed {
			var err error
			if s, err = Open(path, Options{ReadOnly: true}); err != nil {
				t.Errorf("reopen for invariants: %v", err)
				return
			}
		}
		checkInvariants(t, s)
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// tempStore opens a fresh store named name in a temporary folder, checked
// like openTestStoreAt's, and returns it with its path (to reopen it).
func tempStore(t testing.TB, name string) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	return openTestStoreAt(t, path), path
}

// checkInvariants verifies bbolt consistency and the cross-bucket rules:
// every report has a sequence number and a row under it, and every row,
// locator set, feature set and campaign member is under the sequence
// number of a stored report (rows, features and members start with that
// report's ID); labels, notes and Message-ID entries point at stored
// reports; the current label equals the last history event.
func checkInvariants(t testing.TB, s *Store) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt check: %v", err)
		}
		reports := tx.Bucket(bucketReports)
		rows := tx.Bucket(bucketRows)
		if reports == nil {
			return nil
		}
		has := func(k []byte) bool { return hasMessage(tx, k) }
		pointed := map[string]bool{}
		seqID := map[string]string{} // sequence key → ID
		for _, tail := range [][2][]byte{{bucketReports, bucketReportsTail}, {bucketMsgID, bucketMsgIDTail}} {
			if tb := tx.Bucket(tail[1]); tb != nil {
				_ = tb.ForEach(func(k, _ []byte) error {
					if tx.Bucket(tail[0]).Get(k) != nil {
						t.Errorf("%x is in both %s and %s", k, tail[0], tail[1])
					}
					return nil
				})
			}
		}
		_ = reportsIndex.Walk(tx, nil, nil, func(k, p []byte) error {
			q := seqOf(tx, k)
			if q == nil || rows.Get(q) == nil {
				t.Errorf("report %x has no row", k)
			}
			if _, dup := seqID[string(q)]; dup {
				t.Errorf("report %x: sequence %x taken", k, q)
			}
			seqID[string(q)] = string(k)
			v, err := getReport(tx, k)
			if err != nil || v == nil {
				t.Errorf("report %x: blob %v", k, err)
				return nil
			}
			pointed[string(p[:ptrLen])] = true
			if _, _, err := codec.ReportVersion(v); err != nil {
				t.Errorf("report %x: %v", k, err)
			}
			return nil
		})
		// Every blob belongs to exactly one message: replaced versions
		// are freed.
		_ = tx.Bucket(bucketBlobs).ForEach(func(k, _ []byte) error {
			if !pointed[string(k)] {
				t.Errorf("blob %x is not referenced", k)
			}
			return nil
		})
		var rd rowDecoder
		_ = rows.ForEach(func(k, v []byte) error {
			if id, ok := seqID[string(k)]; !ok || len(v) < 32 || id != string(v[:32]) {
				t.Errorf("row %x has no report", k)
			}
			var r Row
			if err := rd.decode(k, v, &r); err != nil {
				t.Errorf("row %x: %v", k, err)
			}
			return nil
		})
		for _, name := range [][]byte{bucketLocators, learned.BucketFeatures, campstore.BucketMembers} {
			b := tx.Bucket(name)
			if b == nil {
				continue
			}
			_ = b.ForEach(func(k, v []byte) error {
				id, ok := seqID[string(k)]
				if !ok || !bytes.Equal(name, bucketLocators) && (len(v) < 32 || id != string(v[:32])) {
					t.Errorf("%s entry %x has no report", name, k)
				}
				return nil
			})
		}
		for _, name := range [][]byte{bucketLabels, bucketLabelHistory, bucketNotes} {
			_ = tx.Bucket(name).ForEach(func(k, _ []byte) error {
				if !has(k) {
					t.Errorf("%s entry %x has no report", name, k)
				}
				return nil
			})
		}
		_ = msgIDIndex.Walk(tx, nil, nil, func(k, _ []byte) error {
			if len(k) <= 32 || !has(k[len(k)-32:]) {
				t.Errorf("msgid entry %q has no report", k)
			}
			return nil
		})
		// Checksums: every sealed record verifies, and the analyst digest
		// matches the labels, history and notes buckets.
		if err := verifyAnalyst(tx); err != nil {
			t.Errorf("verify analyst records: %v", err)
		}
		_ = rows.ForEach(func(_, v []byte) error {
			if _, err := codec.Unseal(bucketRows, v[:min(32, len(v))], v[min(32, len(v)):]); err != nil {
				t.Errorf("%v", err)
			}
			return nil
		})
		for _, name := range [][]byte{bucketLabels, bucketNotes} {
			_ = tx.Bucket(name).ForEach(func(k, v []byte) error {
				if _, err := codec.Unseal(name, k, v); err != nil {
					t.Errorf("%v", err)
				}
				return nil
			})
		}
		_ = tx.Bucket(bucketLabelHistory).ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(bucketLabelHistory, k, sv)
			if err != nil {
				t.Errorf("history %x: %v", k, err)
				return nil
			}
			var hist []LabelEvent
			if err := json.Unmarshal(v, &hist); err != nil {
				t.Errorf("history %x: %v", k, err)
				return nil
			}
			cur, _ := analyst.GetSealed(tx, bucketLabels, k)
			last := ""
			if len(hist) > 0 {
				last = hist[len(hist)-1].Label
			}
			if string(cur) != last {
				t.Errorf("message %x: current label %q, last history event %q", k, cur, last)
			}
			return nil
		})
		_ = tx.Bucket(bucketLabels).ForEach(func(k, _ []byte) error {
			if tx.Bucket(bucketLabelHistory).Get(k) == nil {
				t.Errorf("label of %x has no history", k)
			}
			return nil
		})
		_ = tx.Bucket(bucketLocators).ForEach(func(k, v []byte) error {
			if _, err := codec.DecodeLocators(v); err != nil {
				t.Errorf("locators %x: %v", k, err)
			}
			return nil
		})
		return nil
	})
	if err != nil {
		t.Errorf("invariants: %v", err)
	}
	checkModel(t, s)
}

func idOf(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return IDPrefix + hex.EncodeToString(h[:])
}

var words = strings.Fields(`account verify suspended password login urgent invoice payment
	delivery package bank security update confirm click here within hours customer service
	notice mailbox storage limit reached restore access immediately your the and to of`)

// fakeReport builds a report shaped like a real one: a dozen headers with
// several Received lines and a DKIM signature, a hop chain, URLs and
// findings. Content varies with i and r.
func fakeReport(i int, r *rand.Rand) *analysis.Report {
	raw := fmt.Sprintf("message %d %d", i, r.Uint64())
	id := idOf(raw)
	dom := fmt.Sprintf("%s-%d.example", words[r.IntN(len(words))], r.IntN(5000))
	phrase := func(n int) string {
		var b strings.Builder
		for j := range n {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	ip := func() string { return fmt.Sprintf("%d.%d.%d.%d", r.IntN(223)+1, r.IntN(256), r.IntN(256), r.IntN(256)) }
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 9*3600)).Add(time.Duration(r.IntN(1e6)) * time.Second)
	msgID := fmt.Sprintf("%x.%d@%s", r.Uint64(), i, dom)
	rep := &analysis.Report{
		ID: id, AnalyzerVersion: testAnalyzerVersion, Size: 4000 + r.IntN(20000),
		Summary: analysis.Summary{
			From:      analysis.Address{Name: strings.ToUpper(phrase(2)), Address: "no-reply@" + dom},
			To:        []analysis.Address{{Address: fmt.Sprintf("user%d@corp.example", r.IntN(100))}},
			Subject:   phrase(4 + r.IntN(6)),
			Date:      date,
			MessageID: msgID,
		},
	}
	var hops []analysis.Hop
	nh := 2 + r.IntN(4)
	for h := range nh {
		from, by := fmt.Sprintf("mail%d.%s", h, dom), fmt.Sprintf("mx%d.corp.example", h)
		fip := ip()
		rawHop := fmt.Sprintf("from %s (%s [%s]) by %s (Postfix) with ESMTPS id %X for <user@corp.example>; %s",
			from, from, fip, by, r.Uint64(), date.Add(time.Duration(h)*time.Second).Format(time.RFC1123Z))
		hops = append(hops, analysis.Hop{Index: h + 1, FromHelo: from, FromRDNS: from, FromIP: fip, By: by,
			With: "ESMTPS", TLS: "TLSv1.3", ID: fmt.Sprintf("%X", r.Uint64()), Time: date.Add(time.Duration(h) * time.Second), Raw: rawHop, Origin: h == 0})
		rep.Headers = append(rep.Headers, analysis.HeaderField{Key: "Received", Value: rawHop})
	}
	rep.Hops = hops
	sig := make([]byte, 256)
	for j := range sig {
		sig[j] = byte(r.Uint32())
	}
	rep.Headers = append(rep.Headers,
		analysis.HeaderField{Key: "Authentication-Results", Value: fmt.Sprintf("mx.corp.example; spf=softfail smtp.mailfrom=%s; dkim=pass header.d=%s; dmarc=fail header.from=%s", dom, dom, dom)},
		analysis.HeaderField{Key: "DKIM-Signature", Value: fmt.Sprintf("v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s1; h=from:to:subject:date:message-id; bh=%s; b=%s", dom,
			hexOrB64(sig[:32]), hexOrB64(sig))},
		analysis.HeaderField{Key: "From", Value: fmt.Sprintf("%q <%s>", rep.Summary.From.Name, rep.Summary.From.Address)},
		analysis.HeaderField{Key: "To", Value: rep.Summary.To[0].Address},
		analysis.HeaderField{Key: "Subject", Value: rep.Summary.Subject},
		analysis.HeaderField{Key: "Date", Value: date.Format(time.RFC1123Z)},
		analysis.HeaderField{Key: "Message-ID", Value: "<" + msgID + ">"},
		analysis.HeaderField{Key: "MIME-Version", Value: "1.0"},
		analysis.HeaderField{Key: "Content-Type", Value: fmt.Sprintf(`multipart/alternative; boundary="%x"`, r.Uint64())},
		analysis.HeaderField{Key: "X-Mailer", Value: "Microsoft Outlook 16.0"},
	)
	rep.Auth = analysis.Auth{AuthServID: "mx.corp.example", Trusted: true, Results: []analysis.AuthResult{
		{Method: "spf", Result: "softfail", Domain: dom}, {Method: "dkim", Result: "pass", Domain: dom}, {Method: "dmarc", Result: "fail", Domain: dom}},
		DKIMDomains: []string{dom}}
	nu := 2 + r.IntN(10)
	for u := range nu {
		host := fmt.Sprintf("%d-%d-%d-%d.%s", r.IntN(255), r.IntN(255), r.IntN(255), r.IntN(255), []string{"cprapid.com", dom, "bit.ly"}[u%3])
		url := fmt.Sprintf("http://%s/%s/%x?email=user@corp.example", host, words[r.IntN(len(words))], r.Uint64())
		rep.URLs = append(rep.URLs, analysis.URL{Raw: url, URL: url, Source: report.SourceHTMLHref, AnchorText: phrase(3),
			Scheme: "http", Host: host, Domain: []string{"cprapid.com", dom, "bit.ly"}[u%3], Flags: []string{"ip_encoded_host"},
			Defanged: strings.ReplaceAll(strings.Replace(url, "http", "hxxp", 1), ".", "[.]")})
	}
	if r.IntN(4) == 0 {
		rep.Attachments = []analysis.Attachment{{Name: "invoice.html", DeclaredType: "text/html", SniffedType: "text/html", Size: 2048, SHA256: idOf(raw + "att")[7:]}}
	}
	for _, rule := range []string{"sender.brand_domain_mismatch", "url.ip_encoded_host", "auth.dmarc_fail", "text.pressure", "recipient.role_account"}[:1+r.IntN(5)] {
		rep.Findings = append(rep.Findings, analysis.Finding{Rule: rule, Points: 10 + r.IntN(20), Summary: "explanation of " + rule, Evidence: dom})
		rep.Score += 15
	}
	rep.RawScore = rep.Score
	return rep
}

func hexOrB64(b []byte) string {
	var buf bytes.Buffer
	for _, c := range b {
		buf.WriteByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[c&63])
	}
	return buf.String()
}

// fill stores n fake messages and returns them.
func fill(t testing.TB, s *Store, n int, seed uint64) []*analysis.Report {
	t.Helper()
	return fillWith(t, s, n, rand.New(rand.NewPCG(seed, 1)), nil)
}

// fillWith stores n fake messages drawn from r, each given to edit (when
// not nil) before it is stored, and returns them.
func fillWith(t testing.TB, s *Store, n int, r *rand.Rand, edit func(*analysis.Report, *rand.Rand)) []*analysis.Report {
	t.Helper()
	var reps []*analysis.Report
	var batch []Entry
	for i := range n {
		rep := fakeReport(i, r)
		if edit != nil {
			edit(rep, r)
		}
		reps = append(reps, rep)
		batch = append(batch, Entry{Report: rep, Locator: Locator{Path: "/mail/inbox.mbox", Offset: int64(i) * 5000, Length: 5000}})
		if len(batch) == 500 {
			if err := s.PutBatch(batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := s.PutBatch(batch); err != nil {
		t.Fatal(err)
	}
	return reps
}

// testAnalyzerVersion is the version of the default analyzer, as the
// reports of a real scan carry it.
var testAnalyzerVersion = analysis.New(nil).Version()
