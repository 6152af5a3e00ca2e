package kit

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/urls"
)

// This file makes text shown outside the exact evidence (the body, the URL
// pane's annotations, finding summaries) non-clickable: terminals turn
// "http://…" and bare host names into live links. The Headers pane and the
// raw source view are the evidence itself and are never defanged.

// Defanged returns u made non-clickable by urls.Defang, still untrusted
// (Defang keeps control characters).
func Defanged(u Untrusted) Untrusted { return Untrusted(urls.Defang(u.Raw())) }

// urlStarts are the prefixes that begin a URL in running text, lower case.
var urlStarts = [...]string{"http://", "https://", "ftp://", "www."}

// DefangText returns s with every URL in it (a token starting with
// http://, https://, ftp:// or www., any case) defanged by urls.Defang,
// and then every occurrence of the given hosts, as a whole name, defanged
// too. Text without any of them is returned as is. Idempotent.
func DefangText(s string, hosts []string) string {
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		start := -1
		for _, p := range urlStarts {
			if strings.HasPrefix(lower[i:], p) && (i == 0 || !isHostByte(s[i-1])) {
				start = i
				break
			}
		}
		if start < 0 {
			i++
			continue
		}
		end := start
		for end < len(s) && !isURLEnd(s[end]) {
			end++
		}
		for end > start && strings.IndexByte(".,;:!?)", s[end-1]) >= 0 {
			end-- // sentence punctuation after a URL
		}
		if end == start {
			i++
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(urls.Defang(s[start:end]))
		last, i = end, end
	}
	if last > 0 {
		b.WriteString(s[last:])
		s = b.String()
	}
	for _, h := range hosts {
		if strings.Contains(h, ".") {
			s = replaceHost(s, h)
		}
	}
	return s
}

// isURLEnd reports whether c ends a URL in running text.
func isURLEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '<', '>', '"', '\'', '`':
		return true
	}
	return c < 0x20 || c == 0x7f
}

// isHostByte reports whether c can be part of a host name.
func isHostByte(c byte) bool {
	return c == '-' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// replaceHost defangs every whole-name occurrence of host in s (case
// insensitive): not preceded or followed by a host character, except a
// final dot that ends a sentence.
func replaceHost(s, host string) string {
	lower, lh := strings.ToLower(s), strings.ToLower(host)
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(lower[i:], lh)
		if j < 0 {
			break
		}
		j += i
		end := j + len(lh)
		// A name ending in "."+host (a subdomain) is defanged whole.
		k := j
		if k > 0 && s[k-1] == '.' {
			for k > last && isHostByte(s[k-1]) {
				k--
			}
		}
		before := k == 0 || !isHostByte(s[k-1])
		after := end == len(s) || !isHostByte(s[end]) ||
			s[end] == '.' && (end+1 == len(s) || !isHostByte(s[end+1]))
		if before && after && k >= last {
			b.WriteString(s[last:k])
			b.WriteString(urls.Defang(s[k:end]))
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// KnownHosts returns the host names a report mentions: every URL's host
// and registered domain, and the domains of the sender addresses. Finding
// summaries and the body name them in running text.
func KnownHosts(r *ReportView) []string {
	if r == nil {
		return nil
	}
	var out []string
	add := func(h string) {
		h = strings.TrimSuffix(strings.ToLower(h), ".")
		if h != "" && strings.Contains(h, ".") && !strings.ContainsAny(h, " \t\n[]") {
			for _, o := range out {
				if o == h {
					return
				}
			}
			out = append(out, h)
		}
	}
	for _, u := range r.URLs {
		add(u.Host.Raw())
		add(u.Domain.Raw())
	}
	for _, a := range append([]AddrView{r.From}, r.ReplyTo...) {
		if _, d, ok := strings.Cut(a.Address.Raw(), "@"); ok {
			add(d)
		}
	}
	return out
}
