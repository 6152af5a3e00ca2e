package features

import (
	"hash/fnv"
	"testing"
)

// TestHashesPinned pins the buckets of a few feature sets: they are stored
// and the learned model is trained on them, so a faster extraction must
// give the same buckets.
func TestHashesPinned(t *testing.T) {
	for _, tc := range []struct {
		in    Input
		n     int
		first uint32
		sum   uint64 // FNV-1a of the buckets, little-endian
	}{
		{Input{Subject: "Your mailbox is almost full", Body: "Please verify your account within 24 hours or it will be suspended. アカウントを確認してください。 Ünïcödé wörds, x9, 12345, supercalifragilisticexpialidociouswordthatislong",
			LinkDomains: []string{"a.example"}, LinkPaths: []string{"/x/login.php"}, SenderDomain: "kagoya.jp", OriginIP: "121.50.46.57",
			AttachmentType: []string{"application/pdf .pdf"}, Rules: []string{"a.b", "c.d"}}, 41, 3489, 0x8ea8e4f8466ca07a},
		{Input{Body: "VERIFY Verify verify ΚΩΔΙΚΌΣ 한국어 텍스트"}, 7, 3489, 0x9392332a51f0754d},
		{Input{}, 1, 3489, 0x4be3049765c71c6b},
	} {
		s := Extract(&tc.in)
		h := fnv.New64a()
		for _, b := range s.Hashes {
			h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
		}
		first := uint32(0)
		if len(s.Hashes) > 0 {
			first = s.Hashes[0]
		}
		if len(s.Hashes) != tc.n || first != tc.first || h.Sum64() != tc.sum {
			t.Errorf("%.30q: %d buckets, first %d, sum %#x; pinned %d, %d, %#x", tc.in.Body, len(s.Hashes), first, h.Sum64(), tc.n, tc.first, tc.sum)
		}
	}
	if got := Hash("rule content.lure"); got != 6069 {
		t.Errorf("Hash = %d", got)
	}
}
