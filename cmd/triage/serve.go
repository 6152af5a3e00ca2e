package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/serve"
)

type serveOptions struct {
	listen         string
	hostKey        string
	authorizedKeys string
	db             string
	logFile        string
	idleTimeout    time.Duration
	authTimeout    time.Duration
	maxSessions    int
	allowRemote    bool
	trusted        string
	mailboxes      []string
	run            runFlags
}

// register adds serve's flags to fs.
func (o *serveOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.listen, "listen", serve.DefaultAddr, "`address` to listen on (non-loopback needs --allow-remote)")
	fs.StringVar(&o.hostKey, "host-key", "", "host key `file`, created on first start (default $XDG_DATA_HOME/triage/ssh_host_ed25519_key)")
	fs.StringVar(&o.authorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys `file` of the analysts (default $XDG_CONFIG_HOME/triage/authorized_keys)")
	fs.StringVar(&o.db, "db", "", "store `path` (default $TRIAGE_DB or $XDG_DATA_HOME/triage/triage.db)")
	fs.StringVar(&o.logFile, "log", "", "append the log to `file` instead of standard error")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "end a session without input for this `duration` (0: never)")
	fs.DurationVar(&o.authTimeout, "auth-timeout", serve.DefaultAuthTimeout, "close a connection not authenticated within this `duration`")
	fs.IntVar(&o.maxSessions, "max-sessions", serve.DefaultMaxSessions, "maximum concurrent sessions (0: unlimited)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	o.run.register(fs)
	fs.StringVar(&o.trusted, "trusted-hosts", "", "comma-separated `hosts` of the receiving side (Received/Authentication-Results)")
}

// runServe analyses the mailboxes once and serves one workbench per SSH
// session on the shared store until ctx is cancelled (SIGINT/SIGTERM).
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o serveOptions
	pos, err := parseCommand("serve", &o, args, -1, stderr)
	if err != nil {
		return err
	}
	o.mailboxes = pos
	for _, p := range o.mailboxes {
		if p == "-" {
			return exitError{code: 2, msg: "serve cannot read a mailbox from standard input; save it to a file"}
		}
	}
	if o.idleTimeout < 0 || o.maxSessions < 0 {
		return exitError{code: 2, msg: "serve: --idle-timeout and --max-sessions must not be negative"}
	}
	if o.authTimeout <= 0 {
		return exitError{code: 2, msg: "serve: --auth-timeout must be positive"}
	}
	if err := serve.CheckListenAddr(o.listen, o.allowRemote); err != nil {
		if errors.Is(err, serve.ErrRemoteListen) {
			return exitError{code: 2, msg: fmt.Sprintf("serve: %s is not a loopback address; pass --allow-remote to accept analysts from the network", o.listen)}
		}
		return exitError{code: 2, msg: err.Error()}
	}
	return serveWith(ctx, o, stderr, nil)
}

// serveWith runs the server; when ready is non-nil it receives the
// listening address (tests).
func serveWith(ctx context.Context, o serveOptions, stderr io.Writer, ready chan<- net.Addr) error {
	logw := stderr
	if o.logFile != "" {
		f, err := os.OpenFile(o.logFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return exitError{code: 1, msg: fmt.Sprintf("serve: log: %v", err)}
		}
		defer f.Close()
		logw = f
	}
	log := slog.New(slog.NewTextHandler(logw, nil))

	if o.hostKey == "" {
		p, err := serve.DefaultHostKeyPath()
		if err != nil {
			return err
		}
		o.hostKey = p
	}
	hostKey, err := serve.LoadOrCreateHostKey(o.hostKey)
	if err != nil {
		if errors.Is(err, serve.ErrKeyPermissions) {
			return exitError{code: 1, msg: fmt.Sprintf("%v; run: chmod 600 %s", err, o.hostKey)}
		}
		return err
	}
	if o.authorizedKeys == "" {
		p, err := serve.DefaultAuthorizedKeysPath()
		if err != nil {
			return err
		}
		o.authorizedKeys = p
	}
	keys, err := serve.LoadAuthorizedKeys(o.authorizedKeys, log)
	if errors.Is(err, serve.ErrNoAuthorizedKeys) {
		return exitError{code: 1, msg: fmt.Sprintf("serve: no analyst keys in %s; add one line per analyst, e.g.\n  triage-analyst=\"alice\" ssh-ed25519 AAAA… alice@laptop", o.authorizedKeys)}
	}
	if err != nil {
		return err
	}

	env, err := o.run.openEnv(o.db, o.trusted, false, nil)
	if err != nil {
		return err
	}
	defer env.close()
	st := env.st
	if ctlSrv, err := startCtl(st, log); err != nil {
		log.Warn("show, label and export cannot reach this server", "err", err)
	} else {
		defer ctlSrv.Close()
	}
	iopts := env.ingestOptions()
	ictx, cancelIngest := context.WithCancel(ctx)
	defer cancelIngest()
	bc := serve.NewBroadcaster()
	progress := make(chan ingest.Event, 16)
	ingested := make(chan struct{})
	go bc.Run(ictx, progress)
	go func() {
		defer close(ingested)
		iopts.Progress = progress
		stats, err := ingest.Run(ictx, o.mailboxes, iopts)
		attrs := []any{"messages", stats.Messages, "analysed", stats.Analyzed, "cached", stats.Cached, "elapsed", stats.Elapsed.Round(time.Millisecond)}
		if err != nil {
			log.Warn("ingest finished with errors", append(attrs, "err", err)...)
			return
		}
		log.Info("ingest finished", attrs...)
	}()

	title := strings.Join(o.mailboxes, " ")
	if title == "" {
		title = st.Path()
	}
	uiOpts := env.uiOptions(title)
	srv, err := serve.New(serve.Config{
		HostKey:        hostKey,
		AuthorizedKeys: keys,
		Store:          st,
		Progress:       bc,
		UI:             uiOpts,
		IdleTimeout:    durationFlag(o.idleTimeout),
		AuthTimeout:    o.authTimeout,
		MaxSessions:    intFlag(o.maxSessions),
		Logger:         log,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("serve: %v", err)}
	}
	fmt.Fprintf(stderr, "triage serve: listening on %s (host key %s); connect with: ssh -p %s %s\n",
		ln.Addr(), gossh.FingerprintSHA256(hostKey.PublicKey()), portOf(ln.Addr()), hostOf(ln.Addr()))
	if ready != nil {
		ready <- ln.Addr()
	}
	serr := srv.Serve(ctx, ln)
	cancelIngest()
	<-ingested
	return serr
}

// durationFlag maps the flag's 0 ("never") to the package's "disabled".
func durationFlag(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// intFlag maps the flag's 0 ("unlimited") to the package's "unlimited".
func intFlag(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func portOf(a net.Addr) string {
	_, p, _ := net.SplitHostPort(a.String())
	return p
}

func hostOf(a net.Addr) string {
	h, _, _ := net.SplitHostPort(a.String())
	return h
}
