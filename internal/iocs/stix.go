package iocs

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Options describe the producer and the time of an export.
type Options struct {
	// Producer names the identity that made the indicators ("triage" when
	// empty).
	Producer string
	// Now is the time of the export (created, modified, timestamps).
	Now time.Time
	// Title is the MISP event's info line and the STIX bundle's context.
	Title string
}

func (o Options) producer() string {
	if o.Producer == "" {
		return "triage"
	}
	return o.Producer
}

// stixSCONamespace is the UUIDv5 namespace STIX 2.1 defines for
// deterministic identifiers of cyber-observable objects (section 2.9).
var stixSCONamespace = [16]byte{0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7}

// triageNamespace is the UUIDv5 namespace of triage's own identifiers,
// so that the same indicator exported twice keeps its id.
var triageNamespace = uuid5(stixSCONamespace, "triage-tools/triage iocs")

// uuid5 returns the RFC 4122 name-based (SHA-1) UUID of name in ns.
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

func uuidString(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func stixID(typ string, ns [16]byte, name string) string {
	return typ + "--" + uuidString(uuid5(ns, name))
}

// stixTime is the STIX timestamp form (RFC 3339, UTC, milliseconds).
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// quotePattern quotes s as a STIX pattern string literal.
func quotePattern(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Pattern returns the STIX 2.1 pattern that matches the indicator.
func Pattern(in Indicator) string {
	v := quotePattern(in.Value)
	switch in.Type {
	case TypeURL:
		return "[url:value = " + v + "]"
	case TypeDomain, TypeHostname:
		return "[domain-name:value = " + v + "]"
	case TypeIPSrc, TypeIPDst:
		if strings.Contains(in.Value, ":") {
			return "[ipv6-addr:value = " + v + "]"
		}
		return "[ipv4-addr:value = " + v + "]"
	case TypeEmailSrc:
		return "[email-message:from_ref.value = " + v + "]"
	case TypeSHA256:
		return "[file:hashes.'SHA-256' = " + v + "]"
	case TypeSubject:
		return "[email-message:subject = " + v + "]"
	}
	return ""
}

// WriteSTIX writes a STIX 2.1 bundle: the producer's identity, one
// indicator per indicator (pattern type stix, valid from its first
// sighting, labels as STIX labels, counts in the description), and an
// email-addr observable for each sender address.
func WriteSTIX(w io.Writer, ins []Indicator, o Options) error {
	now := stixTime(o.Now)
	identity := stixID("identity", triageNamespace, "identity:"+o.producer())
	objects := []any{map[string]any{
		"type": "identity", "spec_version": "2.1", "id": identity,
		"created": now, "modified": now, "name": o.producer(), "identity_class": "system",
	}}
	for _, in := range ins {
		valid := in.FirstSeen
		if valid.IsZero() {
			valid = o.Now
		}
		ind := map[string]any{
			"type": "indicator", "spec_version": "2.1",
			"id":             stixID("indicator", triageNamespace, in.Type+"\x00"+in.Value),
			"created_by_ref": identity, "created": now, "modified": now,
			"name":            in.Type + ": " + capRunes(in.Value, 200),
			"description":     describe(in),
			"indicator_types": []string{"malicious-activity"},
			"pattern":         Pattern(in), "pattern_type": "stix", "pattern_version": "2.1",
			"valid_from": stixTime(valid),
		}
		if len(in.Labels) > 0 {
			ind["labels"] = in.Labels
		}
		objects = append(objects, ind)
		if in.Type == TypeEmailSrc {
			objects = append(objects, map[string]any{
				"type": "email-addr", "spec_version": "2.1",
				"id":    stixID("email-addr", stixSCONamespace, `{"value":`+jsonString(in.Value)+`}`),
				"value": in.Value,
			})
		}
	}
	bundle := map[string]any{
		"type":    "bundle",
		"id":      stixID("bundle", triageNamespace, "bundle:"+now+":"+fmt.Sprint(len(ins))),
		"objects": objects,
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(bundle)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// describe is the one line of context of an indicator.
func describe(in Indicator) string {
	s := fmt.Sprintf("seen in %d message(s)", in.Messages)
	if !in.FirstSeen.IsZero() {
		s += ", first " + in.FirstSeen.UTC().Format(time.RFC3339) + ", last " + in.LastSeen.UTC().Format(time.RFC3339)
	}
	if len(in.Labels) > 0 {
		s += "; labeled " + strings.Join(in.Labels, ", ")
	}
	if len(in.Campaigns) > 0 {
		s += "; campaigns " + strings.Join(in.Campaigns, ", ")
	}
	return s
}

func capRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}
