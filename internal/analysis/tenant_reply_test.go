package analysis

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/infra"
)

// TestSameTenantLinkIsRelated: a sender writing from its own tenant of a
// shared platform (acme.helpdesk.example) links to that tenant without
// "every link leaves the sender"; a link to another tenant still leaves.
func TestSameTenantLinkIsRelated(t *testing.T) {
	plat, err := infra.Load(strings.NewReader(`[{"kind":"shared_platform","name":"Helpdesk","domains":["helpdesk.example"],"source":"https://helpdesk.example/docs"}]`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Limits: DefaultLimits(), Infra: infra.Default().Merge(plat)}
	mail := func(host string) []byte {
		return htmlMail("Acme Support <support@acme.helpdesk.example>", "Your request #1042",
			`<html><body><p>We answered your request.</p><a href="https://`+host+`/hc/requests/1042">View request</a></body></html>`)
	}
	if got := fired(Analyze(mail("acme.helpdesk.example"), cfg)); got["url.links_unrelated"] {
		t.Errorf("a link to the sender's own tenant counts as unrelated: %v", got)
	}
	if got := fired(Analyze(mail("other.helpdesk.example"), cfg)); !got["url.links_unrelated"] {
		t.Errorf("a link to another tenant is not unrelated: %v", got)
	}
}

// TestReplyToOtherFreemailMailbox: replies sent to another mailbox of the
// sender's own free-mail provider are a diversion; the sender's own
// address, or a colleague at a company domain, are not.
func TestReplyToOtherFreemailMailbox(t *testing.T) {
	an := New(nil)
	for _, tc := range []struct {
		from, replyTo string
		want          bool
	}{
		{"Carlos <khadmau70@gmail.com>", "clcas655@gmail.com", true},
		{"Carlos <khadmau70@gmail.com>", "KhadMau70@gmail.com", false},
		{"Carlos <carlos@example.com>", "office@example.com", false},
	} {
		raw := plainMail(tc.from+"\r\nReply-To: "+tc.replyTo, "Pat <pat@example.org>", "Bom dia", "Desejo falar com você.")
		rep := an.Analyze(raw)
		if got := fired(rep)["sender.reply_to_freemail"]; got != tc.want {
			t.Errorf("From %s, Reply-To %s: reply_to_freemail %v, want %v (%+v)", tc.from, tc.replyTo, got, tc.want, rep.Findings)
		}
	}
}
