package ui

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

// untrusted is a shorthand used only by the converters of this file.
type untrusted = textsafe.Untrusted

func untrustedAll(ss []string) []untrusted {
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
type rowView struct {
	Score    int
	Label    untrusted
	Date     time.Time
	FromName untrusted
	FromAddr untrusted
	Subject  untrusted
}

func newRowView(r *store.Row) rowView {
	return rowView{Score: r.Score, Label: untrusted(r.Label), Date: r.Date,
		FromName: untrusted(r.FromName), FromAddr: untrusted(r.FromAddr), Subject: untrusted(r.Subject)}
}

type addrView struct{ Name, Address untrusted }

func newAddrView(a analysis.Address) addrView {
	return addrView{untrusted(a.Name), untrusted(a.Address)}
}

func newAddrViews(as []analysis.Address) []addrView {
	out := make([]addrView, len(as))
	for i, a := range as {
		out[i] = newAddrView(a)
	}
	return out
}

type findingView struct {
	Rule, Summary, Evidence untrusted
	Points                  int
}

type headerView struct{ Key, Value, Decoded untrusted }

type netView struct {
	IP, ASOrg, Country, Source untrusted
	ASN                        uint32
	AsOf                       time.Time
}

func newNetView(n *analysis.NetInfo) *netView {
	if n == nil {
		return nil
	}
	return &netView{IP: untrusted(n.IP), ASOrg: untrusted(n.ASOrg), Country: untrusted(n.Country),
		Source: untrusted(n.Source), ASN: n.ASN, AsOf: n.AsOf}
}

type hopView struct {
	Index                                     int
	FromHelo, FromRDNS, FromIP, By, With, TLS untrusted
	Time                                      time.Time
	Delay                                     *float64
	Origin, Trusted                           bool
	Flags                                     []untrusted
	Raw                                       untrusted
	Net                                       *netView
}

// urlView is one URL of the URLs pane. Live is the URL as the message gives
// it (normalised, or raw when normalisation failed); its defanged form is
// always computed from Live, never taken from the report.
type urlView struct {
	Live, Unwrapped, Source, AnchorText, Host, Domain untrusted
	Flags                                             []untrusted
	Net                                               *netView
}

type attachView struct {
	Name, DeclaredType, SniffedType, SHA256 untrusted
	Size                                    int64
	Flags, Entries                          []untrusted
}

type authResultView struct{ Method, Result, Domain, Reason untrusted }

type authView struct {
	AuthServID              untrusted
	Trusted                 bool
	Results, ARC            []authResultView
	DKIMDomains             []untrusted
	SPFAligned, DKIMAligned *bool
}

func newAuthResultViews(rs []analysis.AuthResult) []authResultView {
	out := make([]authResultView, len(rs))
	for i, r := range rs {
		out[i] = authResultView{untrusted(r.Method), untrusted(r.Result), untrusted(r.Domain), untrusted(r.Reason)}
	}
	return out
}

// reportView is what the panes show of a report.
type reportView struct {
	Score       int
	Size        int
	Findings    []findingView
	From        addrView
	Sender      *addrView
	ReplyTo     []addrView
	ReturnPath  untrusted
	To, Cc      []addrView
	Subject     untrusted
	Date        time.Time
	MessageID   untrusted
	Auth        authView
	Headers     []headerView
	Hops        []hopView
	URLs        []urlView
	Attachments []attachView
	Warnings    []untrusted
}

// newReportView converts r; nil gives nil.
func newReportView(r *analysis.Report) *reportView {
	if r == nil {
		return nil
	}
	s := r.Summary
	v := &reportView{
		Score: r.Score, Size: r.Size,
		From: newAddrView(s.From), ReplyTo: newAddrViews(s.ReplyTo), ReturnPath: untrusted(s.ReturnPath),
		To: newAddrViews(s.To), Cc: newAddrViews(s.Cc), Subject: untrusted(s.Subject), Date: s.Date,
		MessageID: untrusted(s.MessageID), Warnings: untrustedAll(r.Warnings),
		Auth: authView{AuthServID: untrusted(r.Auth.AuthServID), Trusted: r.Auth.Trusted,
			Results: newAuthResultViews(r.Auth.Results), ARC: newAuthResultViews(r.Auth.ARC),
			DKIMDomains: untrustedAll(r.Auth.DKIMDomains), SPFAligned: r.Auth.SPFAligned, DKIMAligned: r.Auth.DKIMAligned},
	}
	if s.Sender != nil {
		a := newAddrView(*s.Sender)
		v.Sender = &a
	}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, findingView{untrusted(f.Rule), untrusted(f.Summary), untrusted(f.Evidence), f.Points})
	}
	for _, h := range r.Headers {
		v.Headers = append(v.Headers, headerView{untrusted(h.Key), untrusted(h.Value), untrusted(h.Decoded)})
	}
	for _, h := range r.Hops {
		v.Hops = append(v.Hops, hopView{Index: h.Index, FromHelo: untrusted(h.FromHelo), FromRDNS: untrusted(h.FromRDNS),
			FromIP: untrusted(h.FromIP), By: untrusted(h.By), With: untrusted(h.With), TLS: untrusted(h.TLS),
			Time: h.Time, Delay: h.Delay, Origin: h.Origin, Trusted: h.Trusted, Flags: untrustedAll(h.Flags),
			Raw: untrusted(h.Raw), Net: newNetView(h.Net)})
	}
	for _, u := range r.URLs {
		live := u.URL
		if live == "" {
			live = u.Raw
		}
		v.URLs = append(v.URLs, urlView{Live: untrusted(live), Unwrapped: untrusted(u.Unwrapped), Source: untrusted(u.Source),
			AnchorText: untrusted(u.AnchorText), Host: untrusted(u.Host), Domain: untrusted(u.Domain),
			Flags: untrustedAll(u.Flags), Net: newNetView(u.Net)})
	}
	for _, a := range r.Attachments {
		v.Attachments = append(v.Attachments, attachView{Name: untrusted(a.Name), DeclaredType: untrusted(a.DeclaredType),
			SniffedType: untrusted(a.SniffedType), SHA256: untrusted(a.SHA256), Size: a.Size,
			Flags: untrustedAll(a.Flags), Entries: untrustedAll(a.Entries)})
	}
	return v
}

type actorView struct{ Name, Source untrusted }

func newActorView(a store.Actor) actorView { return actorView{untrusted(a.Name), untrusted(a.Source)} }

type labelEventView struct {
	Time            time.Time
	Previous, Label untrusted
	Actor           actorView
}

func newLabelEventViews(evs []store.LabelEvent) []labelEventView {
	out := make([]labelEventView, len(evs))
	for i, e := range evs {
		out[i] = labelEventView{e.Time, untrusted(e.Previous), untrusted(e.Label), newActorView(e.Actor)}
	}
	return out
}

type noteVersionView struct {
	Text   untrusted
	Author actorView
	Time   time.Time
}

type noteView struct {
	noteVersionView
	History []noteVersionView
}

func newNoteViews(ns []store.Note) []noteView {
	out := make([]noteView, len(ns))
	for i, n := range ns {
		out[i].noteVersionView = noteVersionView{untrusted(n.Text), newActorView(n.Author), n.Time}
		for _, h := range n.History {
			out[i].History = append(out[i].History, noteVersionView{untrusted(h.Text), newActorView(h.Author), h.Time})
		}
	}
	return out
}
