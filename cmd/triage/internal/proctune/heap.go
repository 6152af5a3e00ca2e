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
// peak RSS. BoundHeap lets the heap grow above its live size by as much
// again, at least heapHeadroom, and never binds below heapFloor.
//
// The room above the live heap was half of it until the build after
// d569cf8. The limit counts all of the runtime's memory, not only the
// heap, so at a million messages (a live heap of ~190 MB, the campaign
// index a third of it) that half left ~40 MB between collections: 1,291
// of them in the first 170 s, 88 s of collector CPU in a 230 s ingest.
// With the live size again, two pairs of runs in turn: 355 and 316 s of
// CPU instead of 437 and 507 s (CPU over that of analysis 1.53 and 1.48
// instead of 1.73 and 1.79), 1.10–1.11 GB peak RSS instead of 1.08–1.09. On
// big.mbox the floor binds either way (230–235 MB peak RSS); on 300,000
// messages the CPU is the same within noise (two runs at the same
// moment on one core each) and peak RSS 400 MB instead of 340 MB.
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
// unchanged source's rows from the store (internal/ingest, cachedGCPercent):
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
	return max(heapFloor, live+max(heapHeadroom, live))
}
