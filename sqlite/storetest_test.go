package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/storetest"
)

// TestStoreConformance runs the store suite that every backend shares, so
// that the embedded store and PostgreSQL behave the same.
func TestStoreConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) slant.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "slant.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, nil)
}
