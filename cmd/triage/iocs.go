package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ctl"
	"github.com/triage-tools/triage/internal/iocs"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// defaultIOCLabels are the labels whose messages give indicators by default.
var defaultIOCLabels = []string{"phish", "malware", "bec"}

type iocsOptions struct {
	db, format, out, campaign string
	defang, ascii             bool
	labels                    labelList
}

func (o *iocsOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.Var(&o.labels, "label", "take messages with this `label` (repeatable, comma-separated; default phish,malware,bec)")
	fs.StringVar(&o.campaign, "campaign", "", "take the messages of campaign `c:ID` (its ID or a prefix of it; with no --label, every member whatever its label)")
	fs.StringVar(&o.format, "format", "csv", "output `format`: csv, stix (STIX 2.1 bundle) or misp (MISP event)")
	fs.BoolVar(&o.defang, "defang", false, "defang URLs, hosts, IPs and addresses in the CSV (hxxp, [.], [@])")
	outFlag(fs, &o.out)
	asciiFlag(fs, &o.ascii)
}

func runIOCs(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o iocsOptions
	if _, err := parseCommand("iocs", &o, args, 0, stderr); err != nil {
		return err
	}
	switch o.format {
	case "csv", "stix", "misp":
	default:
		return exitError{code: 2, msg: fmt.Sprintf("iocs: unknown --format %q (csv, stix, misp)", o.format)}
	}
	if o.defang && o.format != "csv" {
		return exitError{code: 2, msg: "iocs: --defang applies to --format csv only (STIX and MISP values must stay exact)"}
	}
	camp := strings.ToLower(o.campaign)
	if camp != "" && (!strings.HasPrefix(camp, "c:") || len(camp) < 4) {
		return exitError{code: 2, msg: fmt.Sprintf("iocs: --campaign %q is not a campaign ID (c: and at least 2 hex digits; see triage campaigns)", o.campaign)}
	}
	labels := []string(o.labels)
	all := false
	switch {
	case len(labels) == 0 && camp != "":
		all = true
	case len(labels) == 0:
		labels = defaultIOCLabels
	}
	st, err := openBackend(o.db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	col := iocs.New(nil, nil)
	n, err := collectIOCs(st, store.ExportOptions{Labels: labels, All: all}, camp, col)
	if err != nil {
		return fmt.Errorf("iocs: %w", err)
	}
	if camp != "" && n == 0 {
		return exitError{code: 1, msg: fmt.Sprintf("iocs: no message of campaign %s matches", textsafe.Clean(o.campaign))}
	}
	ins := col.Indicators()
	title := "triage: indicators of messages labeled " + strings.Join(labels, ", ")
	switch {
	case camp != "" && all:
		title = "triage: indicators of campaign " + camp
	case camp != "":
		title += " in campaign " + camp
	}
	opts := iocs.Options{Now: time.Now(), Title: title}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		var err error
		switch o.format {
		case "csv":
			err = iocs.WriteCSV(bw, ins, o.defang)
		case "stix":
			jw := jsonWriter(bw, o.ascii)
			if err = iocs.WriteSTIX(jw, ins, opts); err == nil {
				err = jw.Flush()
			}
		case "misp":
			jw := jsonWriter(bw, o.ascii)
			if err = iocs.WriteMISP(jw, ins, opts); err == nil {
				err = jw.Flush()
			}
		}
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := writeOutput(o.out, stdout, write); err != nil {
		return fmt.Errorf("iocs: %w", err)
	}
	if d := col.Dropped(); d > 0 {
		textOut{stderr}.f("iocs: more than %d indicators, %d left out\n", iocs.MaxIndicators, d)
	}
	if o.out != "" && o.out != "-" {
		textOut{stderr}.f("wrote %s from %s to %s\n", plural(len(ins), "indicator"), plural(n, "message"), o.out)
	}
	return nil
}

// collectIOCs adds to col the messages that sel exports (and, when camp
// is not "", whose campaign ID starts with camp), read as a JSON Lines
// export so that a running workbench's socket serves it too. It returns
// how many messages were added.
func collectIOCs(st ctl.Backend, sel store.ExportOptions, camp string, col *iocs.Collector) (int, error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		sel.Format, sel.AnalyzerVersion, sel.Now = store.FormatJSONL, analysis.CodeVersion(), time.Now
		_, err := st.Export(pw, sel)
		pw.CloseWithError(err)
		done <- err
	}()
	dec := json.NewDecoder(bufio.NewReaderSize(pr, 64<<10))
	var hdr store.ExportHeader
	if err := dec.Decode(&hdr); err != nil {
		pr.CloseWithError(err)
		<-done
		return 0, err
	}
	n := 0
	for {
		var m store.ExportMessage
		err := dec.Decode(&m)
		if err == io.EOF {
			break
		}
		if err != nil {
			pr.CloseWithError(err)
			<-done
			return n, err
		}
		if camp != "" && (m.Campaign == nil || !strings.HasPrefix(m.Campaign.ID, camp)) {
			continue
		}
		col.Add(iocMessage(&m))
		n++
	}
	return n, <-done
}

// iocMessage is the part of an exported message the collector reads. Its
// time is the Date header, else the first label event (the store keeps no
// ingest time).
func iocMessage(m *store.ExportMessage) iocs.Message {
	t := m.Summary.Date
	if t.IsZero() {
		for _, e := range m.LabelHistory {
			if !e.Time.IsZero() && (t.IsZero() || e.Time.Before(t)) {
				t = e.Time
			}
		}
	}
	var camps []string
	if m.Campaign != nil {
		camps = []string{m.Campaign.ID}
	}
	return iocs.Message{ID: m.ID, Label: m.Label, Campaigns: camps, Time: t, Report: &analysis.Report{
		ID: m.ID, Summary: m.Summary, Hops: m.Hops, Auth: m.Auth, URLs: m.URLs, Attachments: m.Attachments,
	}}
}
