// Package report defines the Report of one message and the evidence types
// it is made of (hops, authentication results, URLs, attachments,
// findings). The analysis sub-packages fill them in; package analysis
// re-exports them under the same names.
package report

import (
	"time"

	"github.com/triage-tools/triage/internal/analysis/features"
)

// Address is a decoded mailbox: display name and addr-spec.
type Address struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Summary is the decoded header summary of a message.
type Summary struct {
	From       Address   `json:"from"`
	To         []Address `json:"to"`
	Cc         []Address `json:"cc,omitempty"`
	ReplyTo    []Address `json:"reply_to,omitempty"`
	Sender     *Address  `json:"sender,omitempty"`
	ReturnPath string    `json:"return_path,omitempty"`
	Subject    string    `json:"subject"`
	// Date is the zero time when the Date header is missing or unparseable.
	Date      time.Time `json:"date"`
	MessageID string    `json:"message_id"`
}

// HeaderField is one header field as it appeared, in order.
// Value is the raw (unfolded, undecoded) value; Decoded has RFC 2047 words
// decoded and is empty when it equals Value.
type HeaderField struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Decoded string `json:"decoded,omitempty"`
}

// Hop is one parsed Received header. Hops are ordered oldest first.
type Hop struct {
	Index    int       `json:"index"` // 1 = oldest
	FromHelo string    `json:"from_helo,omitempty"`
	FromRDNS string    `json:"from_rdns,omitempty"`
	FromIP   string    `json:"from_ip,omitempty"`
	By       string    `json:"by,omitempty"`
	With     string    `json:"with,omitempty"`
	TLS      string    `json:"tls,omitempty"` // e.g. "TLSv1.3" or "yes" when only known to be encrypted
	ID       string    `json:"id,omitempty"`
	For      string    `json:"for,omitempty"`
	EnvFrom  string    `json:"envelope_from,omitempty"`
	Time     time.Time `json:"time"`             // zero when absent/unparseable
	Delay    *float64  `json:"delay,omitempty"`  // seconds since the previous hop; nil for the first or unknown
	Origin   bool      `json:"origin,omitempty"` // first hop outside the trusted relays
	Trusted  bool      `json:"trusted,omitempty"`
	Flags    []string  `json:"flags,omitempty"`
	Raw      string    `json:"raw"`
	Net      *NetInfo  `json:"net,omitempty"` // network context of FromIP (enrichment)
}

// NetInfo is network context for an IP address, with its provenance. It is
// filled in by enrichment (offline databases or opt-in online look-ups),
// never by Analyze itself.
type NetInfo struct {
	IP      string    `json:"ip"`
	ASN     uint32    `json:"asn,omitempty"`
	ASOrg   string    `json:"as_org,omitempty"`
	Country string    `json:"country,omitempty"` // ISO 3166-1 alpha-2
	RDNS    string    `json:"rdns,omitempty"`    // online PTR look-up
	Source  string    `json:"source"`            // e.g. "GeoLite2-ASN 2026-11-20", "cymru-dns", "dns"
	AsOf    time.Time `json:"as_of"`             // database build date or query time
}

// AuthResult is one method result (spf, dkim, dmarc, arc) from an
// Authentication-Results header.
type AuthResult struct {
	Method string `json:"method"`
	Result string `json:"result"`           // pass, fail, softfail, none, neutral, temperror, permerror, policy
	Domain string `json:"domain,omitempty"` // smtp.mailfrom / header.d / header.from domain
	Reason string `json:"reason,omitempty"`
}

// Auth summarises authentication evidence.
type Auth struct {
	AuthServID  string       `json:"authserv_id,omitempty"`
	Trusted     bool         `json:"trusted"` // results stamped by the receiving side
	Results     []AuthResult `json:"results,omitempty"`
	ARC         []AuthResult `json:"arc,omitempty"`
	DKIMDomains []string     `json:"dkim_domains,omitempty"` // d= of DKIM-Signature headers
	SPFAligned  *bool        `json:"spf_aligned,omitempty"`
	DKIMAligned *bool        `json:"dkim_aligned,omitempty"`
	// ARCSets is the number of ARC sets (distinct i= of
	// ARC-Authentication-Results): how many forwarders sealed the message.
	ARCSets int `json:"arc_sets,omitempty"`
	// ARCFirst holds the results of ARC-Authentication-Results i=1, the
	// first hop's view of the sender (RFC 8617), and ARCFirstID its
	// authserv-id.
	ARCFirst   []AuthResult `json:"arc_first,omitempty"`
	ARCFirstID string       `json:"arc_first_id,omitempty"`
	// ARCFirstFail is set when the trusted results pass but the first ARC
	// hop saw SPF or DMARC fail: the pass was earned at a forwarder, and
	// the first hop's failures are the evidence.
	ARCFirstFail bool `json:"arc_first_fail,omitempty"`
	// Identity is the authenticated sender domain, nil when none is proven.
	Identity *Identity `json:"identity,omitempty"`
}

// Identity is who really sent a message: the From domain when a trusted
// receiver saw it pass DMARC, or an aligned DKIM signature or aligned SPF.
type Identity struct {
	Domain string `json:"domain"` // the From domain (host name, lower-case)
	// Methods that proved it, strongest first: "dmarc", "dkim", "spf".
	Methods []string `json:"methods"`
	// ViaARC: the verdict came through a forwarder (ARC sets present) and
	// the first hop's results (ARC i=1) agree.
	ViaARC bool `json:"via_arc,omitempty"`
}

// String is the one-line description shown to the analyst:
// "authenticated as paypal.com (DMARC pass, aligned DKIM)".
func (id *Identity) String() string {
	if id == nil {
		return ""
	}
	s := "authenticated as " + id.Domain + " ("
	for i, m := range id.Methods {
		if i > 0 {
			s += ", "
		}
		switch m {
		case "dmarc":
			s += "DMARC pass"
		case "dkim":
			s += "aligned DKIM"
		case "spf":
			s += "aligned SPF"
		default:
			s += m
		}
	}
	if id.ViaARC {
		s += "; via a forwarder, first hop agrees (ARC)"
	}
	return s + ")"
}

// System values: machine-generated mail recognised from its structure.
const (
	SystemDSN         = "delivery-status"          // RFC 3464 delivery status notification (bounce)
	SystemMDN         = "disposition-notification" // RFC 8098 read receipt
	SystemDMARCReport = "dmarc-report"             // RFC 7489 §7.2 aggregate report
	SystemTLSReport   = "tls-report"               // RFC 8460 SMTP TLS report
	SystemAutoReply   = "auto-reply"               // RFC 3834 automatic response
)

// URL source values.
const (
	SourceText       = "text"
	SourceHTMLHref   = "html-href"
	SourceHTMLSrc    = "html-src"
	SourceHTMLForm   = "html-form"
	SourceHTMLMeta   = "html-meta-refresh"
	SourceHTMLText   = "html-text"
	SourceAttachment = "attachment"
)

// URL is one URL found in a message.
type URL struct {
	Raw        string `json:"raw"`                 // as found (HTML entities decoded)
	URL        string `json:"url"`                 // normalised
	Unwrapped  string `json:"unwrapped,omitempty"` // target of a known rewriter (Safe Links, Proofpoint…)
	Source     string `json:"source"`              // one of the Source* constants
	AnchorText string `json:"anchor_text,omitempty"`
	// Scheme, Host, Domain and Flags describe the destination: Unwrapped
	// when it is set, else URL.
	Scheme      string   `json:"scheme"`
	Host        string   `json:"host"`                   // lower-case ASCII (punycode); IPv6 in brackets
	HostUnicode string   `json:"host_unicode,omitempty"` // Unicode form of an internationalised Host
	Domain      string   `json:"domain,omitempty"`       // registered domain (eTLD+1); empty for IPs
	Flags       []string `json:"flags,omitempty"`
	Defanged    string   `json:"defanged"`
	Net         *NetInfo `json:"net,omitempty"` // network context of the host's IP (enrichment)
}

// Attachment is one non-body MIME part.
type Attachment struct {
	Name         string   `json:"name"`
	DeclaredType string   `json:"declared_type"`
	SniffedType  string   `json:"sniffed_type,omitempty"`
	Size         int64    `json:"size"`
	SHA256       string   `json:"sha256"`
	Flags        []string `json:"flags,omitempty"`
	Entries      []string `json:"entries,omitempty"` // archive members, bounded
	// Text is the decoded content of an HTML or text attachment (bounded),
	// kept for URL extraction; not serialised.
	Text string `json:"-"`
}

// Finding is one rule that fired. The score is the saturated sum of Points.
type Finding struct {
	Rule     string `json:"rule"`
	Points   int    `json:"points"`
	Summary  string `json:"summary"`
	Evidence string `json:"evidence,omitempty"`
}

// Report is the result of analysing one message.
type Report struct {
	ID              string        `json:"id"` // "sha256:<hex>" of the raw bytes
	AnalyzerVersion string        `json:"analyzer_version"`
	Size            int           `json:"size"`
	Summary         Summary       `json:"summary"`
	Headers         []HeaderField `json:"headers,omitempty"`
	Hops            []Hop         `json:"hops,omitempty"`
	Auth            Auth          `json:"auth"`
	URLs            []URL         `json:"urls,omitempty"`
	Attachments     []Attachment  `json:"attachments,omitempty"`
	// System names the kind of machine-generated mail recognised from its
	// structure (one of the System* constants), "" for other mail.
	System   string    `json:"system,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	Score    int       `json:"score"` // RawScore clamped to 0–100: display and score>=N filters
	// RawScore is the uncapped sum of the findings' points: the order by
	// score (store.CompareByScore) uses it, so that messages tied at 100
	// still rank by their evidence.
	RawScore int      `json:"raw_score"`
	Warnings []string `json:"warnings,omitempty"`
	// Imported is set by the store on a report that came from an import
	// file rather than from analysing the raw message here; it is replaced
	// as soon as the message itself is analysed. Analyze never sets it.
	Imported bool `json:"imported,omitempty"`
	// Wrapper is set when the message was found inside a report wrapper
	// (a forward to a "report phishing" mailbox, an ARF report): the
	// report is the original's, ID included, and Wrapper says who
	// reported it and how it was unwrapped.
	Wrapper *Wrapper `json:"wrapper,omitempty"`
	// Near holds the near-duplicate features of the message for campaign
	// clustering. It is not part of the public JSON: the store keeps it
	// compactly with the message's campaign record.
	Near Near `json:"-"`
	// Features is what the learned model reads (package features), set by
	// Analyze; not serialised: the store keeps it apart, without names.
	Features features.Set `json:"-"`
}

// Near is what campaign clustering needs from the message text (package
// analysis/near): the subject skeleton and a SimHash of the visible body.
type Near struct {
	Skeleton string
	SimHash  uint64 // 0 when the body is too short to fingerprint
	Shingles int    // body shingles the SimHash was computed over
	Body     uint64 // hash of the whole visible body text (near.BodyHash): exact duplicates
}

// IdentityLine is the one line that says who sent the message, as shown
// in the summary pane and by `show`: Identity.String(), or why there is
// no authenticated identity.
func (a *Auth) IdentityLine() string {
	switch {
	case a.Identity != nil:
		return a.Identity.String()
	case a.ARCFirstFail:
		return "not authenticated: the pass came through a forwarder whose first hop saw SPF/DMARC fail (ARC i=1)"
	case !a.Trusted:
		return "not authenticated (no trusted Authentication-Results)"
	}
	return "not authenticated (no DMARC, aligned DKIM or aligned SPF pass)"
}

// SystemName is the analyst's words for a System kind ("" for "").
func SystemName(kind string) string {
	switch kind {
	case SystemDSN:
		return "delivery status notification (bounce)"
	case SystemMDN:
		return "read receipt (disposition notification)"
	case SystemDMARCReport:
		return "DMARC aggregate report"
	case SystemTLSReport:
		return "SMTP TLS report"
	case SystemAutoReply:
		return "automatic reply"
	}
	return kind
}
