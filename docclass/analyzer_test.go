package docclass

import (
	"context"
	"os"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/taxonomy"
)

func invented(t testing.TB) string {
	b, err := os.ReadFile("testdata/invented.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEmbeddedModelsAnalyze(t *testing.T) {
	t.Parallel()
	a, err := New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.g.M.Labels; len(got) != 3 {
		t.Fatalf("genre labels %v", got)
	}
	if got := a.f.M.Labels; len(got) != len(taxonomy.Frames()) {
		t.Fatalf("frame labels %v", got)
	}
	r := &slant.Report{Article: slant.Article{Text: invented(t)}}
	if err := a.Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if r.Genre == nil || r.Genre.Label == "" || len(r.Frames) == 0 {
		t.Fatalf("genre %v frames %v", r.Genre, r.Frames)
	}
	// The shared-vector path must agree with the stand-alone predictors.
	if g := a.g.Predict(r.Article.Text); g != *r.Genre {
		t.Errorf("analyzer genre %v, Predict %v", *r.Genre, g)
	}
	if f := a.f.Predict(r.Article.Text); len(f) != len(r.Frames) {
		t.Errorf("analyzer frames %v, Predict %v", r.Frames, f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Analyze(ctx, r); err == nil {
		t.Error("cancelled context not reported")
	}
}

func BenchmarkAnalyze(b *testing.B) {
	a, err := New(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := invented(b)
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := &slant.Report{Article: slant.Article{Text: s}}
		if err := a.Analyze(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
