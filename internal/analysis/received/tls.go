package received

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/date"
)

// TLS versions and protocols named in Received headers.

// normTLSVersion turns TLS1_2, TLSv1_2, TLS-1.2, TLS1.2 into "TLSv1.2";
// other spellings are kept.
func normTLSVersion(v string) string {
	u := strings.ToUpper(v)
	if !strings.HasPrefix(u, "TLS") {
		return v
	}
	rest := strings.TrimLeft(u[3:], "V-_ ")
	rest = strings.ReplaceAll(rest, "_", ".")
	if k := strings.IndexByte(rest, '/'); k >= 0 {
		rest = rest[:k]
	}
	if rest == "" {
		return "TLS"
	}
	return "TLSv" + rest
}

// appendTLSVersion appends normTLSVersion(v) to dst for an ASCII v;
// ok is false (and nothing appended) for other text.
func appendTLSVersion(dst []byte, v string) ([]byte, bool) {
	if !isASCII(v) {
		return dst, false
	}
	if len(v) < 3 || v[0]&^0x20 != 'T' || v[1]&^0x20 != 'L' || v[2]&^0x20 != 'S' {
		return append(dst, v...), true
	}
	rest := v[3:]
	for rest != "" && (rest[0]&^0x20 == 'V' || rest[0] == '-' || rest[0] == '_' || rest[0] == ' ') {
		rest = rest[1:]
	}
	if k := strings.IndexByte(rest, '/'); k >= 0 {
		rest = rest[:k]
	}
	if rest == "" {
		return append(dst, "TLS"...), true
	}
	dst = append(dst, "TLSv"...)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '_':
			c = '.'
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// tlsCommon are frequent Hop.TLS values, kept as constants so that
// parsing them does not allocate.
var tlsCommon = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"TLS", "TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3",
		"TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		"TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
		"TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
		"TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384",
		"TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256",
		"TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384",
		"TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256",
		"TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305",
		"TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305",
		"TLSv1.2 ECDHE-RSA-AES256-SHA384",
		"TLSv1.2 ECDHE-RSA-AES128-SHA256",
		"TLSv1.2 AECDH-AES256-SHA",
		"TLSv1.3 TLS_AES_256_GCM_SHA384",
		"TLSv1.3 TLS_AES_128_GCM_SHA256",
		"TLSv1.3 TLS_CHACHA20_POLY1305_SHA256",
		"TLSv1 DES-CBC3-SHA",
		"TLSv1 AES256-SHA",
		"TLSv1 AES128-SHA",
	} {
		m[s] = s
	}
	return m
}()

// internTLS returns b as a string, without allocating for the common
// values.
func internTLS(b []byte) string {
	if s, ok := tlsCommon[string(b)]; ok {
		return s
	}
	return string(b)
}

func withImpliesTLS(with string) bool {
	w, _, _ := strings.Cut(with, " ")
	return equalFoldAny(w, tlsProtocols[:])
}

// tlsProtocols are the "with" protocols that mean the hop used TLS.
var tlsProtocols = [...]string{"ESMTPS", "ESMTPSA", "ESMTP-TLS", "SMTPS", "UTF8SMTPS", "UTF8SMTPSA", "LMTPS", "LMTPSA", "HTTPS", "LOCAL-ESMTPS"}

// tlsComment extracts TLS details from comments such as
// "(using TLSv1.3 with cipher X (256/256 bits))", "(version=TLS1_2,
// cipher=X)", "(TLSv1:RC4-SHA:128)", "(TLS1.3)", "(TLS: TLSv1/SSLv3, ...)",
// "(Cipher TLSv1:DES-CBC3-SHA:168)", "(DHE-RSA-AES256-SHA encrypted)".
// It reports whether the comment was about TLS.
// seen has the class classes of t's bytes (or more).
func (p *rparser) tlsComment(t string, seen uint8) bool {
	c0 := t[0] | 0x20 // picks the ASCII prefixes below that can match
	switch {
	case c0 == 'u' && hasPrefixFold(t, "using "):
		f := t[6:]
		ver, rest, _ := strings.Cut(strings.TrimSpace(f), " ")
		p.tlsVer = ver
		if c, ok := fieldAfter(rest, "cipher ", " )"); ok {
			p.tlsCipher = c
		}
		return true
	case seen&date.ClEq != 0 && strings.Contains(t, "version=") && (strings.Contains(t, "cipher=") || strings.Contains(t, "TLS")):
		if v, ok := fieldAfter(t, "version=", " ,)"); ok {
			p.tlsVer = v
		}
		if v, ok := fieldAfter(t, "cipher=", " ,)"); ok {
			p.tlsCipher = v
		}
		return true
	case c0 == 't' && hasPrefixFold(t, "tls_cipher "), c0 == 'c' && hasPrefixFold(t, "cipher "):
		_, v, _ := strings.Cut(t, " ")
		p.tlsColon(strings.TrimSpace(v))
		return true
	case c0 == 't' && hasPrefixFold(t, "TLS"), c0 == 's' && hasPrefixFold(t, "SSL"):
		if k := strings.Index(t, "TLS:"); k >= 0 || hasPrefixFold(t, "SSL:") {
			// "TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA"
			v := t[strings.IndexByte(t, ':')+1:]
			// The first and the last of the fields separated by ',' and ' '.
			first, last, n := "", "", 0
			for i := 0; i < len(v); {
				if v[i] == ',' || v[i] == ' ' {
					i++
					continue
				}
				j := i
				for j < len(v) && v[j] != ',' && v[j] != ' ' {
					j++
				}
				if n == 0 {
					first = v[i:j]
				}
				last = v[i:j]
				n++
				i = j
			}
			if n > 0 {
				p.tlsVer = first
			}
			if n > 1 {
				p.tlsCipher = last
			}
			return true
		}
		if strings.IndexByte(t, ' ') < 0 {
			p.tlsColon(t)
			return true
		}
		return false
	case strings.HasSuffix(t, " encrypted"):
		p.tlsCipher = strings.TrimSuffix(t, " encrypted")
		return true
	}
	if seen&date.ClColon == 0 {
		return false
	}
	if k := strings.Index(t, "AUTH:"); k >= 0 {
		if m := strings.Index(t, "TLS:"); m >= 0 {
			return p.tlsComment(t[m:], 0xff)
		}
		if m := strings.Index(t, "SSL:"); m >= 0 {
			return p.tlsComment(t[m:], 0xff)
		}
	}
	return false
}

// tlsColon parses Exim's "TLSv1:RC4-SHA:128" / "TLS1.3" forms.
func (p *rparser) tlsColon(v string) {
	ver, rest, ok := strings.Cut(v, ":")
	p.tlsVer = ver
	if ok {
		p.tlsCipher, _, _ = strings.Cut(rest, ":")
	}
}

// fieldAfter returns the text after the first key in s up to the first
// byte of stops (or the end), and whether key was there.
func fieldAfter(s, key, stops string) (string, bool) {
	k := strings.Index(s, key)
	if k < 0 {
		return "", false
	}
	v := s[k+len(key):]
	if e := strings.IndexAny(v, stops); e >= 0 {
		v = v[:e]
	}
	return v, true
}
