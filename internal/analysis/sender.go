package analysis

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/fold"
	"golang.org/x/net/publicsuffix"
)

// DisplayNameAddress reports whether a display name contains something a
// reader takes for an address: an e-mail address ("service@paypal.com")
// or a domain name ("PayPal.com Support", "amazon.co.jp"). It returns the
// address or domain found (lower-cased) and true. A token counts as a
// domain when it has a dot and ends in a known public suffix of at least
// two letters (so "v1.2" or "Mr. Smith" do not count).
func DisplayNameAddress(name string) (string, bool) {
	if len(name) > 1024 {
		name = name[:1024]
	}
	name = fold.Normalize(name)
	for tok := range strings.FieldsFuncSeq(name, isDisplayNameSep) {
		tok = strings.Trim(tok, ".-_")
		if at := strings.LastIndexByte(tok, '@'); at > 0 && at < len(tok)-1 {
			if looksLikeDomain(tok[at+1:]) {
				return tok, true
			}
			continue
		}
		if looksLikeDomain(tok) {
			return tok, true
		}
	}
	return "", false
}

func isDisplayNameSep(r rune) bool {
	switch {
	case r == '.' || r == '-' || r == '_' || r == '@' || r == '+':
		return false
	case r < 0x80:
		return !fold.IsAlnum(byte(r))
	}
	return true
}

// looksLikeDomain reports a dotted ASCII name whose top-level label is a
// known (ICANN or private) public suffix of two or more letters and which
// has a label before the suffix.
func looksLikeDomain(s string) bool {
	if len(s) < 4 || len(s) > 253 || !strings.Contains(s, ".") || strings.Contains(s, "..") {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if len(last) < 2 {
		return false
	}
	for i := 0; i < len(last); i++ {
		if !fold.IsLetter(last[i]) {
			return false
		}
	}
	suffix, icann := publicsuffix.PublicSuffix(s)
	if !icann && !strings.Contains(suffix, ".") {
		// Unknown TLD: publicsuffix falls back to the last label.
		return false
	}
	return len(suffix) < len(s)
}

// joinSpelledOut joins a name spelled out letter by letter to hide it
// from filters ("D/H/L" → "DHL", "F.e.d.E.x" → "FedEx", "P a y P a l"
// → "PayPal"): a run of three or more single ASCII letters or digits,
// each separated from the next by one of / . - _ * | or a space. Other
// text is kept as it is; s itself is returned when nothing changes.
func joinSpelledOut(s string) string {
	var out []byte
	for i := 0; i < len(s); {
		n, j := 0, i
		for j < len(s) && spelledChar(s, j) {
			n++
			if j+2 < len(s) && isSpellSep(s[j+1]) && spelledChar(s, j+2) {
				j += 2
				continue
			}
			break
		}
		if n < 3 {
			if out != nil {
				out = append(out, s[i])
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(s)), s[:i]...)
		}
		for k := i; k <= j; k += 2 {
			out = append(out, s[k])
		}
		i = j + 1
	}
	if out == nil {
		return s
	}
	return string(out)
}

// spelledChar reports an ASCII letter or digit with no letter or digit
// right before or after it.
func spelledChar(s string, j int) bool {
	return fold.IsAlnum(s[j]) && (j == 0 || !fold.IsAlnum(s[j-1])) && (j+1 == len(s) || !fold.IsAlnum(s[j+1]))
}

func isSpellSep(c byte) bool {
	switch c {
	case '/', '.', '-', '_', '*', '|', ' ':
		return true
	}
	return false
}
