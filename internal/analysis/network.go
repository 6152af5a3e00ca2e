package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// Rule IDs of the network rules. Their points come from the analyzer's
// rule table (see NetworkFindings and AddFindings).
const (
	RuleOriginNotBrandNetwork          = "net.origin_not_brand_network"
	RuleHostingOriginClaimsInstitution = "net.hosting_origin_claims_institution"
	RuleURLCountryMismatch             = "net.url_country_mismatch"
)

// institutionCategories are the brand categories whose mail a customer
// expects from the institution's own (or its mail provider's) servers, not
// from a rented virtual server: banks, card issuers, brokers, payment and
// crypto services, parcel carriers, government.
var institutionCategories = []string{"bank", "card", "securities", "payment", "crypto", "carrier", "government", "insurance"}

// defaultHostingASNs returns the default Config.HostingASNs: well-known
// hosting, cloud and VPS networks, where mail from a machine is mail from
// a rented server. The list is deliberately short and stable; the AS name
// keywords (defaultHostingOrgKeywords) catch the rest.
//
//	Amazon (AWS)            16509, 14618, 8987
//	Google Cloud            396982
//	Microsoft (Azure)       8075
//	DigitalOcean            14061
//	OVH                     16276
//	Hetzner                 24940, 213230, 212317
//	Linode (Akamai)         63949
//	Vultr (Choopa)          20473
//	Contabo                 51167, 40021
//	Alibaba Cloud           45102, 37963
//	Tencent Cloud           132203, 45090
//	Oracle Cloud            31898
//	SAKURA internet         9370, 9371, 7684
//	GMO Internet (ConoHa)   7506
//	KAGOYA JAPAN            24282
//	Cloudflare              13335
//	Leaseweb                60781, 16265
//	Scaleway (Online SAS)   12876
//	M247                    9009
//	IONOS                   8560
//	Hostinger               47583
//	Namecheap               22612
func defaultHostingASNs() []uint32 {
	return []uint32{
		16509, 14618, 8987, 396982, 8075, 14061, 16276, 24940, 213230, 212317,
		63949, 20473, 51167, 40021, 45102, 37963, 132203, 45090, 31898,
		9370, 9371, 7684, 7506, 24282, 13335, 60781, 16265, 12876, 9009, 8560,
		47583, 22612,
	}
}

// defaultHostingOrgKeywords returns the default Config.HostingOrgKeywords:
// (lower-case) substrings of the AS organisation names of hosting and cloud
// networks.
func defaultHostingOrgKeywords() []string {
	return []string{
		"amazon", "google cloud", "microsoft", "azure", "digitalocean", "ovh",
		"hetzner", "linode", "akamai", "vultr", "choopa", "constant company",
		"contabo", "alibaba", "aliyun", "tencent", "oracle", "sakura internet",
		"gmo internet", "conoha", "kagoya", "cloudflare", "leaseweb", "scaleway",
		"m247", "ionos", "hostinger", "namecheap", "hosting", "datacenter",
		"data center", "vps", "cloud",
	}
}

// IsHostingNetwork reports whether the network described by ni is a
// hosting or cloud network (in Config.HostingASNs, or with an AS name
// containing one of Config.HostingOrgKeywords).
func (an *Analyzer) IsHostingNetwork(ni *NetInfo) bool {
	if ni == nil {
		return false
	}
	if ni.ASN != 0 && slices.Contains(an.cfg.HostingASNs, ni.ASN) {
		return true
	}
	if ni.ASOrg == "" {
		return false
	}
	org := strings.ToLower(ni.ASOrg)
	for _, k := range an.cfg.HostingOrgKeywords {
		if strings.Contains(org, k) {
			return true
		}
	}
	return false
}

// netName renders a network for a finding: "AS14618 AMAZON-AES (US)".
func netName(ni *NetInfo) string {
	var b strings.Builder
	if ni.ASN != 0 {
		fmt.Fprintf(&b, "AS%d", ni.ASN)
	}
	if ni.ASOrg != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ni.ASOrg)
	}
	if ni.Country != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(" + ni.Country + ")")
	}
	if b.Len() == 0 {
		return "an unknown network"
	}
	return b.String()
}

// NetworkFindings runs the network rules over the Net fields that
// enrichment filled in (it looks nothing up itself; with no Net anywhere
// it returns nil). Claimed brands are found as Analyze does: in the From
// display name and the subject, with the analyzer's brand registry; points
// come from its rule table (disabled rules are left out). The rules:
//
//   - net.origin_not_brand_network: the origin hop's AS is not one of the
//     networks the registry lists for a claimed brand (only brands with
//     ASNs).
//   - net.hosting_origin_claims_institution: the origin hop is in a
//     hosting/cloud network (IsHostingNetwork) while the message claims a
//     bank, card issuer, broker, payment, crypto, carrier or government
//     brand.
//   - net.url_country_mismatch: a link's host is in another country than
//     the origin (first such link only; both countries must be known).
//
// The first two are suppressed when the sender domain is an official
// domain of the brand and the receiver stamped DMARC pass for it: the
// brand's own mail sent through its mail provider. The result is sorted
// like Report.Findings; the caller appends it and recomputes Score.
func (an *Analyzer) NetworkFindings(rep *Report) []Finding {
	if rep == nil {
		return nil
	}
	reg := an.cfg.Brands
	origin := received.OriginHop(rep.Hops)
	var on *NetInfo
	if origin != nil {
		on = origin.Net
	}
	var out []Finding
	add := func(f Finding) {
		if r := an.rules[f.Rule]; r != nil && !r.Disabled {
			f.Points = r.Points
			out = append(out, f)
		}
	}
	if on != nil && (on.ASN != 0 || on.ASOrg != "") {
		claimed := uniqueBrands(append(reg.Find(rep.Summary.From.Name), reg.Find(rep.Summary.Subject)...))
		fromDomain := domain.Registered(domain.OfAddress(rep.Summary.From.Address))
		ev := "Received: " + origin.Raw
		for _, b := range claimed {
			if len(b.ASNs) == 0 || on.ASN == 0 || slices.Contains(b.ASNs, on.ASN) || legitBrandSender(rep, reg, b, fromDomain) {
				continue
			}
			add(Finding{
				Rule: RuleOriginNotBrandNetwork,
				Summary: fmt.Sprintf("claims to be %s but the origin %s is in %s, not one of the brand's networks (%s)",
					b.Name, on.IP, netName(on), asList(b.ASNs)),
				Evidence: ev,
			})
			break
		}
		if an.IsHostingNetwork(on) {
			for _, b := range claimed {
				if !slices.Contains(institutionCategories, b.Category) || slices.Contains(b.ASNs, on.ASN) ||
					legitBrandSender(rep, reg, b, fromDomain) {
					continue
				}
				add(Finding{
					Rule: RuleHostingOriginClaimsInstitution,
					Summary: fmt.Sprintf("claims to be %s (%s) but was sent from a hosting/cloud network: %s %s",
						b.Name, b.Category, on.IP, netName(on)),
					Evidence: ev,
				})
				break
			}
		}
	}
	if on != nil && on.Country != "" {
		for i := range rep.URLs {
			u := &rep.URLs[i]
			if u.Net == nil || u.Net.Country == "" || strings.EqualFold(u.Net.Country, on.Country) {
				continue
			}
			add(Finding{
				Rule: RuleURLCountryMismatch,
				Summary: fmt.Sprintf("link host %s is in %s (%s) but the message came from %s (%s)",
					urls.Defang(u.Host), u.Net.Country, netName(u.Net), on.Country, netName(on)),
				Evidence: u.Defanged,
			})
			break
		}
	}
	sortFindings(out)
	return out
}

// legitBrandSender reports whether the message is from an official domain
// of b with a DMARC pass stamped by the receiving side.
func legitBrandSender(rep *Report, reg *brands.Registry, b *brands.Brand, fromDomain string) bool {
	if fromDomain == "" || !reg.OfficialSender(b, fromDomain) || !rep.Auth.Trusted {
		return false
	}
	for _, r := range rep.Auth.Results {
		if r.Method == "dmarc" && r.Result == "pass" && (r.Domain == "" || domain.Registered(r.Domain) == fromDomain) {
			return true
		}
	}
	return false
}

func asList(asns []uint32) string {
	var b strings.Builder
	for i, a := range asns {
		if i == 4 {
			fmt.Fprintf(&b, ", +%d more", len(asns)-4)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "AS%d", a)
	}
	return b.String()
}
