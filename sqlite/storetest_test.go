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
	}, func(s slant.Store) storetest.Batcher { return batcher{s.(*DB)} })
}

// batcher adapts PutReports to the suite's batch interface.
type batcher struct{ s *DB }

func (b batcher) PutReports(ctx context.Context, rs []*slant.Report) ([]storetest.Put, error) {
	puts, err := b.s.PutReports(ctx, rs)
	if err != nil {
		return nil, err
	}
	out := make([]storetest.Put, len(puts))
	for i, p := range puts {
		out[i] = storetest.Put{ID: p.ID, Created: p.Created}
	}
	return out, nil
}
