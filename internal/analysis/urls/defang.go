package urls

import "strings"

// Defang returns a form of u that is safe to copy, paste and show: the
// scheme http/https/ftp becomes hxxp/hxxps/fxp (any case), every dot in the
// host and user info becomes "[.]" and the "@" ending user info becomes
// "[@]". Path,
// query and fragment are unchanged. A string without "://" is treated as
// starting with the host ("www.example.com/x" → "www[.]example[.]com/x");
// a bare domain or e-mail address is defanged the same way, which makes
// Defang usable on hosts and domains too. Defang is idempotent.
func Defang(u string) string {
	rest := u
	var b strings.Builder
	b.Grow(len(u) + 16)
	if i := strings.Index(u, "://"); i >= 0 && defangSchemeLike(u[:i]) {
		switch sc := u[:i]; {
		case strings.EqualFold(sc, "http"):
			b.WriteString("hxxp")
		case strings.EqualFold(sc, "https"):
			b.WriteString("hxxps")
		case strings.EqualFold(sc, "ftp"):
			b.WriteString("fxp")
		default:
			b.WriteString(sc)
		}
		b.WriteString("://")
		rest = u[i+3:]
	}
	end := urlIndexAny(rest, &urlAuthEnd)
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 && !strings.Contains(auth, "[@]") {
		auth = auth[:at] + "[@]" + auth[at+1:]
	}
	for i := 0; i < len(auth); i++ {
		switch {
		case auth[i] == '.':
			b.WriteString("[.]")
		case strings.HasPrefix(auth[i:], "[.]"):
			b.WriteString("[.]")
			i += 2
		default:
			b.WriteByte(auth[i])
		}
	}
	b.WriteString(rest[end:])
	return b.String()
}

// defangSchemeLike reports whether s can be a URL scheme (RFC 3986
// section 3.1), so that "://" inside a path is not mistaken for one.
func defangSchemeLike(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}
