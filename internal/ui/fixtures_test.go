package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

// The fixture messages are real: testdata/msgs holds five messages of the
// demo mailbox (hostile.eml is the demo's terminal-injection message with a
// C1 control added to the subject and an RLO-named executable attached),
// and fixture runs the real analyzer on them. Their IDs are the SHA-256 of
// the files, as in the store.
var (
	idKagoya  = fixtureID("kagoya")
	idHostile = fixtureID("hostile")
	idNews    = fixtureID("news")
	idInvoice = fixtureID("invoice")
	idCJK     = fixtureID("cjk")
)

var fixtureNames = []string{"news", "kagoya", "cjk", "hostile", "invoice"}

func readFixture(name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "msgs", name+".eml"))
	if err != nil {
		panic(err) // the testdata is part of the package
	}
	return b
}

func fixtureID(name string) string {
	sum := sha256.Sum256(readFixture(name))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// fixture analyses the fixture messages and returns their rows (in file
// order, not sorted), reports and raw bytes by ID.
func fixture() ([]store.Row, map[string]*analysis.Report, map[string][]byte) {
	reports := map[string]*analysis.Report{}
	raw := map[string][]byte{}
	var rows []store.Row
	for _, name := range fixtureNames {
		b := readFixture(name)
		r := analysis.Analyze(b, nil)
		reports[r.ID], raw[r.ID] = r, b
		rows = append(rows, store.RowFromReport(r))
	}
	return rows, reports, raw
}

// bigRows fabricates n rows for benchmarks.
func bigRows(n int) []store.Row {
	rows := make([]store.Row, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rules := []string{"url.ip_encoded_host", "sender.brand_domain_mismatch", "auth.dmarc_fail", "text.pressure"}
	for i := range rows {
		rows[i] = store.Row{
			ID:       fmt.Sprintf("sha256:%064x", i),
			Score:    (i * 37) % 101,
			Date:     t0.Add(time.Duration(i) * time.Minute),
			FromName: fmt.Sprintf("Sender %d", i%5000),
			FromAddr: fmt.Sprintf("user%d@domain%d.example", i%5000, i%700),
			Subject:  fmt.Sprintf("Message number %d about invoice %x", i, i*7919),
			Domains:  []string{fmt.Sprintf("domain%d.example", i%700)},
			Hosts:    []string{fmt.Sprintf("www.host%d.example", i%900)},
			Rules:    rules[:i%len(rules)],
		}
	}
	return rows
}

func progressEvent(done, total int, rows []store.Row, finished ...bool) ingest.Event {
	return ingest.Event{Source: "test.mbox", Done: done, Total: total, Rate: 1234.5, Rows: rows, Finished: len(finished) > 0 && finished[0]}
}
