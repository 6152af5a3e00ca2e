package iocs

import "strings"

// ubiquitousHosts are hosts that appear in the markup of ordinary HTML
// mail and say nothing about who sent it. Each entry names where it
// comes from; a host here is left out together with its sub-domains.
var ubiquitousHosts = []struct{ host, source string }{
	{"w3.org", "XHTML DOCTYPE and xmlns declarations (W3C, https://www.w3.org/TR/xhtml1/)"},
	{"schema.org", "schema.org microdata and JSON-LD in mail (Gmail actions, https://developers.google.com/gmail/markup)"},
	{"purl.org", "Dublin Core namespaces in HTML exported by office suites (https://www.dublincore.org/specifications/dublin-core/)"},
	{"ogp.me", "Open Graph protocol namespace (https://ogp.me/)"},
	{"xmlns.com", "FOAF namespace (http://xmlns.com/foaf/spec/)"},
	{"openxmlformats.org", "Office Open XML namespaces (ECMA-376) in Word-generated HTML"},
	{"fonts.googleapis.com", "Google Fonts stylesheets linked from HTML mail (https://developers.google.com/fonts/docs/getting_started)"},
	{"fonts.gstatic.com", "Google Fonts font files (same source)"},
}

// ubiquitous reports whether host (or its registered domain dom) is in
// ubiquitousHosts.
func ubiquitous(host, dom string) bool {
	for _, u := range ubiquitousHosts {
		if host == u.host || dom == u.host || strings.HasSuffix(host, "."+u.host) {
			return true
		}
	}
	return false
}
