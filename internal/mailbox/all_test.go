package mailbox

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// fakeReader yields its messages, then err (io.EOF when nil).
type fakeReader struct {
	msgs  []*Message
	err   error
	calls int
}

func (f *fakeReader) Next() (*Message, error) {
	f.calls++
	if len(f.msgs) == 0 {
		if f.err == nil {
			return nil, io.EOF
		}
		return nil, f.err
	}
	m := f.msgs[0]
	f.msgs = f.msgs[1:]
	return m, nil
}
func (f *fakeReader) Kind() Kind   { return KindMbox }
func (f *fakeReader) Close() error { return nil }

func TestAll(t *testing.T) {
	const pm = "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"
	rd, err := OpenReader("t.mbox", strings.NewReader(pm+"Subject: one\n\nx\n\n"+pm+"Subject: two\n\ny\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for m, err := range All(rd) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, subject(m.Raw))
	}
	if strings.Join(got, ",") != "one,two" {
		t.Errorf("All yielded subjects %q, want one,two", got)
	}

	boom := errors.New("boom")
	f := &fakeReader{msgs: []*Message{{Raw: []byte("a")}}, err: boom}
	var errs []error
	n := 0
	for m, err := range All(f) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if m == nil {
			t.Error("nil message with nil error")
		}
		n++
	}
	if n != 1 || len(errs) != 1 || errs[0] != boom || f.calls != 2 {
		t.Errorf("All over a failing reader: %d messages, errors %v, %d calls; want 1, [boom], 2", n, errs, f.calls)
	}

	f = &fakeReader{msgs: []*Message{{}, {}, {}}}
	for range All(f) {
		break
	}
	if f.calls != 1 {
		t.Errorf("All after break called Next %d times, want 1", f.calls)
	}
}
