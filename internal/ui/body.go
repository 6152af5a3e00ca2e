package ui

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/triage-tools/triage/internal/analysis"
)

// maxBodyRender bounds the text the Body pane keeps, in bytes.
const maxBodyRender = 256 << 10

// defaultRenderBody parses raw with analysis.Parse and returns the first
// text/plain part, or else the first text/html part rendered as plain text
// with links written as "text [n]". Nothing is ever fetched.
func defaultRenderBody(raw []byte) (string, []string) {
	p := analysis.Parse(raw, analysis.DefaultLimits())
	if p == nil {
		return "", nil
	}
	for _, part := range p.TextParts {
		if strings.TrimSpace(part.Text) != "" {
			return bound(part.Text), nil
		}
	}
	for _, part := range p.HTMLParts {
		return htmlToText(part.Text)
	}
	return "", nil
}

func bound(s string) string {
	if len(s) > maxBodyRender {
		return s[:maxBodyRender] + "\n[… truncated]"
	}
	return s
}

// htmlToText is a small, bounded HTML-to-text renderer: block elements
// start new lines, script/style/head content is dropped, and each <a href>
// becomes "text [n]" with the href as link n.
func htmlToText(src string) (string, []string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var b bytes.Buffer
	var links []string
	skip := 0
	var href string
	for b.Len() < maxBodyRender {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidy(b.String()), links
		case html.TextToken:
			if skip == 0 {
				b.Write(collapseSpace(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br":
				b.WriteByte('\n')
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr":
				b.WriteByte('\n')
			case "td", "th":
				b.WriteByte(' ')
			case "a":
				if tt == html.StartTagToken {
					href = ""
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							href = strings.TrimSpace(string(v))
						}
					}
				} else if tt == html.EndTagToken && href != "" {
					if len(links) < 500 {
						links = append(links, href)
						b.WriteString(" [" + strconv.Itoa(len(links)) + "]")
					}
					href = ""
				}
			}
		}
	}
	return tidy(b.String()) + "\n[… truncated]", links
}

func collapseSpace(t []byte) []byte {
	out := make([]byte, 0, len(t))
	space := false
	for _, c := range t {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		space = false
		out = append(out, c)
	}
	return out
}

// tidy trims each line and collapses runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
