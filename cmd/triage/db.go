package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ctl"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// openStore opens the store at path, or at the default location when path
// is empty. A busy database is reported with the file's name.
func openStore(path string, readOnly bool) (*store.Store, error) {
	fc, err := loadConfig("")
	if err != nil {
		return nil, err
	}
	return openStoreWith(path, readOnly, fc.Labels, fc.learnClasses())
}

// storePath returns path, or the default store path when it is empty.
func storePath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	return p, nil
}

// openStoreWith is openStore with an explicit label set (nil: defaults).
func openStoreWith(path string, readOnly bool, labels []string, classes map[string]learn.Class) (*store.Store, error) {
	path, err := storePath(path)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(path, store.Options{ReadOnly: readOnly, Timeout: lockWait, Raw: readRaw, Labels: labels, LearnClasses: classes})
	if errors.Is(err, store.ErrLocked) {
		return nil, exitError{code: 1, msg: fmt.Sprintf("%s is in use by another triage process (close it or use --db)", path)}
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// lockWait bounds the wait for the store's lock: a command refuses a held
// store within it.
const lockWait = 500 * time.Millisecond

// openExclusive opens the store at path read-write for a command that
// must not go through a running holder (import, check --repair); a held
// store is refused with exclusiveError.
func openExclusive(path, what string) (*store.Store, error) {
	fc, err := loadConfig("")
	if err != nil {
		return nil, err
	}
	path, err = storePath(path)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(path, store.Options{Timeout: lockWait, Raw: readRaw, Labels: fc.Labels})
	if errors.Is(err, store.ErrLocked) {
		return nil, exclusiveError(path, what)
	}
	return st, err
}

// exclusiveError is the refusal of a command that needs the store file to
// itself (check, import, scan) while a workbench or server holds it.
func exclusiveError(path, what string) error {
	return exitError{code: 1, msg: fmt.Sprintf("%s is in use by a running workbench or triage serve; %s needs the store to itself: close it first (show, label and export work while it runs)", path, what)}
}

// openBackend gives show, label and export the store at path (default
// location when empty): through the socket of the workbench or server
// that holds it when one answers there (internal/ctl), otherwise opened
// here. When the store is held and no safe socket answers, the error says
// the store is in use, and why a socket that exists was refused.
func openBackend(path string, readOnly bool) (ctl.Backend, error) {
	path, err := storePath(path)
	if err != nil {
		return nil, err
	}
	var dialErr error
	if _, err := os.Lstat(ctl.SocketPath(path)); err == nil {
		c, err := ctl.Dial(path)
		if err == nil {
			return c, nil
		}
		dialErr = err
	}
	st, err := openStore(path, readOnly)
	if err == nil {
		return &ctl.Local{St: st, Names: namedFeatures}, nil
	}
	var ee exitError
	if dialErr != nil && (errors.Is(dialErr, ctl.ErrUnsafeSocket) || errors.Is(dialErr, ctl.ErrProtocol)) && errors.As(err, &ee) {
		ee.msg += "; not using its socket: " + textsafe.Clean(dialErr.Error())
		return nil, ee
	}
	return nil, err
}

// startCtl serves CLI commands for st on its socket (internal/ctl); a
// failure is returned for the caller to report as a warning: the holder
// works without it, CLI commands then refuse as before.
func startCtl(st *store.Store, log *slog.Logger) (*ctl.Server, error) {
	return ctl.Listen(st, ctl.ServerOptions{Raw: readRaw, AnalyzerVersion: analysis.CodeVersion(), Logger: log, Names: namedFeatures})
}

// openAndResolve opens the store, or reaches its holder (openBackend), and
// resolves ref (an ID, an ID prefix or a Message-ID) to a message ID. The
// caller closes the backend.
func openAndResolve(db string, readOnly bool, ref string) (ctl.Backend, string, error) {
	st, err := openBackend(db, readOnly)
	if err != nil {
		return nil, "", err
	}
	id, err := resolve(st, ref)
	if err != nil {
		st.Close()
		return nil, "", err
	}
	return st, id, nil
}

// loadMessage reads the stored message that ref names (an ID or a
// prefix of one) from the store at db, read-only, and returns its full ID.
func loadMessage(db, ref string) (string, ctl.Message, error) {
	st, id, err := openAndResolve(db, true, ref)
	if err != nil {
		return "", ctl.Message{}, err
	}
	defer st.Close()
	m, err := st.Message(id)
	return id, m, err
}
