//go:build !unix

package analysis

import "testing"

// reportCPU does nothing where getrusage is missing.
func reportCPU(*testing.B) func() { return func() {} }
