// Package kittest holds what the tests of the UI packages share.
package kittest

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Squash drops styles and white space, so wrapped text compares equal to
// the value it came from.
func Squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, ansi.Strip(s))
}
