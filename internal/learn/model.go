// Package learn is the model trained from the analyst's labels
// (docs/learning.md): binary naive Bayes over the hashed feature sets of
// package features. The model is a pure function of the set of (feature
// set, class) pairs it was given: integer counters, so adding the same
// examples in any order gives the identical model, and Remove exactly
// undoes Add.
package learn

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/features"
)

// Version identifies the model's meaning: a stored model of another
// version is rebuilt from the labels.
const Version = "nb1/" + features.Version

// Class is what a label teaches.
type Class int8

// Classes of training examples.
const (
	None Class = iota // not used for training
	Bad
	Good
)

// DefaultClasses maps the default labels to classes: phish, malware and
// bec teach Bad, benign teaches Good; spam, simulation and unsure are left
// out.
func DefaultClasses() map[string]Class {
	return map[string]Class{"phish": Bad, "malware": Bad, "bec": Bad, "benign": Good}
}

// Tuning of the score (docs/learning.md).
const (
	// MinPerClass is how many training messages of each class the model
	// needs before it is used.
	MinPerClass = 20
	alpha       = 1.0 // Laplace smoothing
	maxWeight   = 3.0 // cap on one feature's log-likelihood ratio
	minSeen     = 2   // a feature counts once seen in this many training messages
	// MaxPoints bounds the learned points added to the rules' raw score.
	MaxPoints = 10
	scale     = 25.0
	// EvidenceTop is how many features the evidence lists.
	EvidenceTop = 5
)

// Model holds, per feature bucket, how many Bad and Good training messages
// contain it, and the number of each. The zero Model is empty and ready.
// A Model is not safe for concurrent mutation; Score may run concurrently
// with other Score calls.
type Model struct {
	bad, good   []uint32 // len features.Buckets once used
	nBad, nGood uint32
}

// ErrCorrupt is returned by UnmarshalBinary for bytes MarshalBinary did
// not make.
var ErrCorrupt = errors.New("learn: corrupt model")

func (m *Model) init() {
	if m.bad == nil {
		m.bad = make([]uint32, features.Buckets)
		m.good = make([]uint32, features.Buckets)
	}
}

// Add counts one training message of class c with feature buckets hs
// (distinct). Class None is ignored.
func (m *Model) Add(hs []uint32, c Class) { m.apply(hs, c, 1) }

// Remove undoes Add(hs, c) exactly. The counters wrap (modular
// arithmetic), so that Adds and Removes commute: they may be applied in
// any order, and only Removes of what was added are meaningful.
func (m *Model) Remove(hs []uint32, c Class) { m.apply(hs, c, ^uint32(0)) }

func (m *Model) apply(hs []uint32, c Class, d uint32) {
	var cnt []uint32
	var n *uint32
	switch c {
	case Bad:
		m.init()
		cnt, n = m.bad, &m.nBad
	case Good:
		m.init()
		cnt, n = m.good, &m.nGood
	default:
		return
	}
	*n += d
	for _, h := range hs {
		if h < features.Buckets {
			cnt[h] += d
		}
	}
}

// Counts returns the numbers of Bad and Good training messages.
func (m *Model) Counts() (bad, good int) { return int(m.nBad), int(m.nGood) }

// Trained reports whether the model has MinPerClass examples of each class.
func (m *Model) Trained() bool { return m.nBad >= MinPerClass && m.nGood >= MinPerClass }

// Equal reports whether two models hold the same counters.
func (m *Model) Equal(o *Model) bool {
	if m.nBad != o.nBad || m.nGood != o.nGood {
		return false
	}
	z := func(s []uint32) bool { return !slices.ContainsFunc(s, func(v uint32) bool { return v != 0 }) }
	switch {
	case m.bad == nil && o.bad == nil:
		return true
	case m.bad == nil:
		return z(o.bad) && z(o.good)
	case o.bad == nil:
		return z(m.bad) && z(m.good)
	}
	return slices.Equal(m.bad, o.bad) && slices.Equal(m.good, o.good)
}

// Clone returns an independent copy.
func (m *Model) Clone() *Model {
	c := &Model{nBad: m.nBad, nGood: m.nGood}
	if m.bad != nil {
		c.bad, c.good = slices.Clone(m.bad), slices.Clone(m.good)
	}
	return c
}

// weight is the clipped log-likelihood ratio of bucket h, and whether the
// feature is seen often enough to count.
func (m *Model) weight(h uint32) (float64, bool) {
	b, g := m.bad[h], m.good[h]
	if b+g < minSeen {
		return 0, false
	}
	w := math.Log((float64(b)+alpha)/(float64(m.nBad)+2*alpha)) -
		math.Log((float64(g)+alpha)/(float64(m.nGood)+2*alpha))
	return max(-maxWeight, min(maxWeight, w)), true
}

// Evidence is one feature's part of a score.
type Evidence struct {
	Feature string  `json:"feature"` // its name, or "feature #<bucket>" when unknown
	Weight  float64 `json:"weight"`  // clipped log-likelihood ratio, > 0 towards bad
	Bad     int     `json:"bad"`     // training messages of class Bad containing it
	Good    int     `json:"good"`
}

// Result is the model's view of one message.
type Result struct {
	Trained     bool       `json:"trained"`
	Probability float64    `json:"probability"` // of Bad; 0.5 when untrained
	Points      int        `json:"points"`      // learned points added to the rules' raw score
	Evidence    []Evidence `json:"evidence"`
	Note        string     `json:"note,omitempty"` // why there is no score
	// Sum is the summed weight (the learned log-odds) that Points squashes.
	Sum float64 `json:"-"`
}

// Score scores feature set s. Untrained models give Trained false,
// Points 0 and a Note. The evidence is the EvidenceTop features with the
// largest absolute weight (ties by bucket), named from s when it has
// names.
func (m *Model) Score(s *features.Set) Result {
	if !m.Trained() {
		b, g := m.Counts()
		return Result{Probability: 0.5, Evidence: []Evidence{},
			Note: fmt.Sprintf("not yet trained: %d bad and %d good labels, %d of each needed", b, g, MinPerClass)}
	}
	prior := math.Log(float64(m.nBad)+alpha) - math.Log(float64(m.nGood)+alpha)
	sum := 0.0
	var ev []Evidence
	for _, h := range s.Hashes {
		if h >= features.Buckets {
			continue
		}
		w, ok := m.weight(h)
		if !ok {
			continue
		}
		sum += w
		ev = append(ev, Evidence{Weight: w, Bad: int(m.bad[h]), Good: int(m.good[h]), Feature: featureName(s, h)})
	}
	slices.SortFunc(ev, func(a, b Evidence) int {
		if c := cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Bad+b.Good, a.Bad+a.Good); c != 0 {
			return c
		}
		if c := cmp.Compare(features.Rank(a.Feature), features.Rank(b.Feature)); c != 0 {
			return c
		}
		return strings.Compare(a.Feature, b.Feature)
	})
	if len(ev) > EvidenceTop {
		ev = ev[:EvidenceTop]
	}
	if ev == nil {
		ev = []Evidence{}
	}
	r := Result{
		Trained:     true,
		Probability: 1 / (1 + math.Exp(-(prior + sum))),
		Points:      learnedPoints(sum, s.Hashes),
		Evidence:    ev,
		Sum:         sum,
	}
	if r.Points == 0 && sum > 0 && Authenticated(s.Hashes) {
		r.Note = AuthNote
	}
	return r
}

// AuthNote is the note of a message whose learned points were held at 0
// because its sender is authenticated (Authenticated).
const AuthNote = "authenticated sender: learned points can lower the score, not raise it"

// authBuckets are the feature buckets of the rules that say the sender's
// domain is authenticated and aligned with From (sorted).
var authBuckets = func() []uint32 {
	b := []uint32{features.Hash(features.KindRule + " auth.dmarc_pass"), features.Hash(features.KindRule + " auth.dkim_aligned_pass")}
	slices.Sort(b)
	return b
}()

// Authenticated reports whether the sorted feature buckets hs hold one of
// the rules that authenticate the sender's domain (DMARC pass, or a valid
// DKIM signature aligned with From). The learned points of such a message
// are at most 0 (docs/learning.md, "Bias").
func Authenticated(hs []uint32) bool {
	for _, a := range authBuckets {
		if _, ok := slices.BinarySearch(hs, a); ok {
			return true
		}
	}
	return false
}

// learnedPoints squashes the learned log-odds sum into at most ±MaxPoints; a
// message from an authenticated sender gets no positive points.
func learnedPoints(sum float64, hs []uint32) int {
	p := int(math.Round(MaxPoints * math.Tanh(sum/scale)))
	if p > 0 && Authenticated(hs) {
		return 0
	}
	return p
}

// Quick is Score without the evidence, for ranking many messages: the
// learned log-odds and points (0, 0 when untrained).
func (m *Model) Quick(hs []uint32) (sum float64, points int) {
	if !m.Trained() {
		return 0, 0
	}
	for _, h := range hs {
		if h >= features.Buckets {
			continue
		}
		if w, ok := m.weight(h); ok {
			sum += w
		}
	}
	return sum, learnedPoints(sum, hs)
}

// Brief is a message's learned part for ranking (Quick).
type Brief struct {
	Sum    float64
	Points int
}

// unnamedPrefix starts the name of a feature whose name is unknown
// (features decoded from the store): "feature #<bucket>".
const unnamedPrefix = "feature #"

func featureName(s *features.Set, h uint32) string {
	if n := s.Name(h); n != "" {
		return n
	}
	return unnamedPrefix + strconv.FormatUint(uint64(h), 10)
}

// Unnamed reports whether some of r's evidence names a feature only by its
// bucket (the features came from the store, without names).
func (r Result) Unnamed() bool {
	return slices.ContainsFunc(r.Evidence, func(e Evidence) bool { return strings.HasPrefix(e.Feature, unnamedPrefix) })
}

// Scored is a message's learned part as `scan --jsonl` and `show --json`
// print it: "model" and "combined".
type Scored struct {
	Model    Result `json:"model"`
	Combined int    `json:"combined"`
}

// ScoreReport scores a message with rules raw score rawScore and features
// s; a nil model is untrained.
func ScoreReport(m *Model, rawScore int, s *features.Set) Scored {
	if m == nil {
		m = &Model{}
	}
	r := m.Score(s)
	return Scored{Model: r, Combined: Combined(rawScore, r)}
}

// Combined is the combined score shown: the rules' raw score plus the
// learned points, clamped to 0–100.
func Combined(rawScore int, r Result) int { return max(0, min(100, rawScore+r.Points)) }

// CombinedRaw is the uncapped combined score the order by combined uses.
func CombinedRaw(rawScore int, r Result) int { return rawScore + r.Points }

// Line is the evidence as one line for the analyst, e.g.
// `learned +18: link domain duckdns.org (seen in 14 bad, 0 good), …`.
func (r Result) Line() string {
	if !r.Trained {
		return "model: " + r.Note
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "learned %+d (p=%.2f)", r.Points, r.Probability)
	for i, e := range r.Evidence {
		if i == 0 {
			sb.WriteString(": ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(e.String())
	}
	return sb.String()
}

// String is one piece of evidence: `link domain duckdns.org (seen in 14
// bad, 0 good)`.
func (e Evidence) String() string {
	return fmt.Sprintf("%s (seen in %d bad, %d good)", e.Feature, e.Bad, e.Good)
}

// MarshalBinary encodes the model: a version string, the class counts and
// the non-zero buckets as (delta, bad, good) uvarints.
func (m *Model) MarshalBinary() ([]byte, error) {
	b := binary.AppendUvarint(nil, uint64(len(Version)))
	b = append(b, Version...)
	b = binary.AppendUvarint(b, uint64(m.nBad))
	b = binary.AppendUvarint(b, uint64(m.nGood))
	prev := -1
	for h := range m.bad {
		if m.bad[h] == 0 && m.good[h] == 0 {
			continue
		}
		b = binary.AppendUvarint(b, uint64(h-prev))
		b = binary.AppendUvarint(b, uint64(m.bad[h]))
		b = binary.AppendUvarint(b, uint64(m.good[h]))
		prev = h
	}
	return b, nil
}

// ErrVersion is returned by UnmarshalBinary for a model of another
// Version: rebuild it from the labels.
var ErrVersion = errors.New("learn: model of another version")

// UnmarshalBinary decodes what MarshalBinary made.
func (m *Model) UnmarshalBinary(b []byte) error {
	rd := func() (uint64, bool) {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return 0, false
		}
		b = b[k:]
		return v, true
	}
	n, ok := rd()
	if !ok || n > uint64(len(b)) {
		return ErrCorrupt
	}
	if string(b[:n]) != Version {
		return ErrVersion
	}
	b = b[n:]
	nb, ok1 := rd()
	ng, ok2 := rd()
	if !ok1 || !ok2 || nb > math.MaxUint32 || ng > math.MaxUint32 {
		return ErrCorrupt
	}
	*m = Model{nBad: uint32(nb), nGood: uint32(ng)}
	m.init()
	h := -1
	for len(b) > 0 {
		d, ok1 := rd()
		vb, ok2 := rd()
		vg, ok3 := rd()
		if !ok1 || !ok2 || !ok3 || d == 0 || d > features.Buckets || vb > nb || vg > ng {
			return ErrCorrupt
		}
		h += int(d)
		if h >= features.Buckets {
			return ErrCorrupt
		}
		m.bad[h], m.good[h] = uint32(vb), uint32(vg)
	}
	return nil
}
