package locator

import (
	"encoding/json"
	"testing"
)

func TestLocatorJSON(t *testing.T) {
	for _, tc := range []struct {
		loc  Locator
		want string
	}{
		{Locator{Path: "a.mbox", Offset: 40, Length: 100}, `{"path":"a.mbox","offset":40,"length":100}`},
		{Locator{Path: "a.mbox", Offset: 40}, `{"path":"a.mbox","offset":40,"length":0}`},
		{Locator{Path: "Maildir", File: "cur/x:2,S", Flags: "S", Folder: "Work"}, `{"path":"Maildir","file":"cur/x:2,S","flags":"S","folder":"Work"}`},
		{Locator{Path: "big.eml", Length: 64}, `{"path":"big.eml","length":64}`},
		{Locator{Path: "one.eml"}, `{"path":"one.eml"}`},
	} {
		b, err := json.Marshal(tc.loc)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tc.loc, b, err, tc.want)
		}
		var back Locator
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back != tc.loc {
			t.Errorf("round trip: %+v, want %+v", back, tc.loc)
		}
	}
}
