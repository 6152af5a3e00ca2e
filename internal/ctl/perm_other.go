//go:build !unix

package ctl

import "fmt"

// supported reports whether this platform serves the socket: without file
// ownership to check, it does not.
const supported = false

func checkSocket(path string) error {
	return fmt.Errorf("%w (not supported on this platform)", ErrNoServer)
}
