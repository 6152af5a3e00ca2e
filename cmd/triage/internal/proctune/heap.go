package proctune

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/gcpercent"
)

// Heap bounds of a scan into the store. With the default GOGC the heap
// grows to twice its live size before a collection: during a large
// ingest that headroom (about 150 MB at 100k messages) was a third of the
// peak RSS. BoundHeap lets the heap grow above its live size by half of
// it, at least heapHeadroom, and never binds below heapFloor.
//
// While the bound holds, it paces the collector: GOGC is raised to
// boundGCPercent so that it does not trigger a collection before the
// heap reaches the bound. An ingest's live heap is some 40–120 MB on
// big.mbox (106k messages), and at GOGC 100 the collector ran every
// 60 MB or so of allocation, under the bound; letting the heap use the
// room the bound gives saved ~2.4 s of 27 s CPU (1.2 s of wall time) at
// the same peak RSS (220–229 MB, 3 interleaved runs).
//
// Inside the bound, ingest asks for GOGC 200 while it delivers an
// unchanged source's rows from the store (internal/ingest, cachedgc.go):
// a re-open's live heap is some 10 MB, and the room the bound gives would
// triple its RSS. Both ask internal/gcpercent, which applies the lowest
// percentage held, whichever order they come and go in.
//
// Above heapBoundMax of live heap the bound steps aside (the default
// collector pacing again, GOGC included): with a large live heap a
// collection costs more and a tighter goal makes them more frequent.
// Measured on 300,000 generated messages: bound 173 s CPU and 777 MB RSS,
// default pacing 129 s and 893 MB; on 100,000 the bound costs no CPU and
// saves ~130 MB.
const (
	heapFloor      = 192 << 20
	heapHeadroom   = 64 << 20
	heapBoundMax   = 256 << 20
	heapPace       = 250 * time.Millisecond // how often the bound follows the live heap
	boundGCPercent = 400
)

// BoundHeap sets a soft memory limit (debug.SetMemoryLimit) that follows
// the live heap while an ingest runs, with the collector paced by it
// (see boundGCPercent), and returns a func that restores the previous
// settings. A limit the user set (GOMEMLIMIT) is left alone, and so is
// the GOGC the user set.
func BoundHeap() (restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	var pace gcPacer
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	follow := func() {
		metrics.Read(sample)
		var live int64
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = int64(min(sample[0].Value.Uint64(), math.MaxInt64/4))
		}
		lim := heapLimit(live)
		debug.SetMemoryLimit(lim)
		pace.set(lim != math.MaxInt64)
	}
	follow()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(heapPace)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				follow()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
		pace.set(false)
	}
}

// gcPacer holds GOGC at boundGCPercent (internal/gcpercent) while the
// heap bound holds, and lets go when it does not.
type gcPacer struct{ release func() }

func (g *gcPacer) set(bound bool) {
	switch {
	case bound && g.release == nil:
		g.release = gcpercent.Hold(boundGCPercent)
	case !bound && g.release != nil:
		g.release()
		g.release = nil
	}
}

// heapLimit is the memory limit for a live heap of live bytes.
func heapLimit(live int64) int64 {
	if live > heapBoundMax {
		return math.MaxInt64
	}
	return max(heapFloor, live+max(heapHeadroom, live/2))
}
