package urls

import "strings"

// Data lists behind the URL flags. They are matched against a URL's host
// name and each of its parent domains (so "bit.ly" matches "j.bit.ly" but not
// "notbit.ly"). Keep entries lower-case, without a leading dot, one per line,
// grouped and commented so that analysts can review them.

// urlShorteners are link-shortening services: the real destination is
// hidden until the link is followed (flag "shortener").
var urlShorteners = urlSet(
	"bit.ly", "bitly.com", "j.mp",
	"tinyurl.com", "tiny.cc", "tiny.one",
	"t.co", "goo.gl", "g.co", "ow.ly", "is.gd", "v.gd",
	"buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at",
	"rb.gy", "t.ly", "s.id", "x.gd", "bl.ink",
	"short.io", "shorturl.asia",
	"qrco.de", "qr.codes", "urlz.fr",
	"soo.gd", "clck.ru", "u.to", "adf.ly",
	"bc.vc", "shorte.st", "ouo.io",
	"tinu.be", "n9.cl", "2no.co", "me2.do", "han.gl",
	"surl.li", "t2m.io", "tr.ee", "shrtco.de",
)

// urlFreeHosting are free web hosting, object storage, serverless and
// dynamic-DNS services where anyone can publish a page under a shared
// parent domain (flag "free_hosting"). Paths under /ipfs/ and /ipns/ on any
// host (IPFS gateways) are flagged too.
var urlFreeHosting = urlSet(
	// cPanel/hosting preview and free web hosts.
	"cprapid.com", "000webhostapp.com", "weebly.com", "wixsite.com",
	"webnode.page", "godaddysites.com", "mystrikingly.com",
	"jimdosite.com", "square.site", "carrd.co", "webflow.io",
	"blogspot.com", "tilda.ws", "yolasite.com",
	"site123.me", "framer.website", "framer.app", "notion.site",
	"typedream.app", "gitbook.io",
	// Anonymous publishing: a page under a shared domain, no account.
	"telegra.ph", "graph.org",
	// Static/serverless platforms.
	"web.app", "firebaseapp.com", "pages.dev", "workers.dev", "r2.dev",
	"netlify.app", "vercel.app", "github.io", "gitlab.io", "glitch.me",
	"repl.co", "replit.app", "replit.dev", "herokuapp.com", "onrender.com",
	"fly.dev", "surge.sh", "azurewebsites.net", "azureedge.net",
	"web.core.windows.net", "blob.core.windows.net", "appspot.com",
	"run.app", "cloudfunctions.net", "translate.goog",
	// Object storage.
	"sites.google.com", "storage.googleapis.com", "firebasestorage.googleapis.com",
	"s3.amazonaws.com", "digitaloceanspaces.com",
	"backblazeb2.com", "wasabisys.com", "linodeobjects.com",
	"dropboxusercontent.com",
	// IPFS gateways.
	"ipfs.io", "dweb.link", "cf-ipfs.com", "w3s.link", "nftstorage.link",
	"ipfs.w3s.link", "fleek.co", "4everland.link", "pinata.cloud",
	// Tunnels and dynamic DNS.
	"ngrok.io", "ngrok-free.app", "ngrok.app", "trycloudflare.com",
	"loca.lt", "serveo.net", "duckdns.org", "no-ip.com", "no-ip.org",
	"no-ip.biz", "ddns.net", "hopto.org", "zapto.org", "sytes.net",
	"servehttp.com", "myftp.org", "dynu.net", "dynu.com", "freeddns.org",
	"ddnsfree.com", "dnsalias.com", "dyndns.org", "changeip.com",
	"afraid.org", "mooo.com", "nip.io", "sslip.io", "xip.io",
)

// urlSuspiciousTLDs are top-level domains heavily abused for phishing
// because registrations are free or very cheap (flag "suspicious_tld"):
// the former Freenom TLDs (tk, ml, ga, cf, gq) and cheap generic TLDs that
// rank high in abuse reports (Spamhaus, Interisle phishing landscape).
var urlSuspiciousTLDs = urlSet(
	"tk", "ml", "ga", "cf", "gq",
	"top", "xyz", "icu", "cyou", "sbs", "rest", "click", "buzz",
	"shop", "online", "site", "live", "cfd", "bond", "monster",
	"quest", "lol", "mom", "beauty", "hair", "skin", "makeup",
	"autos", "boats", "homes", "yachts", "motorcycles", "work",
	"support", "zip", "mov", "country", "kim", "gdn", "loan",
	"win", "bid", "date", "racing", "download", "stream", "review",
	"su",
)

// urlCredentialWords are path/query fragments typical of credential pages;
// a plain-http URL containing one gets "http_credential_path".
var urlCredentialWords = []string{
	"login", "log-in", "signin", "sign-in", "logon", "verify", "verif",
	"account", "password", "passwd", "secure", "update", "auth",
	"wp-login", "webmail", "/owa", "cmd=login", "banking", "wallet",
	"billing", "credential", "unlock", "recover", "confirm",
}

// urlRedirectParams are query parameters that commonly carry the target of
// an open redirect (flag "open_redirect_param" when the value is an
// absolute http(s) URL).
var urlRedirectParams = urlSet(
	"url", "u", "redirect", "redirect_url", "redirect_uri", "redirecturl",
	"redir", "target", "dest", "destination", "goto", "next", "link",
	"return", "returnurl", "return_url", "continue", "to", "out", "r",
)

// urlWildcardIPDNS are services that resolve a host name containing an IP
// address to that address; hex-encoded labels are only trusted under them.
var urlWildcardIPDNS = urlSet("nip.io", "sslip.io", "xip.io", "traefik.me", "localtest.me")

func urlSet(items ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(items))
	for _, s := range items {
		m[s] = struct{}{}
	}
	return m
}

// urlHostIn reports whether host or one of its parent domains is in set.
func urlHostIn(host string, set map[string]struct{}) bool {
	for h := host; h != ""; {
		if _, ok := set[h]; ok {
			return true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return false
		}
		h = h[i+1:]
	}
	return false
}
