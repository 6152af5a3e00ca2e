package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"

	"github.com/triage-tools/triage/internal/ctl"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

type labelOptions struct {
	db, note, analyst string
}

// register adds label's flags to fs.
func (o *labelOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.StringVar(&o.note, "note", "", "add a note with the label")
	fs.StringVar(&o.analyst, "analyst", "", "analyst `name` recorded in the history (default: the OS user)")
}

func runLabel(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o labelOptions
	pos, err := parseCommand("label", &o, args, 2, stderr)
	if err != nil {
		return err
	}
	label := labelArg(pos[1])
	if strings.HasPrefix(pos[0], "c:") {
		return labelCampaign(o, textsafe.Clean(pos[0]), label, stdout)
	}
	st, id, err := openAndResolve(o.db, false, pos[0])
	if err != nil {
		return err
	}
	defer st.Close()
	by := store.Actor{Name: analystName(o.analyst), Source: "cli"}
	ev, err := st.SetLabel(id, label, by)
	if errors.Is(err, store.ErrUnknownLabel) {
		return exitError{code: 2, msg: fmt.Sprintf("unknown label %q (labels: %s, or none)", pos[1], strings.Join(st.LabelSet(), ", "))}
	}
	if err != nil {
		return err
	}
	if o.note != "" {
		if _, err := st.AddNote(id, o.note, by); err != nil {
			return err
		}
	}
	textOut{stdout}.f("%s: %s → %s (by %s)\n", shortID(id), orUnlabeled(ev.Previous), orUnlabeled(ev.Label), by.Name)
	return nil
}

// labelArg is the LABEL argument as stored: lower case, "" for none or -.
func labelArg(s string) string {
	label := strings.ToLower(s)
	if label == "none" || label == "-" {
		return ""
	}
	return label
}

func analystName(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// labelCampaign labels every member of campaign ref in one store
// transaction (`triage label c:ID LABEL`), through a running workbench or
// server when one holds the store.
func labelCampaign(o labelOptions, ref, label string, stdout io.Writer) error {
	be, err := openBackend(o.db, false)
	if err != nil {
		return err
	}
	defer be.Close()
	cl, ok := be.(ctl.CampaignLabeler)
	if !ok {
		return exitError{code: 1, msg: "label " + truncateRef(ref) + ": this store cannot label campaigns"}
	}
	by := store.Actor{Name: analystName(o.analyst), Source: "cli"}
	res, err := cl.LabelCampaign(ref, label, by)
	switch {
	case errors.Is(err, store.ErrNoCampaign), errors.Is(err, store.ErrNotFound):
		return exitError{code: 1, msg: fmt.Sprintf("no campaign %s in %s", truncateRef(ref), be.Path())}
	case errors.Is(err, store.ErrUnknownLabel):
		return exitError{code: 2, msg: fmt.Sprintf("unknown label %q (labels: %s, or none)", label, strings.Join(be.LabelSet(), ", "))}
	case err != nil:
		return err
	}
	if o.note != "" {
		c, err := campaignMembers(be, res.ID)
		if err != nil {
			return err
		}
		for _, id := range c {
			if _, err := be.AddNote(id, o.note, by); err != nil {
				return err
			}
		}
	}
	textOut{stdout}.f("%s: %d of %d messages → %s (by %s)\n", res.ID, res.Changed, res.Size, orUnlabeled(label), by.Name)
	return nil
}

// campaignMembers lists the members of campaign id for --note; it needs
// the store itself.
func campaignMembers(be ctl.Backend, id string) ([]string, error) {
	local, ok := be.(*ctl.Local)
	if !ok {
		return nil, exitError{code: 1, msg: "label --note on a campaign needs the store: the campaign was labeled, the note was not added (close the workbench, or add it there)"}
	}
	c, err := local.St.Campaign(id, false)
	return c.Members, err
}

func truncateRef(ref string) string {
	if len(ref) > 40 {
		return ref[:40] + "…"
	}
	return ref
}
