package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/store/internal/codec"
)

// Many identical copies of one message: the locator set stops growing at
// MaxLocators and the further copies are counted, so each copy costs the
// same (it used to decode and re-encode a set of every earlier copy).
func TestLocatorSetIsCapped(t *testing.T) {
	s := openTestStore(t)
	rep := fakeReport(1, rand.New(rand.NewPCG(4, 4)))
	const copies = 4000
	start := time.Now()
	for b := 0; b < copies; b += 500 {
		var batch []Entry
		for i := b; i < b+500; i++ {
			batch = append(batch, Entry{Report: rep, Locator: Locator{Path: "/dup.mbox", Offset: int64(1 + 100*i), Length: 90}})
		}
		if err := s.PutBatch(batch); err != nil {
			t.Fatal(err)
		}
	}
	locs, err := s.Locators(rep.ID)
	if err != nil || len(locs) != MaxLocators || locs[0].Offset != 1 || locs[MaxLocators-1].Offset != 1+100*(MaxLocators-1) {
		t.Fatalf("Locators: %d kept (first %+v), %v; want the first %d", len(locs), locs[:1], err, MaxLocators)
	}
	more, err := s.MoreLocators(rep.ID)
	if err != nil || more != copies-MaxLocators {
		t.Errorf("MoreLocators = %d, %v; want %d", more, err, copies-MaxLocators)
	}
	// A kept place seen again changes nothing; a maildir rename of a kept
	// place still replaces it.
	if err := s.PutBatch([]Entry{{Report: rep, Locator: locs[3]}}); err != nil {
		t.Fatal(err)
	}
	if more2, _ := s.MoreLocators(rep.ID); more2 != more {
		t.Errorf("a kept locator seen again counted: %d → %d", more, more2)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("%d copies took %v", copies, el) // backstop only; the counts above are the test
	}

	// The export lists the kept places and the count of the others.
	var out bytes.Buffer
	if _, err := s.Export(&out, ExportOptions{All: true, Format: "jsonl", AnalyzerVersion: testAnalyzerVersion, Now: time.Now}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var m ExportMessage
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Locators) != MaxLocators || m.MoreLocators != copies-MaxLocators {
		t.Errorf("export: %d locators, more_locators %d", len(m.Locators), m.MoreLocators)
	}
}

func TestLocatorSetCodec(t *testing.T) {
	for _, set := range []codec.LocatorSet{
		{},
		{Locs: []Locator{{Path: "/a", Offset: 5, Length: 9}, {Path: "/m", File: "cur/x:2,S", Flags: "S", Folder: "Work"}}},
		{Locs: []Locator{{Path: "/a", Offset: 5, Length: 9}}, More: 1 << 40},
	} {
		enc := codec.AppendLocators(nil, set)
		if want := byte(codec.LocFormat); set.More > 0 {
			want = codec.LocFormatMore
			if enc[0] != want {
				t.Errorf("format %d, want %d", enc[0], want)
			}
		} else if enc[0] != want {
			t.Errorf("format %d, want %d (readable by earlier versions)", enc[0], want)
		}
		got, err := codec.DecodeLocators(enc)
		if err != nil || got.More != set.More || len(got.Locs) != len(set.Locs) {
			t.Errorf("decode(%+v) = %+v, %v", set, got, err)
		}
		for i := range set.Locs {
			if got.Locs[i] != set.Locs[i] {
				t.Errorf("locator %d = %+v, want %+v", i, got.Locs[i], set.Locs[i])
			}
		}
	}
	for _, bad := range [][]byte{{codec.LocFormatMore}, {codec.LocFormatMore, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0}, {3, 0}} {
		if _, err := codec.DecodeLocators(bad); err == nil {
			t.Errorf("decoded corrupt %x", bad)
		}
	}
}
