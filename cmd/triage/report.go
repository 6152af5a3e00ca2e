package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/enrich"
	"github.com/triage-tools/triage/internal/textsafe"
)

// abuseConfig is the "abuse" object of the configuration file.
type abuseConfig struct {
	// From is the reporter's address (the report's From).
	From string `json:"from"`
	// Contacts map origin networks to their abuse contact; the first
	// network that holds the origin IP wins.
	Contacts []abuseContact `json:"contacts"`
	// Default is the contact when no network matches.
	Default string `json:"default"`
}

type abuseContact struct {
	Network string `json:"network"` // CIDR prefix
	To      string `json:"to"`
}

// match returns the contact of the first configured network holding ip,
// "" when none does.
func (a abuseConfig) match(ip string) string {
	if addr, err := netip.ParseAddr(ip); err == nil {
		for _, c := range a.Contacts {
			if p, err := netip.ParsePrefix(c.Network); err == nil && p.Contains(addr.Unmap()) {
				return c.To
			}
		}
	}
	return ""
}

type reportOptions struct {
	db, out, to, from, config string
	online                    bool
	rdapBase                  string
}

func (o *reportOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.StringVar(&o.to, "to", "", "abuse contact `address` (default: the configuration's abuse contact for the origin IP, then RDAP with --online, then abuse.default)")
	fs.StringVar(&o.from, "from", "", "reporter `address` (default: the configuration's abuse.from)")
	fs.StringVar(&o.config, "config", "", "configuration `file` (default $TRIAGE_CONFIG or $XDG_CONFIG_HOME/triage/config.json)")
	fs.StringVar(&o.out, "o", "", "write to `file` instead of standard output (- is standard output, refused on a terminal)")
	fs.BoolVar(&o.online, "online", false, "when no --to or configured network matches, ask RDAP for the origin network's abuse contact (network traffic; off by default)")
	fs.StringVar(&o.rdapBase, "rdap", "", "RDAP base `URL` for --online (default https://rdap.org)")
}

// feedbackType maps a label to an RFC 5965 Feedback-Type.
func feedbackType(label string) (string, bool) {
	switch label {
	case "phish", "bec":
		return "fraud", true
	case "malware":
		return "virus", true
	case "spam":
		return "abuse", true
	}
	return "", false
}

// runReport writes an RFC 5965 abuse report (ARF) for a labeled message:
// a multipart/report email with a human-readable part, the
// message/feedback-report part and the original message. Nothing is sent.
// The abuse contact comes from --to, else the configured network holding
// the origin IP, else (with --online or "online" in the configuration) the
// origin network's RDAP abuse entity, else the configured default.
// Without --online nothing leaves the machine.
func runReport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o reportOptions
	pos, err := parseCommand("report", &o, args, 1, stderr)
	if err != nil {
		return err
	}
	fc, err := loadConfig(o.config)
	if err != nil {
		return err
	}
	id, m, err := loadMessage(o.db, pos[0])
	if err != nil {
		return err
	}
	ft, ok := feedbackType(m.Label)
	if !ok {
		return exitError{code: 2, msg: fmt.Sprintf("report: %s is labeled %q; only phish, bec, malware and spam are reported", shortID(id), textsafe.Clean(m.Label))}
	}
	raw, rawErr := readRaw(id, m.Locators)
	if rawErr == nil && sha256Hex(raw) != strings.TrimPrefix(id, "sha256:") {
		rawErr = errors.New("the mailbox now holds different bytes")
	}
	arf := arfInput{id: id, label: m.Label, feedback: ft, rep: m.Report, raw: raw, now: time.Now()}
	arf.ip = originIP(m.Report)
	arf.to = cmpOr(o.to, fc.Abuse.match(arf.ip))
	var rdapErr error
	if arf.to == "" && (o.online || fc.Online) {
		arf.to, rdapErr = rdapAbuseContact(ctx, cmpOr(o.rdapBase, fc.RDAP), arf.ip, stderr)
	}
	arf.to = cmpOr(arf.to, fc.Abuse.Default)
	arf.from = cmpOr(o.from, fc.Abuse.From)
	if arf.to == "" {
		why := "give --to, use --online, or set abuse.contacts / abuse.default in the configuration"
		if rdapErr != nil {
			why = rdapErr.Error() + "; give --to or set abuse.contacts / abuse.default in the configuration"
		}
		return exitError{code: 2, msg: "report: no abuse contact: " + why}
	}
	if rdapErr != nil {
		textOut{stderr}.f("report: %s; using abuse.default\n", rdapErr.Error())
	}
	if arf.from == "" {
		return exitError{code: 2, msg: "report: no reporter address: give --from or set abuse.from in the configuration"}
	}
	for _, a := range []string{arf.to, arf.from} {
		if _, err := mail.ParseAddress(a); err != nil {
			return exitError{code: 2, msg: fmt.Sprintf("report: %q is not an email address", textsafe.Clean(a))}
		}
	}
	if (o.out == "" || o.out == "-") && isTerminal(stdout) {
		return exitError{code: 2, msg: "report: the report holds the original (hostile) message: write it with -o FILE or to a pipe"}
	}
	if rawErr != nil {
		textOut{stderr}.f("report: original message unavailable (%s); attaching its headers only\n", rawErr.Error())
	}
	return writeOutput(o.out, stdout, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		writeARF(bw, arf)
		return bw.Flush()
	})
}

// rdapAbuseContact asks RDAP (at base, "" for the default) for the abuse
// contact of the origin ip and names the answer's source on stderr. The
// look-up is bounded to 5 s and 1 MiB; the address returned is validated
// (enrich.Online.AbuseContact), so it is safe in a header field.
func rdapAbuseContact(ctx context.Context, base, ip string, stderr io.Writer) (string, error) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", errors.New("rdap: the origin IP is unknown")
	}
	on := enrich.NewOnline(enrich.OnlineOptions{Enabled: true, RDAPBase: base, Timeout: 5 * time.Second, MaxQueries: 1})
	defer on.Close()
	ai, err := on.AbuseContact(ctx, addr)
	if err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), "enrich: "))
	}
	textOut{stderr}.f("report: abuse contact %s of network %s from %s\n", ai.Email, cmpOr(ai.Network, "(unnamed)"), ai.Source)
	return ai.Email, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// originIP returns the origin hop's IP, "" when unknown.
func originIP(r *analysis.Report) string {
	for _, h := range r.Hops {
		if h.Origin {
			return h.FromIP
		}
	}
	return ""
}

type arfInput struct {
	id, label, feedback, ip, to, from string
	rep                               *analysis.Report
	raw                               []byte // nil when unavailable
	now                               time.Time
}

// headerSafe makes a value from a message safe inside a header field: no
// line breaks or controls, RFC 2047-encoded when not ASCII.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, textsafe.Clean(s))
	return mime.QEncoding.Encode("utf-8", s)
}

// writeARF writes the report with CRLF line endings (RFC 5965 section 3).
func writeARF(w io.Writer, a arfInput) {
	// The boundary is taken from the message's hash, which the message
	// cannot contain: no hostile original can end the part early.
	boundary := "=_triage-arf-" + strings.TrimPrefix(a.id, "sha256:")[:32]
	line := func(format string, args ...any) { fmt.Fprintf(w, format+"\r\n", args...) }
	r := a.rep
	line("From: %s", a.from)
	line("To: %s", a.to)
	line("Subject: %s", headerSafe(fmt.Sprintf("Abuse report (%s): message from %s", a.label, cmpOr(a.ip, "unknown origin"))))
	line("Date: %s", a.now.Format(time.RFC1123Z))
	line("Message-ID: <arf-%s-%d@triage.invalid>", strings.TrimPrefix(a.id, "sha256:")[:16], a.now.Unix())
	line("MIME-Version: 1.0")
	line(`Content-Type: multipart/report; report-type=feedback-report; boundary="%s"`, boundary)
	line("")
	line("This is a multipart message in MIME format (RFC 5965 abuse report).")
	line("--%s", boundary)
	line("Content-Type: text/plain; charset=utf-8")
	line("Content-Transfer-Encoding: 8bit")
	line("")
	line("This is an abuse report for a message received by us and classified as %s.", a.label)
	if a.ip != "" {
		line("It was sent from %s, which appears to be in your network.", a.ip)
	}
	line("Subject: %s", textsafe.Clean(r.Summary.Subject))
	line("From: %s", textsafe.Clean(r.Summary.From.Address))
	if !r.Summary.Date.IsZero() {
		line("Date: %s", r.Summary.Date.UTC().Format(time.RFC3339))
	}
	for i, f := range r.Findings {
		if i == 8 || f.Points <= 0 {
			break
		}
		line("- %s", textsafe.Clean(urls.Defang(f.Summary)))
	}
	line("Links are defanged (hxxp, [.]). The original message is attached.")
	line("--%s", boundary)
	line("Content-Type: message/feedback-report")
	line("")
	line("Feedback-Type: %s", a.feedback)
	line("User-Agent: triage/%s", analysis.CodeVersion())
	line("Version: 1")
	if rp := strings.Trim(r.Summary.ReturnPath, "<> "); rp != "" {
		line("Original-Mail-From: <%s>", headerSafe(rp))
	}
	for _, t := range r.Summary.To {
		line("Original-Rcpt-To: <%s>", headerSafe(t.Address))
	}
	if !r.Summary.Date.IsZero() {
		line("Arrival-Date: %s", r.Summary.Date.Format(time.RFC1123Z))
	}
	if a.ip != "" {
		line("Source-IP: %s", a.ip)
	}
	if d := strings.ToLower(r.Summary.From.Address); strings.Contains(d, "@") {
		line("Reported-Domain: %s", headerSafe(d[strings.LastIndexByte(d, '@')+1:]))
	}
	for i, u := range r.URLs {
		if i == 20 {
			break
		}
		line("Reported-URI: %s", headerSafe(u.URL))
	}
	line("--%s", boundary)
	if a.raw != nil {
		line("Content-Type: message/rfc822")
		line("Content-Disposition: inline")
		line("")
		writeCRLF(w, a.raw)
	} else {
		line("Content-Type: text/rfc822-headers")
		line("")
		for _, h := range r.Headers {
			line("%s: %s", h.Key, strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' {
					return ' '
				}
				return r
			}, h.Value))
		}
	}
	line("--%s--", boundary)
}

// writeCRLF writes b with every line ending made CRLF, ending in one.
func writeCRLF(w io.Writer, b []byte) {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	io.WriteString(w, strings.ReplaceAll(s, "\n", "\r\n")+"\r\n")
}
