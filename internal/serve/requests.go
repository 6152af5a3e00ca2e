package serve

import (
	"log/slog"
	"strings"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what a client may ask of a session channel.
const (
	// MaxWidth and MaxHeight bound the terminal size a session renders at:
	// a screen cell costs about 112 bytes and the renderer keeps at least
	// two screens, so 320×120 costs about 9 MB a session. Larger sizes in a
	// pty or window-change request are clamped to them.
	MaxWidth  = 320
	MaxHeight = 120
	// maxEnvValue bounds the length of an accepted environment value.
	maxEnvValue = 64
	// maxEnvRequests bounds the environment requests a session may send,
	// accepted or not; later ones are refused without being read.
	maxEnvRequests = 16
)

// envAllowed lists the environment variables a session accepts: those the
// workbench uses to choose colours and character set.
var envAllowed = []string{"TERM", "COLORTERM", "NO_COLOR", "LANG"}

// sessionChannel runs ssh.DefaultSessionHandler on a channel whose
// requests pass through filterRequests first.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	log := s.log.With("remote", conn.RemoteAddr().String())
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, log: log}, ctx)
}

// filteredChannel is a NewChannel whose accepted channel's requests are
// filtered by filterRequests.
type filteredChannel struct {
	gossh.NewChannel
	log *slog.Logger
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go filterRequests(reqs, out, f.log)
	return ch, out, nil
}

// filterRequests forwards the session requests of in to out until in is
// closed, then closes out. On the way it clamps the terminal size of
// "pty-req" and "window-change" to MaxWidth×MaxHeight and refuses (replies
// false to) environment requests beyond maxEnvRequests, for a variable not
// in envAllowed or with a value longer than maxEnvValue, and size requests
// it cannot parse.
func filterRequests(in <-chan *gossh.Request, out chan<- *gossh.Request, log *slog.Logger) {
	defer close(out)
	envs, refused := 0, 0
	for req := range in {
		ok := true
		switch req.Type {
		case "env":
			envs++
			ok = envs <= maxEnvRequests && envAcceptable(req.Payload)
		case "pty-req", "window-change":
			ok = clampWindowRequest(req)
		}
		if !ok {
			refused++
			if refused == 1 {
				log.Warn("session request refused", "type", req.Type, "bytes", len(req.Payload))
			}
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
			continue
		}
		out <- req
	}
	if refused > 1 {
		log.Warn("session requests refused", "count", refused)
	}
}

// envAcceptable reports whether an "env" request's payload (RFC 4254
// section 6.4) sets an allowed variable to a short value.
func envAcceptable(payload []byte) bool {
	var kv struct{ Name, Value string }
	if gossh.Unmarshal(payload, &kv) != nil || len(kv.Value) > maxEnvValue {
		return false
	}
	for _, name := range envAllowed {
		if kv.Name == name {
			return !strings.ContainsRune(kv.Value, 0)
		}
	}
	return false
}

// ptyRequest is the payload of "pty-req" (RFC 4254 section 6.2).
type ptyRequest struct {
	Term                    string
	Columns, Rows, PxW, PxH uint32
	Modes                   string
}

// windowChange is the payload of "window-change" (RFC 4254 section 6.7).
type windowChange struct {
	Columns, Rows, PxW, PxH uint32
}

// clampWindowRequest rewrites the payload of a "pty-req" or
// "window-change" request so that its size is at most MaxWidth×MaxHeight
// (pixel sizes are dropped with it). It reports false for a payload that
// does not parse.
func clampWindowRequest(req *gossh.Request) bool {
	if req.Type == "pty-req" {
		var p ptyRequest
		return clampPayload(req, &p, &p.Columns, &p.Rows, &p.PxW, &p.PxH)
	}
	var w windowChange
	return clampPayload(req, &w, &w.Columns, &w.Rows, &w.PxW, &w.PxH)
}

// clampPayload decodes req's payload into msg, whose size fields cols,
// rows, pxw and pxh point into, and re-encodes it clamped when the size is
// over the bounds. It reports false for a payload that does not parse.
func clampPayload(req *gossh.Request, msg any, cols, rows, pxw, pxh *uint32) bool {
	if gossh.Unmarshal(req.Payload, msg) != nil {
		return false
	}
	if *cols > MaxWidth || *rows > MaxHeight {
		*cols, *rows = min(*cols, MaxWidth), min(*rows, MaxHeight)
		*pxw, *pxh = 0, 0
		req.Payload = gossh.Marshal(msg)
	}
	return true
}
