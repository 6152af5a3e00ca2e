package filter

import "testing"

func TestContainsAt(t *testing.T) {
	tests := []struct {
		h, t string
		want bool
	}{
		{"message about invoice 1a", "invoice", true},
		{"message about invoice 1a", "invoice1", false},
		{"abc", "abcd", false},
		{"xxabc", "abc", true},
		{"abcabd", "abd", true},
		{"", "a", false},
		{"日本語", "本", true},
	}
	for _, tt := range tests {
		for rare := range len(tt.t) {
			if got := containsAt(tt.h, tt.t, rare); got != tt.want {
				t.Errorf("containsAt(%q, %q, %d) = %v", tt.h, tt.t, rare, got)
			}
		}
	}
}
