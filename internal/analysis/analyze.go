package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/triage-tools/triage/internal/analysis/auth"
	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/infra"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/near"
	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/analysis/unwrap"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// bodyScanBytes bounds how much body text the brand and lexicon scans read.
const bodyScanBytes = 16 << 10

// Analyze is New(cfg).Analyze(raw), for one-off use: a caller that
// analyses many messages builds its Analyzer once. A nil or zero Config
// (every field unset: the defaults) shares one default Analyzer, built on
// first use.
func Analyze(raw []byte, cfg *Config) *Report {
	if cfg == nil || reflect.ValueOf(cfg).Elem().IsZero() {
		return defaultAnalyzer().Analyze(raw)
	}
	return New(cfg).Analyze(raw)
}

// defaultAnalyzer is New(nil), built once.
var defaultAnalyzer = sync.OnceValue(func() *Analyzer { return New(nil) })

// Analyze parses raw and runs every rule. It never fails: problems become
// parse warnings on the report. Safe for concurrent use.
//
// A message that is a report wrapper (see package unwrap) gives the
// report of the original inside it, with Wrapper set.
func (an *Analyzer) Analyze(raw []byte) *Report {
	lim := an.cfg.Limits
	p := message.Parse(raw, lim)
	orig, op, wrap := original(raw, p, lim, an.cfg.ReportAddresses)
	rep := an.analyze(orig, op, wrap)
	switch {
	case wrap == nil:
		return rep
	case wrap.Wrapper.Incomplete:
		return an.inlineGuard(wrap, rep)
	}
	return an.attachedGuard(raw, p, rep)
}

// analyze runs every rule on raw, parsed as p, the original found in wrap
// (nil for a message that is not a report wrapper).
func (an *Analyzer) analyze(raw []byte, p *message.Parsed, wrap *unwrap.Result) *Report {
	cfg := &an.cfg
	lim := cfg.Limits
	sum := sha256.Sum256(raw)
	rep := &Report{
		ID:              "sha256:" + hex.EncodeToString(sum[:]),
		AnalyzerVersion: an.version,
		Size:            len(raw),
	}
	rep.Summary = p.Summary
	rep.Headers = p.Headers
	rep.Attachments = p.Attachments
	rep.Warnings = p.Warnings
	if wrap != nil {
		rep.Wrapper = &wrap.Wrapper
		rep.Warnings = append(slices.Clip(wrap.Warnings), rep.Warnings...)
	}
	a := &analyzer{cfg: cfg, reg: cfg.Brands, inf: cfg.Infra, p: p, rep: rep, f: &findings{an: an}}
	defer func() {
		// Rules are pure code over bounded data; a bug in one must not take
		// down a mailbox scan, nor hide what the other steps found.
		if e := recover(); e != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("analysis: internal error: %v", e))
			rep.Findings = a.f.list
			sortFindings(rep.Findings)
			rep.RawScore = RawScore(rep.Findings)
			rep.Score = Score(rep.Findings)
		}
	}()
	a.run(lim)
	rep.Findings = a.f.list
	sortFindings(rep.Findings)
	rep.RawScore = RawScore(rep.Findings)
	rep.Score = Score(rep.Findings)
	return rep
}

type analyzer struct {
	cfg *Config
	reg *brands.Registry
	inf *infra.Set
	p   *message.Parsed
	rep *Report
	f   *findings

	fromDomain string          // registered domain of From
	fromBrand  bool            // fromDomain is a known brand's (ownName)
	claimed    []*brands.Brand // brands claimed in the display name or (outside replies) the subject
	idBrand    *brands.Brand   // brand whose own domain the message is authenticated as (Auth.Identity)
	nameClaim  bool            // some claim comes from the display name
	bodyBrands []*brands.Brand
	html       urls.HTMLStats // summary of the HTML body parts
	terms      content.Terms  // lexicon and lure terms of subject and body
	folded     string         // subject and body folded for matching (foldContent), valid during run
	foldedBody int            // where the body starts in folded
	foldBuf    *[]byte        // pooled buffer behind folded
	linkOnly   []linkOnlyPDF  // PDF attachments that are only a link (media.go)
}

func (a *analyzer) run(lim Limits) {
	s := &a.rep.Summary
	fromAddr := strings.ToLower(s.From.Address)
	fromHost := domain.OfAddress(fromAddr)
	a.fromDomain = domain.Registered(fromHost)
	a.fromBrand = a.fromDomain != "" && a.reg.ByDomain(a.fromDomain) != nil

	a.rep.Hops = received.BuildHops(a.p.Headers, s.Date, a.cfg.TrustedHosts, a.cfg.TrustedNetworks)
	a.rep.Auth = auth.Parse(a.p.Headers, fromHost, a.cfg.TrustedHosts)
	a.idBrand = a.identityBrand()
	a.rep.System = a.systemKind()

	var recipients []string
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if ad.Address != "" && !a.reportAddress(ad.Address) {
				recipients = append(recipients, strings.ToLower(ad.Address))
			}
		}
	}
	a.isolated("URL extraction", func() {
		found, warns := urls.ExtractWith(a.p, recipients, lim.MaxURLs, a.media())
		a.rep.URLs = found
		a.rep.Warnings = append(a.rep.Warnings, warns...)
	})

	a.foldContent()
	defer a.releaseFolded()
	a.terms = content.Scan(a.folded)
	a.isolated("near-duplicate features", a.near)
	for i := range a.p.HTMLParts {
		a.html.Add(a.p.HTMLParts[i].Text)
	}

	a.isolated("sender rules", func() { a.sender(fromAddr) })
	a.isolated("hop rules", a.hops)
	a.isolated("authentication rules", a.auth)
	a.isolated("URL rules", a.urls)
	a.isolated("attachment rules", a.attachments)
	a.isolated("QR code and PDF rules", a.mediaRules)
	a.isolated("content rules", func() { a.content(recipients) })
	a.isolated("lone content term", a.loneTerm)
	a.isolated("features", a.features)
}

// isolated runs one step of the analysis. A panic in it (a bug, never the
// message's fault) becomes the warning "analysis: internal error in
// <step>: …" and the other steps still run, so that one step never hides
// the evidence of the others.
func (a *analyzer) isolated(step string, fn func()) {
	defer func() {
		if e := recover(); e != nil {
			a.rep.Warnings = append(a.rep.Warnings, fmt.Sprintf("analysis: internal error in %s: %v", step, e))
		}
	}()
	fn()
}

// bodyPieces calls fn with up to bodyScanBytes of body text for the brand
// and lexicon scans: the text/plain parts, and the HTML parts only when
// there is no plain text (an alternative part says the same again).
func (a *analyzer) bodyPieces(fn func(t string, html bool)) {
	groups := [][]message.Part{a.p.TextParts, a.p.HTMLParts}
	if a.hasPlainText() {
		groups = groups[:1]
	}
	n := 0
	for g, parts := range groups {
		for _, pt := range parts {
			if n >= bodyScanBytes {
				return
			}
			t := pt.Text
			if len(t) > bodyScanBytes-n {
				t = t[:bodyScanBytes-n]
			}
			n += len(t) + 1
			fn(t, g == 1)
		}
	}
}

// foldContent folds the subject and the body pieces into one pooled
// buffer (no joined copy) for the lexicon, lure and body brand scans:
// a.folded, with the body from a.foldedBody on. releaseFolded returns the
// buffer.
func (a *analyzer) foldContent() {
	bp := fold.GetBuf()
	b := fold.Append((*bp)[:0], a.rep.Summary.Subject, fold.MatchMode)
	b = append(b, '\n')
	a.foldedBody = len(b)
	a.bodyPieces(func(t string, html bool) {
		if html {
			b = appendVisibleFolded(b, t)
		} else {
			b = fold.Append(b, t, fold.MatchMode)
		}
		b = append(b, '\n')
	})
	*bp = b
	a.foldBuf = bp
	a.folded = unsafe.String(unsafe.SliceData(b), len(b))
}

// near fills Report.Near from the subject, the recipients and the folded
// visible body.
func (a *analyzer) near() {
	s := &a.rep.Summary
	var names []string // the first recipients: a wave goes to one at a time
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if len(names) < 2*near.MaxNames {
				names = append(names, ad.Address, ad.Name)
			}
		}
	}
	body := a.folded[a.foldedBody:]
	sim, n := near.SimHash(body)
	a.rep.Near = report.Near{Skeleton: near.Skeleton(s.Subject, names), SimHash: sim, Shingles: n, Body: near.BodyHash(body)}
}

func (a *analyzer) releaseFolded() {
	if a.foldBuf == nil {
		return
	}
	fold.PutBuf(a.foldBuf)
	a.foldBuf, a.folded = nil, ""
}

// relatedDomain reports whether a link's registered domain belongs to the
// sender or to one of the claimed brands.
func (a *analyzer) relatedDomain(d string) bool {
	if d == "" || a.ownName(d) {
		return true
	}
	for _, b := range a.claimed {
		if b.Owns(d) {
			return true
		}
	}
	return false
}

// ownName reports whether registered domain d is the sender's: From's
// registered domain, or the same name spelled with or without German
// umlauts (domain.SameName) unless From's domain is a known brand's, whose
// umlaut twin (sparkaße.de for sparkasse.de) an impostor could register.
func (a *analyzer) ownName(d string) bool {
	if d == a.fromDomain {
		return d != ""
	}
	return !a.fromBrand && domain.SameName(d, a.fromDomain)
}

// header returns the first header field named key (case-insensitive),
// RFC 2047-decoded when that differs from the raw value, or "".
func (a *analyzer) header(key string) string {
	for i := range a.p.Headers {
		h := &a.p.Headers[i]
		if strings.EqualFold(h.Key, key) {
			if h.Decoded != "" {
				return h.Decoded
			}
			return h.Value
		}
	}
	return ""
}

// isRecipient reports whether addr (lower-case) is one of the To or Cc
// addresses.
func (a *analyzer) isRecipient(addr string) bool {
	s := &a.rep.Summary
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if strings.EqualFold(ad.Address, addr) {
				return true
			}
		}
	}
	return false
}

// isReply reports a reply or forward in a conversation: a "Re:"/"Fwd:"
// style subject prefix together with In-Reply-To or References.
func (a *analyzer) isReply() bool {
	subj := strings.TrimSpace(a.rep.Summary.Subject)
	i := strings.IndexByte(subj, ':')
	if i < 2 || i > 4 {
		return false
	}
	switch strings.ToLower(subj[:i]) {
	case "re", "aw", "sv", "fw", "fwd", "wg", "tr", "rv", "antw":
		return a.header("In-Reply-To") != "" || a.header("References") != ""
	}
	return false
}

// undisclosedRecipients reports a To header that hides the recipients
// ("undisclosed-recipients:;"), the mark of a Bcc'd bulk send.
func (a *analyzer) undisclosedRecipients() bool {
	to := a.header("To")
	if len(to) > 200 {
		to = to[:200]
	}
	to = strings.ToLower(to)
	return strings.Contains(to, "undisclosed") || strings.Contains(to, "recipient list not shown") ||
		strings.Contains(to, "recipients suppressed")
}

// hasPlainText reports a non-empty text/plain body part.
func (a *analyzer) hasPlainText() bool {
	for i := range a.p.TextParts {
		if strings.TrimSpace(a.p.TextParts[i].Text) != "" {
			return true
		}
	}
	return false
}

// hasHTMLLink reports a web link in the HTML body.
func (a *analyzer) hasHTMLLink() bool {
	for i := range a.rep.URLs {
		if a.rep.URLs[i].Source == report.SourceHTMLHref {
			return true
		}
	}
	return false
}
