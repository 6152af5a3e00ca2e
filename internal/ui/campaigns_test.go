package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// waveMail is message n of a wave built from template t: the same text
// with another recipient, tracking number and link.
func waveMail(t, n int) string {
	tpl := []struct{ from, subject, body, link string }{
		{"Parcel Service <notice@parcel-track.example>", "Your parcel TRK%06d is waiting",
			"Dear customer, your parcel could not be delivered because the customs fee was not paid. Pay the fee within 24 hours or the parcel returns to the sender. Thank you for choosing our delivery service.",
			"https://parcel-fee.example/pay/%d"},
		{"Secure Bank <alerts@secure-bank.example>", "Account %06d suspended: verify now",
			"We detected unusual sign-in activity on your online banking account. To restore access, confirm your identity and card details today. Failure to verify will result in permanent closure of the account.",
			"http://198.51.100.7/login/verify.php?id=%d"},
	}[t]
	return fmt.Sprintf("From: %s\r\nTo: user%d@corp.example\r\nSubject: "+tpl.subject+"\r\nDate: Mon, 5 Jan 2026 %02d:%02d:00 +0000\r\n"+
		"Message-ID: <w%d.%d@mail.example>\r\nReceived: from mail%d.sender.example ([203.0.113.%d]) by mx.corp.example; Mon, 5 Jan 2026 10:00:00 +0000\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"+tpl.link+"\r\n",
		tpl.from, n, 100000+n, 9+t, n, t, n, t, 10+n, tpl.body, 7000+n)
}

// campaignStore is a real store holding a parcel wave of 5, a bank wave
// of 3 and two unrelated messages, analysed as a scan would.
func campaignStore(t *testing.T) (*store.Store, []string) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var raws []string
	for n := 1; n <= 5; n++ {
		raws = append(raws, waveMail(0, n))
	}
	for n := 1; n <= 3; n++ {
		raws = append(raws, waveMail(1, n))
	}
	raws = append(raws,
		"From: Bob <bob@corp.example>\r\nTo: alice@corp.example\r\nSubject: Lunch tomorrow\r\nDate: Tue, 6 Jan 2026 12:00:00 +0000\r\n\r\nShall we meet at noon?\r\n",
		"From: IT <it@corp.example>\r\nTo: alice@corp.example\r\nSubject: Printer on floor 3 fixed\r\nDate: Tue, 6 Jan 2026 13:00:00 +0000\r\n\r\nThe printer works again.\r\n")
	an := analysis.New(analysis.DefaultConfig())
	var entries []store.Entry
	var ids []string
	for i, raw := range raws {
		rep := an.Analyze([]byte(raw))
		ids = append(ids, rep.ID)
		entries = append(entries, store.Entry{Report: rep, Locator: store.Locator{Path: "/mail/t.mbox", Offset: int64(i) * 1000, Length: int64(len(raw))}})
	}
	if err := st.PutBatch(entries); err != nil {
		t.Fatal(err)
	}
	return st, ids
}

func campaignHarness(t *testing.T, st *store.Store, name string, w, h int) *harness {
	t.Helper()
	hs := &harness{t: t, m: New(Options{Store: st, Actor: store.Actor{Name: name, Source: "tui"}, Title: "waves", Location: time.UTC, NoSubscribe: true})}
	hs.run(hs.m.Init())
	hs.send(windowSize(w, h))
	return hs
}

func TestCampaignGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		st, _ := campaignStore(t)
		h := campaignHarness(t, st, "alice", sz.w, sz.h)
		h.keys("C")
		s := h.screen()
		checkScreen(t, s, sz.w, sz.h)
		golden(t, fmt.Sprintf("campaigns_%dx%d", sz.w, sz.h), s)
		h.keys("j")
		s = h.screen()
		checkScreen(t, s, sz.w, sz.h)
		golden(t, fmt.Sprintf("campaign_pane_%dx%d", sz.w, sz.h), s)
	}
}

func TestCampaignRowsAndPane(t *testing.T) {
	st, _ := campaignStore(t)
	h := campaignHarness(t, st, "alice", 160, 48)
	h.keys("C")
	s := h.screen()
	testutil.TextHas(t, "campaign screen", s, "4 campaigns · 8 messages in campaigns of 2 or more", "unlabeled 5 · Your parcel TRK",
		"Campaign c:", "5 messages", "parcel-fee[.]example", "Link domains", "Origin networks", "203.0.113.0/24")
	if strings.Contains(s, "parcel-fee.example") {
		t.Error("a link domain is shown live, not defanged")
	}
	// Enter lists the members.
	c, _ := h.m.camps.Selected()
	h.keys("enter")
	if h.m.camps.on || h.m.list.Filter() != "campaign:"+c.ID {
		t.Fatalf("enter: campaign mode %v, filter %q", h.m.camps.on, h.m.list.Filter())
	}
	if _, shown, _ := h.m.list.Counts(); shown != 5 {
		t.Errorf("members listed: %d, want 5", shown)
	}
	// The summary pane names the campaign; J jumps to it.
	h.keys("j", "enter")
	if s := h.screen(); !strings.Contains(s, "campaign "+c.ID+" · 5 messages · J shows it") {
		t.Errorf("summary lacks the campaign:\n%s", s)
	}
	h.keys("esc", "esc", "G", "J") // another message of the wave, after clearing the filter
	if !h.m.camps.on {
		t.Fatal("J did not show the campaign")
	}
	if sel, _ := h.m.camps.Selected(); sel.ID != c.ID {
		// G selected the last message by score: any member of a campaign
		// jumps to its own campaign.
		r, _ := h.m.list.Selected()
		if r.Campaign.ID != sel.ID {
			t.Errorf("J selected %s, the message is in %s", sel.ID, r.Campaign.ID)
		}
	}
}

func TestCampaignLabelOneTransactionAndUndo(t *testing.T) {
	st, ids := campaignStore(t)
	bob := store.Actor{Name: "bob", Source: "tui"}
	if _, err := st.SetLabel(ids[0], "spam", bob); err != nil {
		t.Fatal(err)
	}
	h := campaignHarness(t, st, "alice", 160, 48)
	h.keys("C")
	if c, _ := h.m.camps.Selected(); c.Size() != 5 {
		t.Fatalf("first campaign has %d messages", c.Size())
	}
	h.keys("p")
	if h.m.confirm == nil || !strings.Contains(h.m.confirm.prompt, "label all 5 messages phish (1 have a label)? y: all · n: only the 4 unlabeled") {
		t.Fatalf("no confirmation naming the counts: %+v", h.m.confirm)
	}
	h.keys("n")
	labels, _ := st.Labels()
	var at time.Time
	for _, id := range ids[1:5] {
		if labels[id] != "phish" {
			t.Errorf("%s: %q, want phish", id, labels[id])
		}
		_, hist, _ := st.Label(id)
		if ev := hist[len(hist)-1]; at.IsZero() {
			at = ev.Time
		} else if !ev.Time.Equal(at) {
			t.Errorf("member labels at %v and %v: not one transaction", at, ev.Time)
		}
	}
	if labels[ids[0]] != "spam" {
		t.Errorf("bob's label replaced: %q", labels[ids[0]])
	}
	if s := h.screen(); !strings.Contains(s, "phish 4 · spam 1") {
		t.Errorf("label mix not refreshed:\n%s", s)
	}
	// Bob changes one member; alice's undo reverts the other three only.
	if _, err := st.SetLabel(ids[4], "bec", bob); err != nil {
		t.Fatal(err)
	}
	h.keys("u")
	labels, _ = st.Labels()
	if len(labels) != 2 || labels[ids[0]] != "spam" || labels[ids[4]] != "bec" {
		t.Errorf("after undo: %v", labels)
	}
	if !strings.Contains(h.m.flash, "undone: 3 message(s) restored; not undone: bob changed the label since (now bec)") {
		t.Errorf("undo flash %q", h.m.flash)
	}
	// y relabels every member, the labeled ones too.
	h.keys("p", "y")
	labels, _ = st.Labels()
	for _, id := range ids[:5] {
		if labels[id] != "phish" {
			t.Errorf("after y: %s is %q", id, labels[id])
		}
	}
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// refsCountingStore is a real store that counts the reads of every
// message's campaign.
type refsCountingStore struct {
	*store.Store
	reads, ofReads int
}

func (s *refsCountingStore) CampaignOf(id string) (store.CampaignRef, error) {
	s.ofReads++
	return s.Store.CampaignOf(id)
}

func (s *refsCountingStore) CampaignRefs() (map[string]store.CampaignRef, error) {
	s.reads++
	return s.Store.CampaignRefs()
}

// TestLoadRowsWithCampaigns checks that the list loads the rows of a store
// with their campaigns in one read: no second read of every campaign, the
// summary pane shows the selected message's campaign without counting its
// members again, and the campaign: filter works at once.
func TestLoadRowsWithCampaigns(t *testing.T) {
	st, ids := campaignStore(t)
	cs := &refsCountingStore{Store: st}
	h := &harness{t: t, m: New(Options{Store: cs, Actor: store.Actor{Name: "a", Source: "tui"}, Title: "waves", Location: time.UTC, NoSubscribe: true})}
	h.run(h.m.Init())
	h.send(windowSize(160, 48))
	if cs.reads != 0 || cs.ofReads != 0 {
		t.Errorf("%d reads of every campaign, %d of one, after loading the rows, want none", cs.reads, cs.ofReads)
	}
	sel, _ := h.m.list.Selected()
	want := fmt.Sprintf("campaign %s · %d messages", sel.Campaign.ID, sel.Campaign.Size)
	if s := h.screen(); sel.Campaign.Size < 2 || !strings.Contains(s, want) {
		t.Errorf("summary lacks %q:\n%s", want, s)
	}
	ref, err := st.CampaignOf(ids[0])
	if err != nil || ref.Size != 5 {
		t.Fatalf("parcel wave: %v, %v", ref, err)
	}
	h.m.list.SetFilter("campaign:" + ref.ID)
	if n := len(h.m.list.shown); n != 5 {
		t.Errorf("campaign:%s shows %d rows, want the wave's 5", ref.ID, n)
	}
}
