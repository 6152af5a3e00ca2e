package iocs

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/textsafe"
)

// CSVHeader is the first line of the CSV format.
var CSVHeader = []string{"type", "value", "first_seen", "last_seen", "messages", "labels", "campaigns"}

// WriteCSV writes one indicator per line under CSVHeader: times in RFC
// 3339 UTC (empty when unknown), labels and campaigns joined with ";".
// With defang set, URLs, hosts, domains, IPs and addresses are defanged
// (hxxp, [.], [@]). Values are text from messages: control, bidi and
// invisible characters are replaced by visible placeholders
// (textsafe.Clean), so that the file is safe to print on a terminal.
func WriteCSV(w io.Writer, ins []Indicator, defang bool) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, in := range ins {
		v := in.Value
		if defang {
			v = Defang(in.Type, v)
		}
		rec := []string{in.Type, textsafe.Clean(v), csvTime(in.FirstSeen), csvTime(in.LastSeen),
			strconv.Itoa(in.Messages), strings.Join(in.Labels, ";"), textsafe.Clean(strings.Join(in.Campaigns, ";"))}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Defang returns value made non-clickable for its type: URLs, hosts,
// domains, IPs and addresses through urls.Defang; hashes and subjects as
// they are.
func Defang(typ, value string) string {
	switch typ {
	case TypeSHA256, TypeSubject:
		return value
	}
	return urls.Defang(value)
}

// Text is the indicators as defanged plain text, one "type value" line
// each, for the clipboard.
func Text(ins []Indicator) string {
	var b strings.Builder
	for _, in := range ins {
		b.WriteString(in.Type)
		b.WriteByte(' ')
		b.WriteString(textsafe.Clean(Defang(in.Type, in.Value)))
		b.WriteByte('\n')
	}
	return b.String()
}
