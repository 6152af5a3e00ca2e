package kit

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every key binding of the workbench, named by action. Help is
// generated from it and the root model enables only the bindings that can act
// in the current state (see ui.Model.syncKeys), so help never lists an
// impossible action and a disabled binding never fires.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding

	Filter, FilterAccept, FilterCancel, ClearFilter key.Binding
	Unlabeled, MinScore, Sort                       key.Binding
	Command, CommandRun, CommandCancel              key.Binding

	NextPane, PrevPane key.Binding
	Panes              [6]key.Binding // 1-6: summary … notes
	Open, Back         key.Binding

	Mark, MarkAll, Undo, AutoAdvance, ClearLabel key.Binding
	// Labels has one binding per label of the label set, in its order.
	Labels []key.Binding

	CopyURL, CopyRawURL, ToggleRaw          key.Binding
	NewNote, EditNote, SaveNote, CancelNote key.Binding
	Confirm, Dismiss                        key.Binding

	Help, CloseHelp, Quit key.Binding

	// Evidence panes (issue 14 items 8): raw source, search in a pane,
	// copy the message ID and locator, jump to the next risky message.
	ViewRaw, PaneSearch, NextMatch, PrevMatch, CopyID, NextRisky key.Binding

	// Wrapper switches the headers and hops panes of a reported message
	// between the original and the report wrapper.
	Wrapper key.Binding
	// CopyIOCs copies the message's indicators (summary pane) or the
	// campaign's (campaign mode), defanged (issue 18).
	CopyIOCs key.Binding
	// Campaigns toggles the list between messages and campaigns;
	// JumpCampaign shows the selected message's campaign.
	Campaigns, JumpCampaign key.Binding
	// LeastSure jumps to the unlabeled message the learned model is least
	// sure about (uncertainty sampling).
	LeastSure key.Binding
}

// Pane identifiers, in tab order.
const (
	PaneSummary = iota
	PaneHeaders
	PaneHops
	PaneURLs
	PaneBody
	PaneNotes
	NumPanes
)

// PaneName returns the name of pane p (a Pane* constant).
func PaneName(p int) string {
	return [NumPanes]string{"summary", "headers", "hops", "urls", "body", "notes"}[p]
}

// defaultLabelKey returns the preferred key of a default label, "" for
// other labels. Letters used by other actions (hjkl, g/G, n/N, e, u, y/Y,
// r, a, f, o, q, U, v, w) are never given to labels.
func defaultLabelKey(label string) string {
	switch label {
	case "phish":
		return "p"
	case "malware":
		return "m"
	case "spam":
		return "s"
	case "bec":
		return "b"
	case "simulation":
		return "i"
	case "benign":
		return "c"
	case "unsure":
		return "x"
	}
	return ""
}

// ReservedKeys are the letters of other actions, never given to labels.
const ReservedKeys = "hjklgGneuyYrafoqUNvwICJ"

// LabelKeys assigns one key to each label: the preferred key of a default
// label, else the first free letter of the label's name, else the first free
// letter a–z. Labels that cannot get a key (more than 26) get "".
func LabelKeys(labels []string) []string {
	used := map[string]bool{}
	for _, r := range ReservedKeys {
		used[string(r)] = true
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		if k := defaultLabelKey(l); k != "" && !used[k] {
			out[i] = k
			used[k] = true
		}
	}
	for i, l := range labels {
		if out[i] != "" {
			continue
		}
		cands := strings.ToLower(l) + "abcdefghijklmnopqrstuvwxyz"
		for _, r := range cands {
			k := string(r)
			if r >= 'a' && r <= 'z' && !used[k] {
				out[i] = k
				used[k] = true
				break
			}
		}
	}
	return out
}

// DefaultKeyMap returns the default bindings for the given label set.
func DefaultKeyMap(labels []string) KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	km := KeyMap{
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Top:      b([]string{"g", "home"}, "g", "top"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),

		Filter:        b([]string{"/"}, "/", "filter"),
		FilterAccept:  b([]string{"enter"}, "enter", "apply filter"),
		FilterCancel:  b([]string{"esc"}, "esc", "cancel filter"),
		ClearFilter:   b([]string{"esc"}, "esc", "clear filter"),
		Command:       b([]string{":"}, ":", "command (:save NAME, :load NAME)"),
		CommandRun:    b([]string{"enter"}, "enter", "run command"),
		CommandCancel: b([]string{"esc"}, "esc", "cancel command"),
		Unlabeled:     b([]string{"U"}, "U", "unlabeled only"),
		MinScore:      b([]string{"f"}, "f", "min score 50/70/90"),
		Sort:          b([]string{"o"}, "o", "sort order"),

		NextPane: b([]string{"tab"}, "tab", "next pane"),
		PrevPane: b([]string{"shift+tab"}, "shift+tab", "prev pane"),
		Open:     b([]string{"enter"}, "enter", "open"),
		Back:     b([]string{"esc"}, "esc", "back"),

		Mark:        b([]string{"space"}, "space", "mark"),
		MarkAll:     b([]string{"*"}, "*", "mark all shown"),
		Undo:        b([]string{"u"}, "u", "undo label"),
		AutoAdvance: b([]string{"a"}, "a", "toggle auto-advance"),
		ClearLabel:  b([]string{"-"}, "-", "clear label"),

		CopyURL:    b([]string{"y"}, "y", "copy defanged URL"),
		CopyRawURL: b([]string{"Y"}, "Y", "copy raw URL"),
		ToggleRaw:  b([]string{"r"}, "r", "raw/decoded"),
		NewNote:    b([]string{"w"}, "w", "new note"),
		EditNote:   b([]string{"e"}, "e", "edit last note"),
		SaveNote:   b([]string{"ctrl+s"}, "ctrl+s", "save note"),
		CancelNote: b([]string{"esc"}, "esc", "cancel note"),
		Confirm:    b([]string{"y", "enter"}, "y", "confirm"),
		Dismiss:    b([]string{"esc"}, "esc", "dismiss"),

		Help:      b([]string{"?"}, "?", "help"),
		CloseHelp: b([]string{"esc", "?"}, "esc", "close help"),
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),

		ViewRaw:    b([]string{"v"}, "v", "view raw source"),
		PaneSearch: b([]string{"/"}, "/", "search pane"),
		NextMatch:  b([]string{"n"}, "n", "next match"),
		PrevMatch:  b([]string{"N"}, "N", "prev match"),
		CopyID:     b([]string{"y"}, "y", "copy ID+locator"),
		NextRisky:  b([]string{"!"}, "!", "next high-risk unlabeled"),

		Wrapper:      b([]string{"W"}, "W", "original/report wrapper"),
		CopyIOCs:     b([]string{"I"}, "I", "copy indicators (defanged)"),
		Campaigns:    b([]string{"C"}, "C", "messages/campaigns"),
		JumpCampaign: b([]string{"J"}, "J", "show the message's campaign"),
		LeastSure:    b([]string{"="}, "=", "unlabeled the model is least sure of"),
	}
	for i := range km.Panes {
		n := string(rune('1' + i))
		km.Panes[i] = b([]string{n}, n, PaneName(i))
	}
	for i, k := range LabelKeys(labels) {
		if k == "" {
			km.Labels = append(km.Labels, key.NewBinding(key.WithDisabled()))
			continue
		}
		km.Labels = append(km.Labels, b([]string{k}, k, labels[i]))
	}
	return km
}

// All returns pointers to every binding, for bulk enabling.
func (k *KeyMap) All() []*key.Binding {
	out := []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom,
		&k.Filter, &k.FilterAccept, &k.FilterCancel, &k.ClearFilter, &k.Unlabeled, &k.MinScore, &k.Sort,
		&k.Command, &k.CommandRun, &k.CommandCancel,
		&k.NextPane, &k.PrevPane, &k.Open, &k.Back,
		&k.Mark, &k.MarkAll, &k.Undo, &k.AutoAdvance, &k.ClearLabel,
		&k.CopyURL, &k.CopyRawURL, &k.ToggleRaw, &k.NewNote, &k.EditNote, &k.SaveNote, &k.CancelNote,
		&k.Confirm, &k.Dismiss, &k.Help, &k.CloseHelp, &k.Quit,
		&k.ViewRaw, &k.PaneSearch, &k.NextMatch, &k.PrevMatch, &k.CopyID, &k.NextRisky,
		&k.Wrapper,
		&k.CopyIOCs,
		&k.Campaigns, &k.JumpCampaign,
		&k.LeastSure,
	}
	for i := range k.Panes {
		out = append(out, &k.Panes[i])
	}
	for i := range k.Labels {
		out = append(out, &k.Labels[i])
	}
	return out
}

// ShortHelp returns the most useful live bindings, most
// important first (the bar drops from the end when the screen is narrow,
// but always keeps help and quit).
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		k.Confirm, k.Dismiss, k.SaveNote, k.CancelNote, k.FilterAccept, k.FilterCancel, k.CommandRun, k.CommandCancel,
		k.CloseHelp, k.Up, k.Down, k.Open, k.Back, k.ClearFilter, k.NextPane, k.Filter, k.PaneSearch, k.NextMatch, k.PrevMatch,
		k.CopyURL, k.CopyID, k.NewNote, k.Help, k.Quit,
	}
}

// HelpSection is a group of bindings of the help overlay, named by where
// they work.
type HelpSection struct {
	Title string
	Keys  []key.Binding
}

// Sections returns every binding grouped by the screen or pane where it
// works, for the help overlay. It is generated from the keymap, so a
// binding added to KeyMap and to All() but not here fails TestHelpSections.
func (k KeyMap) Sections() []HelpSection {
	return []HelpSection{
		{"Everywhere", []key.Binding{k.Help, k.Quit, k.Filter, k.Command, k.Unlabeled, k.MinScore, k.Sort, k.AutoAdvance, k.Dismiss}},
		{"Moving (list, or the pane in focus)", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"List", []key.Binding{k.Open, k.ClearFilter, k.Mark, k.MarkAll, k.NextRisky, k.LeastSure}},
		{"Labels (selected or marked messages)", append([]key.Binding{k.ClearLabel, k.Undo}, k.Labels...)},
		{"Panes", append([]key.Binding{k.NextPane, k.PrevPane, k.Back}, k.Panes[:]...)},
		{"URLs pane", []key.Binding{k.CopyURL, k.CopyRawURL}},
		{"Headers pane", []key.Binding{k.ToggleRaw}},
		{"Headers and hops panes (reported messages)", []key.Binding{k.Wrapper}},
		{"Summary pane", []key.Binding{k.CopyID, k.CopyIOCs, k.JumpCampaign}},
		{"Campaigns (C; enter lists the messages, a label key labels the unlabeled ones)", []key.Binding{k.Campaigns, k.CopyIOCs}},
		{"Evidence (panes and raw source)", []key.Binding{k.ViewRaw, k.PaneSearch, k.NextMatch, k.PrevMatch}},
		{"Notes", []key.Binding{k.NewNote, k.EditNote}},
		{"Note editor", []key.Binding{k.SaveNote, k.CancelNote}},
		{"Filter input", []key.Binding{k.FilterAccept, k.FilterCancel}},
		{"Command line", []key.Binding{k.CommandRun, k.CommandCancel}},
		{"Questions", []key.Binding{k.Confirm}},
		{"Help", []key.Binding{k.CloseHelp}},
	}
}
