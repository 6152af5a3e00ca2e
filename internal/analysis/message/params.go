package message

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/charset"
)

// Content-Type and its parameters (RFC 2045, RFC 2231), and multipart splitting.

// parseContentType parses a Content-Type or Content-Disposition value into
// a lower-case value and its parameters (RFC 2045, RFC 2231 continuations
// and charsets, lenient about quoting and stray semicolons). An empty
// value means absent or invalid.
func parseContentType(v string, present bool) (string, map[string]string) {
	if !present || v == "" {
		return "", nil
	}
	semi := strings.IndexByte(v, ';')
	mt := v
	rest := ""
	if semi >= 0 {
		mt, rest = v[:semi], v[semi+1:]
	}
	mt = strings.ToLower(strings.TrimSpace(mt))
	if i := strings.IndexAny(mt, " \t("); i >= 0 {
		mt = mt[:i]
	}
	if strings.Count(mt, "/") > 1 {
		mt = ""
	}
	if mt == "text" {
		mt = "text/plain"
	}
	return mt, parseParams(rest)
}

// parseParams parses "; a=b; c*=utf-8”x; d*0=...; d*1=..." leniently.
func parseParams(s string) map[string]string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	params := make(map[string]string, 4)
	type seg struct {
		idx int
		ext bool
		val string
	}
	var conts map[string][]seg
	for n := 0; len(s) > 0 && n < 64; n++ {
		s = strings.TrimLeft(s, " \t;")
		if s == "" {
			break
		}
		eq := strings.IndexByte(s, '=')
		semi := strings.IndexByte(s, ';')
		if eq < 0 || (semi >= 0 && semi < eq) {
			if semi < 0 {
				break
			}
			s = s[semi+1:]
			continue
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val string
		if strings.HasPrefix(s, "\"") {
			var b strings.Builder
			j := 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			val = b.String()
			s = s[min(j+1, len(s)):]
			if k := strings.IndexByte(s, ';'); k >= 0 {
				s = s[k:]
			} else {
				s = ""
			}
		} else {
			k := strings.IndexByte(s, ';')
			if k < 0 {
				k = len(s)
			}
			val = strings.TrimSpace(s[:k])
			s = s[k:]
		}
		if star := strings.IndexByte(key, '*'); star >= 0 {
			name := key[:star]
			suffix := key[star+1:]
			ext := strings.HasSuffix(suffix, "*") || suffix == ""
			suffix = strings.TrimSuffix(suffix, "*")
			idx := 0
			if suffix != "" {
				i, err := strconv.Atoi(suffix)
				if err != nil || i < 0 || i > 1000 {
					continue
				}
				idx = i
			}
			if conts == nil {
				conts = make(map[string][]seg)
			}
			conts[name] = append(conts[name], seg{idx, ext, val})
			continue
		}
		if _, dup := params[key]; !dup {
			params[key] = val
		}
	}
	for name, segs := range conts {
		// order by index (few segments: insertion sort)
		for i := 1; i < len(segs); i++ {
			for j := i; j > 0 && segs[j].idx < segs[j-1].idx; j-- {
				segs[j], segs[j-1] = segs[j-1], segs[j]
			}
		}
		var raw []byte
		cs := ""
		for i, sg := range segs {
			v := sg.val
			if sg.ext {
				if i == 0 {
					if a := strings.IndexByte(v, '\''); a >= 0 {
						if b := strings.IndexByte(v[a+1:], '\''); b >= 0 {
							cs = v[:a]
							v = v[a+1+b+1:]
						}
					}
				}
				raw = appendPercentDecoded(raw, v)
			} else {
				raw = append(raw, v...)
			}
		}
		t, _ := charset.Decode(raw, cs)
		params[name] = t // RFC 2231 form wins over a plain one
	}
	return params
}

func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && unhex(s[i+1]) < 16 && unhex(s[i+2]) < 16 {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// splitMultipart splits a multipart body on "--boundary" delimiter lines
// (RFC 2046 §5.1.1), leniently: trailing garbage after a delimiter is
// ignored, a missing close delimiter ends the last part at the end of the
// body, preamble and epilogue are dropped. It returns the raw parts.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	delim := make([]byte, 0, len(boundary)+2)
	delim = append(delim, '-', '-')
	delim = append(delim, boundary...)
	start := -1 // start of the current part's content
	pos := 0
	for pos < len(body) {
		k := bytes.Index(body[pos:], delim)
		if k < 0 {
			break
		}
		k += pos
		after := k + len(delim)
		if k > 0 && body[k-1] != '\n' {
			pos = after
			continue
		}
		isClose := after+1 < len(body) && body[after] == '-' && body[after+1] == '-'
		if !isClose && after < len(body) {
			c := body[after]
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				pos = after // a longer boundary sharing our prefix
				continue
			}
		}
		if start >= 0 {
			end := k
			// the line break before the delimiter belongs to it
			if end > start && body[end-1] == '\n' {
				end--
				if end > start && body[end-1] == '\r' {
					end--
				}
			}
			parts = append(parts, body[start:end])
		}
		nl := bytes.IndexByte(body[after:], '\n')
		if isClose {
			return parts, true
		}
		if nl < 0 {
			start = len(body)
			break
		}
		start = after + nl + 1
		pos = start
	}
	if start >= 0 && start <= len(body) {
		parts = append(parts, body[start:])
	}
	return parts, false
}
