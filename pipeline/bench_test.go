package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/slant-news/slant"
)

// exampleArticles reads the repository's invented example articles.
func exampleArticles(b *testing.B) ([]slant.Article, int) {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "examples", "*.txt"))
	if err != nil || len(paths) == 0 {
		b.Skipf("no examples/*.txt: %v", err)
	}
	var as []slant.Article
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		as = append(as, slant.Article{ID: filepath.Base(p), Text: string(data)})
		size += len(data)
	}
	return as, size
}

// BenchmarkAnalyze measures the pipeline's own work on one article with no
// analyzer: segmentation into paragraphs and sentences and the code point
// offsets.
func BenchmarkAnalyze(b *testing.B) {
	as, size := exampleArticles(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		for _, a := range as {
			if _, err := Analyze(ctx, nil, a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRun measures the worker pool over the examples with two
// workers, including ordering and per-job overhead.
func BenchmarkRun(b *testing.B) {
	as, size := exampleArticles(b)
	jobs := make([]Job, 0, 100*len(as))
	for i := 0; i < 100; i++ {
		for _, a := range as {
			jobs = append(jobs, Job{Name: a.ID, Load: func(context.Context) (slant.Article, error) { return a, nil }})
		}
	}
	b.SetBytes(int64(100 * size))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		err := Run(ctx, nil, jobs, 2, func(r Result) error { return r.Err })
		if err != nil {
			b.Fatal(err)
		}
	}
}
