package techniques

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

func TestLexicon(t *testing.T) {
	t.Parallel()
	cases := []struct {
		word string
		want uint32
	}{
		{"outrageous", lexLoaded},
		{"regime", lexLabel},
		{"hypocrisy", lexHypocrisy},
		{"allegedly", lexDoubt},
		{"patriots", lexFlag},
		{"catastrophe", lexFear},
		{"table", 0},
	}
	for _, c := range cases {
		if got := lexiconOf(c.word); got&c.want != c.want || (c.want == 0 && got != 0) {
			t.Errorf("lexiconOf(%q) = %b, want bits %b", c.word, got, c.want)
		}
	}
	// Phrase cues mark both of their tokens, whatever the case and the
	// apostrophe.
	d := analyse("What about the double standards? Pandora’s box opened.", nil, nil)
	want := map[string]uint32{"What": lexHypocrisy, "about": lexHypocrisy, "double": lexHypocrisy, "standards": lexHypocrisy, "Pandora’s": lexFear, "box": lexFear}
	for _, tk := range d.toks {
		w := d.text[tk.start:tk.end]
		if m, ok := want[w]; ok && tk.lex&m == 0 {
			t.Errorf("token %q: lexicon %b lacks %b", w, tk.lex, m)
		}
	}
	for cat := 0; cat < lexNumLexicons; cat++ {
		if lexNames[cat] == "" {
			t.Errorf("category %d has no name", cat)
		}
	}
}

func TestAnalyseOffsets(t *testing.T) {
	t.Parallel()
	texts := []string{
		"Title line\n\n“Quoted,” he said — loudly. Then 😀 emoji\u00a0here!\r\nLast line without newline",
		"",
		"\n\n\n",
		"one",
		"Ünïcödé wörds… and “curly” quotes.\nSecond paragraph? Yes!\n",
	}
	for _, s := range texts {
		d := analyse(s, nil, nil)
		if len(d.paras) != len(text.Paragraphs(s)) {
			t.Fatalf("%q: %d paragraphs", s, len(d.paras))
		}
		for i, tk := range d.toks {
			if tk.start < 0 || tk.end > len(s) || tk.start >= tk.end || !utf8.ValidString(s[tk.start:tk.end]) {
				t.Fatalf("%q: token %d at [%d,%d) is not a valid piece of the text", s, i, tk.start, tk.end)
			}
			if i > 0 && tk.start < d.toks[i-1].end {
				t.Fatalf("%q: tokens overlap", s)
			}
			sp := d.sents[tk.sent]
			if tk.start < sp.Start || tk.end > sp.End {
				t.Fatalf("%q: token %q outside its sentence", s, s[tk.start:tk.end])
			}
		}
		for p, r := range d.paraTok {
			for _, tk := range d.toks[r[0]:r[1]] {
				if tk.start < d.paras[p].Start || tk.end > d.paras[p].End {
					t.Fatalf("%q: token %q outside paragraph %d", s, s[tk.start:tk.end], p+1)
				}
			}
		}
	}
}

// synthetic builds a corpus of invented articles where "outrageous" and
// "disgraceful" mark Loaded_Language spans and "traitors" and "thugs" mark
// Name_Calling-Labeling, with a curly quote in every article so that code
// point and byte offsets differ.
func synthetic(n int, seed uint64) ([]semeval.Document, []semeval.ParagraphLabels, []semeval.Span) {
	rng := rand.New(rand.NewPCG(seed, 3))
	filler := strings.Fields("the council met on monday to discuss the budget of the harbour and the port authority said that ships would arrive later this year")
	var docs []semeval.Document
	var paras []semeval.ParagraphLabels
	var spans []semeval.Span
	for a := 0; a < n; a++ {
		id := fmt.Sprint(1000 + a)
		var b strings.Builder
		b.WriteString("“Harbour” news\n")
		paras = append(paras, semeval.ParagraphLabels{ID: id, Paragraph: 1})
		for p := 2; p <= 7; p++ {
			var techs []string
			for w := 0; w < 12; w++ {
				if w > 0 {
					b.WriteString(" ")
				}
				switch r := rng.IntN(30); {
				case r == 0 || r == 1:
					word := []string{"outrageous", "disgraceful"}[r]
					start := utf8.RuneCountInString(b.String())
					b.WriteString(word)
					spans = append(spans, semeval.Span{ID: id, Technique: "Loaded_Language", Start: start, End: start + len(word)})
					techs = appendOnce(techs, "Loaded_Language")
				case r == 2 || r == 3:
					word := []string{"traitors", "thugs"}[r-2]
					start := utf8.RuneCountInString(b.String())
					b.WriteString(word)
					spans = append(spans, semeval.Span{ID: id, Technique: "Name_Calling-Labeling", Start: start, End: start + len(word)})
					techs = appendOnce(techs, "Name_Calling-Labeling")
				default:
					b.WriteString(filler[rng.IntN(len(filler))])
				}
			}
			b.WriteString(".\n")
			paras = append(paras, semeval.ParagraphLabels{ID: id, Paragraph: p, Techniques: techs})
		}
		docs = append(docs, semeval.Document{ID: id, FileName: "article" + id + ".txt", Text: b.String()})
	}
	return docs, paras, spans
}

func appendOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func TestTokenLabelsFollowCodePoints(t *testing.T) {
	t.Parallel()
	c := NewCorpus(synthetic(3, 1))
	for _, a := range c.Articles {
		ys := a.tokenLabels()
		d := a.doc()
		for i, tk := range d.toks {
			w := a.Text[tk.start:tk.end]
			marked := w == "outrageous" || w == "disgraceful" || w == "traitors" || w == "thugs"
			if marked != (len(ys[i]) > 0) {
				t.Fatalf("article %s token %q labels %v", a.ID, w, ys[i])
			}
		}
	}
}

func smallOptions() TrainOptions {
	return TrainOptions{Folds: 2, Seed: 5, ParaBits: 12, TokBits: 12, ParaEpochs: 4, TokEpochs: 3, AllTokens: true}
}

func TestTrainDeterministicAndLearns(t *testing.T) {
	t.Parallel()
	var out [2]bytes.Buffer
	var m *Model
	for i := range out {
		c := NewCorpus(synthetic(24, 7))
		var err error
		m, _, err = Train(context.Background(), c, smallOptions())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.WriteTo(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
		t.Fatal("same data and seed gave different model bytes")
	}
	back, err := ReadModel(bytes.NewReader(out[0].Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	det, err := New(back)
	if err != nil {
		t.Fatal(err)
	}
	r := &slant.Report{Article: slant.Article{Text: "Harbour report\nThe council met the outrageous traitors on monday.\nThe port authority said ships would arrive."}}
	if err := det.Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(r.ParagraphLabels) != 3 {
		t.Fatalf("%d paragraph entries, want 3", len(r.ParagraphLabels))
	}
	got := map[string]string{}
	for _, s := range r.Techniques {
		got[s.Text(r.Article.Text)] = s.Technique
	}
	if got["outrageous"] != "Loaded_Language" || got["traitors"] != "Name_Calling-Labeling" {
		t.Errorf("spans %v, want outrageous as Loaded_Language and traitors as Name_Calling-Labeling", got)
	}
	if l := r.ParagraphLabels[2].Techniques; len(l) != 0 {
		t.Errorf("neutral paragraph labelled %v", l)
	}
}

func TestReadModelRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "SLANTTQ1", "SLANTTQ1\x05abcde", "garbage garbage"} {
		if _, err := ReadModel(strings.NewReader(in)); err == nil {
			t.Errorf("ReadModel(%q) accepted garbage", in)
		}
	}
}

func TestTrainNeedsArticles(t *testing.T) {
	t.Parallel()
	if _, _, err := Train(context.Background(), NewCorpus(synthetic(1, 1)), smallOptions()); slant.ErrorCode(err) != slant.EINVALID {
		t.Fatalf("training on 1 article with 2 folds: %v", err)
	}
}

func fixture(t testing.TB) string {
	b, err := os.ReadFile("testdata/article-5k.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDetectorOnFixture(t *testing.T) {
	t.Parallel()
	det, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if det.Name() != "techniques" {
		t.Fatalf("name %q", det.Name())
	}
	s := fixture(t)
	r := &slant.Report{Article: slant.Article{Text: s}, Paragraphs: text.Paragraphs(s), Sentences: text.Sentences(s)}
	if err := det.Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(r.ParagraphLabels) != len(r.Paragraphs) {
		t.Fatalf("%d paragraph entries for %d paragraphs", len(r.ParagraphLabels), len(r.Paragraphs))
	}
	backed := map[[2]string]bool{}
	for _, sp := range r.Techniques {
		if sp.Start < 0 || sp.End > len(s) || sp.Start >= sp.End || labelIndex(sp.Technique) < 0 || sp.Score <= 0 || sp.Score > 1 {
			t.Fatalf("bad span %+v", sp)
		}
		for _, p := range r.ParagraphLabels {
			if p.Span.Contains(sp.Span) {
				backed[[2]string{fmt.Sprint(p.Paragraph), sp.Technique}] = true
			}
		}
	}
	total := 0
	for i, p := range r.ParagraphLabels {
		if p.Paragraph != i+1 || p.Span != r.Paragraphs[i] || len(p.Scores) != len(p.Techniques) {
			t.Fatalf("paragraph entry %d: %+v", i, p)
		}
		for _, tech := range p.Techniques {
			total++
			if !backed[[2]string{fmt.Sprint(p.Paragraph), tech}] {
				t.Errorf("paragraph %d label %s has no span", p.Paragraph, tech)
			}
		}
	}
	// The fixture is written to be loaded: a working model finds something.
	if total == 0 || len(r.Techniques) == 0 {
		t.Fatalf("nothing found in a deliberately loaded article")
	}
}

func FuzzAnalyse(f *testing.F) {
	f.Add("Title\n\nThe “so-called” regime — evil!\r\nWhat about them?")
	f.Add("")
	f.Add("\xff\xfe broken utf8 \n\n 😀")
	det, err := New(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := &slant.Report{Article: slant.Article{Text: s}}
		if err := det.Analyze(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if len(r.ParagraphLabels) != len(text.Paragraphs(s)) {
			t.Fatalf("%d paragraph entries", len(r.ParagraphLabels))
		}
		for _, sp := range r.Techniques {
			if sp.Start < 0 || sp.End > len(s) || sp.Start >= sp.End {
				t.Fatalf("span %+v outside text of %d bytes", sp, len(s))
			}
		}
	})
}

func BenchmarkDetector(b *testing.B) {
	det, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	s := fixture(b)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	ctx := context.Background()
	paras, sents := text.Paragraphs(s), text.Sentences(s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := &slant.Report{Article: slant.Article{Text: s}, Paragraphs: paras, Sentences: sents}
		if err := det.Analyze(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestLoadedModelMemory pins the memory the embedded model takes once
// loaded (the budget is 100 MB).
func TestLoadedModelMemory(t *testing.T) {
	t.Parallel()
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.pq == nil || m.tq == nil || m.Para.W != nil || m.Tok.W != nil {
		t.Fatal("a loaded model keeps 16-bit weights only")
	}
	bytes := 2*(len(m.pq.w)+len(m.tq.w)) + 4*(len(m.Para.Bias)+len(m.Tok.Bias))
	if bytes > 100<<20 {
		t.Fatalf("loaded model takes %d MB", bytes>>20)
	}
	t.Logf("loaded model weights: %.1f MB", float64(bytes)/(1<<20))
}
