package serve

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// connLimits keeps two separate budgets of connections, so that a flood
// of connections that never authenticate cannot starve the analysts:
//
//   - pre-auth: connections still in the SSH handshake. At most perIP from
//     one source (an IPv4 address or an IPv6 /64) and at most total in
//     all; when total is reached, the oldest pre-auth connection is closed
//     to make room. Each must authenticate within Config.AuthTimeout (the
//     handshake deadline), else it is closed.
//   - authenticated: at most authed (no bound when authed <= 0).
//
// A connection moves from the first budget to the second when it
// authenticates (promote) and leaves its budget when it is closed.
type connLimits struct {
	perIP, total, authed int

	mu       sync.Mutex
	bySource map[netip.Prefix]int      // pre-auth connections per source
	pre      map[*limitedConn]struct{} // pre-auth connections
	nAuthed  int
}

func newConnLimits(perIP, total, authed int) *connLimits {
	return &connLimits{perIP: perIP, total: total, authed: authed,
		bySource: map[netip.Prefix]int{}, pre: map[*limitedConn]struct{}{}}
}

// connState is where a limitedConn stands in the budgets.
type connState int

const (
	statePreAuth connState = iota
	stateAuthed
	stateClosed
)

// limitedConn is a connection counted in connLimits. Closing it releases
// its slot.
type limitedConn struct {
	net.Conn
	lim    *connLimits
	source netip.Prefix
	start  time.Time
	state  connState // guarded by lim.mu
	once   sync.Once
}

// sourceOf returns the budget key of a remote address: the IPv4 address,
// or the /64 of an IPv6 address (one host usually holds a whole /64).
func sourceOf(a net.Addr) netip.Prefix {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Prefix{}
	}
	ip := ap.Addr().Unmap()
	if ip.Is4() {
		return netip.PrefixFrom(ip, 32)
	}
	p, _ := ip.Prefix(64)
	return p
}

// admit counts c as a pre-auth connection and returns it wrapped, or
// returns nil (and reason) when its source already holds perIP pre-auth
// connections. When the pre-auth budget is full, the oldest pre-auth
// connection is closed, and returned as evicted.
func (l *connLimits) admit(c net.Conn) (lc *limitedConn, evicted *limitedConn) {
	src := sourceOf(c.RemoteAddr())
	l.mu.Lock()
	defer func() {
		l.mu.Unlock()
		if evicted != nil {
			evicted.Close()
		}
	}()
	if l.bySource[src] >= l.perIP {
		return nil, nil
	}
	if len(l.pre) >= l.total {
		for p := range l.pre {
			if evicted == nil || p.start.Before(evicted.start) {
				evicted = p
			}
		}
		l.releaseLocked(evicted)
	}
	lc = &limitedConn{Conn: c, lim: l, source: src, start: time.Now()}
	l.bySource[src]++
	l.pre[lc] = struct{}{}
	return lc, evicted
}

// promote moves lc from the pre-auth budget to the authenticated one. It
// reports false, and leaves lc in the pre-auth budget, when the
// authenticated budget is full or lc was already closed.
func (l *connLimits) promote(lc *limitedConn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lc.state != statePreAuth {
		return lc.state == stateAuthed
	}
	if l.authed > 0 && l.nAuthed >= l.authed {
		return false
	}
	l.removePreLocked(lc)
	lc.state = stateAuthed
	l.nAuthed++
	return true
}

// releaseLocked takes lc out of its budget.
func (l *connLimits) releaseLocked(lc *limitedConn) {
	switch lc.state {
	case statePreAuth:
		l.removePreLocked(lc)
	case stateAuthed:
		l.nAuthed--
	}
	lc.state = stateClosed
}

func (l *connLimits) removePreLocked(lc *limitedConn) {
	delete(l.pre, lc)
	if n := l.bySource[lc.source] - 1; n > 0 {
		l.bySource[lc.source] = n
	} else {
		delete(l.bySource, lc.source)
	}
}

// closePreAuth closes every pre-auth connection (at shutdown: the SSH
// server only tracks connections that completed the handshake).
func (l *connLimits) closePreAuth() {
	l.mu.Lock()
	pre := make([]*limitedConn, 0, len(l.pre))
	for p := range l.pre {
		pre = append(pre, p)
	}
	l.mu.Unlock()
	for _, p := range pre {
		p.Close()
	}
}

// counts returns the number of pre-auth and authenticated connections.
func (l *connLimits) counts() (pre, authed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pre), l.nAuthed
}

// Close releases the connection's slot and closes it.
func (lc *limitedConn) Close() error {
	lc.once.Do(func() {
		lc.lim.mu.Lock()
		lc.lim.releaseLocked(lc)
		lc.lim.mu.Unlock()
	})
	return lc.Conn.Close()
}
