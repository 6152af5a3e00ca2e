package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

type labelOptions struct {
	db, note, analyst string
}

// register adds label's flags to fs.
func (o *labelOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.db, "db", "", "store `path`")
	fs.StringVar(&o.note, "note", "", "add a note with the label")
	fs.StringVar(&o.analyst, "analyst", "", "analyst `name` recorded in the history (default: the OS user)")
}

func runLabel(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o labelOptions
	pos, err := parseCommand("label", &o, args, 2, stderr)
	if err != nil {
		return err
	}
	if strings.HasPrefix(pos[0], "c:") {
		label := strings.ToLower(pos[1])
		if label == "none" || label == "-" {
			label = ""
		}
		return labelCampaign(o, textsafe.Clean(pos[0]), label, stdout)
	}
	st, id, err := openAndResolve(o.db, false, pos[0])
	if err != nil {
		return err
	}
	defer st.Close()
	label := strings.ToLower(pos[1])
	if label == "none" || label == "-" {
		label = ""
	}
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
