package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// Sentinel errors of the host key and authorized keys files. Callers match
// them with errors.Is.
var (
	// ErrKeyPermissions is returned for a private key file that group or
	// others may read or write.
	ErrKeyPermissions = errors.New("file permissions too open")
	// ErrNoAuthorizedKeys is returned when the authorized keys file holds
	// no usable key, so nobody could log in.
	ErrNoAuthorizedKeys = errors.New("no usable public key")
	// ErrRemoteListen is returned by CheckListenAddr for a non-loopback
	// listen address when remote listening is not allowed.
	ErrRemoteListen = errors.New("refusing to listen on a non-loopback address without --allow-remote")
)

// maxKeyFile bounds the size of the key files read.
const maxKeyFile = 1 << 20

// DefaultHostKeyPath returns $XDG_DATA_HOME/triage/ssh_host_ed25519_key,
// falling back to ~/.local/share/triage/ssh_host_ed25519_key.
func DefaultHostKeyPath() (string, error) {
	return xdgFile("XDG_DATA_HOME", ".local/share", "ssh_host_ed25519_key", "host key")
}

// LoadOrCreateHostKey reads the SSH host key at path (any private key
// format x/crypto/ssh parses, unencrypted), or, when the file does not
// exist, generates an ed25519 key and writes it there in OpenSSH PEM format
// with mode 0600 (creating the directory with mode 0700). An existing file
// whose mode grants any group/other permission is refused with
// ErrKeyPermissions, an unreadable or unparsable one with its error; it is
// never overwritten.
func LoadOrCreateHostKey(path string) (gossh.Signer, error) {
	signer, err := loadHostKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return signer, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "triage serve host key")
	if err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process created it meanwhile: use theirs.
		return loadHostKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	_, werr := f.Write(pem.EncodeToMemory(block))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, fmt.Errorf("serve: host key %s: %w", path, werr)
	}
	return gossh.NewSignerFromKey(priv)
}

func loadHostKey(path string) (gossh.Signer, error) {
	data, err := readPrivate(path)
	if err != nil {
		return nil, err
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("serve: host key %s: %w", path, err)
	}
	return signer, nil
}

// readPrivate reads a private key file after checking that only its owner
// may access it. A missing file yields an error matching fs.ErrNotExist.
func readPrivate(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("serve: host key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("serve: host key %s: not a regular file", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("serve: host key %s: mode %04o: %w", path, fi.Mode().Perm(), ErrKeyPermissions)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("serve: host key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("serve: host key %s: file too large", path)
	}
	return data, nil
}
