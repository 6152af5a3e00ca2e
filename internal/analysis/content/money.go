package content

import "strings"

// Amount and phone-number detection for the call-back and advance-fee
// rules. Both scan text folded with fold.MatchMode (full-width digits are
// ASCII by then), in one linear pass, and return the first match.

// currencyBefore are markers written before an amount ("$ 299", "R$1.299",
// "USD 500"), lower-case; currencyAfter after it ("299 €", "500 dollars",
// "3万円").
var (
	currencyBefore = []string{"us$", "r$", "$", "€", "£", "¥", "₹", "usd", "eur", "gbp", "brl", "chf", "jpy"}
	currencyAfter  = []string{"$", "€", "£", "usd", "euro", "eur", "gbp", "brl", "dollar", "dólar", "reais", "万円", "万ドル", "円", "ドル"}
	largeWords     = []string{"million", "milhão", "milhões", "millón", "millones", "millionen", "miljoen", "millions", "万", "億", "百万"}
)

// Amount is a money amount found in a text.
type Amount struct {
	Text  string // as written, marker included
	Large bool   // 100,000 or more, or written with "million", 万 …
}

// FindAmount returns the first money amount in s: digits with a currency
// marker just before or after (one space allowed). The scan is bounded by
// len(s).
func FindAmount(s string) (Amount, bool) {
	var first Amount
	found := false
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			i++
			continue
		}
		end, intDigits := numberEnd(s, i)
		start := i
		i = end
		before, okB := markerBefore(s, start)
		after, okA := markerAfter(s, end)
		if !okB && !okA {
			// "8,5 millones de dólares", "6,2 Millionen Euro".
			if after, okA = currencyWordNear(s, end); !okA {
				continue
			}
		}
		a := Amount{Text: s[before:after], Large: intDigits >= 6 || largeAfter(s, end)}
		if !found {
			first, found = a, true
		}
		if a.Large {
			return a, true
		}
	}
	return first, found
}

// numberEnd returns the end of the number starting at i (digits with
// thousands and decimal separators) and its count of integer digits.
func numberEnd(s string, i int) (end, intDigits int) {
	digits, sinceSep := 0, 0
	end = i
	for end < len(s) {
		c := s[end]
		switch {
		case isDigit(c):
			digits++
			sinceSep++
			end++
			continue
		case (c == ',' || c == '.') && end+1 < len(s) && isDigit(s[end+1]):
			sinceSep = 0
			end++
			continue
		}
		break
	}
	intDigits = digits
	if sinceSep > 0 && sinceSep <= 2 && digits > sinceSep && strings.ContainsAny(s[i:end], ",.") {
		intDigits -= sinceSep // cents
	}
	return end, intDigits
}

func markerBefore(s string, start int) (int, bool) {
	j := start
	if j > 0 && s[j-1] == ' ' {
		j--
	}
	for _, m := range currencyBefore {
		if j >= len(m) && strings.EqualFold(s[j-len(m):j], m) {
			k := j - len(m)
			if isLetter(m[0]) && k > 0 && isLetter(s[k-1]) {
				continue // part of a word
			}
			return k, true
		}
	}
	return start, false
}

func markerAfter(s string, end int) (int, bool) {
	j := end
	if j < len(s) && s[j] == ' ' {
		j++
	}
	for _, m := range currencyAfter {
		if len(s)-j >= len(m) && strings.EqualFold(s[j:j+len(m)], m) {
			return j + len(m), true
		}
	}
	return end, false
}

// currencyWordNear finds, after a large-number word following end ("8,5
// millones de dólares"), a currency marker within a few bytes; it
// returns the end of the marker.
func currencyWordNear(s string, end int) (int, bool) {
	if !largeAfter(s, end) {
		return end, false
	}
	limit := min(len(s), end+32)
	for j := end + 1; j < limit; j++ {
		if s[j-1] != ' ' {
			continue
		}
		for _, m := range currencyAfter {
			if limit-j >= len(m) && strings.EqualFold(s[j:j+len(m)], m) {
				return j + len(m), true
			}
		}
	}
	return end, false
}

func largeAfter(s string, end int) bool {
	j := end
	if j < len(s) && s[j] == ' ' {
		j++
	}
	rest := s[j:min(len(s), j+12)]
	for _, w := range largeWords {
		if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
			return true
		}
	}
	return false
}

// FindPhone returns the first telephone number in s: 9 to 15 digits
// written either after a "+" or in at least three groups of at most five
// digits separated by spaces, hyphens or parentheses ("0800-400-9030",
// "+1 (828) 280 7472"). Long unbroken digit runs (order and protocol
// numbers), dates and dotted numbers do not count.
func FindPhone(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '+' || c == '(' || isDigit(c)) || (i > 0 && (isDigit(s[i-1]) || isLetter(s[i-1]) || s[i-1] == '.' || s[i-1] == ',')) {
			continue
		}
		end, digits, groups, maxGroup := i, 0, 0, 0
		run := 0
		for end < len(s) {
			b := s[end]
			if isDigit(b) {
				if run == 0 {
					groups++
				}
				run++
				digits++
				maxGroup = max(maxGroup, run)
				end++
				continue
			}
			if (b == ' ' || b == '-' || b == '(' || b == ')' || (b == '+' && end == i)) && end+1 < len(s) {
				run = 0
				end++
				continue
			}
			break
		}
		scanned := end // the next start: every start is scanned once
		for end > i && !isDigit(s[end-1]) && s[end-1] != ')' {
			end--
		}
		if end < len(s) && (s[end] == '.' || s[end] == ',' || s[end] == '/' || s[end] == ':' || isLetter(s[end])) && end+1 < len(s) && isDigit(s[end+1]) {
			i = max(i, scanned-1)
			continue // part of a longer number, date or identifier
		}
		plus := c == '+'
		if digits >= 9 && digits <= 15 && ((plus && digits >= 10) || (groups >= 3 && maxGroup <= 5)) {
			return strings.TrimSpace(s[i:end]), true
		}
		i = max(i, scanned-1)
	}
	return "", false
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
