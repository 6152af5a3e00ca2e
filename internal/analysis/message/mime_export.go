package message

import "strings"

// The MIME helpers of Parse, exported for package unwrap, which looks at a
// wrapper's top-level parts without a full walk.

// ContentType parses a Content-Type or Content-Disposition value into a
// lower-case value and its parameters; "" when v is empty or invalid.
func ContentType(v string) (string, map[string]string) { return parseContentType(v, v != "") }

// SplitMultipart splits a multipart body on its boundary leniently (see
// Parse) and reports whether the close delimiter was seen.
func SplitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	return splitMultipart(body, boundary)
}

// FileName is the decoded file name of a part from its Content-Disposition
// and Content-Type parameters ("" when neither names one).
func FileName(dispParams, typeParams map[string]string) string {
	if n := paramName(dispParams["filename"]); n != "" {
		return n
	}
	return paramName(typeParams["name"])
}

// DecodeTransfer decodes a body in Content-Transfer-Encoding cte into a new
// slice (or body itself for identity encodings), at most max bytes;
// truncated reports that the decoding was cut.
func DecodeTransfer(cte string, body []byte, max int) (out []byte, truncated bool) {
	enc := strings.ToLower(strings.TrimSpace(cte))
	if i := strings.IndexAny(enc, " \t;("); i >= 0 {
		enc = enc[:i]
	}
	switch enc {
	case "base64":
		if len(body) > max/3*4+8 {
			body, truncated = body[:max/3*4+8], true
		}
		out, _ = decodeBase64Body(nil, body)
	case "quoted-printable":
		if len(body) > max*3 {
			body, truncated = body[:max*3], true
		}
		out = decodeQPBody(nil, body)
	default:
		out = body
	}
	if len(out) > max {
		out, truncated = out[:max], true
	}
	return out, truncated
}
