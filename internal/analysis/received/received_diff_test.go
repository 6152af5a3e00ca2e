package received

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/internal/testutil"
)

// TestReceivedDifferential records what the Received parser makes of every
// Received header of the shared corpus, for comparing two versions of the
// parser (a refactoring must not change a byte). It runs only when asked:
//
//	TRIAGE_RCV_DIFF_OUT=/tmp/rcv-after.jsonl    write the records here
//	TRIAGE_RCV_DIFF_BASE=/tmp/rcv-before.jsonl  and compare with these
//	TRIAGE_RCV_DIFF_MBOX=a.mbox:b.mbox          more mailboxes to read
//	TRIAGE_RCV_DIFF_FUZZ=dir:dir                fuzz corpus folders ("go
//	                                            test fuzz v1" files) whose
//	                                            strings are parsed as well
//
// Each line is one JSON record: a Received value with its parse (the Hop
// plus the parser's private results), a message's hop chain built with
// and without trust configuration, or a Date header and its parsed time.
func TestReceivedDifferential(t *testing.T) {
	out := testutil.Getenv(t, "TRIAGE_RCV_DIFF_OUT", "FILE.jsonl")
	root := devdata.Dir(t, "corpus")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	d := tDiff{t: t, w: w}

	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".json":
			d.vectors(path)
		case ".csv", ".md", ".txt", ".py", ".sh":
		default:
			d.mailbox(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range filepath.SplitList(os.Getenv("TRIAGE_RCV_DIFF_MBOX")) {
		if p != "" {
			d.mailbox(p)
		}
	}
	for _, dir := range filepath.SplitList(os.Getenv("TRIAGE_RCV_DIFF_FUZZ")) {
		if dir != "" {
			d.fuzzDir(dir)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d messages, %d Received values, %d Date values, %d other strings written to %s",
		d.msgs, d.rcvd, d.dates, d.other, out)
	if base := os.Getenv("TRIAGE_RCV_DIFF_BASE"); base != "" {
		tCompareFiles(t, base, out)
	}
}

type tDiff struct {
	t                        *testing.T
	w                        *bufio.Writer
	msgs, rcvd, dates, other int
}

// tRecord is one line of the differential output.
type tRecord struct {
	Kind     string       `json:"k"`
	Source   string       `json:"src,omitempty"`
	Value    string       `json:"v,omitempty"`
	Hop      *report.Hop  `json:"hop,omitempty"`
	FromName string       `json:"from_name,omitempty"`
	Ident    string       `json:"ident,omitempty"`
	Via      string       `json:"via,omitempty"`
	Zone     string       `json:"zone,omitempty"`
	Hops     []report.Hop `json:"hops,omitempty"`
	Trusted  []report.Hop `json:"hops_trusted,omitempty"`
	Time     string       `json:"time,omitempty"`
	OK       bool         `json:"ok,omitempty"`
}

func (d *tDiff) write(r tRecord) {
	b, err := json.Marshal(r)
	if err != nil {
		d.t.Fatal(err)
	}
	d.w.Write(b)
	d.w.WriteByte('\n')
}

func tZone(t time.Time) string {
	name, off := t.Zone()
	return name + " " + strconv.Itoa(off) + " " + t.Location().String()
}

// received writes the parse of one Received value.
func (d *tDiff) received(src, v string) {
	r := parseReceived(v)
	h := r.hop
	d.write(tRecord{Kind: "rcv", Source: src, Hop: &h, FromName: r.fromName, Ident: r.ident,
		Via: r.via, Zone: tZone(h.Time)})
	if !tSameHop(h, ParseReceived(v)) {
		d.t.Errorf("%s: ParseReceived differs from parseReceived", src)
	}
}

func tSameHop(a, b report.Hop) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

var (
	tTrustedHosts = []string{"example.com", "gmail.com", "outlook.com"}
	tTrustedNets  = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
)

// message writes the Received values of one raw message, its hop chains
// and its Date header.
func (d *tDiff) message(src string, raw []byte) {
	d.msgs++
	p := message.Parse(raw, message.DefaultLimits())
	for i, h := range p.Headers {
		switch {
		case strings.EqualFold(h.Key, "Received"):
			d.rcvd++
			d.received(src+"#"+strconv.Itoa(i), h.Value)
		case strings.EqualFold(h.Key, "Date"):
			d.dates++
			tm, ok := date.ParseHeader(h.Value)
			d.write(tRecord{Kind: "date", Source: src, Value: h.Value, Time: tm.Format(time.RFC3339Nano),
				Zone: tZone(tm), OK: ok})
		}
	}
	hops := BuildHops(p.Headers, p.Summary.Date, nil, nil)
	if len(hops) == 0 {
		return
	}
	trusted := BuildHops(p.Headers, time.Time{}, tTrustedHosts, tTrustedNets)
	d.write(tRecord{Kind: "hops", Source: src, Hops: hops, Trusted: trusted})
}

// mailbox reads every message of the mailbox or message file at path.
func (d *tDiff) mailbox(path string) {
	rd, err := mailbox.Open(path)
	if err != nil {
		// Not recognised as a mailbox (e.g. a maildir file starting with
		// a continuation line): parse it as one message anyway.
		raw, err := os.ReadFile(path)
		if err != nil {
			d.t.Fatal(err)
		}
		d.message(path, raw)
		return
	}
	defer rd.Close()
	n := 0
	for m, err := range mailbox.All(rd) {
		if err != nil {
			d.t.Logf("%s: %v", path, err)
			return
		}
		d.message(path+":"+strconv.Itoa(n), m.Raw)
		n++
	}
}

// vectors parses every string of a JSON file as a Received value and as a
// date: the received-vectors hold headers under several key names.
func (d *tDiff) vectors(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		d.t.Fatal(err)
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			n++
			d.str(path+":"+strconv.Itoa(n), v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(v[k])
			}
		}
	}
	walk(v)
}

// str parses s as a Received value, as a Date value and as a date with
// and without a time of day required.
func (d *tDiff) str(src, s string) {
	d.other++
	d.received(src, s)
	tm, ok := date.ParseHeader(s)
	d.write(tRecord{Kind: "date", Source: src, Time: tm.Format(time.RFC3339Nano), Zone: tZone(tm), OK: ok})
	for _, need := range []bool{false, true} {
		tm, end, ok := date.Parse(s, need)
		d.write(tRecord{Kind: "pdate", Source: src, Value: strconv.Itoa(end), Time: tm.Format(time.RFC3339Nano),
			Zone: tZone(tm), OK: ok})
	}
	hops := BuildHops([]report.HeaderField{{Key: "Received", Value: s}, {Key: "Received", Value: s}}, time.Time{}, nil, nil)
	d.write(tRecord{Kind: "hops", Source: src, Hops: hops})
}

// fuzzDir parses the string inputs of a fuzz corpus folder.
func (d *tDiff) fuzzDir(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			d.t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "string(") || !strings.HasSuffix(line, ")") {
				continue
			}
			s, err := strconv.Unquote(line[len("string(") : len(line)-1])
			if err != nil {
				continue
			}
			d.str(e.Name()+":"+strconv.Itoa(i), s)
		}
	}
}

// tCompareFiles fails when the two JSON-lines files differ, showing the
// first differing records.
func tCompareFiles(t *testing.T, base, out string) {
	a := testutil.ReadFile(t, base)
	b := testutil.ReadFile(t, out)
	if bytes.Equal(a, b) {
		t.Logf("identical to %s (%d records)", base, bytes.Count(a, []byte{'\n'}))
		return
	}
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		t.Errorf("%d records in %s, %d now", len(la)-1, base, len(lb)-1)
	}
	diffs := 0
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			if diffs++; diffs <= 10 {
				t.Errorf("record %d differs:\n- %s\n+ %s", i+1, la[i], lb[i])
			}
		}
	}
	t.Errorf("%d differing records", diffs)
}

// TestReceivedFlagSetsShared checks that the shared flag slices cannot be
// changed through an append by one caller (see flagSets).
func TestReceivedFlagSetsShared(t *testing.T) {
	for _, a := range flagSets {
		for _, b := range a {
			for _, c := range b {
				for _, d := range c {
					for _, fl := range d {
						if cap(fl) != len(fl) {
							t.Fatalf("flag set %v has spare capacity %d", fl, cap(fl))
						}
					}
				}
			}
		}
	}
	v := "from localhost ([10.0.0.1]) by mx.example.com; Mon, 1 Jan 2024 00:00:00 +0000"
	h1, h2 := ParseReceived(v), ParseReceived(v)
	want := slices.Clone(h2.Flags)
	h1.Flags = append(h1.Flags, "x")
	if !slices.Equal(h2.Flags, want) || !slices.Equal(ParseReceived(v).Flags, want) {
		t.Fatalf("append to one hop's flags changed another's: %v", h2.Flags)
	}
	if len(want) == 0 {
		t.Fatal("test value has no flags")
	}
}
