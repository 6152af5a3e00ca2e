// Package analysis turns the raw bytes of one message into a Report.
//
// It is pure: no I/O, no network, no mutable globals. Everything in a message
// is hostile input, so every step is bounded (see Limits) and a problem becomes
// a parse warning on the result instead of an error or a panic.
package analysis
