package unwrap

import (
	"html"
	"mime"
	"net/mail"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Inline forwards: the original quoted in the wrapper's text after a
// marker line ("---------- Forwarded message ---------", "-----Original
// Message-----", "Begin forwarded message:", their translations) or an
// Outlook header block ("From:/Sent:/To:/Subject:", "差出人:/送信日時:/
// 宛先:/件名:"). The rebuilt original has the recovered From, To, Cc, Date
// and Subject and the quoted body; its hops and authentication are gone.

const (
	maxInlineText  = 1 << 20 // wrapper text searched for a forward
	maxBlockLines  = 30      // lines of a quoted header block
	maxMarkerScan  = 20000   // lines searched for the start of a forward
	maxLineForMark = 200     // longer lines are never a marker or a header line
)

// markers are forward separator lines, lower-case, with the dashes,
// underscores, spaces and a trailing colon trimmed.
var markers = map[string]bool{
	"forwarded message": true, "original message": true, "begin forwarded message": true,
	"forwarded message follows": true, "message transféré": true, "message d'origine": true,
	"weitergeleitete nachricht": true, "ursprüngliche nachricht": true,
	"mensaje reenviado": true, "mensaje original": true, "messaggio inoltrato": true,
	"messaggio originale": true, "doorgestuurd bericht": true, "oorspronkelijk bericht": true,
	"mensagem encaminhada": true, "mensagem original": true, "vidarebefordrat meddelande": true,
	"転送されたメッセージ": true, "元のメッセージ": true, "転送メッセージ": true, "オリジナルメッセージ": true,
	"原始邮件": true, "转发邮件": true, "전달된 메시지": true, "원본 메시지": true,
}

// Header block keys, lower-case.
const (
	keyFrom = iota + 1
	keyDate
	keyTo
	keyCc
	keySubject
)

var blockKeys = map[string]int{
	"from": keyFrom, "von": keyFrom, "de": keyFrom, "da": keyFrom, "van": keyFrom, "差出人": keyFrom,
	"送信者": keyFrom, "送信元": keyFrom, "发件人": keyFrom, "寄件者": keyFrom, "보낸 사람": keyFrom,
	"date": keyDate, "sent": keyDate, "datum": keyDate, "gesendet": keyDate, "envoyé": keyDate,
	"fecha": keyDate, "enviado": keyDate, "enviado el": keyDate, "data": keyDate, "inviato": keyDate,
	"verzonden": keyDate, "送信日時": keyDate, "日付": keyDate, "日時": keyDate, "发送时间": keyDate,
	"date de l'envoi": keyDate, "보낸 날짜": keyDate,
	"to": keyTo, "an": keyTo, "à": keyTo, "a": keyTo, "para": keyTo, "aan": keyTo, "宛先": keyTo,
	"收件人": keyTo, "받는 사람": keyTo,
	"cc": keyCc, "kopie": keyCc,
	"subject": keySubject, "betreff": keySubject, "objet": keySubject, "asunto": keySubject,
	"oggetto": keySubject, "onderwerp": keySubject, "assunto": keySubject, "件名": keySubject,
	"主题": keySubject, "제목": keySubject,
}

// forwardPrefixes are the subject prefixes of forwards (compared
// case-insensitively).
var forwardPrefixes = []string{"fw", "fwd", "wg", "tr", "rv", "enc", "doorst", "vs", "vb", "転送", "转发", "전달"}

// forwardSubject reports a subject that starts with a forward prefix. It
// reads at most the first 24 bytes: it runs on every message.
func forwardSubject(s string) bool {
	s = strings.TrimLeft(s, " \t[")
	if len(s) > 24 {
		s = s[:24]
	}
	i := strings.IndexByte(s, ':')
	if j := strings.Index(s, "："); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 2 || i > 12 {
		return false
	}
	p := strings.TrimSpace(s[:i])
	for _, f := range forwardPrefixes {
		if strings.EqualFold(p, f) {
			return true
		}
	}
	return false
}

// blockKey returns the header key of a quoted header line and its value.
func blockKey(line string) (int, string) {
	i := strings.IndexAny(line, ":：")
	if i <= 0 || i > 32 {
		return 0, ""
	}
	k := strings.ToLower(strings.Trim(line[:i], " \t*"))
	v := line[i+1:]
	if strings.HasPrefix(line[i:], "：") {
		v = line[i+len("："):]
	}
	return blockKeys[k], strings.TrimSpace(strings.Trim(v, "*"))
}

// unquote strips the ">" quoting and surrounding space of a line.
func unquote(line string) string {
	line = strings.TrimRight(line, "\r \t")
	for strings.HasPrefix(line, ">") {
		line = strings.TrimLeft(line[1:], " ")
	}
	return strings.TrimSpace(line)
}

// isMarker reports a forward separator line.
func isMarker(line string) bool {
	if len(line) > maxLineForMark {
		return false
	}
	if len(line) >= 10 && strings.Trim(line, "_") == "" {
		return true // Outlook's rule above its header block
	}
	t := strings.ToLower(strings.Trim(line, "-_ :：\t"))
	return markers[t]
}

// inlineText is the wrapper's own text to search: its first plain text
// part outside attached messages, or its HTML as text.
func inlineText(p *message.Parsed) string {
	for _, pt := range p.TextParts {
		if !pt.Nested && strings.TrimSpace(pt.Text) != "" {
			return pt.Text
		}
	}
	for _, pt := range p.HTMLParts {
		if !pt.Nested {
			return htmlText(pt.Text, maxInlineText)
		}
	}
	return ""
}

// peelInline rebuilds the original of an inline forward.
func peelInline(p *message.Parsed) (layer, bool) {
	text := inlineText(p)
	if len(text) > maxInlineText {
		text = text[:maxInlineText]
	}
	lines := strings.Split(text, "\n")
	start, noteEnd := findBlock(lines)
	if start < 0 {
		return layer{}, false
	}
	f, next := parseBlock(lines, start)
	if f[keyFrom] == "" {
		return layer{}, false
	}
	body := quotedBody(lines[next:])
	note := strings.Join(lines[:noteEnd], "\n")
	return layer{kind: report.WrapInline, inner: rebuild(f, body), incomplete: true, note: note}, true
}

// findBlock finds the first quoted header block: the line after a marker,
// or an Outlook "From:" line followed closely by another header key. It
// returns the block's first line and where the wrapper's own text ends,
// or -1.
func findBlock(lines []string) (start, noteEnd int) {
	for i := 0; i < len(lines) && i < maxMarkerScan; i++ {
		l := unquote(lines[i])
		if l == "" || len(l) > maxLineForMark {
			continue
		}
		if isMarker(l) {
			j := i + 1
			for j < len(lines) && j < i+3 && unquote(lines[j]) == "" {
				j++
			}
			if j < len(lines) {
				if k, _ := blockKey(unquote(lines[j])); k != 0 {
					return j, i
				}
			}
			continue
		}
		if k, _ := blockKey(l); k == keyFrom {
			for j := i + 1; j < len(lines) && j <= i+6; j++ {
				if k2, _ := blockKey(unquote(lines[j])); k2 == keyDate || k2 == keySubject {
					return i, i
				}
			}
		}
	}
	return -1, 0
}

// parseBlock reads the quoted header fields from lines[start:]; wrapped
// To/Cc lists continue on lines without a key. It returns the fields and
// the line after the block.
func parseBlock(lines []string, start int) (map[int]string, int) {
	f := map[int]string{}
	last := 0
	i := start
	for ; i < len(lines) && i < start+maxBlockLines; i++ {
		l := unquote(lines[i])
		if l == "" {
			if len(f) > 0 {
				i++
				break
			}
			continue
		}
		k, v := blockKey(l)
		switch {
		case k != 0 && f[k] == "":
			f[k], last = v, k
		case k == 0 && (last == keyTo || last == keyCc) && len(l) <= maxLineForMark*4:
			f[last] += " " + l
		default:
			return f, i
		}
	}
	return f, i
}

// quotedBody is the forwarded body: the lines after the header block with
// one level of ">" quoting removed when every non-empty line has it.
func quotedBody(lines []string) string {
	quoted := true
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, ">") {
			quoted = false
			break
		}
	}
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		if quoted {
			l = strings.TrimPrefix(strings.TrimLeft(l, " "), ">")
			l = strings.TrimPrefix(l, " ")
		}
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	return b.String()
}

// rebuild makes a message of the recovered fields and the body.
func rebuild(f map[int]string, body string) []byte {
	var b strings.Builder
	b.WriteString("From: " + addrList(f[keyFrom]) + "\r\n")
	if v := f[keyTo]; v != "" {
		b.WriteString("To: " + addrList(v) + "\r\n")
	}
	if v := f[keyCc]; v != "" {
		b.WriteString("Cc: " + addrList(v) + "\r\n")
	}
	if v := f[keyDate]; v != "" {
		b.WriteString("Date: " + oneLine(v) + "\r\n")
	}
	if v := f[keySubject]; v != "" {
		b.WriteString("Subject: " + mime.BEncoding.Encode("utf-8", oneLine(v)) + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	if len(body) > MaxOriginal-b.Len() {
		body = body[:MaxOriginal-b.Len()]
	}
	b.WriteString(body)
	return []byte(b.String())
}

// oneLine removes line breaks and controls from a recovered header value.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// addrList turns a quoted address list ("Name <a@b>", Outlook's
// "Name [mailto:a@b]", "Name <mailto:a@b>") into a header value.
func addrList(v string) string {
	v = oneLine(v)
	v = strings.ReplaceAll(v, "[mailto:", "<")
	v = strings.ReplaceAll(v, "<mailto:", "<")
	v = strings.ReplaceAll(v, "]", ">")
	v = strings.ReplaceAll(v, "；", ";")
	if list, err := mail.ParseAddressList(strings.ReplaceAll(v, ";", ",")); err == nil {
		out := make([]string, len(list))
		for i, a := range list {
			out[i] = a.String()
		}
		return strings.Join(out, ", ")
	}
	if a, err := mail.ParseAddress(v); err == nil {
		return a.String()
	}
	// A bare name or something unparseable: keep it as a display name.
	if i := strings.LastIndexByte(v, '<'); i > 0 && strings.HasSuffix(v, ">") {
		name := strings.Trim(strings.TrimSpace(v[:i]), `"`)
		return mime.BEncoding.Encode("utf-8", name) + " " + v[i:]
	}
	return mime.BEncoding.Encode("utf-8", v)
}

// htmlText turns HTML into text for the forward search: tags dropped,
// block ends become line breaks, entities decoded; at most max bytes.
func htmlText(s string, max int) string {
	var b strings.Builder
	for len(s) > 0 && b.Len() < max {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(s))
			break
		}
		b.WriteString(html.UnescapeString(s[:i]))
		s = s[i:]
		j := strings.IndexByte(s, '>')
		if j < 0 {
			break
		}
		tag := strings.ToLower(s[1:min(j, 8)])
		if strings.HasPrefix(tag, "br") || strings.HasPrefix(tag, "/p") || strings.HasPrefix(tag, "/div") ||
			strings.HasPrefix(tag, "/tr") || strings.HasPrefix(tag, "hr") || strings.HasPrefix(tag, "/h") {
			b.WriteByte('\n')
		}
		s = s[j+1:]
	}
	return b.String()
}
