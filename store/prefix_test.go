package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
)

func TestIDsWithPrefix(t *testing.T) {
	s := openTestStore(t)
	var ids []string
	var entries []Entry
	for _, h := range []string{"abc0", "abc1", "abcf", "abd0", "ab00", "0000"} {
		id := IDPrefix + h + strings.Repeat("9", 60)
		ids = append(ids, id)
		entries = append(entries, Entry{Report: &analysis.Report{ID: id, AnalyzerVersion: "1"}})
	}
	if err := s.PutBatch(entries); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		prefix string
		limit  int
		want   []string
	}{
		{"abc", 0, ids[0:3]}, // odd length: a nibble
		{"abc", 2, ids[0:2]}, // bounded
		{"ab", 0, []string{ids[4], ids[0], ids[1], ids[2], ids[3]}},
		{"abd", 0, ids[3:4]},
		{"abcf", 0, ids[2:3]}, // even length
		{"abce", 0, nil},
		{"f", 0, nil},
		{"0", 0, ids[5:6]},
		{strings.TrimPrefix(ids[1], IDPrefix), 0, ids[1:2]},
	} {
		got, err := s.IDsWithPrefix(tc.prefix, tc.limit)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("IDsWithPrefix(%q, %d) = %q, %v; want %q", tc.prefix, tc.limit, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "ABC", "abg", strings.Repeat("a", 65)} {
		if _, err := s.IDsWithPrefix(bad, 0); err == nil {
			t.Errorf("IDsWithPrefix(%q) accepted", bad)
		}
	}
}
