package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/textsafe"
)

// Analyst is the person behind an authorized key.
type Analyst struct {
	// Name is taken from the key's triage-analyst="…" option, else its
	// environment="TRIAGE_ANALYST=…" option, else the key comment, else
	// the fingerprint. It is sanitised and at most maxNameLen runes.
	Name string
	// Fingerprint is the key's SHA256 fingerprint ("SHA256:…").
	Fingerprint string
}

const maxNameLen = 64

// DefaultAuthorizedKeysPath returns $XDG_CONFIG_HOME/triage/authorized_keys,
// falling back to ~/.config/triage/authorized_keys.
func DefaultAuthorizedKeysPath() (string, error) {
	return xdgFile("XDG_CONFIG_HOME", ".config", "authorized_keys", "authorized keys")
}

// xdgFile returns $env/triage/name, or, when env is unset,
// ~/fallback/triage/name (fallback is a slash-separated path below the home
// directory); what names the file in the error when there is no home.
func xdgFile(env, fallback, name, what string) (string, error) {
	dir := os.Getenv(env)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("serve: %s: %w", what, err)
		}
		dir = filepath.Join(home, filepath.FromSlash(fallback))
	}
	return filepath.Join(dir, "triage", name), nil
}

// ParseAuthorizedKeys parses an OpenSSH authorized_keys file: one key per
// line, blank lines and # comments ignored. Options other than
// triage-analyst and environment="TRIAGE_ANALYST=…" are ignored (this file
// is read only by triage); cert-authority lines are skipped. Lines that do
// not parse are skipped and described in warnings (with their line number,
// never their content). The first line of a key wins over later
// duplicates. The result is keyed by the key's wire encoding.
func ParseAuthorizedKeys(data []byte) (keys map[string]Analyst, warnings []string) {
	keys = map[string]Analyst{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pub, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("line %d: not a public key", n))
			continue
		}
		a := Analyst{Fingerprint: gossh.FingerprintSHA256(pub)}
		skip := false
		var fromOpt, fromEnv string
		for _, o := range options {
			name, val, _ := strings.Cut(o, "=")
			switch strings.ToLower(name) {
			case "triage-analyst":
				fromOpt = unquote(val)
			case "environment":
				if k, v, ok := strings.Cut(unquote(val), "="); ok && k == "TRIAGE_ANALYST" {
					fromEnv = v
				}
			case "cert-authority":
				skip = true
			}
		}
		if skip {
			warnings = append(warnings, fmt.Sprintf("line %d: cert-authority keys are not supported", n))
			continue
		}
		for _, cand := range []string{fromOpt, fromEnv, comment} {
			if name := cleanName(cand); name != "" {
				a.Name = name
				break
			}
		}
		if a.Name == "" {
			a.Name = a.Fingerprint
		}
		k := string(pub.Marshal())
		if _, dup := keys[k]; dup {
			warnings = append(warnings, fmt.Sprintf("line %d: duplicate key %s ignored", n, a.Fingerprint))
			continue
		}
		keys[k] = a
	}
	if err := sc.Err(); err != nil {
		warnings = append(warnings, fmt.Sprintf("reading stopped: %v", err))
	}
	return keys, warnings
}

// unquote removes the double quotes around an option value and the
// backslashes before embedded quotes.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return strings.ReplaceAll(v, `\"`, `"`)
}

// cleanName makes an analyst name safe to store and show: no controls,
// trimmed, at most maxNameLen runes.
func cleanName(s string) string {
	s = strings.TrimSpace(textsafe.Clean(s))
	if utf8.RuneCountInString(s) > maxNameLen {
		s = string([]rune(s)[:maxNameLen])
	}
	return s
}

// AuthorizedKeys is the set of keys allowed to log in, read from a file
// and re-read when the file's size or modification time changes. A file
// that can no longer be read or parsed keeps the previous set (logged).
// Safe for concurrent use.
type AuthorizedKeys struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	keys  map[string]Analyst
	mtime time.Time
	size  int64
}

// LoadAuthorizedKeys reads the authorized keys file at path. It fails when
// the file cannot be read, is writable by group or others, or holds no
// usable key (ErrNoAuthorizedKeys, also wrapped with fs.ErrNotExist when
// there is no file: either way nobody could log in). Skipped lines are
// logged to log (nil discards them).
func LoadAuthorizedKeys(path string, log *slog.Logger) (*AuthorizedKeys, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &AuthorizedKeys{path: path, log: log}
	if err := a.reload(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", err, ErrNoAuthorizedKeys)
		}
		return nil, err
	}
	if len(a.keys) == 0 {
		return nil, fmt.Errorf("serve: authorized keys %s: %w", path, ErrNoAuthorizedKeys)
	}
	return a, nil
}

// Len returns the number of keys currently authorized.
func (a *AuthorizedKeys) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.keys)
}

// Lookup returns the analyst of key, re-reading the file first when it
// changed.
func (a *AuthorizedKeys) Lookup(key gossh.PublicKey) (Analyst, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if fi, err := os.Stat(a.path); err == nil && (fi.Size() != a.size || !fi.ModTime().Equal(a.mtime)) {
		if err := a.reloadLocked(); err != nil {
			a.log.Warn("authorized keys not reloaded; keeping the previous set", "file", a.path, "err", err)
		}
	}
	an, ok := a.keys[string(key.Marshal())]
	return an, ok
}

func (a *AuthorizedKeys) reload() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reloadLocked()
}

func (a *AuthorizedKeys) reloadLocked() error {
	f, err := os.Open(a.path)
	if err != nil {
		return fmt.Errorf("serve: authorized keys: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("serve: authorized keys: %w", err)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("serve: authorized keys %s: mode %04o: writable by group or others: %w", a.path, fi.Mode().Perm(), ErrKeyPermissions)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return fmt.Errorf("serve: authorized keys %s: %w", a.path, err)
	}
	if len(data) > maxKeyFile {
		return fmt.Errorf("serve: authorized keys %s: file too large", a.path)
	}
	keys, warnings := ParseAuthorizedKeys(data)
	for _, w := range warnings {
		a.log.Warn("authorized keys: line skipped", "file", a.path, "problem", w)
	}
	a.keys, a.size, a.mtime = keys, fi.Size(), fi.ModTime()
	a.log.Info("authorized keys loaded", "file", a.path, "keys", len(keys))
	return nil
}
