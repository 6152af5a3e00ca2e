package kit

import (
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// This file is the one boundary where values from a message, an imported
// report, the store or another analyst become display values. Every such
// string is a textsafe.Untrusted below, so the row and pane builders cannot
// print one without sanitising it (String, Multiline or Truncate); reading
// Raw is for comparisons and for the clipboard, never for the screen.

// Untrusted is textsafe.Untrusted, the type of every display value below.
type Untrusted = textsafe.Untrusted

// untrusted is a shorthand used only by the converters of this package.
type untrusted = textsafe.Untrusted

func UntrustedAll(ss []string) []untrusted {
	if len(ss) == 0 {
		return nil
	}
	out := make([]untrusted, len(ss))
	for i, s := range ss {
		out[i] = untrusted(s)
	}
	return out
}

// rowView is one list row.
type RowView struct {
	Score    int
	Label    untrusted
	Date     time.Time
	FromName untrusted
	FromAddr untrusted
	Subject  untrusted
	Reported int // reports of the message (store.Row.Reported)
}

func NewRowView(r *store.Row) RowView {
	return RowView{Score: r.Score, Label: untrusted(r.Label), Date: r.Date,
		FromName: untrusted(r.FromName), FromAddr: untrusted(r.FromAddr), Subject: untrusted(r.Subject), Reported: r.Reported}
}

type AddrView struct{ Name, Address untrusted }

func NewAddrView(a analysis.Address) AddrView {
	return AddrView{untrusted(a.Name), untrusted(a.Address)}
}

func NewAddrViews(as []analysis.Address) []AddrView {
	out := make([]AddrView, len(as))
	for i, a := range as {
		out[i] = NewAddrView(a)
	}
	return out
}

type FindingView struct {
	Rule, Summary, Evidence untrusted
	Points                  int
}

type HeaderView struct{ Key, Value, Decoded untrusted }

type NetView struct {
	IP, ASOrg, Country, Source untrusted
	ASN                        uint32
	AsOf                       time.Time
}

func NewNetView(n *analysis.NetInfo) *NetView {
	if n == nil {
		return nil
	}
	return &NetView{IP: untrusted(n.IP), ASOrg: untrusted(n.ASOrg), Country: untrusted(n.Country),
		Source: untrusted(n.Source), ASN: n.ASN, AsOf: n.AsOf}
}

type HopView struct {
	Index                                     int
	FromHelo, FromRDNS, FromIP, By, With, TLS untrusted
	Time                                      time.Time
	Delay                                     *float64
	Origin, Trusted                           bool
	Flags                                     []untrusted
	Raw                                       untrusted
	Net                                       *NetView
}

// urlView is one URL of the URLs pane. Live is the URL as the message gives
// it (normalised, or raw when normalisation failed); its defanged form is
// always computed from Live, never taken from the report.
type URLView struct {
	Live, Unwrapped, Source, AnchorText, Host, Domain untrusted
	Flags                                             []untrusted
	Net                                               *NetView
}

type AttachView struct {
	Name, DeclaredType, SniffedType, SHA256 untrusted
	Size                                    int64
	Flags, Entries                          []untrusted
}

type AuthResultView struct{ Method, Result, Domain, Reason untrusted }

type AuthView struct {
	AuthServID              untrusted
	Trusted                 bool
	Results, ARC            []AuthResultView
	DKIMDomains             []untrusted
	SPFAligned, DKIMAligned *bool
	// Identity is the one-line authenticated identity (Auth.IdentityLine).
	Identity untrusted
	// ARCFirst are the first ARC hop's results (i=1), stamped by ARCFirstID.
	ARCFirst   []AuthResultView
	ARCFirstID untrusted
}

func NewAuthResultViews(rs []analysis.AuthResult) []AuthResultView {
	out := make([]AuthResultView, len(rs))
	for i, r := range rs {
		out[i] = AuthResultView{untrusted(r.Method), untrusted(r.Result), untrusted(r.Domain), untrusted(r.Reason)}
	}
	return out
}

// reportView is what the panes show of a report.
type ReportView struct {
	Score       int
	Size        int
	Findings    []FindingView
	From        AddrView
	Sender      *AddrView
	ReplyTo     []AddrView
	ReturnPath  untrusted
	To, Cc      []AddrView
	Subject     untrusted
	Date        time.Time
	MessageID   untrusted
	Auth        AuthView
	System      string // readable name of the report.System kind, "" for other mail
	Headers     []HeaderView
	Hops        []HopView
	URLs        []URLView
	Attachments []AttachView
	Warnings    []untrusted
}

// newReportView converts r; nil gives nil.
func NewReportView(r *analysis.Report) *ReportView {
	if r == nil {
		return nil
	}
	s := r.Summary
	v := &ReportView{
		Score: r.Score, Size: r.Size,
		From: NewAddrView(s.From), ReplyTo: NewAddrViews(s.ReplyTo), ReturnPath: untrusted(s.ReturnPath),
		To: NewAddrViews(s.To), Cc: NewAddrViews(s.Cc), Subject: untrusted(s.Subject), Date: s.Date,
		MessageID: untrusted(s.MessageID), Warnings: UntrustedAll(r.Warnings),
		Auth: AuthView{AuthServID: untrusted(r.Auth.AuthServID), Trusted: r.Auth.Trusted,
			Results: NewAuthResultViews(r.Auth.Results), ARC: NewAuthResultViews(r.Auth.ARC),
			DKIMDomains: UntrustedAll(r.Auth.DKIMDomains), SPFAligned: r.Auth.SPFAligned, DKIMAligned: r.Auth.DKIMAligned,
			Identity: untrusted(r.Auth.IdentityLine()), ARCFirst: NewAuthResultViews(r.Auth.ARCFirst), ARCFirstID: untrusted(r.Auth.ARCFirstID)},
		System: analysis.SystemName(r.System),
	}
	if s.Sender != nil {
		a := NewAddrView(*s.Sender)
		v.Sender = &a
	}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, FindingView{untrusted(f.Rule), untrusted(f.Summary), untrusted(f.Evidence), f.Points})
	}
	for _, h := range r.Headers {
		v.Headers = append(v.Headers, HeaderView{untrusted(h.Key), untrusted(h.Value), untrusted(h.Decoded)})
	}
	for _, h := range r.Hops {
		v.Hops = append(v.Hops, HopView{Index: h.Index, FromHelo: untrusted(h.FromHelo), FromRDNS: untrusted(h.FromRDNS),
			FromIP: untrusted(h.FromIP), By: untrusted(h.By), With: untrusted(h.With), TLS: untrusted(h.TLS),
			Time: h.Time, Delay: h.Delay, Origin: h.Origin, Trusted: h.Trusted, Flags: UntrustedAll(h.Flags),
			Raw: untrusted(h.Raw), Net: NewNetView(h.Net)})
	}
	for _, u := range r.URLs {
		live := u.URL
		if live == "" {
			live = u.Raw
		}
		v.URLs = append(v.URLs, URLView{Live: untrusted(live), Unwrapped: untrusted(u.Unwrapped), Source: untrusted(u.Source),
			AnchorText: untrusted(u.AnchorText), Host: untrusted(u.Host), Domain: untrusted(u.Domain),
			Flags: UntrustedAll(u.Flags), Net: NewNetView(u.Net)})
	}
	for _, a := range r.Attachments {
		v.Attachments = append(v.Attachments, AttachView{Name: untrusted(a.Name), DeclaredType: untrusted(a.DeclaredType),
			SniffedType: untrusted(a.SniffedType), SHA256: untrusted(a.SHA256), Size: a.Size,
			Flags: UntrustedAll(a.Flags), Entries: UntrustedAll(a.Entries)})
	}
	return v
}

type ActorView struct{ Name, Source untrusted }

func NewActorView(a store.Actor) ActorView { return ActorView{untrusted(a.Name), untrusted(a.Source)} }

type LabelEventView struct {
	Time            time.Time
	Previous, Label untrusted
	Actor           ActorView
}

func NewLabelEventViews(evs []store.LabelEvent) []LabelEventView {
	out := make([]LabelEventView, len(evs))
	for i, e := range evs {
		out[i] = LabelEventView{e.Time, untrusted(e.Previous), untrusted(e.Label), NewActorView(e.Actor)}
	}
	return out
}

type NoteVersionView struct {
	Text   untrusted
	Author ActorView
	Time   time.Time
}

type NoteView struct {
	NoteVersionView
	History []NoteVersionView
}

func NewNoteViews(ns []store.Note) []NoteView {
	out := make([]NoteView, len(ns))
	for i, n := range ns {
		out[i].NoteVersionView = NoteVersionView{untrusted(n.Text), NewActorView(n.Author), n.Time}
		for _, h := range n.History {
			out[i].History = append(out[i].History, NoteVersionView{untrusted(h.Text), NewActorView(h.Author), h.Time})
		}
	}
	return out
}
