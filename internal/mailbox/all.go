package mailbox

import (
	"errors"
	"io"
	"iter"
)

// All ranges over the messages of r, each with a nil error. When Next
// fails with an error other than io.EOF, All yields (nil, that error)
// and stops, since such an error is fatal for the mailbox.
func All(r Reader) iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		for {
			m, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}
