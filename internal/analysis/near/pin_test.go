package near

import "testing"

// TestFingerprintsPinned pins the fingerprints of a few texts: SimHash and
// BodyHash are stored and compared across processes and versions, so a
// faster implementation must give the same bits.
func TestFingerprintsPinned(t *testing.T) {
	for _, tc := range []struct {
		text     string
		sim      uint64
		shingles int
		body     uint64
	}{
		{lure + " Reference 4471-ABCD-9921, sent to alice@example.com.", 0x3267e7d7820625e6, 61, 0x7cfd95ea889c3ef6},
		{"【重要】ETCマイレージサービス ご利用確認のお願い。お客様のアカウントは一時停止されました。以下のリンクからログインしてください。 Ünïcödé wörds ünd mëhr Text für die Prüfung", 0x53f2ab440235f23a, 64, 0x8b7a7364dca645a2},
		{"short text", 0, 0, 0xd5a3049eb458e458},
		{"", 0, 0, 0xcbf29ce484222325},
	} {
		f := folded(tc.text)
		sim, n := SimHash(f)
		if sim != tc.sim || n != tc.shingles || BodyHash(f) != tc.body {
			t.Errorf("%.30q: SimHash %#x over %d, BodyHash %#x; pinned %#x over %d, %#x", tc.text, sim, n, BodyHash(f), tc.sim, tc.shingles, tc.body)
		}
	}
}
