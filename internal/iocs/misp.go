package iocs

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
)

// mispCategory is the category of each indicator type: the type's
// default category in MISP's describeTypes.json.
var mispCategory = map[string]string{
	TypeURL:      "Network activity",
	TypeHostname: "Network activity",
	TypeDomain:   "Network activity",
	TypeIPSrc:    "Network activity",
	TypeIPDst:    "Network activity",
	TypeEmailSrc: "Payload delivery",
	TypeSHA256:   "Payload delivery",
	TypeSubject:  "Payload delivery",
}

// WriteMISP writes a MISP event (the {"Event": …} form PyMISP loads): one
// attribute per indicator, of the MISP type of the same name, with
// to_ids set except on subjects, its counts and times in the comment, and
// the labels as tags "triage:label=…". The event is unpublished, with
// distribution 0 (your organisation only).
func WriteMISP(w io.Writer, ins []Indicator, o Options) error {
	ts := strconv.FormatInt(o.Now.Unix(), 10)
	title := o.Title
	if title == "" {
		title = "indicators exported by " + o.producer()
	}
	var attrs []map[string]any
	labels := map[string]bool{}
	for _, in := range ins {
		at := ts
		if !in.LastSeen.IsZero() {
			at = strconv.FormatInt(in.LastSeen.Unix(), 10)
		}
		attrs = append(attrs, map[string]any{
			"uuid":         uuidString(uuid5(triageNamespace, "misp:"+in.Type+"\x00"+in.Value)),
			"type":         in.Type,
			"category":     mispCategory[in.Type],
			"value":        in.Value,
			"to_ids":       in.Type != TypeSubject,
			"distribution": "5", // inherit the event's
			"timestamp":    at,
			"comment":      describe(in),
		})
		for _, l := range in.Labels {
			labels[l] = true
		}
	}
	var tags []map[string]any
	for _, l := range sortedKeys(labels) {
		tags = append(tags, map[string]any{"name": `triage:label="` + l + `"`})
	}
	ev := map[string]any{
		"uuid":            uuidString(uuid5(triageNamespace, "misp-event:"+ts+":"+title)),
		"info":            title,
		"date":            o.Now.UTC().Format("2006-01-02"),
		"timestamp":       ts,
		"threat_level_id": "2", // medium
		"analysis":        "2", // completed
		"distribution":    "0", // your organisation only
		"published":       false,
		"Orgc":            map[string]any{"name": o.producer(), "uuid": uuidString(uuid5(triageNamespace, "org:"+o.producer()))},
		"Attribute":       attrs,
	}
	if attrs == nil {
		ev["Attribute"] = []any{}
	}
	if tags != nil {
		ev["Tag"] = tags
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"Event": ev})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
