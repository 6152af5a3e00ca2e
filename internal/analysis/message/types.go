package message

import "github.com/triage-tools/triage/internal/analysis/report"

// Limits bound the work done on one message. Hitting a limit adds a parse
// warning; it never fails the parse.
type Limits struct {
	MaxHeaderBytes int   // bytes of one message's top-level header block
	MaxDepth       int   // MIME nesting depth
	MaxParts       int   // MIME parts walked
	MaxPartBytes   int64 // decoded bytes kept per part
	MaxURLs        int   // URLs kept per message
	MaxBodyBytes   int   // decoded text kept for Text and HTML each
}

// DefaultLimits are generous for real mail and small enough that a hostile
// message cannot exhaust memory.
func DefaultLimits() Limits {
	return Limits{
		MaxHeaderBytes: 256 << 10,
		MaxDepth:       20,
		MaxParts:       500,
		MaxPartBytes:   25 << 20,
		MaxURLs:        500,
		MaxBodyBytes:   2 << 20,
	}
}

// Part is a decoded body part kept for analysis.
type Part struct {
	ContentType string // lower-case media type, e.g. "text/plain"
	Charset     string // declared charset, lower-case, may be empty
	Text        string // decoded UTF-8 text (text/* parts only), bounded by MaxBodyBytes
	// Nested is set for a part of an encapsulated message (message/rfc822:
	// a forwarded mail, the original returned in a bounce).
	Nested bool
}

// Parsed is a message decoded by Parse. It is the input to the rules.
type Parsed struct {
	Headers     []report.HeaderField
	Summary     report.Summary
	TextParts   []Part // text/plain parts in order
	HTMLParts   []Part // text/html parts in order
	Attachments []report.Attachment
	Warnings    []string
	// Media are the image and PDF parts (by magic bytes), copied and
	// bounded, for the QR code and PDF link readers; nil for most mail.
	Media []Media
}
