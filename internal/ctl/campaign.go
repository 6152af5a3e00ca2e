package ctl

import (
	"io"

	"github.com/triage-tools/triage/store"
)

// CampaignLabel is what labeling a campaign did: the campaign's ID (the
// surviving one when the ID given was merged), how many messages changed
// and how many it has.
type CampaignLabel struct {
	ID      string
	Changed int
	Size    int
}

// CampaignLabeler labels every message of a campaign in one store
// transaction (`triage label c:ID LABEL`). Both backends implement it.
type CampaignLabeler interface {
	LabelCampaign(ref, label string, by store.Actor) (CampaignLabel, error)
}

var (
	_ CampaignLabeler = (*Local)(nil)
	_ CampaignLabeler = (*Client)(nil)
)

// LabelCampaign labels every member of campaign ref. Errors:
// store.ErrNoCampaign, store.ErrUnknownLabel, store.ErrReadOnly.
func (l *Local) LabelCampaign(ref, label string, by store.Actor) (CampaignLabel, error) {
	c, err := l.St.Campaign(ref, false)
	if err != nil {
		return CampaignLabel{}, err
	}
	chs, err := l.St.SetLabels(c.Members, label, false, by)
	if err != nil {
		return CampaignLabel{}, err
	}
	return CampaignLabel{ID: c.ID, Changed: len(chs), Size: len(c.Members)}, nil
}

// LabelCampaign labels the campaign through the serving process,
// attributed like SetLabel. An unknown campaign is store.ErrNotFound.
func (c *Client) LabelCampaign(ref, label string, by store.Actor) (CampaignLabel, error) {
	res, err := c.call(request{Op: opLabelCampaign, Ref: ref, Label: label, Analyst: by.Name})
	if err != nil {
		return CampaignLabel{}, err
	}
	return CampaignLabel{ID: res.ID, Changed: res.Count, Size: res.Size}, nil
}

// serveLabelCampaign labels a campaign for a client, attributed to its
// analyst with source "cli"; the store publishes each change.
func (s *Server) serveLabelCampaign(w io.Writer, req request) error {
	if req.Analyst == "" || len(req.Analyst) > maxAnalyst {
		return writeResult(w, result{Code: codeBadRequest, Error: "ctl: analyst name missing or too long"})
	}
	cl, err := s.local.LabelCampaign(req.Ref, req.Label, store.Actor{Name: req.Analyst, Source: "cli"})
	if err != nil {
		return writeResult(w, result{Code: errorCode(err), Error: err.Error()})
	}
	return writeResult(w, result{ID: cl.ID, Count: cl.Changed, Size: cl.Size})
}
