package campaigns

import (
	"errors"
	"maps"
	"testing"

	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// fakeStore answers CampaignSummaries with the next of its lists (the rest
// of kit.Store is not used by the room).
type fakeStore struct {
	kit.Store
	lists [][]store.CampaignSummary
	err   error
}

func (f *fakeStore) CampaignSummaries(int, map[string]bool) ([]store.CampaignSummary, error) {
	l := f.lists[0]
	f.lists = f.lists[1:]
	return l, f.err
}

func summary(id string, members ...string) store.CampaignSummary {
	return store.CampaignSummary{Campaign: store.Campaign{ID: id, Members: members}}
}

func load(t *testing.T, l *List) Loaded {
	t.Helper()
	cmd := l.Load()
	if cmd == nil {
		t.Fatal("Load: no command for a store with campaigns")
	}
	return cmd().(Loaded)
}

func TestTakeDropsStaleAndKeepsSelection(t *testing.T) {
	f := &fakeStore{lists: [][]store.CampaignSummary{
		{summary("c:old", "m9")},
		{summary("c:a", "m1", "m2", "m3"), summary("c:b", "m4", "m5")},
		// c:b was merged into c:z; c:a is gone.
		{{Campaign: store.Campaign{ID: "c:z", Members: []string{"m4", "m5", "m6"}, Merged: []store.CampaignMerge{{From: "c:b"}}}}, summary("c:q", "m7")},
	}}
	l := New(&kit.Common{Store: f})
	stale := load(t, &l)
	fresh := load(t, &l)
	if refs, ok, err := l.Take(stale); ok || refs != nil || err != nil {
		t.Fatalf("Take(stale) = %v, %v, %v; want dropped", refs, ok, err)
	}
	if !l.Loading() {
		t.Fatal("a stale result ended the newer load")
	}
	refs, ok, err := l.Take(fresh)
	if !ok || err != nil || l.Loading() {
		t.Fatalf("Take(fresh) = ok %v, err %v, loading %v", ok, err, l.Loading())
	}
	want := map[string]store.CampaignRef{"m1": {ID: "c:a", Size: 3}, "m2": {ID: "c:a", Size: 3}, "m3": {ID: "c:a", Size: 3}, "m4": {ID: "c:b", Size: 2}, "m5": {ID: "c:b", Size: 2}}
	if !maps.Equal(refs, want) {
		t.Fatalf("refs = %v, want %v", refs, want)
	}
	if n, grouped := l.Counts(); n != 2 || grouped != 5 {
		t.Fatalf("Counts = %d, %d; want 2, 5", n, grouped)
	}
	l.Move(1)
	if _, ok, _ := l.Take(load(t, &l)); !ok {
		t.Fatal("reload dropped")
	}
	if c, _ := l.Selected(); c.ID != "c:z" {
		t.Fatalf("after c:b merged into c:z, selected %s", c.ID)
	}
}

func TestSelectOnLoadAndError(t *testing.T) {
	f := &fakeStore{lists: [][]store.CampaignSummary{{summary("c:a", "m1"), summary("c:b", "m2")}, nil}}
	l := New(&kit.Common{Store: f})
	l.SelectOnLoad("c:b")
	l.Take(load(t, &l))
	if c, _ := l.Selected(); c.ID != "c:b" {
		t.Fatalf("SelectOnLoad(c:b): selected %s", c.ID)
	}
	f.err = errors.New("disk gone")
	if _, ok, err := l.Take(load(t, &l)); !ok || err == nil || l.Loading() {
		t.Fatalf("failed load: ok %v, err %v, loading %v", ok, err, l.Loading())
	}
	if c, ok := l.Selected(); !ok || c.ID != "c:b" {
		t.Fatal("a failed load lost the list")
	}
	if (&List{c: &kit.Common{}}).Load() != nil {
		t.Fatal("Load without a campaign store returned a command")
	}
}
