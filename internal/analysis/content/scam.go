package content

// Lexicons of link-less scams (advance-fee and inheritance, romance,
// refund and charge call-back, gift-card requests), in the corpus
// languages: English, Portuguese, Spanish, German, French, Dutch and
// Japanese. They feed Terms.AdvanceFee, Romance, Callback and GiftCard;
// the rules combine them with the message's structure (no link, replies
// going elsewhere, a money amount and a phone number), never one alone.
// Terms are folded like the other lexicons; ASCII terms match at a word
// start.

// Scam lexicon kinds (continuing the lex* kinds of content.go).
const (
	lexAdvanceFee = 3
	lexRomance    = 4
	lexCallback   = 5
	lexGiftCard   = 6
)

// maxScamTerms bounds each scam list of Terms.
const maxScamTerms = 8

var scamLexicon = [...]struct {
	kind  int
	terms []string
}{
	{lexAdvanceFee, []string{
		// English: the windfall, the dead benefactor, the secret deal.
		"business proposal", "business proposition", "private proposition", "proposal letter",
		"investment collaboration", "next of kin", "inheritance", "inherit ", "beneficiary",
		"late husband", "late father", "late client", "deceased", "probate", "unclaimed",
		"abandoned", "dormant account", "fund manager", "funds totaling", "lucrative",
		"mutually beneficial", "benefit to both of us", "beneficial to both of us", "utmost trust",
		"utmost confidentiality", "strictest confidence", "confidential transaction",
		"donate", "donation", "charity", "charitable", "relief fund", "relief package",
		"relief program", "compensation fund", "selected to receive", "moneygram", "western union",
		"atm card", "consignment", "diplomat", "barrister", "million usd", "million dollars",
		"million us dollars", "private email", "terminal illness", "last wish", "widow",
		"head of finance", "foreign office", "cash it out", "cash the funds", "cash out the funds",
		"wallet has been funded", "been funded with",
		// Portuguese.
		"herança", "herdar", "herdei", "falecido", "falecer", "faleceu", "doar", "doação",
		"caridade", "proposta de negócio", "milhões de dólares", "beneficiário", "fundo de ajuda",
		// Spanish.
		"herencia", "heredar", "fallecido", "falleció", "donar", "donación", "caridad",
		"propuesta de negocio", "millones de dólares", "beneficiario", "difunto",
		// German.
		"erbschaft", "nachlass", "erbe ", "verstorben", "spende", "wohltätig",
		"geschäftsvorschlag", "millionen dollar", "millionen euro", "begünstigte",
		// French.
		"héritage", "succession", "défunt", "décédé", "faire un don", "œuvres de charité",
		"oeuvres de charité", "proposition d'affaires", "millions de dollars", "bénéficiaire",
		// Dutch.
		"erfenis", "nalatenschap", "overleden", "donatie", "goede doelen", "zakelijk voorstel",
		"miljoen dollar", "begunstigde",
		// Japanese.
		"遺産", "相続", "寄付", "受取人", "故人", "亡くなった", "ビジネス提案", "万ドル", "慈善",
	}},
	{lexRomance, []string{
		"lonely", "single woman", "single girl", "unmarried", "i'm single", "im single",
		"searching for a man", "looking for a man", "looking for a serious", "searching for",
		"suitable gentleman", "fine guy", "neat mister", "my photo", "my picture",
		"what state are you", "how old are you", "how old r you",
		"solitary", "sincere girl", "sincere woman", "true love", "soulmate",
		"mulher solteira", "solteira", "minha foto", "procuro um homem",
		"mujer soltera", "soltera", "mi foto", "busco un hombre",
		"einsame", "single frau", "mein foto", "suche einen mann",
		"femme célibataire", "célibataire", "ma photo", "cherche un homme",
		"alleenstaande", "vrijgezel", "mijn foto", "zoek een man",
		"独身", "寂しい", "私の写真", "出会い",
	}},
	{lexCallback, []string{
		// English: an unexpected charge and a number to call.
		"call us", "call our", "contact our", "support line", "helpline", "help line",
		"customer care", "billing department", "billing response", "toll free", "toll-free",
		"did not authorize", "didn't authorize", "did not make this", "not authorized by you",
		"unexpected", "cancel your subscription", "cancel the order", "cancel this",
		"refund", "auto-renewal", "auto renewal", "has been renewed", "amount charged",
		"been charged", "charge of", "debited", "order confirmation", "invoice",
		// Portuguese.
		"ligue para", "caso não reconheça", "caso nao reconheça", "caso nao reconheca",
		"central de atendimento", "compra de", "estorno", "reembolso", "não reconhece",
		// Spanish.
		"llame al", "llámenos", "si no reconoce", "cargo de", "no autorizó",
		// German.
		"rufen sie", "unter der nummer", "rückerstattung", "abbuchung", "nicht autorisiert",
		// French.
		"appelez", "contactez notre", "remboursement", "prélèvement", "pas à l'origine",
		// Dutch.
		"bel ons", "bel naar", "terugbetaling", "afschrijving", "niet herkent",
		// Japanese.
		"お電話", "電話番号", "返金", "ご請求", "解約", "コールセンター", "お問い合わせ窓口",
	}},
	{lexGiftCard, []string{
		"gift card", "giftcard", "itunes card", "apple card", "google play card",
		"google play gift", "steam card", "steam wallet", "amazon card", "ebay card",
		"scratch the back", "scratch off", "the card codes", "pictures of the cards",
		"picture of the card", "send me the codes", "cartão presente", "cartões presente",
		"tarjeta de regalo", "tarjetas de regalo", "geschenkkarte", "gutscheinkarte",
		"carte cadeau", "cartes cadeaux", "cadeaukaart", "ギフトカード", "プリペイドカード",
	}},
}
