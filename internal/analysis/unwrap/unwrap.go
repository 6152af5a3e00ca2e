// Package unwrap finds the original message inside a report wrapper: the
// mail an employee sends to a "report phishing" mailbox (the phish
// attached as message/rfc822, as an .eml or Outlook .msg file, or
// forwarded inline) and the feedback reports of abuse desks (RFC 5965
// ARF). The triaged message is the original; the wrapper says who
// reported it.
//
// Unwrap is pure and deterministic: the same wrapper bytes always give
// the same original and the same Path, so that a store can re-derive the
// original from the wrapper's locator. It is bounded: at most MaxDepth
// wrappers are removed, an original larger than MaxOriginal is not
// extracted, and every step reads only a wrapper's top-level parts.
package unwrap

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Bounds.
const (
	// MaxDepth is the number of nested wrappers removed; a deeper nesting
	// stops there with a warning and the message at that depth is triaged.
	MaxDepth = 8
	// MaxOriginal bounds the bytes of an extracted or rebuilt original.
	MaxOriginal = 25 << 20
	// MaxNote bounds the reporter's note text in bytes.
	MaxNote = 2000
)

// ErrPathChanged is returned by Derive when the wrapper no longer unwraps
// along the path it was stored with.
var ErrPathChanged = errors.New("unwrap path changed")

// Result is an unwrapped report.
type Result struct {
	// Original is the innermost original's bytes. It may share memory with
	// the wrapper's bytes.
	Original []byte
	// Parsed is Original parsed with the limits given to Unwrap.
	Parsed  *message.Parsed
	Wrapper report.Wrapper
	// Chain is the reporter of every wrapper removed, outermost first
	// (Wrapper.Reporter is Chain[0]).
	Chain []report.Reporter
	// Quoting is set when an inline forward was rebuilt: the message whose
	// text held it, and the unwrapping up to that message (Depth 0 when it
	// is the outermost), so that a caller can weigh the message as
	// delivered against the rebuilt original.
	Quoting *Layer
	// Warnings are about the unwrapping (a depth bound hit, an inline
	// forward's missing evidence, a broken .msg).
	Warnings []string
}

// Layer is one message on the way to the original.
type Layer struct {
	Raw     []byte
	Parsed  *message.Parsed
	Wrapper report.Wrapper
}

// layer is one wrapper removed.
type layer struct {
	kind       string
	part       int
	inner      []byte
	incomplete bool
	note       string // the wrapper's own text, without the forwarded part
	warnings   []string
}

// Unwrap returns the original inside raw, or nil when raw is not a report
// wrapper (a wrapper holding no original is not one). A message that looked
// like a wrapper but whose attachment could not be read (a broken .msg)
// gives a Result with Original == raw, Wrapper.Depth == 0 and the warnings. p is raw parsed with
// lim, as the analysis parses it; Unwrap parses the inner layers itself.
// A cheap look at p decides first, so that mail without wrappers costs
// almost nothing.
func Unwrap(raw []byte, p *message.Parsed, lim message.Limits) *Result {
	if p == nil || !Candidate(p) {
		return nil
	}
	var res *Result
	cur, cp := raw, p
	for depth := 0; ; depth++ {
		if depth > 0 && !Candidate(cp) {
			break
		}
		if depth == MaxDepth {
			res.Warnings = append(res.Warnings, fmt.Sprintf("unwrap: report wrappers nested deeper than %d; triaged the message at depth %d", MaxDepth, MaxDepth))
			break
		}
		l, ok := peel(cur, cp)
		if !ok {
			if res == nil && len(l.warnings) > 0 {
				// Not a wrapper after all, but what failed is worth saying.
				return &Result{Original: raw, Parsed: p, Warnings: l.warnings}
			}
			if res != nil {
				res.Warnings = append(res.Warnings, l.warnings...)
			}
			break
		}
		if res == nil {
			res = &Result{}
			sum := sha256.Sum256(raw)
			res.Wrapper = report.Wrapper{
				ID:       "sha256:" + hex.EncodeToString(sum[:]),
				Size:     len(raw),
				Reporter: reporterOf(p, l.note),
			}
			res.Wrapper.Reporter.WrapperID = res.Wrapper.ID
		} else {
			res.Wrapper.Path += "/"
		}
		if depth == 0 {
			res.Chain = append(res.Chain, res.Wrapper.Reporter)
		} else {
			r := reporterOf(cp, l.note)
			r.WrapperID = res.Wrapper.ID
			res.Chain = append(res.Chain, r)
		}
		if l.kind == report.WrapInline && res.Quoting == nil {
			res.Quoting = &Layer{Raw: cur, Parsed: cp, Wrapper: res.Wrapper}
		}
		res.Wrapper.Path += l.kind + ":" + strconv.Itoa(l.part)
		res.Wrapper.Kind = l.kind
		res.Wrapper.Depth = depth + 1
		res.Wrapper.Incomplete = res.Wrapper.Incomplete || l.incomplete
		res.Warnings = append(res.Warnings, l.warnings...)
		cur = l.inner
		cp = message.Parse(cur, lim)
	}
	if res == nil {
		return nil
	}
	res.Original, res.Parsed = cur, cp
	if res.Wrapper.Incomplete && res.Wrapper.Kind == report.WrapInline {
		res.Warnings = append(res.Warnings, "inline forward: header evidence incomplete (the original's Received hops and authentication results are not in the forward)")
	}
	return res
}

// Derive re-derives the original inside raw along path (a Wrapper.Path,
// or a prefix of the path Unwrap finds when a caller kept an outer
// layer), for re-reading a message stored with its wrapper's locator. It
// fails when raw no longer unwraps along path.
func Derive(raw []byte, path string, lim message.Limits) ([]byte, error) {
	cur, cp := raw, message.Parse(raw, lim)
	got := ""
	for depth := 0; depth < MaxDepth && Candidate(cp); depth++ {
		l, ok := peel(cur, cp)
		if !ok {
			break
		}
		if got != "" {
			got += "/"
		}
		got += l.kind + ":" + strconv.Itoa(l.part)
		cur = l.inner
		if got == path {
			return cur, nil
		}
		if !strings.HasPrefix(path, got+"/") {
			break
		}
		cp = message.Parse(cur, lim)
	}
	if got == "" {
		return nil, fmt.Errorf("unwrap: %w: no report wrapper found", ErrPathChanged)
	}
	return nil, fmt.Errorf("unwrap: %w: got %q, want %q", ErrPathChanged, got, path)
}

// Candidate is the cheap test that decides whether a parsed message may be
// a report wrapper: an attached message (message/rfc822, text/rfc822-headers,
// .eml, .msg), a multipart/report, or a forward's subject prefix.
func Candidate(p *message.Parsed) bool {
	for i := range p.Attachments {
		a := &p.Attachments[i]
		switch a.DeclaredType {
		case "message/rfc822", "message/global", "text/rfc822-headers", "application/vnd.ms-outlook":
			return true
		}
		if n := len(a.Name); n > 4 && a.Name[n-4] == '.' {
			switch strings.ToLower(a.Name[n-3:]) {
			case "eml", "msg":
				return true
			}
		}
		// An .eml under another name: octet-stream that sniffs as text.
		if a.DeclaredType == "application/octet-stream" && (a.SniffedType == "" || a.SniffedType == "text/plain") && a.Size > 64 {
			return true
		}
	}
	return forwardSubject(p.Summary.Subject)
}

// reporterOf is the reporter of a wrapper: its sender, date, Message-ID,
// subject and note.
func reporterOf(p *message.Parsed, note string) report.Reporter {
	note = strings.TrimSpace(note)
	note = charset.TruncUTF8(note, MaxNote)
	return report.Reporter{
		From:      p.Summary.From,
		Date:      p.Summary.Date,
		MessageID: p.Summary.MessageID,
		Subject:   charset.TruncUTF8(p.Summary.Subject, 998),
		Note:      note,
	}
}

// peel removes one wrapper. When none is found, the layer may still
// carry warnings (an attached .msg that could not be read).
func peel(raw []byte, p *message.Parsed) (layer, bool) {
	l, ok := peelMIME(raw, p)
	if ok {
		return l, true
	}
	// Inline forwards only under a forward's subject: a reply quotes an
	// earlier message the same way, and is no report.
	if !forwardSubject(p.Summary.Subject) {
		return l, false
	}
	if il, ok := peelInline(p); ok {
		il.warnings = append(il.warnings, l.warnings...)
		return il, true
	}
	return l, false
}
