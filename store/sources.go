package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Fingerprint returns the stored fingerprint of a source path (as given to
// PutSource, normally absolute); ok is false when the source is unknown.
func (s *Store) Fingerprint(path string) (Fingerprint, bool, error) {
	var fp Fingerprint
	ok := false
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSources)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(path))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &fp)
	})
	if err != nil {
		return Fingerprint{}, false, fmt.Errorf("store: fingerprint %s: %w", path, err)
	}
	return fp, ok, nil
}

// PutSource records a source's fingerprint and its message IDs in mailbox
// order, replacing what was stored for fp.Path. Malformed IDs are an error.
func (s *Store) PutSource(fp Fingerprint, ids []string) error {
	return s.putSource(fp, ids, false)
}

// AppendSource records a new fingerprint for a source whose messages so far
// are unchanged and appends ids (the messages read from the old
// fp.TailOffset on) to its ID list. An unknown source is created.
func (s *Store) AppendSource(fp Fingerprint, ids []string) error {
	return s.putSource(fp, ids, true)
}

func (s *Store) putSource(fp Fingerprint, ids []string, appendIDs bool) error {
	if fp.Path == "" {
		return fmt.Errorf("store: put source: empty path")
	}
	js, err := json.Marshal(fp)
	if err != nil {
		return fmt.Errorf("store: put source %s: %w", fp.Path, err)
	}
	buf := make([]byte, 0, 32*len(ids))
	for _, id := range ids {
		k, err := parseID(id)
		if err != nil {
			return fmt.Errorf("store: put source %s: %w", fp.Path, err)
		}
		buf = append(buf, k[:]...)
	}
	err = s.update(func(tx *bolt.Tx) error {
		key := []byte(fp.Path)
		if err := tx.Bucket(bucketSources).Put(key, js); err != nil {
			return err
		}
		b := tx.Bucket(bucketSourceIDs)
		if appendIDs {
			if old := b.Get(key); len(old)%32 == 0 {
				buf = append(append(make([]byte, 0, len(old)+len(buf)), old...), buf...)
			}
		}
		return b.Put(key, buf)
	})
	if err != nil {
		return fmt.Errorf("store: put source %s: %w", fp.Path, err)
	}
	return nil
}

// SourceIDs returns the message IDs of a source in mailbox order, or
// ErrNotFound for an unknown source.
func (s *Store) SourceIDs(path string) ([]string, error) {
	var ids []string
	err := s.view(func(tx *bolt.Tx) error {
		v, err := sourceKeys(tx, path)
		if err != nil {
			return err
		}
		ids = make([]string, 0, len(v)/32)
		for i := 0; i < len(v); i += 32 {
			ids = append(ids, formatID(v[i:i+32]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: source ids %s: %w", path, err)
	}
	return ids, nil
}

// PutEnrichment stores an opaque enrichment-cache value under key,
// replacing any previous value. The caller encodes time and source in value.
func (s *Store) PutEnrichment(key string, value []byte) error {
	if key == "" || len(key) > bolt.MaxKeySize {
		return fmt.Errorf("store: put enrichment: invalid key length %d", len(key))
	}
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEnrichment).Put([]byte(key), append([]byte(nil), value...))
	})
	if err != nil {
		return fmt.Errorf("store: put enrichment %q: %w", truncate(key, 80), err)
	}
	return nil
}

// Enrichment returns a copy of the cached value for key; ok is false when
// absent.
func (s *Store) Enrichment(key string) ([]byte, bool, error) {
	var out []byte
	ok := false
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEnrichment)
		if b == nil || key == "" || len(key) > bolt.MaxKeySize {
			return nil
		}
		if v := b.Get([]byte(key)); v != nil {
			out, ok = append([]byte{}, v...), true
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: enrichment %q: %w", truncate(key, 80), err)
	}
	return out, ok, nil
}

// sourceKeys is the concatenated 32-byte message keys of a source, in
// mailbox order (valid only during tx), ErrNotFound for an unknown source
// or errCorrupt for a list that is not whole keys.
func sourceKeys(tx *bolt.Tx, path string) ([]byte, error) {
	b := tx.Bucket(bucketSourceIDs)
	if b == nil {
		return nil, ErrNotFound
	}
	v := b.Get([]byte(path))
	if v == nil {
		return nil, ErrNotFound
	}
	if len(v)%32 != 0 {
		return nil, errCorrupt
	}
	return v, nil
}
