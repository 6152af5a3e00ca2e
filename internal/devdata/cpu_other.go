//go:build !unix

package devdata

import "testing"

// ReportCPU does nothing where getrusage is missing.
func ReportCPU(*testing.B) func() { return func() {} }
