package analysis

import (
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/attach"
)

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
		if has(attach.FlagDoubleExtension) {
			a.f.add("attach.double_extension", ev, name)
		}
		if has(attach.FlagHTML) {
			a.f.add("attach.html", ev, name)
		}
		if has(attach.FlagDiskImage) {
			a.f.add("attach.disk_image", ev, name)
		}
		if has(attach.FlagShortcut) {
			a.f.add("attach.shortcut", ev, name)
		}
		if has(attach.FlagOneNote) {
			a.f.add("attach.onenote", ev, name)
		}
		if has(attach.FlagMacroCapable) {
			a.f.add("attach.macro_capable", ev, name)
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
