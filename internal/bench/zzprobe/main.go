package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"
)

func main() {
	db, err := bolt.Open(os.Args[1], 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		panic(err)
	}
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			s := b.Stats()
			fmt.Printf("%-18s keys=%7d leaf=%6d branch=%4d overflow=%6d leafMB=%.1f inuse=%.1f\n", name, s.KeyN, s.LeafPageN, s.BranchPageN, s.LeafOverflowN,
				float64(s.LeafAlloc)/1e6, float64(s.LeafInuse)/1e6)
			return nil
		})
	})
	st := db.Stats()
	fmt.Println("free pages", st.FreePageN, "pending", st.PendingPageN)
	_ = bufio.NewReader
	_ = strings.Contains
}
