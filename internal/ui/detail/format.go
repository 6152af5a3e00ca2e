package detail

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// untrusted is a shorthand for the untrusted display values of kit.
type untrusted = textsafe.Untrusted

// listHead starts the pane of a list of n items: the line none when there
// are none, else caption (whose %d is n) dimmed. It reports whether there
// are items to list.
func (d *Detail) listHead(b *kit.LineBuilder, n int, none, caption string) bool {
	if n == 0 {
		b.Raw(none)
		return false
	}
	b.Raw(d.c.Styles.Dim.Render(fmt.Sprintf(caption, n)))
	return true
}

// addr is "Name <address>", or the address alone, sanitised.
func addr(a kit.AddrView) string {
	if a.Name == "" {
		return a.Address.String()
	}
	return a.Name.String() + " <" + a.Address.String() + ">"
}

func addrs(as []kit.AddrView) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = addr(a)
	}
	return strings.Join(s, ", ")
}

// joinSafe sanitises each value and joins them with sep.
func joinSafe(us []untrusted, sep string) string {
	s := make([]string, len(us))
	for i, u := range us {
		s[i] = u.String()
	}
	return strings.Join(s, sep)
}

// actorName is "name (source)", sanitised; "?" for a nameless actor.
func actorName(a kit.ActorView) string {
	s := a.Name.String()
	if s == "" {
		s = "?"
	}
	if a.Source != "" {
		s += " (" + a.Source.String() + ")"
	}
	return s
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return strconv.FormatInt(n, 10) + " B"
}
