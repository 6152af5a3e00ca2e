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
