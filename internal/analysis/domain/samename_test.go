package domain

import "testing"

func TestSameName(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"oekoligenta.de", "oekoligenta.de", true},
		{"xn--koligenta-z7a.de", "oekoligenta.de", true}, // ökoligenta.de
		{"ökoligenta.de", "oekoligenta.de", true},
		{"xn--strae-oqa.de", "strasse.de", true}, // straße.de
		{"müller.de", "mueller.de", true},
		{"müller.de", "muller.de", false},
		{"oekoligenta.de", "oekoligenta.com", false},
		{"", "", true},
		{"", "oekoligenta.de", false},
	} {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
