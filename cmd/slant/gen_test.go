package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant/ingest"
)

func TestGenCorpusDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	seeds := []string{"7", "7", "8"}
	for i, d := range dirs {
		e, stdout, stderr := testEnv("")
		if err := run(ctx, []string{"gen-corpus", "--n", "30", "--seed", seeds[i], d}, e); err != nil {
			t.Fatalf("gen-corpus: %v\n%s", err, stderr)
		}
		if !strings.HasPrefix(stdout.String(), "wrote 30 articles (") {
			t.Errorf("stdout %q", stdout)
		}
	}
	read := func(d string) string {
		b, err := os.ReadFile(filepath.Join(d, "0000", "a0000029.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if read(dirs[0]) != read(dirs[1]) {
		t.Error("the same seed gave different articles")
	}
	if read(dirs[0]) == read(dirs[2]) {
		t.Error("seeds 7 and 8 gave the same article")
	}
	// Every generated page reads as an article with its outlet, date and
	// URL, so ingest and story grouping see what real pages give them.
	srcs, errs := ingest.Expand([]string{dirs[0]})
	if len(errs) > 0 || len(srcs) != 30 {
		t.Fatalf("expand: %d sources, errors %v", len(srcs), errs)
	}
	outlets := map[string]bool{}
	for _, src := range srcs {
		a, err := ingest.Load(ctx, src, nil, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Title == "" || a.Published.IsZero() || !strings.HasPrefix(a.URL, "https://") || a.Outlet == "" || len(a.Text) < 400 {
			t.Errorf("%s: title %q, published %v, url %q, outlet %q, %d bytes", src.Name, a.Title, a.Published, a.URL, a.Outlet, len(a.Text))
		}
		outlets[a.Outlet] = true
	}
	if len(outlets) < 4 {
		t.Errorf("30 articles from only %d outlets", len(outlets))
	}
}

func TestGenCorpusUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"--n", "0", "d"}, {"--format", "pdf", "d"}, {"a", "b"}} {
		e, _, _ := testEnv("")
		var u errUsage
		if err := run(context.Background(), append([]string{"gen-corpus"}, args...), e); !errors.As(err, &u) {
			t.Errorf("gen-corpus %q: err = %v, want a usage error", args, err)
		}
	}
}
