package build

// This file lists the demo messages in mailbox order.

// specs returns every demo message spec in mailbox order (spec.n, roughly
// by date, 2026-10-02 to 2026-11-25), parsed from the embedded message
// files. A malformed file is a programming error (TestMessageFilesParse
// names it) and panics.
func specs() []spec {
	all, err := loadSpecs(messageFiles)
	if err != nil {
		panic("demo build: " + err.Error())
	}
	return all
}

// messages returns every demo message in mailbox order.
func messages() []message {
	all := specs()
	out := make([]message, len(all))
	for i, s := range all {
		out[i] = s.message()
	}
	return out
}
