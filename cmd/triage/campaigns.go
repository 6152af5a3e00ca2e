package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"time"

	"github.com/triage-tools/triage/internal/campaign"
)

type campaignsOptions struct {
	db      string
	jsonl   bool
	ascii   bool
	minSize int
	limit   int
}

// register adds campaigns' flags to fs.
func (o *campaignsOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.BoolVar(&o.jsonl, "jsonl", false, "print one JSON object per campaign (JSON Lines)")
	fs.IntVar(&o.minSize, "min-size", 1, "list only campaigns of at least `N` messages")
	fs.IntVar(&o.limit, "indicators", 20, "with --jsonl, at most `N` values of each indicator kind")
	asciiFlag(fs, &o.ascii)
}

// campaignRecord is one line of `campaigns --jsonl` (docs/campaigns.md).
type campaignRecord struct {
	ID         string         `json:"id"`
	Size       int            `json:"size"`
	Members    []string       `json:"members"`
	MaxScore   int            `json:"max_score"`
	Labels     map[string]int `json:"labels"`
	First      string         `json:"first"`
	Last       string         `json:"last"`
	Subject    string         `json:"subject"`
	Indicators campaignInd    `json:"indicators"`
}

type campaignInd struct {
	SenderDomains    []campaign.Count `json:"sender_domains"`
	LinkDomains      []campaign.Count `json:"link_domains"`
	OriginIPs        []campaign.Count `json:"origin_ips"`
	AttachmentSHA256 []campaign.Count `json:"attachment_sha256"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// runCampaigns lists the store's campaigns. With MAILBOX arguments, the
// mailboxes are first scanned into the store (as `scan` does), and only
// campaigns with a member in them are listed.
func runCampaigns(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o campaignsOptions
	paths, err := parseCommand("campaigns", &o, args, -1, stderr)
	if err != nil {
		return err
	}
	if o.minSize < 1 {
		return exitError{code: 2, msg: "campaigns: --min-size must be at least 1"}
	}
	var only map[string]bool
	if len(paths) > 0 {
		// The scan's JSON Lines name each message of the mailboxes: its
		// first field is the ID.
		ids := &idCollector{ids: map[string]bool{}}
		so := scanOptions{db: o.db, paths: paths, quiet: true, sort: "none", jsonl: true}
		if err := scan(ctx, so, stdin, ids, stderr); err != nil {
			return err
		}
		only = ids.ids
	}
	st, err := openStore(o.db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.CampaignSummaries(o.minSize, only)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(stdout, 64<<10)
	defer bw.Flush()
	if o.jsonl {
		enc := newJSONEncoder(bw, o.ascii)
		for i := range list {
			c := &list[i]
			in := campaign.Shared(c.Sigs, o.limit)
			rec := campaignRecord{
				ID: c.ID, Size: c.Size(), Members: c.Members, MaxScore: c.MaxScore, Labels: c.Labels,
				First: rfc3339(c.First), Last: rfc3339(c.Last), Subject: c.Subject,
				Indicators: campaignInd{in.SenderDomains, in.LinkDomains, in.OriginIPs, in.AttachmentSHA256},
			}
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
		return bw.Flush()
	}
	out := textOut{bw}
	for i := range list {
		c := &list[i]
		dates := "no date"
		if !c.First.IsZero() {
			dates = c.First.Format("2006-01-02") + ".." + c.Last.Format("2006-01-02")
		}
		out.f("%-14s %5d  max %3d  median %3d  %s  %s  %s\n", c.ID, c.Size(), c.MaxScore, c.MedianScore, dates, c.LabelMix(), c.Subject)
	}
	return bw.Flush()
}

// idCollector is the writer of a `scan --jsonl` run: it keeps the "id" of
// each line (the first field of a scan record) and discards the rest.
type idCollector struct {
	ids     map[string]bool
	partial []byte
}

func (c *idCollector) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if len(c.partial) < 128 {
				c.partial = append(c.partial, p[:min(len(p), 128)]...)
			}
			break
		}
		line := p[:i]
		if len(c.partial) > 0 {
			line = append(c.partial, line[:min(len(line), 128)]...)
			c.partial = c.partial[:0]
		}
		if rest, ok := bytes.CutPrefix(line, []byte(`{"id":"`)); ok && len(rest) >= 71 {
			c.ids[string(rest[:71])] = true
		}
		p = p[i+1:]
	}
	return n, nil
}
