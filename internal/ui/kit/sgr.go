package kit

import "strings"

// sgrReset is the SGR sequence that lipgloss ends every styled run with.
const sgrReset = "\x1b[m"

// MergeSGR returns s with each reset that is directly followed by the SGR
// sequence it ends left out, together with that sequence: two adjacent
// runs of one style become one run. lipgloss styles an underlined text
// one character at a time ("\x1b[4m \x1b[m\x1b[4m \x1b[m…"), and Bubble
// Tea's renderer parses every sequence of every frame it draws, so the
// list's column header alone held more sequences than all the rows below
// it. The terminal shows the same cells either way: only a run opened
// from the default pen by a single SGR sequence is merged.
func MergeSGR(s string) string {
	if !strings.Contains(s, sgrReset+"\x1b[") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	open := ""    // the one SGR sequence applied since the last reset
	plain := true // the pen is the default one (start, or after a reset)
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], sgrReset) {
			i += len(sgrReset)
			if open != "" && strings.HasPrefix(s[i:], open) {
				i += len(open) // the same style again: keep the run open
				continue
			}
			b.WriteString(sgrReset)
			open, plain = "", true
			continue
		}
		if n := SGRLen(s[i:]); n > 0 {
			if plain {
				open, plain = s[i:i+n], false
			} else {
				open = "" // a second attribute on top: never merged
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// SGRLen returns the length of the SGR sequence (CSI params m) at the
// start of s, 0 when s does not start with one.
func SGRLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for j := 2; j < len(s); j++ {
		switch c := s[j]; {
		case c >= '0' && c <= '9' || c == ';' || c == ':':
		case c == 'm':
			return j + 1
		default:
			return 0
		}
	}
	return 0
}
