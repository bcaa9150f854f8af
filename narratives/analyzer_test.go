package narratives

import (
	"context"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

func TestEmbeddedModelAnalyze(t *testing.T) {
	t.Parallel()
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/invented.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := &slant.Report{Article: slant.Article{Text: string(b)}}
	r.Sentences = text.Sentences(r.Article.Text)
	if err := a.Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, a.Model().Predict(r.Article.Text))
	for _, n := range r.Narratives {
		if !strings.HasPrefix(n.Subnarrative, n.Narrative+": ") {
			t.Errorf("subnarrative %q outside %q", n.Subnarrative, n.Narrative)
		}
		for _, e := range n.Evidence {
			found := false
			for _, s := range r.Sentences {
				found = found || s == e
			}
			if !found {
				t.Errorf("evidence %+v is not one of the report's sentences", e)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Analyze(ctx, r); err == nil {
		t.Error("cancelled context not reported")
	}
}

// FuzzModel feeds arbitrary text to the embedded model: it must not panic,
// labels must respect the taxonomy, evidence must lie inside the text, and
// explanations must keep the word limit.
func FuzzModel(f *testing.F) {
	f.Add("Title\n\nThe West is weak and NATO risks a nuclear war.")
	f.Add("")
	f.Add("“Kiev’s” — 🚀\r\n\u00a0climate hoax!!! ")
	f.Add("\xff\xfe broken utf8 \xc3")
	m, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pred := m.Predict(s)
		checkConsistent(t, pred)
		for _, n := range m.Narratives(s, nil) {
			for _, e := range n.Evidence {
				if e.Start < 0 || e.End > len(s) || e.Start > e.End {
					t.Fatalf("evidence %+v outside text of %d bytes", e, len(s))
				}
			}
		}
		ex := m.Explain(s, nil, "URW: Discrediting Ukraine", "URW: Discrediting Ukraine: Ukraine is a puppet of the West")
		if n := len(strings.Fields(ex)); n > MaxExplanationWords {
			t.Fatalf("explanation of %d words", n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(ex) {
			t.Fatalf("explanation of valid text is not valid UTF-8: %q", ex)
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	a, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/invented.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(raw)
	sents := text.Sentences(s)
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := &slant.Report{Article: slant.Article{Text: s}, Sentences: sents}
		if err := a.Analyze(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
