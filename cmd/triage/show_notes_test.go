package main

import (
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// A note edited by a second analyst keeps the first author's text, shown
// in `show` under the first author's name.
func TestShowNoteHistoryKeepsAuthors(t *testing.T) {
	db, id := seededDB(t)
	st, err := store.Open(db, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.AddNote(id, "alice's first finding", store.Actor{Name: "alice", Source: "tui"})
	if err == nil {
		_, err = st.EditNote(id, n.ID, "bob's rewrite", store.Actor{Name: "bob", Source: "ssh"})
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	text, _, err := triage(t, "", "show", "--db", db, id)
	if err != nil {
		t.Fatal(err)
	}
	notes := text[strings.Index(text, "\nNotes\n"):]
	testutil.TextHas(t, "show", notes, "bob:\n    bob's rewrite", "by alice:\n      alice's first finding")
}
