package store

import (
	"errors"
	"slices"
	"testing"

	"github.com/triage-tools/triage/store/internal/uistate"
)

func TestSetLabelIfUndoOnlyOwnChange(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 2, 7)
	id := reps[0].ID
	bob := Actor{Name: "bob", Source: "ssh"}
	if _, err := s.SetLabel(id, "phish", alice); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetLabel(id, "spam", bob); err != nil {
		t.Fatal(err)
	}
	// alice's undo expects her "phish": bob's later "spam" must stay.
	cur, err := s.SetLabelIf(id, "", "phish", alice)
	if !errors.Is(err, ErrLabelChanged) || cur.Label != "spam" || cur.Actor.Name != "bob" {
		t.Fatalf("SetLabelIf after colleague = %+v, %v", cur, err)
	}
	if l, _, _ := s.Label(id); l != "spam" {
		t.Fatalf("label = %q, want bob's spam kept", l)
	}
	// bob sets it back to alice's label: still not alice's change to undo.
	if _, err := s.SetLabel(id, "phish", bob); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetLabelIf(id, "", "phish", alice); !errors.Is(err, ErrLabelChanged) {
		t.Fatalf("undo of bob's equal label: err = %v", err)
	}
	// Her own change, still current, is undone.
	id2 := reps[1].ID
	if _, err := s.SetLabel(id2, "benign", alice); err != nil {
		t.Fatal(err)
	}
	ch, cancel := s.Subscribe()
	defer cancel()
	ev, err := s.SetLabelIf(id2, "", "benign", alice)
	if err != nil || ev.Previous != "benign" || ev.Label != "" {
		t.Fatalf("own undo = %+v, %v", ev, err)
	}
	if c := <-ch; c.ID != id2 || c.Label != "" {
		t.Errorf("change = %+v", c)
	}
	if l, hist, _ := s.Label(id2); l != "" || len(hist) != 2 {
		t.Errorf("after undo: label %q, %d events", l, len(hist))
	}
	if _, err := s.SetLabelIf(id2, "nonsense", "", alice); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("unknown label err = %v", err)
	}
}

func TestUIState(t *testing.T) {
	s := openTestStore(t)
	if _, ok, err := s.UIState("filters/alice/monday"); ok || err != nil {
		t.Fatalf("missing key: ok=%v err=%v", ok, err)
	}
	for _, k := range []string{"filters/alice/monday", "filters/alice/tue", "filters/bob/x", "view/alice"} {
		if err := s.PutUIState(k, []byte("v:"+k)); err != nil {
			t.Fatal(err)
		}
	}
	v, ok, err := s.UIState("filters/alice/monday")
	if !ok || err != nil || string(v) != "v:filters/alice/monday" {
		t.Fatalf("UIState = %q %v %v", v, ok, err)
	}
	keys, err := s.UIStateKeys("filters/alice/", 0)
	if err != nil || !slices.Equal(keys, []string{"filters/alice/monday", "filters/alice/tue"}) {
		t.Fatalf("keys = %q, %v", keys, err)
	}
	if err := s.PutUIState("filters/alice/tue", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.UIState("filters/alice/tue"); ok {
		t.Error("deleted key still there")
	}
	if err := s.PutUIState("", []byte("x")); err == nil {
		t.Error("empty key accepted")
	}
	if err := s.PutUIState("big", make([]byte, uistate.MaxValue+1)); err == nil {
		t.Error("oversized value accepted")
	}
	// The schema version is not reachable through UI state.
	if keys, _ := s.UIStateKeys("", 0); slices.Contains(keys, "schema") {
		t.Error("schema key leaked")
	}
}
