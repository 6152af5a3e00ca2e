package unwrap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"

	"github.com/triage-tools/triage/internal/analysis/report"
)

// Outlook .msg files ([MS-OXMSG]): a CFB compound file whose top-level
// streams "__substg1.0_TTTTYYYY" hold the message's MAPI properties (tag
// TTTT, type YYYY) and whose "__attach_version1.0_#N" storages hold the
// attachments. The message is rebuilt from the transport headers
// (PR_TRANSPORT_MESSAGE_HEADERS), the plain and HTML bodies and the
// attachments; without transport headers, from the sender, recipients and
// subject properties, and marked incomplete.

// cfbMagic starts every CFB (OLE compound) file.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func isCFB(b []byte) bool { return bytes.HasPrefix(b, cfbMagic) }

// Bounds of the .msg reader.
const (
	maxMsgEntries  = 4096    // directory entries looked at
	maxMsgAttach   = 64      // attachments kept
	maxMsgPropSize = 8 << 20 // bytes read from one property stream
)

// MAPI property tags read.
const (
	propTransportHeaders = "007D"
	propSubject          = "0037"
	propSenderName       = "0C1A"
	propSenderEmail      = "0C1F"
	propSenderSMTP       = "5D01"
	propDisplayTo        = "0E04"
	propDisplayCc        = "0E03"
	propMessageID        = "1035"
	propBody             = "1000"
	propHTML             = "1013"
	propAttachData       = "3701"
	propAttachLongName   = "3707"
	propAttachName       = "3704"
	propAttachMime       = "370E"
)

// msgProps are the properties of a .msg file that the rebuild uses.
type msgProps struct {
	top     map[string][]byte // top-level property values, by tag; strings as UTF-8
	attach  []map[string][]byte
	dropped int
}

// msgOriginal rebuilds the message inside an Outlook .msg file. A file
// that cannot be read gives a warning and no original.
func msgOriginal(data []byte) (l layer, ok bool) {
	defer func() {
		if e := recover(); e != nil {
			l, ok = layer{warnings: []string{fmt.Sprintf("unwrap: Outlook .msg unreadable: internal error: %v", e)}}, false
		}
	}()
	props, err := readMsg(data)
	if err != nil {
		return layer{warnings: []string{"unwrap: Outlook .msg unreadable: " + err.Error()}}, false
	}
	raw, incomplete := rebuildMsg(props)
	if raw == nil {
		return layer{warnings: []string{"unwrap: Outlook .msg holds no message properties"}}, false
	}
	l = layer{kind: report.WrapMSG, inner: raw, incomplete: incomplete}
	if incomplete {
		l.warnings = append(l.warnings, "unwrap: the Outlook .msg has no transport headers; hops and authentication are missing")
	}
	if props.dropped > 0 {
		l.warnings = append(l.warnings, fmt.Sprintf("unwrap: Outlook .msg: %d attachments or properties left out (limits)", props.dropped))
	}
	return l, true
}

// readMsg reads the properties of a .msg file, bounded.
func readMsg(data []byte) (*msgProps, error) {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	props := &msgProps{top: map[string][]byte{}}
	attachIdx := map[string]int{}
	total := 0
	for i, f := range r.File {
		if i >= maxMsgEntries {
			props.dropped++
			break
		}
		tag, typ, ok := propStream(f.Name)
		if !ok {
			continue
		}
		var dst map[string][]byte
		switch {
		case len(f.Path) == 0:
			dst = props.top
		case len(f.Path) == 1 && strings.HasPrefix(f.Path[0], "__attach_version1.0_"):
			k, seen := attachIdx[f.Path[0]]
			if !seen {
				if len(props.attach) >= maxMsgAttach {
					props.dropped++
					continue
				}
				k = len(props.attach)
				attachIdx[f.Path[0]] = k
				props.attach = append(props.attach, map[string][]byte{})
			}
			dst = props.attach[k]
		default:
			continue // recipients, named properties, embedded messages
		}
		if !wantProp(tag) {
			continue
		}
		if total+int(min(f.Size, maxMsgPropSize)) > MaxOriginal {
			props.dropped++
			continue
		}
		v, err := readStream(f)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", tag, err)
		}
		total += len(v)
		dst[tag] = decodeProp(v, typ)
	}
	return props, nil
}

// propStream splits "__substg1.0_TTTTYYYY" into tag and type.
func propStream(name string) (tag, typ string, ok bool) {
	const prefix = "__substg1.0_"
	if len(name) != len(prefix)+8 || !strings.HasPrefix(name, prefix) {
		return "", "", false
	}
	n := strings.ToUpper(name[len(prefix):])
	return n[:4], n[4:], true
}

func wantProp(tag string) bool {
	switch tag {
	case propTransportHeaders, propSubject, propSenderName, propSenderEmail, propSenderSMTP, propDisplayTo,
		propDisplayCc, propMessageID, propBody, propHTML, propAttachData, propAttachLongName, propAttachName, propAttachMime:
		return true
	}
	return false
}

// readStream reads one stream, at most maxMsgPropSize bytes. A broken
// sector chain is an error (mscfb detects cycles and bad sectors).
func readStream(f *mscfb.File) ([]byte, error) {
	n := min(f.Size, maxMsgPropSize)
	if n <= 0 {
		return nil, nil
	}
	buf := make([]byte, n)
	got, err := io.ReadFull(f, buf)
	if err != nil && !(errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return nil, err
	}
	if got < int(n) {
		return nil, fmt.Errorf("stream %s: short read (%d of %d bytes)", f.Name, got, n)
	}
	return buf, nil
}

// decodeProp turns a property value into bytes: PT_UNICODE (001F) from
// UTF-16LE to UTF-8, trailing NULs dropped; other types as stored.
func decodeProp(v []byte, typ string) []byte {
	switch typ {
	case "001F":
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i]) | uint16(v[2*i+1])<<8
		}
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		return []byte(string(utf16.Decode(u)))
	case "001E":
		return bytes.TrimRight(v, "\x00")
	}
	return v
}

// rebuildMsg makes an RFC 5322 message of the properties: the transport
// headers (without their MIME fields) or headers made of the properties,
// then the bodies and attachments. It returns nil when there is nothing
// to rebuild, and whether the header evidence is incomplete.
func rebuildMsg(p *msgProps) ([]byte, bool) {
	var b strings.Builder
	incomplete := false
	if h := p.top[propTransportHeaders]; len(bytes.TrimSpace(h)) > 0 {
		writeTransportHeaders(&b, h)
	} else {
		incomplete = true
		from := string(firstProp(p.top, propSenderSMTP, propSenderEmail))
		name := string(p.top[propSenderName])
		subj := string(p.top[propSubject])
		if from == "" && subj == "" && len(p.top[propBody]) == 0 {
			return nil, true
		}
		if from != "" {
			b.WriteString("From: " + addrList(name+" <"+from+">") + "\r\n")
		}
		if v := p.top[propDisplayTo]; len(v) > 0 {
			b.WriteString("To: " + addrList(string(v)) + "\r\n")
		}
		if v := p.top[propDisplayCc]; len(v) > 0 {
			b.WriteString("Cc: " + addrList(string(v)) + "\r\n")
		}
		if subj != "" {
			b.WriteString("Subject: " + mime.BEncoding.Encode("utf-8", oneLine(subj)) + "\r\n")
		}
		if v := p.top[propMessageID]; len(v) > 0 {
			b.WriteString("Message-ID: " + oneLine(string(v)) + "\r\n")
		}
	}
	writeMsgBody(&b, p)
	return []byte(b.String()), incomplete
}

func firstProp(m map[string][]byte, tags ...string) []byte {
	for _, t := range tags {
		if v := m[t]; len(v) > 0 {
			return v
		}
	}
	return nil
}

// writeTransportHeaders copies the header block without the MIME fields,
// which the rebuilt body replaces.
func writeTransportHeaders(b *strings.Builder, h []byte) {
	end, _ := headerEnd(h)
	skip := false
	for _, line := range strings.Split(string(h[:end]), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			k, _, _ := strings.Cut(line, ":")
			k = strings.ToLower(strings.TrimSpace(k))
			skip = k == "content-type" || k == "content-transfer-encoding" || k == "mime-version"
		}
		if !skip {
			b.WriteString(line + "\r\n")
		}
	}
}

// writeMsgBody writes the MIME structure: the plain and HTML bodies as
// multipart/alternative, then the attachments, base64-encoded.
func writeMsgBody(b *strings.Builder, p *msgProps) {
	const outer, alt = "=_triage_msg_mixed", "=_triage_msg_alt"
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + outer + "\"\r\n\r\n")
	b.WriteString("--" + outer + "\r\nContent-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n")
	if v := p.top[propBody]; len(v) > 0 {
		b.WriteString("--" + alt + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(b, v)
	}
	if v := p.top[propHTML]; len(v) > 0 {
		b.WriteString("--" + alt + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(b, v)
	}
	b.WriteString("--" + alt + "--\r\n")
	for _, a := range p.attach {
		name := string(firstProp(a, propAttachLongName, propAttachName))
		ct := oneLine(string(a[propAttachMime]))
		if ct == "" || strings.ContainsAny(ct, `";`) {
			ct = "application/octet-stream"
		}
		b.WriteString("--" + outer + "\r\nContent-Type: " + ct + "\r\nContent-Transfer-Encoding: base64\r\n")
		if name != "" {
			b.WriteString("Content-Disposition: attachment; filename=\"" + mime.BEncoding.Encode("utf-8", strings.ReplaceAll(oneLine(name), `"`, "'")) + "\"\r\n")
		}
		b.WriteString("\r\n")
		writeBase64(b, a[propAttachData])
	}
	b.WriteString("--" + outer + "--\r\n")
}

func writeBase64(b *strings.Builder, v []byte) {
	s := base64.StdEncoding.EncodeToString(v)
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
}
