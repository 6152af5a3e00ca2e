package codec

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
)

// appendReportCBOR appends the CBOR form of r: byte for byte what cborEnc
// (the CBOR library, from the reports' json tags) writes, and what
// cborDec reads back. It is written out field by field because the
// library's reflection cost about 13 µs a report, the largest single
// cost of storing one; this takes about a quarter of that. A test
// compares the two encoders on every field (TestReportCBORMatchesLibrary)
// and a fuzz test on analysed messages (FuzzReportCBOR): a field added to
// a report type and not here fails them.
//
// The rules followed are the library's defaults plus the time option of
// cborEnc: structs are maps keyed by their json names in field order,
// omitempty fields left out when empty (a nil pointer, a zero number, an
// empty string or slice, false), a nil slice or pointer that is not
// omitempty is null, times are RFC 3339 text with nanoseconds (null when
// zero), float64 stays 64-bit except NaN and the infinities (half
// precision). Every map here has fewer than 24 entries, so its head is one
// byte, counted after the fields are written.
//
// ok is false when a time is outside what RFC 3339 can write (a year
// outside 0–9999, a zone offset of 24 hours or more), which the library
// refuses.
func appendReportCBOR(dst []byte, r *analysis.Report) (b []byte, ok bool) {
	e := cborWriter{b: dst, ok: true}
	at := e.mapStart()
	n := e.str("id", r.ID) + e.str("analyzer_version", r.AnalyzerVersion) + e.int("size", int64(r.Size))
	e.key("summary")
	e.summary(&r.Summary)
	n++
	n += list(&e, "headers", r.Headers, (*cborWriter).header) + list(&e, "hops", r.Hops, (*cborWriter).hop)
	e.key("auth")
	e.auth(&r.Auth)
	n++
	n += list(&e, "urls", r.URLs, (*cborWriter).url) + list(&e, "attachments", r.Attachments, (*cborWriter).attachment) +
		e.strOmit("system", r.System) + list(&e, "findings", r.Findings, (*cborWriter).finding)
	n += e.int("score", int64(r.Score)) + e.int("raw_score", int64(r.RawScore)) + e.strsOmit("warnings", r.Warnings) + e.boolOmit("imported", r.Imported)
	if r.Wrapper != nil {
		e.key("wrapper")
		e.wrapper(r.Wrapper)
		n++
	}
	e.mapEnd(at, n)
	return e.b, e.ok
}

// list writes the omitempty list field k, each element with item, and
// returns the number of fields written.
func list[T any](e *cborWriter, k string, xs []T, item func(*cborWriter, *T)) int {
	if len(xs) == 0 {
		return 0
	}
	return listOrNull(e, k, xs, item)
}

// listOrNull writes the list field k of a field without omitempty: null
// when xs is nil. It returns 1.
func listOrNull[T any](e *cborWriter, k string, xs []T, item func(*cborWriter, *T)) int {
	e.key(k)
	if xs == nil {
		e.b = append(e.b, cborNull)
		return 1
	}
	e.array(len(xs))
	for i := range xs {
		item(e, &xs[i])
	}
	return 1
}

func (e *cborWriter) wrapper(w *analysis.Wrapper) {
	at := e.mapStart()
	n := e.str("id", w.ID) + e.int("size", int64(w.Size)) + e.str("kind", w.Kind) + e.str("path", w.Path) + e.int("depth", int64(w.Depth)) + e.boolOmit("incomplete", w.Incomplete)
	e.key("reporter")
	rp := &w.Reporter
	at2 := e.mapStart()
	e.key("from")
	e.address(&rp.From)
	e.mapEnd(at2, 1+e.time("date", rp.Date)+e.strOmit("message_id", rp.MessageID)+e.strOmit("subject", rp.Subject)+e.strOmit("note", rp.Note)+e.strOmit("wrapper_id", rp.WrapperID))
	e.mapEnd(at, n+1)
}

func (e *cborWriter) header(h *analysis.HeaderField) {
	at := e.mapStart()
	e.mapEnd(at, e.str("key", h.Key)+e.str("value", h.Value)+e.strOmit("decoded", h.Decoded))
}

func (e *cborWriter) attachment(a *analysis.Attachment) {
	at := e.mapStart()
	e.mapEnd(at, e.str("name", a.Name)+e.str("declared_type", a.DeclaredType)+e.strOmit("sniffed_type", a.SniffedType)+
		e.int("size", a.Size)+e.str("sha256", a.SHA256)+e.strsOmit("flags", a.Flags)+e.strsOmit("entries", a.Entries))
}

func (e *cborWriter) finding(f *analysis.Finding) {
	at := e.mapStart()
	e.mapEnd(at, e.str("rule", f.Rule)+e.int("points", int64(f.Points))+e.str("summary", f.Summary)+e.strOmit("evidence", f.Evidence))
}

func (e *cborWriter) summary(s *analysis.Summary) {
	at := e.mapStart()
	e.key("from")
	e.address(&s.From)
	n := 1 + listOrNull(e, "to", s.To, (*cborWriter).address) + list(e, "cc", s.Cc, (*cborWriter).address) + list(e, "reply_to", s.ReplyTo, (*cborWriter).address)
	if s.Sender != nil {
		e.key("sender")
		e.address(s.Sender)
		n++
	}
	n += e.strOmit("return_path", s.ReturnPath) + e.str("subject", s.Subject) + e.time("date", s.Date) + e.str("message_id", s.MessageID)
	e.mapEnd(at, n)
}

func (e *cborWriter) address(a *analysis.Address) {
	at := e.mapStart()
	e.mapEnd(at, e.str("name", a.Name)+e.str("address", a.Address))
}

func (e *cborWriter) hop(h *analysis.Hop) {
	at := e.mapStart()
	n := e.int("index", int64(h.Index)) + e.strOmit("from_helo", h.FromHelo) + e.strOmit("from_rdns", h.FromRDNS) + e.strOmit("from_ip", h.FromIP) +
		e.strOmit("by", h.By) + e.strOmit("with", h.With) + e.strOmit("tls", h.TLS) + e.strOmit("id", h.ID) + e.strOmit("for", h.For) +
		e.strOmit("envelope_from", h.EnvFrom) + e.time("time", h.Time)
	if h.Delay != nil {
		e.key("delay")
		e.float(*h.Delay)
		n++
	}
	n += e.boolOmit("origin", h.Origin) + e.boolOmit("trusted", h.Trusted) + e.strsOmit("flags", h.Flags) + e.str("raw", h.Raw) + e.netInfo(h.Net)
	e.mapEnd(at, n)
}

// netInfo writes the omitempty field "net" when ni is set.
func (e *cborWriter) netInfo(ni *analysis.NetInfo) int {
	if ni == nil {
		return 0
	}
	e.key("net")
	at := e.mapStart()
	n := e.str("ip", ni.IP)
	if ni.ASN != 0 {
		n += e.int("asn", int64(ni.ASN))
	}
	n += e.strOmit("as_org", ni.ASOrg) + e.strOmit("country", ni.Country) + e.strOmit("rdns", ni.RDNS) + e.str("source", ni.Source) + e.time("as_of", ni.AsOf)
	e.mapEnd(at, n)
	return 1
}

func (e *cborWriter) auth(a *analysis.Auth) {
	at := e.mapStart()
	n := e.strOmit("authserv_id", a.AuthServID) + e.bool("trusted", a.Trusted) + list(e, "results", a.Results, (*cborWriter).authResult) + list(e, "arc", a.ARC, (*cborWriter).authResult) +
		e.strsOmit("dkim_domains", a.DKIMDomains) + e.boolPtr("spf_aligned", a.SPFAligned) + e.boolPtr("dkim_aligned", a.DKIMAligned)
	if a.ARCSets != 0 {
		n += e.int("arc_sets", int64(a.ARCSets))
	}
	n += list(e, "arc_first", a.ARCFirst, (*cborWriter).authResult) + e.strOmit("arc_first_id", a.ARCFirstID) + e.boolOmit("arc_first_fail", a.ARCFirstFail)
	if id := a.Identity; id != nil {
		e.key("identity")
		at := e.mapStart()
		e.mapEnd(at, e.str("domain", id.Domain)+listOrNull(e, "methods", id.Methods, (*cborWriter).textp)+e.boolOmit("via_arc", id.ViaARC))
		n++
	}
	e.mapEnd(at, n)
}

func (e *cborWriter) authResult(r *analysis.AuthResult) {
	at := e.mapStart()
	e.mapEnd(at, e.str("method", r.Method)+e.str("result", r.Result)+e.strOmit("domain", r.Domain)+e.strOmit("reason", r.Reason))
}

func (e *cborWriter) url(u *analysis.URL) {
	at := e.mapStart()
	e.mapEnd(at, e.str("raw", u.Raw)+e.str("url", u.URL)+e.strOmit("unwrapped", u.Unwrapped)+e.str("source", u.Source)+e.strOmit("anchor_text", u.AnchorText)+
		e.str("scheme", u.Scheme)+e.str("host", u.Host)+e.strOmit("host_unicode", u.HostUnicode)+e.strOmit("domain", u.Domain)+
		e.strsOmit("flags", u.Flags)+e.str("defanged", u.Defanged)+e.netInfo(u.Net))
}

// cborWriter appends CBOR items. Its field methods write a map entry
// (key and value) and return the number of entries written, 0 or 1, for
// the map's head.
type cborWriter struct {
	b  []byte
	ok bool // false after a time RFC 3339 cannot write
}

const (
	cborNull  = 0xf6
	cborFalse = 0xf4
	cborTrue  = 0xf5
)

// head appends an item head of major type major and argument n.
func (e *cborWriter) head(major byte, n uint64) {
	m := major << 5
	switch {
	case n < 24:
		e.b = append(e.b, m|byte(n))
	case n <= math.MaxUint8:
		e.b = append(e.b, m|24, byte(n))
	case n <= math.MaxUint16:
		e.b = binary.BigEndian.AppendUint16(append(e.b, m|25), uint16(n))
	case n <= math.MaxUint32:
		e.b = binary.BigEndian.AppendUint32(append(e.b, m|26), uint32(n))
	default:
		e.b = binary.BigEndian.AppendUint64(append(e.b, m|27), n)
	}
}

func (e *cborWriter) text(s string) {
	e.head(3, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *cborWriter) key(k string) { e.text(k) }

func (e *cborWriter) array(n int) { e.head(4, uint64(n)) }

// mapStart writes the head of a map of fewer than 24 entries, to be
// counted by mapEnd, and returns where it is.
func (e *cborWriter) mapStart() int {
	e.b = append(e.b, 5<<5)
	return len(e.b) - 1
}

func (e *cborWriter) mapEnd(at, n int) { e.b[at] |= byte(n) }

func (e *cborWriter) str(k, v string) int {
	e.key(k)
	e.text(v)
	return 1
}

func (e *cborWriter) strOmit(k, v string) int {
	if v == "" {
		return 0
	}
	return e.str(k, v)
}

func (e *cborWriter) int(k string, v int64) int {
	e.key(k)
	if v >= 0 {
		e.head(0, uint64(v))
	} else {
		e.head(1, uint64(-(v + 1)))
	}
	return 1
}

func (e *cborWriter) bool(k string, v bool) int {
	e.key(k)
	if v {
		e.b = append(e.b, cborTrue)
	} else {
		e.b = append(e.b, cborFalse)
	}
	return 1
}

func (e *cborWriter) boolOmit(k string, v bool) int {
	if !v {
		return 0
	}
	return e.bool(k, v)
}

func (e *cborWriter) boolPtr(k string, v *bool) int {
	if v == nil {
		return 0
	}
	return e.bool(k, *v)
}

// strsOmit writes the omitempty list of strings k.
func (e *cborWriter) strsOmit(k string, ss []string) int { return list(e, k, ss, (*cborWriter).textp) }

func (e *cborWriter) textp(s *string) { e.text(*s) }

// time writes t as RFC 3339 text with nanoseconds, null when zero.
func (e *cborWriter) time(k string, t time.Time) int {
	e.key(k)
	if t.IsZero() {
		e.b = append(e.b, cborNull)
		return 1
	}
	var buf [64]byte
	s := t.AppendFormat(buf[:0], time.RFC3339Nano)
	if y := t.Year(); y < 0 || y > 9999 {
		e.ok = false
	} else if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		e.ok = false
	}
	e.head(3, uint64(len(s)))
	e.b = append(e.b, s...)
	return 1
}

// float writes f as a 64-bit float, NaN and the infinities as half
// precision.
func (e *cborWriter) float(f float64) {
	switch {
	case math.IsNaN(f):
		e.b = append(e.b, 0xf9, 0x7e, 0x00)
	case math.IsInf(f, 1):
		e.b = append(e.b, 0xf9, 0x7c, 0x00)
	case math.IsInf(f, -1):
		e.b = append(e.b, 0xf9, 0xfc, 0x00)
	default:
		e.b = binary.BigEndian.AppendUint64(append(e.b, 0xfb), math.Float64bits(f))
	}
}
