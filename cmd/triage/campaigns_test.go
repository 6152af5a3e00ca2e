package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// waveMessage is one message of a phishing wave: the same template with
// another recipient and tracking number.
func waveMessage(n int) string {
	return fmt.Sprintf(`From wave@localhost Mon Jan  5 10:00:00 2026
From: "Parcel Service" <notice@parcel-track.example>
To: user%d@corp.example
Subject: Your parcel TRK%06d is waiting, user%d@corp.example
Date: Mon, 5 Jan 2026 10:%02d:00 +0000
Message-ID: <wave%d@parcel-track.example>
Content-Type: text/plain; charset=utf-8

Dear customer, your parcel TRK%06d could not be delivered because the
customs fee was not paid. Pay the fee within 24 hours at
https://parcel-fee.example/pay/%d or the parcel returns to the sender.
Thank you for choosing our delivery service, we hope to see you again.

`, n, 100000+n, n, n, n, 100000+n, 7000+n)
}

const otherMessage = "From other@localhost Mon Jan  5 10:00:00 2026\n" +
	"From: Bob <bob@corp.example>\nTo: alice@corp.example\nSubject: Lunch \x1b[31mtomorrow\nDate: Mon, 5 Jan 2026 12:00:00 +0000\n" +
	"Message-ID: <lunch@corp.example>\n\nShall we meet at noon?\n\n"

// waveMailbox writes a mailbox of a wave of three and one other message
// to a new folder and returns it with a store path beside it.
func waveMailbox(t *testing.T) (db, mbox string) {
	t.Helper()
	dir := t.TempDir()
	db, mbox = filepath.Join(dir, "t.db"), filepath.Join(dir, "in.mbox")
	testutil.WriteFile(t, mbox, []byte(waveMessage(1)+waveMessage(2)+waveMessage(3)+otherMessage))
	return db, mbox
}

// waveCampaign stores the wave mailbox and returns the store and the
// wave's campaign ID, as `triage campaigns --min-size 2` lists it.
func waveCampaign(t *testing.T) (db, id string) {
	t.Helper()
	db, mbox := waveMailbox(t)
	out, _, err := triage(t, "", "campaigns", "--db", db, "--jsonl", "--min-size", "2", mbox)
	if err != nil {
		t.Fatal(err)
	}
	lines := decodeLines(t, out)
	if len(lines) != 1 {
		t.Fatalf("want 1 campaign of size ≥ 2:\n%s", out)
	}
	return db, lines[0]["id"].(string)
}

func TestCampaignsCommand(t *testing.T) {
	db, mbox := waveMailbox(t)
	out, _, err := triage(t, "", "campaigns", "--db", db, "--jsonl", mbox)
	if err != nil {
		t.Fatal(err)
	}
	lines := decodeLines(t, out)
	if len(lines) != 2 {
		t.Fatalf("want 2 campaigns, got %d:\n%s", len(lines), out)
	}
	wave := lines[0]
	id, _ := wave["id"].(string)
	if !strings.HasPrefix(id, "c:") || wave["size"] != 3.0 || len(wave["members"].([]any)) != 3 ||
		wave["labels"].(map[string]any)[""] != 3.0 || wave["first"] != "2026-01-05T10:01:00Z" || wave["last"] != "2026-01-05T10:03:00Z" {
		t.Errorf("wave campaign: %v", wave)
	}
	var rec struct {
		Indicators map[string][]struct {
			Value string
			Count int
		}
	}
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if ld := rec.Indicators["link_domains"]; len(ld) != 1 || ld[0].Value != "parcel-fee.example" || ld[0].Count != 3 {
		t.Errorf("link_domains %v", ld)
	}
	for _, k := range []string{"sender_domains", "link_domains", "origin_ips", "attachment_sha256"} {
		if _, ok := rec.Indicators[k]; !ok {
			t.Errorf("indicators lack %s", k)
		}
	}

	// Appending to the mailbox: the new message joins the campaign, whose
	// ID survives the store being opened again.
	testutil.AppendFile(t, mbox, []byte(waveMessage(4)))
	out, _, err = triage(t, "", "campaigns", "--db", db, "--min-size", "2", mbox)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, id+" ") || !strings.Contains(out, "     4  max") || strings.Count(out, "\n") != 1 {
		t.Errorf("after append:\n%s", out)
	}
	// The table is sanitised: the other message's escape is shown, not sent.
	out, _, _ = triage(t, "", "campaigns", "--db", db)
	if strings.Contains(out, "\x1b") || !strings.Contains(out, "Lunch") {
		t.Errorf("table not sanitised:\n%q", out)
	}

	out, _, err = triage(t, "", "label", "--db", db, "--analyst", "alice", id, "phish")
	if err != nil || !strings.Contains(out, "4 of 4 messages → phish") {
		t.Fatalf("label campaign: %v %q", err, out)
	}
	if _, _, err := triage(t, "", "label", "--db", db, "c:ffffffffff", "phish"); exitCode(err) != 1 {
		t.Errorf("unknown campaign: %v", err)
	}
	out, _, err = triage(t, "", "export", "--db", db, "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	msgs := decodeLines(t, out)[1:]
	if len(msgs) != 4 {
		t.Fatalf("export has %d labeled messages", len(msgs))
	}
	for _, m := range msgs {
		c, _ := m["campaign"].(map[string]any)
		if c["id"] != id || c["size"] != 4.0 || m["label"] != "phish" {
			t.Errorf("exported %v label %v", c, m["label"])
		}
	}
}

// With a workbench holding the store, `label c:ID` goes through its
// socket: one transaction in the holder, which announces every member.
func TestLabelCampaignThroughHolder(t *testing.T) {
	db, id := waveCampaign(t)
	st := holdStore(t, db, true)
	ch, cancel := st.Subscribe()
	defer cancel()
	out, _, err := triage(t, "", "label", "--db", db, "--analyst", "carol", id, "phish")
	if err != nil || !strings.Contains(out, id+": 3 of 3 messages → phish (by carol)") {
		t.Fatalf("label through the holder: %v %q", err, out)
	}
	if len(ch) != 3 {
		t.Errorf("holder announced %d changes, want 3", len(ch))
	}
	if _, _, err := triage(t, "", "label", "--db", db, "c:0000000000", "phish"); exitCode(err) != 1 {
		t.Errorf("unknown campaign through the holder: %v", err)
	}
}
