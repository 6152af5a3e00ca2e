package report

import "time"

// Wrapper kinds: how a report wrapper carried the original message.
const (
	WrapAttached   = "attached"    // a message/rfc822 part
	WrapEML        = "eml"         // an .eml file sent as another type (application/octet-stream)
	WrapMSG        = "msg"         // an Outlook .msg file (CFB) rebuilt into a message
	WrapARF        = "arf"         // an RFC 5965 feedback report with the message/rfc822 part
	WrapARFHeaders = "arf-headers" // an RFC 5965 feedback report with text/rfc822-headers only
	WrapInline     = "inline"      // an inline forward rebuilt from its quoted header block
)

// Reporter is who reported a message: the outermost wrapper's sender, its
// date and Message-ID, and the note the reporter wrote (the wrapper's own
// text without the forwarded part, bounded). All of it is untrusted text.
type Reporter struct {
	From      Address   `json:"from"`
	Date      time.Time `json:"date"` // zero when missing or unparseable
	MessageID string    `json:"message_id,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Note      string    `json:"note,omitempty"`
	// WrapperID is "sha256:<hex>" of the wrapper's raw bytes, which its
	// locator (without the unwrap path) re-reads.
	WrapperID string `json:"wrapper_id,omitempty"`
}

// Wrapper says that a report describes the original found inside a report
// wrapper, and how it was found.
type Wrapper struct {
	ID   string `json:"id"`   // "sha256:<hex>" of the outermost wrapper's raw bytes
	Size int    `json:"size"` // bytes of the outermost wrapper
	// Kind is the innermost layer's kind (one of the Wrap* constants).
	Kind string `json:"kind"`
	// Path names every layer, outermost first, as "kind:part" joined by
	// "/" (part is the 1-based index of the top-level MIME part, 0 for an
	// inline forward), e.g. "attached:2/inline:0". The same path
	// re-derives the original from the wrapper's bytes.
	Path string `json:"path"`
	// Depth is the number of wrappers removed.
	Depth int `json:"depth"`
	// Incomplete is set when the original was rebuilt from quoted text
	// (inline forward) or from headers only: its hop chain and
	// authentication results are missing or partial.
	Incomplete bool     `json:"incomplete,omitempty"`
	Reporter   Reporter `json:"reporter"`
}
