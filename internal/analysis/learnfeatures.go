package analysis

import (
	"mime"
	"path"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/features"
)

// features computes the report's feature set for the learned model
// (package features) from what the analysis already decoded: the folded
// subject and visible body, links, sender, identity, origin hop,
// attachments and the rules that fired.
func (a *analyzer) features() {
	in := features.Input{SenderDomain: a.fromDomain,
		LinkDomains: make([]string, 0, len(a.rep.URLs)), LinkPaths: make([]string, 0, len(a.rep.URLs)),
		Rules: make([]string, 0, len(a.f.list))}
	if a.folded != "" {
		in.Subject = a.folded[:max(a.foldedBody-1, 0)]
		in.Body = a.folded[a.foldedBody:]
	}
	if id := a.rep.Auth.Identity; id != nil {
		in.Identity = id.Domain
	}
	for i := range a.rep.Hops {
		if a.rep.Hops[i].Origin {
			in.OriginIP = a.rep.Hops[i].FromIP
			break
		}
	}
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		if u.Domain != "" {
			in.LinkDomains = append(in.LinkDomains, u.Domain)
		}
		if p := urlPath(u.Unwrapped, u.URL); p != "" {
			in.LinkPaths = append(in.LinkPaths, p)
		}
	}
	for i := range a.rep.Attachments {
		at := &a.rep.Attachments[i]
		t := at.SniffedType
		if t == "" {
			t = at.DeclaredType
		}
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			t = mt
		}
		t = strings.ToLower(t)
		if ext := strings.ToLower(path.Ext(at.Name)); ext != "" && len(ext) <= 8 {
			t += " " + ext
		}
		in.AttachmentType = append(in.AttachmentType, t)
	}
	for _, f := range a.f.list {
		if !structuralRules[f.Rule] {
			in.Rules = append(in.Rules, f.Rule)
		}
	}
	a.rep.Features = features.Extract(&in)
}

// structuralRules are the rules about the shape of a message rather than
// its content: the model does not see them, so that it cannot learn "HTML
// means phish" from a corpus whose old ham is plain text
// (docs/learning.md). The rules' own score still counts them.
var structuralRules = map[string]bool{"content.html_only": true}

// urlPath is the path of the first non-empty URL (without scheme, host,
// query or fragment), "" for none.
func urlPath(us ...string) string {
	for _, u := range us {
		if u == "" {
			continue
		}
		_, rest, ok := strings.Cut(u, "://")
		if !ok {
			continue
		}
		i := strings.IndexAny(rest, "/?#")
		if i < 0 {
			return "/"
		}
		return rest[i:]
	}
	return ""
}
