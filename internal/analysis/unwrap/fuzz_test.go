package unwrap

import (
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
)

// FuzzUnwrap: any bytes unwrap without panic, in bounded time, and a
// found original re-derives along its path.
func FuzzUnwrap(f *testing.F) {
	s := seed(f)
	f.Add(unwraptest.Attached(s, rep))
	f.Add(unwraptest.ARF(s, rep, true))
	f.Add(unwraptest.Inline(s, rep, unwraptest.OutlookJA))
	f.Add(unwraptest.AttachedMSG(unwraptest.MSG(s, unwraptest.MSGOptions{}), rep))
	f.Add(unwraptest.MSG(s, unwraptest.MSGOptions{}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		start := time.Now()
		res := Unwrap(raw, message.Parse(raw, lim), lim)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %v", d)
		}
		if res == nil || res.Wrapper.Depth == 0 {
			return
		}
		got, err := Derive(raw, res.Wrapper.Path, lim)
		if err != nil || string(got) != string(res.Original) {
			t.Fatalf("Derive: %v", err)
		}
	})
}

// TestMSGDirect: a bare .msg file's bytes (CFB) attached under a generic
// name are recognised by their magic.
func TestMSGDirect(t *testing.T) {
	m := unwraptest.MSG(seed(t), unwraptest.MSGOptions{})
	l, ok := partOriginal(append([]byte("Content-Type: application/octet-stream\r\n\r\n"), m...), false)
	if !ok || l.kind != "msg" {
		t.Fatalf("ok=%v layer=%+v", ok, l)
	}
}
