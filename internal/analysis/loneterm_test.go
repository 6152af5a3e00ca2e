package analysis

import "testing"

func plainMail(from, to, subject, body string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
		"\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <x1@lists.example.org>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// TestLoneContentTerm: one word of one lexicon in otherwise ordinary mail
// is kept as evidence without points; two words, or one word beside
// other evidence, still score.
func TestLoneContentTerm(t *testing.T) {
	an := New(nil)
	const list = "Dev List <dev@lists.example.org>"
	for _, tc := range []struct {
		name, from, subject, body, rule string
		points                          int
	}{
		{"one pressure word", "Ann <ann@example.org>", "Re: build broken",
			"The nightly build fails; please revert the change immediately so others can work.", "content.pressure", 0},
		{"one credential word", "Ann <ann@example.org>", "Re: storing secrets",
			"I would not keep the password in the repository; use the secret store instead.", "content.credential_request", 0},
		{"two pressure words", "Ann <ann@example.org>", "Re: build broken",
			"Your access will be suspended; act immediately.", "content.pressure", 10},
		{"one word and a free-mail reply-to elsewhere", "Ann <ann@example.org>\r\nReply-To: ann.private@gmail.com", "Re: build broken",
			"Please revert the change immediately.", "content.pressure", 10},
	} {
		rep := an.Analyze(plainMail(tc.from, list, tc.subject, tc.body))
		found := false
		for _, f := range rep.Findings {
			if f.Rule == tc.rule {
				found = true
				if f.Points != tc.points {
					t.Errorf("%s: %s has %d points, want %d (%s)", tc.name, tc.rule, f.Points, tc.points, f.Summary)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding: %+v", tc.name, tc.rule, rep.Findings)
		}
		if rep.Score != Score(rep.Findings) {
			t.Errorf("%s: score %d not explained by findings", tc.name, rep.Score)
		}
	}
}
