package date

import (
	"testing"
	"time"
)

// TestParse checks the forms of date that Received headers carry, the
// RFC 5322 ones and the looser ones mailers write, with their offsets.
func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339; "" = not a date
	}{
		{"Tue, 04 Apr 2006 15:28:45 +0100", "2006-04-04T15:28:45+01:00"},
		{"Thu, 6 May 2004 17:40:44-0500", "2004-05-06T17:40:44-05:00"},
		{"Sun Nov 13 14:50:12 2005", "2005-11-13T14:50:12Z"},
		{"Fri Sep 14 14:36:56 EDT 2018", "2018-09-14T14:36:56-04:00"},
		{"8 Mar 04 12:23:56 -0000", "2004-03-08T12:23:56Z"},
		{"Wed, 26 Mar 03 20:43:24 -0600", "2003-03-26T20:43:24-06:00"},
		{"11 Feb 2022 10:42:19 +0900 (JST)", "2022-02-11T10:42:19+09:00"},
		{"Fri, 02 Jun 2006 08:15:21 PDT", "2006-06-02T08:15:21-07:00"},
		{"3 Jul 2002 15:43:50 UT", "2002-07-03T15:43:50Z"},
		{"Mon, 26 Mar 2018 13:35:10.102 +0000 (UTC)", "2018-03-26T13:35:10.102Z"},
		{"Saturday, 21 Apr 2018 03:01:02 +0000", "2018-04-21T03:01:02Z"},
		{"Apr 21 2018 3:01:05 +0000", "2018-04-21T03:01:05Z"},
		{"4/20/2018 11:01:16 PM -0400 (EDT)", "2018-04-20T23:01:16-04:00"},
		{"2018-4-20 11:01:08 PM", "2018-04-20T23:01:08Z"},
		{"2024-03-15T10:30:00Z", "2024-03-15T10:30:00Z"},
		{"17 Jan 2011 08:23:27 -0800 PST", "2011-01-17T08:23:27-08:00"},
		{"22 Apr 2018", "2018-04-22T00:00:00Z"},
		{"_ Tue, 21 Jul 2009 14:34:14 +0200", "2009-07-21T14:34:14+02:00"},
		{"31 Feb 2020 10:00:00 +0000", ""},
		{"14:47:44 +0000", ""},
		{"garbage", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, _, ok := Parse(tt.in, false)
		if tt.want == "" {
			if ok {
				t.Errorf("Parse(%q) = %v, want no date", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		_, gotOff := got.Zone()
		_, wantOff := want.Zone()
		if !ok || !got.Equal(want) || gotOff != wantOff {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, ok, want)
		}
	}
}

// TestParseHeader checks Date: header values, with named zones, comments
// and two-digit years.
func TestParseHeader(t *testing.T) {
	jst := 9 * 3600
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"Fri, 11 Feb 2022 01:42:10 +0000", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"11 Feb 2022 01:42:10 +0900", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42 +0900", time.Date(2022, 2, 11, 1, 42, 0, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 JST", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 (JST)", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 +0900 (JST)", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri,  11  Feb  22   01:42:10   GMT", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"11 Feb 99 01:42:10 EST", time.Date(1999, 2, 11, 1, 42, 10, 0, time.FixedZone("", -5*3600)), true},
		{"Fri Feb 11 01:42:10 2022", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"2022-02-11 01:42:10 +0000", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"Friday, February 11, 2022 1:42:10 PM +0000", time.Date(2022, 2, 11, 13, 42, 10, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"13 zzz 2021 09:55:06 +0200", time.Time{}, false},
		{"Fri, 11 Feb 2022 (unterminated 01:42:10", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseHeader(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseHeader(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
