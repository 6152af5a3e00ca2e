// Package ids formats the store's message IDs and clips the untrusted
// strings (IDs, labels, keys) that error messages quote. It imports
// nothing of ours, so every store package can use it.
package ids

import "encoding/hex"

// Prefix starts every message ID: Prefix and the hex SHA-256 of the raw
// message.
const Prefix = "sha256:"

// Format returns the message ID of the 32-byte key k.
func Format(k []byte) string {
	var buf [len(Prefix) + 64]byte
	copy(buf[:], Prefix)
	hex.Encode(buf[len(Prefix):], k)
	return string(buf[:])
}

// Truncate returns s cut to n bytes, marked with "…" when cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// HexPrefix is the start of message keys written as 1 to 64 lower-case
// hex digits (an ID typed in part): whole bytes, then maybe a nibble.
type HexPrefix struct {
	Whole []byte // the prefix's whole bytes: every match starts with them
	odd   bool   // an odd number of digits: the next key byte's high nibble is nib
	nib   byte
}

// ParseHexPrefix parses h; ok is false unless it is 1 to 64 lower-case
// hex digits.
func ParseHexPrefix(h string) (p HexPrefix, ok bool) {
	if len(h) == 0 || len(h) > 64 {
		return p, false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return p, false
		}
	}
	p.Whole, _ = hex.DecodeString(h[:len(h)&^1])
	if p.odd = len(h)%2 == 1; p.odd {
		c := h[len(h)-1]
		p.nib = c - '0'
		if c > '9' {
			p.nib = c - 'a' + 10
		}
	}
	return p, true
}

// Seek is the first key that can match.
func (p HexPrefix) Seek() []byte {
	if !p.odd {
		return p.Whole
	}
	return append(append([]byte(nil), p.Whole...), p.nib<<4)
}

// Match reports whether key k starts with the prefix.
func (p HexPrefix) Match(k []byte) bool {
	if len(k) < len(p.Whole) || string(k[:len(p.Whole)]) != string(p.Whole) {
		return false
	}
	return !p.odd || len(k) > len(p.Whole) && k[len(p.Whole)]>>4 == p.nib
}
