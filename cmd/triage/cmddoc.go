package main

import (
	"flag"
	"strings"
)

// docCommand describes the workbench or a sub-command for the generated
// help, completions and man page.
type docCommand struct {
	name     string // "" for the workbench
	synopsis string // after "triage "
	summary  string
	flags    []docFlag
	args     []string // fixed choices for the positional arguments; nil: files
}

// docFlag is one flag of a command.
type docFlag struct {
	name  string // without dashes
	arg   string // value placeholder; "" for a boolean flag
	usage string // without the backquotes of the placeholder
	def   string // default value as text ("" when zero)
}

// dashed is the flag as typed: -o for one letter, --name otherwise (the
// flag package accepts both forms).
func (f docFlag) dashed() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

// docCommands lists the workbench and every sub-command with their flags,
// read from the same flag registrations the commands parse with.
func docCommands() []docCommand {
	wb := docCommand{
		synopsis: "[flags] MAILBOX...",
		summary:  "open the workbench on mailboxes",
		flags:    flagsOf(func(fs *flag.FlagSet) { new(workbenchOptions).register(fs) }),
	}
	out := []docCommand{wb}
	for _, c := range commands() {
		d := docCommand{name: c.name, synopsis: c.synopsis, summary: c.summary, flags: flagsOf(c.flags)}
		if c.name == "completion" {
			d.args = completionShells
		}
		out = append(out, d)
	}
	return out
}

// flagsOf returns the flags register adds, in name order.
func flagsOf(register func(*flag.FlagSet)) []docFlag {
	fs := flag.NewFlagSet("doc", flag.ContinueOnError)
	register(fs)
	var out []docFlag
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		d := docFlag{name: f.Name, arg: arg, usage: usage}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			d.arg = ""
		}
		switch f.DefValue {
		case "", "0", "false", "0s", "[]":
		default:
			d.def = f.DefValue
		}
		out = append(out, d)
	})
	return out
}

// commandNames are the sub-commands' names.
func commandNames() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
