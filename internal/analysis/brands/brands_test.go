package brands

import (
	"bufio"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/fold/foldtest"
	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"

	"golang.org/x/net/publicsuffix"
)

func brandNames(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Brand.Name)
	}
	return out
}

func TestDefaultBrandsRegistry(t *testing.T) {
	r := Default()
	if n := len(r.Brands()); n < 80 {
		t.Fatalf("registry has %d brands, want ≥ 80", n)
	}
	names := map[string]bool{}
	for _, b := range r.Brands() {
		k := strings.ToLower(b.Name)
		if names[k] {
			t.Errorf("duplicate brand %q", b.Name)
		}
		names[k] = true
		if !brandCategories[b.Category] {
			t.Errorf("%s: bad category %q", b.Name, b.Category)
		}
		if len(b.Domains) == 0 {
			t.Errorf("%s: no domains", b.Name)
		}
		for _, d := range b.Domains {
			if e, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil || e != d {
				t.Errorf("%s: %q is not a registered domain (%q, %v)", b.Name, d, e, err)
			}
			if got := r.ByDomain(d); got == nil {
				t.Errorf("ByDomain(%q) = nil", d)
			}
			if !b.Owns("www." + strings.ToUpper(d) + ".") {
				t.Errorf("%s does not own www.%s", b.Name, d)
			}
		}
	}
	if r != Default() {
		t.Error("Default is not cached")
	}
}

func TestBrandFind(t *testing.T) {
	r := Default()
	tests := []struct {
		text string
		want []string // brand names, in order
	}{
		{"Active! mail – カゴヤ・ジャパン株式会社", []string{"Active! mail", "KAGOYA"}},
		{"Amazon.co.jp", []string{"Amazon"}},
		{"Ama\u200bzon", []string{"Amazon"}},
		{"ア\u2061マゾン", []string{"Amazon"}},
		{"ＡＭＡＺＯＮ", []string{"Amazon"}},
		{"ｱﾏｿﾞﾝ", []string{"Amazon"}},
		{"Аmazon security", []string{"Amazon"}}, // Cyrillic А
		{"【メ\u2061ルカリ】アカウン\ufe09ト使用停\u2061止", []string{"メルカリ"}},
		{"三 井 住 友 <no-reply@raarl.com>", []string{"三井住友カード"}},
		{"【楽天カード】ご利用のお知らせ", []string{"楽天カード"}},
		{"楽天カードと楽天銀行", []string{"楽天カード", "楽天銀行"}},
		{"RakutenRakuma <RakutenRakuma@jiuxinty.cn>", []string{"楽天"}},
		{"【重要】ETCマイレージポイントの有効期限", []string{"ETC利用照会サービス"}},
		{"E T C マイレージサービス事務局", []string{"ETC利用照会サービス"}},
		{"auからのお知らせ", []string{"au"}},
		{"Your UPS parcel", []string{"UPS"}},
		{"ING Bank: verify", []string{"ING"}},
		{"LINEアカウント", []string{"LINE"}},
		{"Yahoo! JAPAN ID", []string{"Yahoo! JAPAN"}},
		{"Microsoft Office 365 password expiry", []string{"Microsoft"}},
		{"JCB via Osst-users", []string{"JCB"}},
		{"Proposta Planos Amil", []string{"Amil"}},
		{"Launch of the Official Electrum Wallet", []string{"Electrum"}},
		// No false positives for short aliases inside words.
		{"audit of the Australian office", nil},
		{"meeting notes", nil},
		{"online deadline pipeline", nil},
		{"purchase order etc.", nil},
		{"mainstream steam engine", nil},
		{"ups and downs", nil},
		{"Amilton and amil", nil},
		// Nor next to a non-ASCII letter of a spaced script (German ß,
		// Greek, Cyrillic); Japanese text stays unspaced.
		{"von außen verwirrt", nil},
		{"ΩING und INGж", nil},
		{"【au】お支払い", []string{"au"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := brandNames(r.Find(tt.text))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if m := r.Find("PayPal"); len(m) != 1 || m[0].Alias != "PayPal" {
		t.Errorf("Find = %+v", m)
	}
}

func TestBrandOwnsAndByDomain(t *testing.T) {
	r := Default()
	kagoya := r.Lookup("kagoya")
	if kagoya == nil {
		t.Fatal("no KAGOYA")
	}
	for _, tt := range []struct {
		domain string
		owns   bool
	}{
		{"kagoya.com", true}, {"mail.kagoya.net.", true}, {"KAGOYA.COM", true},
		{"kagoya.jp", false}, {"notkagoya.com", false}, {"kagoya.com.evil.top", false}, {"", false},
	} {
		if got := kagoya.Owns(tt.domain); got != tt.owns {
			t.Errorf("Owns(%q) = %v", tt.domain, got)
		}
	}
	if b := r.ByDomain("secure.amazon.co.jp"); b == nil || b.Name != "Amazon" {
		t.Errorf("ByDomain(amazon) = %v", b)
	}
	if b := r.ByDomain("kagoya.jp"); b != nil {
		t.Errorf("ByDomain(kagoya.jp) = %v", b.Name)
	}
	if !r.OfficialSender(r.Lookup("Amazon"), "amazon.co.jp") || r.OfficialSender(r.Lookup("Apple"), "icloud.com") {
		t.Error("OfficialSender")
	}
}

func TestLoadBrandsAndMerge(t *testing.T) {
	user, err := Load(bytes.NewReader(testutil.ReadFile(t, "testdata/brands/user.json")))
	if err != nil {
		t.Fatal(err)
	}
	m := Default().Merge(user)
	if got, want := len(m.Brands()), len(Default().Brands())+1; got != want {
		t.Errorf("merged has %d brands, want %d", got, want)
	}
	if a := m.Lookup("amazon"); a == nil || len(a.Domains) != 1 {
		t.Errorf("Amazon not overridden: %+v", a)
	}
	if m.ByDomain("amazon.com") != nil {
		t.Error("overridden Amazon still owns amazon.com")
	}
	if Default().ByDomain("amazon.com") == nil {
		t.Error("Merge modified the default registry")
	}
	if got := brandNames(m.Find("ExampleHost EXH")); !slices.Equal(got, []string{"Example Hosting"}) {
		t.Errorf("Find = %v", got)
	}
	if got := brandNames(m.Find("exh")); got != nil {
		t.Errorf("case-sensitive alias matched: %v", got)
	}
	if Default().Merge(nil) != Default() {
		t.Error("Merge(nil)")
	}

	for _, bad := range []string{
		`{`,
		`[{"name": "", "category": "bank"}]`,
		`[{"name": "X", "category": "nope"}]`,
		`[{"name": "X", "category": "bank", "domains": ["www.x.com"]}]`,
		`[{"name": "X", "category": "bank", "domains": ["co.jp"]}]`,
		`[{"name": "X", "category": "bank"}, {"name": "x", "category": "bank"}]`,
		`[{"name": "X", "category": "bank", "aliases": [" "]}]`,
	} {
		if _, err := Load(strings.NewReader(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Load(%s) err = %v, want ErrInvalid", bad, err)
		}
	}
}

// headerSubject returns the unfolded Subject of a raw message (no RFC 2047
// decoding: good enough for the mostly ASCII ham corpus).
func headerSubject(raw []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var subj string
	in := false
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		if in && (line[0] == ' ' || line[0] == '\t') {
			subj += " " + strings.TrimSpace(line)
			continue
		}
		in = false
		if len(line) > 8 && strings.EqualFold(line[:8], "subject:") {
			subj, in = strings.TrimSpace(line[8:]), true
		}
	}
	return subj
}

// TestBrandFindHamSubjects measures false claims on ham subjects.
func TestBrandFindHamSubjects(t *testing.T) {
	dir := devdata.Dir(t, "corpus", "ham/spamassassin_easy_ham")
	r := Default()
	claims, n := 0, 0
	devdata.EachFile(t, dir, ".eml", func(_ string, raw []byte) {
		n++
		s := headerSubject(raw)
		if ms := r.Find(s); len(ms) > 0 {
			claims++
			t.Logf("claim %v in %q", brandNames(ms), s)
		}
	})
	t.Logf("%d of %d ham subjects claim a brand", claims, n)
	if claims*100 > n*3 {
		t.Errorf("%d of %d ham subjects claim a brand (> 3%%)", claims, n)
	}
}

// TestBrandFindPhishingJP measures recall on the labelled Japanese
// phishing subjects and From headers.
func TestBrandFindPhishingJP(t *testing.T) {
	rows, err := csvRows(bytes.NewReader(testutil.ReadFile(t, devdata.Dir(t, "corpus", "phishing_jp", "labels.csv"))))
	if err != nil {
		t.Fatal(err)
	}
	r := Default()
	labelled, found := 0, 0
	for _, row := range rows[1:] {
		if len(row) < 12 || row[3] != "phishing" || row[4] == "" {
			continue
		}
		labelled++
		if len(r.Find(row[10]+"\n"+row[11])) > 0 {
			found++
		} else {
			t.Logf("missed %s: %q / %q", row[4], row[10], row[11])
		}
	}
	t.Logf("brand claimed in %d of %d labelled phishing subjects/From", found, labelled)
	if labelled > 0 && found*100 < labelled*90 {
		t.Errorf("recall %d/%d < 90%%", found, labelled)
	}
}

func BenchmarkBrandFind(b *testing.B) {
	r := Default()
	text := foldtest.MixedText(64 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		r.Find(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}

func BenchmarkBrandFindSubject(b *testing.B) {
	r := Default()
	text := "【重要】三井住友カード ご利用確認のお願い"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		r.Find(text)
	}
}
