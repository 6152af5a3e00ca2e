package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// receiptWithImages is an HTML receipt whose pictures sit in object
// storage (an ordinary CDN choice) while its one link goes to the sender.
func receiptWithImages(linkHost string) []byte {
	html := `<html><body>` +
		`<img src="https://shop-assets.s3.amazonaws.com/email/logo.png" alt="Example Shop">` +
		`<p>Thank you for your order. Amount paid: $30.00.</p>` +
		`<img src="https://shopmedia.blob.core.windows.net/email/footer.png" alt="">` +
		`<p><a href="https://` + linkHost + `/orders/1234">View your order</a></p></body></html>`
	return []byte("From: Example Shop <orders@shop.example.com>\r\nTo: reader@example.net\r\n" +
		"Subject: Your order 1234\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <r1@shop.example.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

// TestFreeHostingOnlyOnFollowedLinks: images displayed from object storage
// are not a free-hosting link; a link the reader follows to it still is.
func TestFreeHostingOnlyOnFollowedLinks(t *testing.T) {
	rep := Analyze(receiptWithImages("www.shop.example.com"), nil)
	if slices.Contains(ruleSet(rep), "url.free_hosting") {
		t.Errorf("url.free_hosting fired on displayed images: %v", rep.Findings)
	}
	rep = Analyze(receiptWithImages("shop-orders.s3.amazonaws.com"), nil)
	if !slices.Contains(ruleSet(rep), "url.free_hosting") {
		t.Errorf("url.free_hosting missing on a followed link to object storage: %v", ruleSet(rep))
	}
}

// relayMail is a parcel notice a marketplace sends for a carrier: the
// display name says "carrier via marketplace", the marketplace's own
// domain passes DMARC, replies go to the carrier.
func relayMail(fromName, fromAddr, replyTo, ar string) []byte {
	html := `<html><body><p>Your parcel 1000123 is on its way. The courier will deliver it tomorrow.</p>` +
		`<p>Log in to your account to see the delivery details.</p></body></html>`
	d := fromAddr[strings.IndexByte(fromAddr, '@')+1:]
	return []byte("Authentication-Results: " + ar + "\r\n" +
		"From: \"" + fromName + "\" <" + fromAddr + ">\r\nReply-To: " + replyTo + "\r\nTo: reader@example.net\r\n" +
		"Subject: Your parcel is on its way\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <p1@" + d + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

// TestRelayViaDisplayName: "DPD (via Marketshop)" from the authenticated
// marketplace domain makes no brand claim of its own and replies to the
// carrier are no diversion; the same name on an unauthenticated or
// unrelated domain still is a brand mismatch.
func TestRelayViaDisplayName(t *testing.T) {
	pass := func(d string) string {
		return "mx.example.net; spf=pass smtp.mailfrom=" + d + "; dkim=pass header.d=" + d + "; dmarc=pass header.from=" + d
	}
	rep := Analyze(relayMail("Courier DPD (via Marketshop)", "notify@marketshopmail.example", "courier@dpd.com", pass("marketshopmail.example")), nil)
	rules := ruleSet(rep)
	if slices.Contains(rules, "sender.brand_domain_mismatch") || slices.Contains(rules, "sender.reply_to_mismatch") {
		t.Errorf("authenticated relay: %v", rep.Findings)
	}
	if rep.RawScore >= threshold {
		t.Errorf("authenticated relay scores raw %d ≥ %d: %v", rep.RawScore, threshold, rules)
	}
	for _, tc := range []struct{ name, from, ar string }{
		{"no verdict", "notify@marketshopmail.example", "mx.example.net; none"},
		{"relay name unrelated to the domain", "notify@parcel-alerts.example", pass("parcel-alerts.example")},
		{"no via", "notify@marketshopmail.example", pass("marketshopmail.example")},
	} {
		name := "Courier DPD (via Marketshop)"
		if tc.name == "no via" {
			name = "Courier DPD Marketshop"
		}
		rules := ruleSet(Analyze(relayMail(name, tc.from, "courier@dpd.com", tc.ar), nil))
		if !slices.Contains(rules, "sender.brand_domain_mismatch") {
			t.Errorf("%s: no sender.brand_domain_mismatch: %v", tc.name, rules)
		}
	}
}

func TestSplitVia(t *testing.T) {
	for _, tc := range []struct{ in, party, relay string }{
		{"Kurier DPD (via Poczta Shop)", "Kurier DPD", "Poczta Shop"},
		{"Jane Roe via Forms", "Jane Roe", "Forms"},
		{"Jane VIA Roe (via Docs)", "Jane VIA Roe", "Docs"},
		{"via Shop", "", ""},
		{"Jane via ", "", ""},
		{"Viaduct News", "", ""},
	} {
		p, r, ok := splitVia(tc.in)
		if ok != (tc.party != "") || p != tc.party || r != tc.relay {
			t.Errorf("splitVia(%q) = %q, %q, %v; want %q, %q", tc.in, p, r, ok, tc.party, tc.relay)
		}
	}
}

// htmlNotice is an HTML payment notice from an unregistered, authenticated
// sender whose markup holds words the reader never sees.
func htmlNotice(visible string) []byte {
	html := `<html xmlns:fb="http://www.facebook.com/2008/fbml"><head><style>.login{color:red}</style></head><body>` +
		`<!-- verify your password -->` +
		`<p>You paid Jane Roe $30.00. Your transfers may be restricted if the payment breaks our terms.</p>` +
		`<a href="https://payments.example.com/story/1?login=1" class="login-button">Like</a>` + visible + `</body></html>`
	d := "payments.example.com"
	return []byte("Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=" + d + "; dkim=pass header.d=" + d + "; dmarc=pass header.from=" + d + "\r\n" +
		"From: Payments <notify@" + d + ">\r\nTo: reader@example.net\r\nSubject: You paid Jane Roe\r\n" +
		"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <v1@" + d + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

// TestLexiconsReadVisibleText: credential words and brand names only in
// markup (a link's query, a class, a comment, a style sheet, a namespace)
// do not count; the same words in visible text, or in a field's
// placeholder, do.
func TestLexiconsReadVisibleText(t *testing.T) {
	rep := Analyze(htmlNotice(""), nil)
	rules := ruleSet(rep)
	for _, r := range []string{"content.credential_request", "content.pressure_credential", "sender.brand_in_body_mismatch"} {
		if slices.Contains(rules, r) {
			t.Errorf("%s fired on words in markup: %v", r, rep.Findings)
		}
	}
	if rep.RawScore >= threshold {
		t.Errorf("raw score %d ≥ %d: %v", rep.RawScore, threshold, rules)
	}
	for _, vis := range []string{
		`<p>Log in to your Facebook account to verify your password.</p>`,
		`<form><input type="password" placeholder="Facebook password"></form>`,
	} {
		rules := ruleSet(Analyze(htmlNotice(vis), nil))
		if !slices.Contains(rules, "content.credential_request") || !slices.Contains(rules, "sender.brand_in_body_mismatch") {
			t.Errorf("%s: visible words not counted: %v", vis, rules)
		}
	}
}

func TestAppendVisibleFolded(t *testing.T) {
	// the visible words, one space apart
	visible := func(in string) string {
		return strings.Join(strings.Fields(string(appendVisibleFolded(nil, in))), " ")
	}
	testutil.Cases(t, "appendVisibleFolded", visible, map[string]string{
		`<p>Hello <b>World</b></p>`: "Hello World",
		`a < b and <3`:              "a < b and <3",
		`x<script>var login=1</script>y<STYLE>p{}</style >z`:                          "x y z",
		`<img alt='Bank logo' src="https://cdn.example/login.png"><input value=Send>`: "Bank logo Send",
		`<!-- hidden -->shown<!-- unclosed`:                                           "shown",
		`text<a href="x`:                                                              "text",
		`<script>never closed`:                                                        "",
	})
}

// TestLexiconsInCorpusLanguages: account-suspension lures in Spanish,
// German, Dutch, Portuguese and French name their credential request and
// their pressure.
func TestLexiconsInCorpusLanguages(t *testing.T) {
	for _, body := range []string{
		"Su cuenta bloqueada: debe iniciar sesión y confirmar su contraseña en 24 horas.",
		"Ihr Konto wurde gesperrt. Bitte bestätigen Sie Ihr Passwort innerhalb von 24 Stunden.",
		"Uw rekening is geblokkeerd. Bevestig uw wachtwoord binnen 24 uur.",
		"Sua conta será bloqueada. Confirme sua senha em 24 horas.",
		"Votre compte suspendu : confirmez votre mot de passe dans les 24 heures.",
	} {
		rules := findingRules(Analyze(scamMail("Service <service@notice-desk.example>", "", "Aviso", body), nil))
		for _, r := range []string{"content.credential_request", "content.pressure", "content.pressure_credential"} {
			if rules[r] == 0 {
				t.Errorf("%q: no %s: %v", body, r, rules)
			}
		}
	}
}
