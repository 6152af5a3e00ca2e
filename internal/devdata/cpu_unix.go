//go:build unix

package devdata

import (
	"syscall"
	"testing"
)

// ReportCPU reports, for benchmarks, the process CPU time (user and system, all threads,
// so GC included) per operation as "cpu-ns/op": on a loaded machine it
// varies much less than ns/op. Call it before the loop and call the
// function it returns after.
func ReportCPU(b *testing.B) func() {
	start := cpuNanos()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuNanos()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
