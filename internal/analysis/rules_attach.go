package analysis

import (
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/attach"
)

// attachFlagRules are the rules that fire on one attachment flag alone,
// with the attachment's name as their only argument, in the order their
// findings are added.
var attachFlagRules = []struct{ flag, id string }{
	{attach.FlagDoubleExtension, "attach.double_extension"},
	{attach.FlagHTML, "attach.html"},
	{attach.FlagDiskImage, "attach.disk_image"},
	{attach.FlagShortcut, "attach.shortcut"},
	{attach.FlagOneNote, "attach.onenote"},
	{attach.FlagMacroCapable, "attach.macro_capable"},
}

func (a *analyzer) attachments() {
	for _, at := range a.rep.Attachments {
		name := at.Name
		if name == "" {
			name = "(unnamed " + at.DeclaredType + ")"
		}
		ev := "attachment: " + name
		has := func(fl string) bool { return slices.Contains(at.Flags, fl) }
		switch {
		case has(attach.FlagRLOInName):
			a.f.add("attach.rlo_in_name", ev, name)
		case has(attach.FlagExecutable) || has(attach.FlagScript):
			a.f.add("attach.executable", ev, name)
		}
		for _, r := range attachFlagRules {
			if has(r.flag) {
				a.f.add(r.id, ev, name)
			}
		}
		for _, fl := range at.Flags {
			if what, ok := strings.CutPrefix(fl, attach.FlagArchiveContains); ok {
				a.f.add("attach.archive_executable", ev, name, "a "+what+" file")
				break
			}
		}
		if has(attach.FlagEncryptedZip) {
			a.f.add("attach.encrypted_archive", ev, name)
		}
		if has(attach.FlagTypeMismatch) {
			a.f.add("attach.type_mismatch", ev, name, at.DeclaredType, at.SniffedType)
		}
	}
}
