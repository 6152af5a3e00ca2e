package build

import "strings"

// This file lists the demo messages in mailbox order and holds the small
// helpers every message file uses.

// messages returns every demo message in mailbox order (roughly by date,

// 2026-10-02 to 2026-11-25).

func messages() []message {
	lures := attachLures()
	return []message{
		githubNotification(),
		kagoyaActiveMail(),
		mailingList(),
		amazonLookalike(),
		amazonOrder(),
		paypalDisplayName(),
		safeLinks(),
		sjisMaintenance(),
		htmlAttachment(),
		passwordReset(),
		rloAttachment(),
		terminalEscapes(),
		smbcCard(),
		newsletter(),
		ekinet(),
		yamatoPhish(),
		yamatoNotice(),
		dhlFee(),
		itPasswordExpiry(),
		m365WebApp(),
		bankStatement(),
		voicemailR2(),
		ipfsQuota(),
		bitlyNetflix(),
		marketingUrgency(),
		ipLiteral(),
		paypalUserinfo(),
		colleaguePDF(),
		punycode(),
		becGiftCards(),
		lures[0],
		customerReply(),
		lures[1],
		vendorBankChange(),
		lures[2],
		simulation(),
		lures[3],
		calendarInvite(),
	}
}

// cat concatenates header lists.

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// hs is shorthand for a literal header list.

func hs(h ...string) []string { return h }

// lines joins text lines with LF.

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

const mime10 = "MIME-Version: 1.0"

// --- 1 ---------------------------------------------------------------------
