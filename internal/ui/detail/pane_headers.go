package detail

import (
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/ui/kit"
)

// evidenceMatch reports whether a header field is pointed at by a finding's
// evidence (compared on the raw text, never displayed from it).
func evidenceMatch(h kit.HeaderView, ev []string) bool {
	key, value, decoded := h.Key.Raw(), h.Value.Raw(), h.Decoded.Raw()
	for _, e := range ev {
		if strings.EqualFold(key, e) {
			return true
		}
		if len(e) >= 4 && (strings.Contains(value, e) || strings.Contains(decoded, e)) {
			return true
		}
		if k, _, ok := strings.Cut(e, ":"); ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return true
		}
	}
	return false
}

// headers builds the Headers pane: every header field in order, decoded or
// raw (r toggles), with the fields cited by a finding marked.
func (d *Detail) headers(b *kit.LineBuilder) {
	r := d.paneReport()
	if r == nil {
		return
	}
	d.wrapperNote(b)
	st := &d.c.Styles
	mode := "decoded"
	if d.rawHeader {
		mode = "raw"
	}
	b.Raw(st.Dim.Render(fmt.Sprintf("%d header fields · %s values (r toggles) · ▶ = cited by a finding", len(r.Headers), mode)))
	var ev []string
	for _, f := range r.Findings {
		if f.Evidence != "" {
			ev = append(ev, f.Evidence.Raw())
		}
	}
	for _, h := range r.Headers {
		v := h.Value
		if !d.rawHeader && h.Decoded != "" {
			v = h.Decoded
		}
		key := h.Key.String() + ":"
		mark := "  "
		if evidenceMatch(h, ev) {
			mark = "▶ "
			key = st.Highlight.Render(key)
		} else {
			key = st.Key.Render(key)
		}
		b.Text(mark+key+" ", "      ", v)
	}
}
