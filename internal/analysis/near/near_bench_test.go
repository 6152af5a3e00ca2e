package near

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
)

func BenchmarkSimHash(b *testing.B) {
	text := folded(strings.Repeat(lure+" Reference 4471-ABCD-9921 more words here and there ", 40))
	b.SetBytes(int64(len(text)))
	defer devdata.ReportCPU(b)()
	for b.Loop() {
		SimHash(text)
	}
}

func BenchmarkSkeleton(b *testing.B) {
	for b.Loop() {
		Skeleton("Re: [SPAM] Your order #123456 for bob@example.com has shipped", []string{"bob@example.com", "Bob Smith"})
	}
}
