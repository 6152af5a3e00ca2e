//go:build unix

package ctl

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// supported reports whether this platform serves the socket.
const supported = true

// checkSocket refuses a socket file that another user could have planted
// or could connect to: it must be a socket, owned by our uid, with no
// permission for group or others. A missing file is ErrNoServer.
func checkSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w (no socket %s)", ErrNoServer, path)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoServer, err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%w: %s is not a socket", ErrUnsafeSocket, path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%w: %s is owned by uid %d, not by you (uid %d)", ErrUnsafeSocket, path, st.Uid, os.Getuid())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %#o; it must be 0600", ErrUnsafeSocket, path, perm)
	}
	return nil
}
