// Package unwraptest builds report wrappers around a message for tests:
// the ways an employee or an abuse desk reports a phish (attached,
// .eml, Outlook .msg, ARF, inline forwards in Gmail's and Outlook's
// styles, English and Japanese), built by code so that fixtures never
// show what a mail client could not produce.
package unwraptest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/testutil"
)

// Reporter is who forwards the message.
type Reporter struct {
	Name, Addr string
	Note       string
	Date       time.Time // zero: 2026-12-01 09:00 UTC
	MessageID  string    // "": derived from Addr
	To         string    // the report mailbox; "": phish-report@example.com
}

func (r Reporter) header(subject, ctype string) string {
	d := r.Date
	if d.IsZero() {
		d = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	}
	id := r.MessageID
	if id == "" {
		id = fmt.Sprintf("<report.%d.%s>", d.Unix(), strings.ReplaceAll(r.Addr, "@", ".at."))
	}
	to := r.To
	if to == "" {
		to = "phish-report@example.com"
	}
	from := r.Addr
	if r.Name != "" {
		from = mime.BEncoding.Encode("utf-8", r.Name) + " <" + r.Addr + ">"
	}
	return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + mime.BEncoding.Encode("utf-8", subject) +
		"\r\nDate: " + d.Format(time.RFC1123Z) + "\r\nMessage-ID: " + id +
		"\r\nMIME-Version: 1.0\r\nContent-Type: " + ctype + "\r\n\r\n"
}

// boundaryFor is a boundary that cannot occur in content: derived from
// its hash, as mail clients derive theirs from random bits.
func boundaryFor(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "=_report_" + hex.EncodeToString(sum[:12])
}

func (r Reporter) mixed(subject string, part string) []byte {
	pre, post := r.mixedAround(subject, boundaryFor(part))
	return []byte(pre + part + post)
}

// mixedAround is a multipart/mixed wrapper with the note as its first
// part, split around where the second part goes.
func (r Reporter) mixedAround(subject, boundary string) (pre, post string) {
	var b strings.Builder
	b.WriteString(r.header(subject, `multipart/mixed; boundary="`+boundary+`"`))
	b.WriteString("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(testutil.Base64Lines([]byte(r.Note)))
	b.WriteString("--" + boundary + "\r\n")
	return b.String(), "\r\n--" + boundary + "--\r\n"
}

// Attached forwards orig as a message/rfc822 attachment (Outlook's
// "forward as attachment", the report buttons).
func Attached(orig []byte, r Reporter) []byte {
	return r.mixed("FW: suspicious mail", "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"original.eml\"\r\n\r\n"+string(orig))
}

// OctetEML attaches orig as an .eml file of type application/octet-stream,
// base64-encoded.
func OctetEML(orig []byte, r Reporter) []byte {
	return r.mixed("suspicious mail", "Content-Type: application/octet-stream; name=\"phish.eml\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"phish.eml\"\r\n\r\n"+testutil.Base64Lines(orig))
}

// AttachedMSG attaches an Outlook .msg file (see MSG).
func AttachedMSG(msg []byte, r Reporter) []byte {
	return r.mixed("FW: suspicious mail", "Content-Type: application/vnd.ms-outlook; name=\"phish.msg\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"phish.msg\"\r\n\r\n"+testutil.Base64Lines(msg))
}

// ARF wraps orig in an RFC 5965 feedback report; headersOnly sends
// text/rfc822-headers instead of the whole message.
func ARF(orig []byte, r Reporter, headersOnly bool) []byte {
	boundary := boundaryFor(string(orig))
	var b strings.Builder
	b.WriteString(r.header("FW: abuse report", `multipart/report; report-type=feedback-report; boundary="`+boundary+`"`))
	b.WriteString("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + r.Note + "\r\n")
	b.WriteString("--" + boundary + "\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: unwraptest/1.0\r\nVersion: 1\r\n\r\n")
	if headersOnly {
		h := orig
		if i := strings.Index(string(orig), "\r\n\r\n"); i >= 0 {
			h = orig[:i+2]
		} else if i := strings.Index(string(orig), "\n\n"); i >= 0 {
			h = orig[:i+1]
		}
		b.WriteString("--" + boundary + "\r\nContent-Type: text/rfc822-headers\r\n\r\n" + string(h) + "\r\n")
	} else {
		b.WriteString("--" + boundary + "\r\nContent-Type: message/rfc822\r\n\r\n" + string(orig) + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return []byte(b.String())
}

// Style is an inline forward's client and language.
type Style int

// Inline forward styles.
const (
	GmailEN Style = iota
	GmailJA
	OutlookEN
	OutlookJA
	OutlookOldEN // "-----Original Message-----" with [mailto:]
	AppleEN
)

// Inline forwards orig inline in style: the reporter's note, the
// client's separator and quoted header block, then orig's text body.
func Inline(orig []byte, r Reporter, style Style) []byte {
	p := message.Parse(orig, message.DefaultLimits())
	s := p.Summary
	from := s.From.Address
	if s.From.Name != "" {
		from = s.From.Name + " <" + s.From.Address + ">"
	}
	var to []string
	for _, a := range s.To {
		to = append(to, a.Address)
	}
	date := s.Date.Format("Mon, Jan 2, 2006 at 3:04 PM")
	dateJA := s.Date.Format("2006年1月2日 15:04")
	var block, subj string
	switch style {
	case GmailEN:
		subj = "Fwd: " + s.Subject
		block = "---------- Forwarded message ---------\nFrom: " + from + "\nDate: " + date + "\nSubject: " + s.Subject + "\nTo: <" + strings.Join(to, ">, <") + ">\n\n"
	case GmailJA:
		subj = "Fwd: " + s.Subject
		block = "---------- 転送されたメッセージ ---------\nFrom: " + from + "\nDate: " + dateJA + "\nSubject: " + s.Subject + "\nTo: <" + strings.Join(to, ">, <") + ">\n\n"
	case OutlookEN:
		subj = "FW: " + s.Subject
		block = "________________________________\nFrom: " + from + "\nSent: " + s.Date.Format("Monday, January 2, 2006 3:04 PM") + "\nTo: " + strings.Join(to, "; ") + "\nSubject: " + s.Subject + "\n\n"
	case OutlookJA:
		subj = "FW: " + s.Subject
		block = "差出人: " + from + "\n送信日時: " + dateJA + "\n宛先: " + strings.Join(to, "; ") + "\n件名: " + s.Subject + "\n\n"
	case OutlookOldEN:
		subj = "FW: " + s.Subject
		block = "-----Original Message-----\nFrom: " + s.From.Name + " [mailto:" + s.From.Address + "]\nSent: " + s.Date.Format("Monday, January 2, 2006 3:04 PM") + "\nTo: " + strings.Join(to, "; ") + "\nSubject: " + s.Subject + "\n\n"
	case AppleEN:
		subj = "Fwd: " + s.Subject
		block = "Begin forwarded message:\n\nFrom: " + from + "\nSubject: " + s.Subject + "\nDate: " + s.Date.Format("January 2, 2006 at 3:04:05 PM MST") + "\nTo: " + strings.Join(to, ", ") + "\n\n"
	}
	var body string
	for _, pt := range p.TextParts {
		if !pt.Nested {
			body = pt.Text
			break
		}
	}
	text := r.Note + "\n\n" + block + body
	return []byte(r.header(subj, "text/plain; charset=utf-8") + strings.ReplaceAll(text, "\n", "\r\n"))
}

// Nest wraps orig n times as an attachment (as Attached does), each
// layer from the same reporter. It costs the size of the result, not n
// times it.
func Nest(orig []byte, r Reporter, n int) []byte {
	const attached = "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"original.eml\"\r\n\r\n"
	pres := make([]string, n)
	posts := make([]string, n)
	for k := range n {
		pre, post := r.mixedAround("FW: suspicious mail", fmt.Sprintf("=_nest_%06d_%s", k, boundaryFor(string(orig))[9:]))
		pres[k], posts[k] = pre+attached, post
	}
	var b strings.Builder
	for k := n - 1; k >= 0; k-- {
		b.WriteString(pres[k])
	}
	b.Write(orig)
	for k := range n {
		b.WriteString(posts[k])
	}
	return []byte(b.String())
}

// NoOriginal is a message to the report mailbox that holds no original: a
// user asking a question with a forward-looking subject.
func NoOriginal(r Reporter) []byte {
	return []byte(r.header("Fwd: is this email real?", "text/plain; charset=utf-8") +
		"Hi, I got a mail saying my mailbox is full, I deleted it. Was it real?\r\n")
}
