package analysis

import (
	"strings"
	"sync"
)

// Lexicon kinds.
const (
	lexPressure   = 0
	lexCredential = 1
)

// lexicon is the data table of ScanLexicons: terms as written (they are
// folded like Normalize before matching). English terms must start at a
// word boundary and may continue ("expire" matches "expired"); Japanese
// terms match anywhere. Keep terms specific: each one should be rare in
// ordinary business mail.
var lexicon = [...]struct {
	kind  int
	terms []string
}{
	{lexPressure, []string{
		// English: threats of loss and deadlines.
		"suspended", "suspension", "suspend your", "will be suspended", "locked", "disabled",
		"deactivated", "deactivation", "restricted", "restriction", "terminated", "termination",
		"within 24 hours", "within 48 hours", "within 72 hours", "24 hours", "48 hours",
		"immediately", "urgent", "final notice", "final warning", "last warning", "expire",
		"unusual activity", "unusual sign-in", "suspicious activity", "unauthorized",
		"unauthorised", "action required", "failure to", "permanently deleted",
		"will be closed", "will be deleted", "limited access", "security alert",
		// Japanese: suspension, restriction, deadlines, fraud.
		"停止", "一時停止", "利用停止", "制限", "凍結", "ロック", "24時間以内", "48時間以内",
		"72時間以内", "至急", "緊急", "重要なお知らせ", "期限", "失効", "不正", "異常",
		"第三者", "退会", "解約", "削除されます", "無効", "お早めに", "速やかに", "直ちに",
	}},
	{lexCredential, []string{
		// English: requests for credentials or payment details.
		"verify your", "verify account", "confirm your identity", "confirm your account",
		"update your information", "update your account", "update your payment",
		"validate your", "login", "log in", "log-in", "sign in", "sign-in", "password",
		"card details", "card number", "security code", "cvv", "billing information",
		"billing address", "payment information", "payment method", "payment details",
		"bank details", "account information", "social security", "one-time code",
		// Japanese.
		"ご確認", "確認してください", "本人確認", "ログイン", "パスワード", "カード情報",
		"暗証番号", "セキュリティコード", "お支払い方法", "お支払方法", "更新", "アカウント情報",
		"認証", "会員情報", "登録情報", "口座番号", "クレジットカード番号", "有効期限",
	}},
}

// maxLexiconTerms bounds each list ScanLexicons returns.
const maxLexiconTerms = 16

type lexPat struct {
	kind int
	term string
	word bool // ASCII term: must start at a word boundary
}

var (
	lexOnce    sync.Once
	lexMatcher *matcher
	lexPats    []lexPat
)

func lexInit() {
	var pats [][]byte
	for _, l := range lexicon {
		for _, t := range l.terms {
			lexPats = append(lexPats, lexPat{kind: l.kind, term: t, word: asciiOnly(t)})
			pats = append(pats, appendFold(nil, t, foldLower))
		}
	}
	lexMatcher = newMatcher(pats)
}

// ScanLexicons returns the distinct pressure/urgency terms and
// credential/payment-request terms (English and Japanese) found in text, in
// order of first appearance, as written in the lexicon. Text is folded like
// Normalize, so case, full-width forms and hidden characters do not matter.
// Only the first 1 MiB is read and each list holds at most 16 terms.
func ScanLexicons(text string) (pressure []string, credential []string) {
	if text == "" {
		return nil, nil
	}
	lexOnce.Do(lexInit)
	if len(text) > maxFindBytes {
		text = text[:maxFindBytes]
	}
	buf, release := foldForMatch(text, foldSqueeze)
	defer release()
	var seen [4]uint64 // bitset of pattern ids below 256
	lexMatcher.scan(buf, func(id, start, end int) bool {
		p := &lexPats[id]
		if p.word && start > 0 && isAlnumByte(buf[start-1]) {
			return true
		}
		if id < 256 {
			if seen[id/64]&(1<<(id%64)) != 0 {
				return true
			}
			seen[id/64] |= 1 << (id % 64)
		}
		if p.kind == lexPressure {
			if len(pressure) < maxLexiconTerms && !containsStr(pressure, p.term) {
				pressure = append(pressure, p.term)
			}
		} else if len(credential) < maxLexiconTerms && !containsStr(credential, p.term) {
			credential = append(credential, p.term)
		}
		return len(pressure) < maxLexiconTerms || len(credential) < maxLexiconTerms
	})
	return pressure, credential
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// roleLocalParts are mailbox names that belong to a function, not a person
// (RFC 2142 and common practice).
var roleLocalParts = map[string]bool{
	"admin": true, "administrator": true, "contact": true, "info": true, "support": true,
	"postmaster": true, "webmaster": true, "hostmaster": true, "abuse": true, "office": true,
	"sales": true, "billing": true, "accounts": true, "accounting": true, "hr": true,
	"help": true, "helpdesk": true, "noreply": true, "no-reply": true, "root": true,
	"security": true, "it": true, "service": true, "marketing": true, "enquiries": true,
	"enquiry": true, "inquiry": true, "inquiries": true, "mail": true, "team": true,
	"finance": true, "legal": true, "press": true, "jobs": true, "careers": true,
	"privacy": true, "noc": true, "sysadmin": true, "feedback": true, "hello": true,
	"mailer-daemon": true, "list": true, "newsletter": true, "reception": true,
}

// IsRoleAccount reports whether addr's local part names a function rather
// than a person (admin@, info@, postmaster@ …), compared case-insensitively
// and ignoring a "+tag". An address without '@' is treated as a bare local
// part.
func IsRoleAccount(addr string) bool {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "<"), ">")
	local := addr
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		local = addr[:i]
	}
	local = strings.Trim(local, "\"")
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	if len(local) == 0 || len(local) > 32 {
		return false
	}
	return roleLocalParts[strings.ToLower(local)]
}
