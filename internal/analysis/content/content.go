// Package content holds the lexicons of pressure, credential-request and
// lure language (English, Japanese and a few other languages) and the
// role mailboxes, and scans folded text for them in one pass.
package content

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/fold"
)

// Lexicon kinds.
const (
	lexPressure   = 0
	lexCredential = 1
	lexLure       = 2
)

// lexicon is the data table of scanFolded: terms as written (they are
// folded like fold.Normalize before matching). English terms must start at a
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
		// Portuguese, Spanish, German, French, Dutch: blocked, suspended,
		// restricted accounts; deadlines; suspicious activity.
		"será bloqueada", "será suspensa", "conta bloqueada", "conta suspensa", "em 24 horas", "atividade suspeita",
		"será suspendida", "cuenta bloqueada", "cuenta suspendida", "en 24 horas", "actividad sospechosa",
		"gesperrt", "sperrung", "eingeschränkt", "innerhalb von 24 stunden", "verdächtige aktivität", "ungewöhnliche aktivität",
		"compte suspendu", "compte bloqué", "dans les 24 heures", "activité suspecte", "activité inhabituelle",
		"geblokkeerd", "opgeschort", "binnen 24 uur", "verdachte activiteit", "ongebruikelijke activiteit",
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
		// Portuguese, Spanish, German, French, Dutch: passwords, sign-in,
		// verifying an account, card and bank details.
		"senha", "verifique sua conta", "confirme seus dados", "atualize seus dados", "dados bancários", "dados do cartão",
		"contraseña", "verifique su cuenta", "confirme sus datos", "actualice sus datos", "datos bancarios", "iniciar sesión",
		"passwort", "kennwort", "zugangsdaten", "einloggen", "kreditkartendaten", "verifizieren sie ihr",
		"mot de passe", "vérifier votre compte", "confirmer votre identité", "coordonnées bancaires", "identifiants", "connectez-vous",
		"wachtwoord", "inloggen", "inloggegevens", "bankgegevens", "verifieer uw", "bevestig uw",
	}},
}

// maxLexiconTerms bounds the pressure and the credential list of
// scanFolded, maxLureTerms its lure list.
const (
	maxLexiconTerms = 16
	maxLureTerms    = 8
)

// lureTerms name prizes, windfalls and too-good offers: the bait of
// advance-fee, lottery, gift-card, casino and investment scams. ASCII
// terms match case-insensitively at a word start.
var lureTerms = []string{
	"you have won", "you've won", "you won", "winner", "congratulations", "claim your",
	"free gift", "gift card", "giftcard", "prize", "lottery", "jackpot", "free spins",
	"casino", "inheritance", "beneficiary", "next of kin", "donation", "compensation fund",
	"million dollars", "investment opportunity", "airdrop", "cash reward", "your reward",
	"100% free", "risk-free", "risk free", "exclusive offer", "limited offer", "work from home",
	"gewinnspiel", "gewonnen", "gewinner", "gutschein", "freispiele", "geschenk",
	"winnaar", "cadeaukaart", "cadeaubon", "beloning", "verloten",
	"parabéns", "prêmio", "premio", "ganhou", "sorteio", "recompensa", "brinde",
	"félicitations", "gagnant", "gagné", "cadeau", "récompense", "loterie",
	"felicidades", "ganador", "sorteo",
	"当選", "プレゼント", "賞金", "高額",
}

type lexPat struct {
	kind int
	term string
	word bool // must start at a word boundary
}

var (
	lexOnce    sync.Once
	lexMatcher *fold.Matcher // the lexicon and the lure terms, one automaton
	lexPats    []lexPat
)

func lexInit() {
	var pats [][]byte
	add := func(kind int, t string, word bool) {
		lexPats = append(lexPats, lexPat{kind: kind, term: t, word: word})
		pats = append(pats, fold.Append(nil, t, fold.Lower))
	}
	for _, l := range lexicon {
		for _, t := range l.terms {
			add(l.kind, t, charset.IsASCII(t))
		}
	}
	for _, t := range lureTerms {
		add(lexLure, t, t[0] < utf8.RuneSelf)
	}
	for _, l := range scamLexicon {
		for _, t := range l.terms {
			add(l.kind, t, t[0] < utf8.RuneSelf)
		}
	}
	lexMatcher = fold.NewMatcher(pats)
}

// Terms are the lexicon and lure terms found in a text, each list
// in order of first appearance, as written in the tables.
type Terms struct {
	Pressure, Credential, Lures []string
	// Link-less scam language (scam.go): advance-fee and inheritance,
	// romance, charge call-back, gift-card requests.
	AdvanceFee, Romance, Callback, GiftCard []string
}

// full reports whether every list has reached its bound.
func (t *Terms) full() bool {
	return len(t.Pressure) >= maxLexiconTerms && len(t.Credential) >= maxLexiconTerms &&
		len(t.Lures) >= maxLureTerms && len(t.AdvanceFee) >= maxScamTerms &&
		len(t.Romance) >= maxScamTerms && len(t.Callback) >= maxScamTerms && len(t.GiftCard) >= maxScamTerms
}

// Scan returns the distinct pressure/urgency, credential/payment
// and lure terms (English, Japanese and a few other languages) in buf, in
// order of first appearance, as written in the tables. buf must be folded
// with fold.MatchMode, so that case, full-width forms, hidden characters and
// Cyrillic/Greek look-alike letters do not matter (the fold.Matcher folds ASCII
// case itself). One pass of one automaton; each list is bounded.
func Scan(buf string) (out Terms) {
	lexOnce.Do(lexInit)
	var seen [8]uint64 // bitset of pattern ids below 512
	lexMatcher.Scan(buf, func(id, start, end int) bool {
		p := &lexPats[id]
		if p.word && start > 0 && fold.IsAlnum(buf[start-1]) {
			return true
		}
		if id < 512 {
			if seen[id/64]&(1<<(id%64)) != 0 {
				return true
			}
			seen[id/64] |= 1 << (id % 64)
		}
		list, limit := &out.Credential, maxLexiconTerms
		switch p.kind {
		case lexPressure:
			list = &out.Pressure
		case lexLure:
			list, limit = &out.Lures, maxLureTerms
		case lexAdvanceFee:
			list, limit = &out.AdvanceFee, maxScamTerms
		case lexRomance:
			list, limit = &out.Romance, maxScamTerms
		case lexCallback:
			list, limit = &out.Callback, maxScamTerms
		case lexGiftCard:
			list, limit = &out.GiftCard, maxScamTerms
		}
		if len(*list) < limit && !containsStr(*list, p.term) {
			*list = append(*list, p.term)
		}
		return !out.full()
	})
	return out
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
