package domain

import (
	"testing"
	"unsafe"
)

// TestETLDMemoKeepsItsOwnKey: a host that views a buffer the caller
// reuses (the analyzer's pooled folded text) must not become a memo key
// that changes in place: the answer stays right and a later insert of the
// same host does not corrupt the map (it panicked: "ran out of hash bits").
func TestETLDMemoKeepsItsOwnKey(t *testing.T) {
	if !MemoOn() {
		t.Skip("memo off")
	}
	buf := []byte("alias-memo-test.example.co.uk")
	host := unsafe.String(unsafe.SliceData(buf), len(buf))
	d, err := EffectiveTLDPlusOne(host)
	if err != nil || d != "example.co.uk" {
		t.Fatalf("EffectiveTLDPlusOne = %q, %v", d, err)
	}
	copy(buf, "zzzzz-zzzz-zzzz.zzzzzzz.zz.zz")
	if d != "example.co.uk" {
		t.Errorf("answer changed with the caller's buffer: %q", d)
	}
	d, err = EffectiveTLDPlusOne("alias-memo-test.example.co.uk")
	if err != nil || d != "example.co.uk" {
		t.Errorf("after reuse: EffectiveTLDPlusOne = %q, %v", d, err)
	}
}
