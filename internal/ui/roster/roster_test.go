package roster

import (
	"slices"
	"testing"
)

func TestRoster(t *testing.T) {
	r := New()
	ch, stop := r.Watch()
	defer stop()
	leaveA := r.Join("alice")
	leaveA2 := r.Join("alice") // a second session of alice
	leaveB := r.Join("bob")
	<-ch
	if got := r.Names(); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Fatalf("names = %v", got)
	}
	leaveA()
	leaveA() // idempotent
	if got := r.Names(); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Fatalf("after one of alice's sessions left: %v", got)
	}
	leaveA2()
	leaveB()
	if got := r.Names(); len(got) != 0 {
		t.Fatalf("after all left: %v", got)
	}
}
