package quotes

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/entities"
	"github.com/slant-news/slant/text"
)

// analyze runs entities and quotes on s as the pipeline does.
func analyze(t testing.TB, s string) []slant.Quote {
	t.Helper()
	r := &slant.Report{Article: slant.Article{Text: s}, Sentences: text.Sentences(s), Paragraphs: text.Paragraphs(s)}
	if err := entities.New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r.Quotes
}

// want describes one expected quote: its exact text, kind, speaker
// ("" = unresolved) and cue.
type want struct {
	text, kind, speaker, cue string
}

func TestQuotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"curly quote, trailing attribution after an emoji and em dash",
			"🚀 Big day — “We will never give up,” Mirela Vance said on Tuesday.",
			[]want{{"We will never give up,", slant.QuoteDirect, "Mirela Vance", "said"}}},
		{"straight quote, cue before the speaker",
			`"We came here to stop the killing," said General Omar Nur, who leads the delegation.`,
			[]want{{"We came here to stop the killing,", slant.QuoteDirect, "Omar Nur", "said"}}},
		{"quote split around the speech verb",
			"Defense Minister Taras Holub spoke. “The front is holding,” he told reporters, “but we need shells now.”",
			[]want{
				{"The front is holding,", slant.QuoteDirect, "Taras Holub", "told"},
				{"but we need shells now.", slant.QuoteDirect, "Taras Holub", "told"},
			}},
		{"leading attribution with a colon",
			"Lucia Ferraz was blunt: she said: “We warned them, and nobody listened to us.”",
			[]want{{"We warned them, and nobody listened to us.", slant.QuoteDirect, "Lucia Ferraz", "said"}}},
		{"quote spanning sentences",
			"“This is not nature’s revenge. It is policy, and it has a price,” activist Joana Prates said.",
			[]want{{"This is not nature’s revenge. It is policy, and it has a price,", slant.QuoteDirect, "Joana Prates", "said"}}},
		{"quote spanning paragraphs",
			"Governor Viktor Orlov wrote a long post. He said: “Two workers were injured in the blast tonight.\n\n“The transformer burned for hours and the city is dark.”",
			[]want{{"Two workers were injured in the blast tonight.\nThe transformer burned for hours and the city is dark.", slant.QuoteDirect, "Viktor Orlov", "said"}}},
		{"pronoun she resolves to the last woman",
			"Daria Lobova met Pavel Rudin. “The plan is reckless and Moscow will respond,” she said.",
			[]want{{"The plan is reckless and Moscow will respond,", slant.QuoteDirect, "Daria Lobova", "said"}}},
		{"description resolves to the general named before",
			"General Mark Rowe spoke at the club. “We consider all kinds of options every day,” the four-star general told an audience.",
			[]want{{"We consider all kinds of options every day,", slant.QuoteDirect, "Mark Rowe", "told"}}},
		{"scare quotes are not statements",
			"The weapons will help “blunt” the advance and are “useful” new liberation weapons, “new liberation weapons” indeed.",
			[]want{
				{"blunt", slant.QuoteScare, "", ""},
				{"useful", slant.QuoteScare, "", ""},
				{"new liberation weapons", slant.QuoteScare, "", ""},
			}},
		{"a title is not a statement",
			"The group published a report called “Civilian Deaths from Cluster Munitions in the East” on Friday.",
			[]want{{"Civilian Deaths from Cluster Munitions in the East", slant.QuoteScare, "", ""}}},
		{"unresolved speaker stays unresolved",
			"“The US had been producing these bombs for years,” recently pointed out.",
			[]want{{"The US had been producing these bombs for years,", slant.QuoteDirect, "", "pointed out"}}},
		{"indirect: said that",
			"Jens Stoltenberg said that the alliance has no position on the weapons.",
			[]want{{"the alliance has no position on the weapons", slant.QuoteIndirect, "Jens Stoltenberg", "said"}}},
		{"indirect: according to",
			"According to Reuters, the talks will resume in Doha next week.",
			[]want{{"the talks will resume in Doha next week.", slant.QuoteIndirect, "Reuters", "According to"}}},
		{"indirect: told reporters",
			"Hanna Brec told reporters that the ferry fleet would stay in port.",
			[]want{{"the ferry fleet would stay in port", slant.QuoteIndirect, "Hanna Brec", "told"}}},
		{"indirect: wrote in a tweet",
			"Oleksii Reznikov wrote in a tweet that the new weapons would arrive soon.",
			[]want{{"the new weapons would arrive soon", slant.QuoteIndirect, "Oleksii Reznikov", "wrote"}}},
		{"indirect: trailing attribution to an anonymous source",
			"The president has decided to send the mines, multiple news outlets reported on Tuesday.",
			[]want{{"The president has decided to send the mines", slant.QuoteIndirect, "multiple news outlets", "reported"}}},
		{"passive reporting has no speaker and is skipped",
			"It was widely reported that the deal is done.",
			nil},
		{"described speaker, then the same description",
			"A State Department spokesman said that Washington would keep helping. “We will consult closely with our allies,” the spokesperson wrote.",
			[]want{
				{"Washington would keep helping", slant.QuoteIndirect, "State Department spokesman", "said"},
				{"We will consult closely with our allies,", slant.QuoteDirect, "State Department spokesman", "wrote"},
			}},
		{"colon-introduced quote of an organisation",
			"Human Rights Watch published a report, which reads:\n\n“The ferry operators must publish their safety logs within a month.”",
			[]want{{"The ferry operators must publish their safety logs within a month.", slant.QuoteDirect, "Human Rights Watch", "published"}}},
		{"quoted tweet",
			"Governor Viktor Orlov tweeted on Sunday:\n\n“Two workers were injured tonight 😢 Stay home, stay safe. #Belgorod”",
			[]want{{"Two workers were injured tonight 😢 Stay home, stay safe. #Belgorod", slant.QuoteDirect, "Viktor Orlov", "tweeted"}}},
		{"continuation in the next sentence of the paragraph",
			"“We are facing a brutal war,” Stoltenberg said. “And both sides used these weapons.”",
			[]want{
				{"We are facing a brutal war,", slant.QuoteDirect, "Stoltenberg", "said"},
				{"And both sides used these weapons.", slant.QuoteDirect, "Stoltenberg", "said"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := analyze(t, tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d quotes, want %d:\n%s", len(got), len(tc.want), dumpQuotes(tc.text, got))
			}
			for i, w := range tc.want {
				q := got[i]
				if q.Text != w.text || q.Kind != w.kind || q.Speaker != w.speaker || q.Cue != w.cue {
					t.Errorf("quote %d:\n got %s\nwant text=%q kind=%s speaker=%q cue=%q", i, dumpQuotes(tc.text, got[i:i+1]), w.text, w.kind, w.speaker, w.cue)
				}
				if q.Resolved != (w.speaker != "") {
					t.Errorf("quote %d: Resolved=%v with speaker %q", i, q.Resolved, q.Speaker)
				}
				if !strings.Contains(w.text, "\n") && tc.text[q.Start:q.End] != q.Text {
					t.Errorf("quote %d: span %d-%d covers %q, text is %q", i, q.Start, q.End, tc.text[q.Start:q.End], q.Text)
				}
				if q.Cue != "" && tc.text[q.CueSpan.Start:q.CueSpan.End] != q.Cue {
					t.Errorf("quote %d: cue span covers %q, cue is %q", i, tc.text[q.CueSpan.Start:q.CueSpan.End], q.Cue)
				}
				if q.Kind != slant.QuoteScare && !q.Context.Contains(slant.Span{Start: q.Start, End: min(q.End, q.Context.End)}) && q.Context.Start > q.Start {
					t.Errorf("quote %d: context %d-%d does not hold the quote start %d", i, q.Context.Start, q.Context.End, q.Start)
				}
			}
		})
	}
}

// TestOffsetsAreBytes checks that spans are byte offsets and that the
// code points filled for output match the text's code point positions,
// with multi-byte runes (emoji, em dash, curly quotes) before the quote.
func TestOffsetsAreBytes(t *testing.T) {
	t.Parallel()
	s := "😢 Night — “Two workers were injured in the blast,” Governor Viktor Orlov wrote."
	r := &slant.Report{Article: slant.Article{Text: s}, Sentences: text.Sentences(s), Paragraphs: text.Paragraphs(s)}
	_ = entities.New().Analyze(context.Background(), r)
	_ = New().Analyze(context.Background(), r)
	if len(r.Quotes) != 1 {
		t.Fatalf("got %d quotes: %s", len(r.Quotes), dumpQuotes(s, r.Quotes))
	}
	q := r.Quotes[0]
	wantStart := strings.Index(s, "Two")
	if q.Start != wantStart || s[q.Start:q.End] != "Two workers were injured in the blast," {
		t.Fatalf("span %d-%d = %q", q.Start, q.End, s[q.Start:q.End])
	}
	r.FillCodePoints()
	q = r.Quotes[0]
	if cp := utf8.RuneCountInString(s[:wantStart]); q.CPStart != cp {
		t.Errorf("CPStart %d, want %d", q.CPStart, cp)
	}
	if wantStart == q.CPStart {
		t.Error("test text has no multi-byte rune before the quote")
	}
	if s[q.SpeakerSpan.Start:q.SpeakerSpan.End] != "Viktor Orlov" || q.Speaker != "Viktor Orlov" {
		t.Errorf("speaker %q at %q", q.Speaker, s[q.SpeakerSpan.Start:q.SpeakerSpan.End])
	}
}

func dumpQuotes(s string, qs []slant.Quote) string {
	var b strings.Builder
	for _, q := range qs {
		sp := ""
		if q.SpeakerSpan.End > q.SpeakerSpan.Start {
			sp = s[q.SpeakerSpan.Start:q.SpeakerSpan.End]
		}
		b.WriteString("  " + q.Kind + " " + strings.Join([]string{"text=" + quoteStr(q.Text), "speaker=" + quoteStr(q.Speaker), "via=" + quoteStr(sp), "cue=" + quoteStr(q.Cue)}, " ") + "\n")
	}
	return b.String()
}

func quoteStr(s string) string { return "\"" + s + "\"" }

func TestAnalyzeWithoutEntities(t *testing.T) {
	t.Parallel()
	// Without the entities analyzer a quote is still found; a pronoun
	// cannot be resolved and says so.
	s := "“We will not leave anyone behind,” she said."
	r := &slant.Report{Article: slant.Article{Text: s}}
	if err := New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(r.Quotes) != 1 || r.Quotes[0].Resolved || r.Quotes[0].Speaker != "" || r.Quotes[0].Context.Len() == 0 {
		t.Fatalf("got %s", dumpQuotes(s, r.Quotes))
	}
}

func FuzzAttribute(f *testing.F) {
	f.Add("“A,” he said, “B.”")
	f.Add(`"Unclosed quote at the end of a paragraph` + "\n\n" + `"continued" said X.`)
	f.Add("According to , ” “ \" « » : • - said that")
	f.Add("😢 — “x” \xff\xfe she said: “ok”")
	f.Fuzz(func(t *testing.T, s string) {
		sents := text.Sentences(s)
		ents := entities.Find(s, sents)
		for _, q := range Attribute(s, sents, text.Paragraphs(s), ents) {
			for _, sp := range []slant.Span{q.Span, q.SpeakerSpan, q.CueSpan, q.Context} {
				if sp.Start < 0 || sp.End > len(s) || sp.Start > sp.End {
					t.Fatalf("bad span %+v in %q", sp, s)
				}
			}
			if q.Kind != slant.QuoteDirect && q.Kind != slant.QuoteIndirect && q.Kind != slant.QuoteScare {
				t.Fatalf("bad kind %q", q.Kind)
			}
			if q.Resolved != (q.Speaker != "") {
				t.Fatalf("Resolved=%v with speaker %q", q.Resolved, q.Speaker)
			}
		}
	})
}

func benchArticle() string {
	b := &strings.Builder{}
	for b.Len() < 5000 {
		b.WriteString("NATO Secretary General Jens Stoltenberg said on Tuesday that the alliance would help Kyiv. ")
		b.WriteString("“We will not leave Ukraine alone,” he told reporters in Brussels, “and we will pay.” The Kremlin called the plan “reckless”, ")
		b.WriteString("and Russian Foreign Ministry spokeswoman Maria Zakharova said the Kiev regime uses Western weapons against civilians.\n")
		b.WriteString("According to the Washington Post, US officials and the Pentagon are divided; Ukrainian forces need shells.\n")
	}
	return b.String()
}

func BenchmarkAttribute(b *testing.B) {
	s := benchArticle()
	sents, paras := text.Sentences(s), text.Paragraphs(s)
	ents := entities.Find(s, sents)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Attribute(s, sents, paras, ents)
	}
}

// BenchmarkEntitiesAndQuotes measures both analyzers on a ~5 KB article.
func BenchmarkEntitiesAndQuotes(b *testing.B) {
	s := benchArticle()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		r := &slant.Report{Article: slant.Article{Text: s}, Sentences: text.Sentences(s), Paragraphs: text.Paragraphs(s)}
		_ = entities.New().Analyze(context.Background(), r)
		_ = New().Analyze(context.Background(), r)
	}
}

// BenchmarkEntitiesRolesQuotes measures the three "who is who" analyzers
// together on a ~5 KB article, as slant analyze runs them.
func BenchmarkEntitiesRolesQuotes(b *testing.B) {
	s := benchArticle()
	ra := entities.NewRoleAnalyzer(nil)
	if _, err := entities.DefaultRoleModel(); err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		r := &slant.Report{Article: slant.Article{Text: s}, Sentences: text.Sentences(s), Paragraphs: text.Paragraphs(s)}
		_ = entities.New().Analyze(context.Background(), r)
		_ = ra.Analyze(context.Background(), r)
		_ = New().Analyze(context.Background(), r)
	}
}

// BenchmarkCorpus runs entities, roles and quotes over the SemEval-2023
// training articles in ../shared/data (skipped without them); one op is
// one article.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("SLANT_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "semeval2023-task3", "train-articles-subtask-3", "*.txt"))
	if len(files) == 0 {
		b.Skip("../shared/data not present")
	}
	var docs []string
	size := 0
	for _, p := range files {
		t, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(t))
		size += len(t)
	}
	ra := entities.NewRoleAnalyzer(nil)
	if _, err := entities.DefaultRoleModel(); err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(size / len(docs)))
	i := 0
	for b.Loop() {
		s := docs[i%len(docs)]
		i++
		r := &slant.Report{Article: slant.Article{Text: s}, Sentences: text.Sentences(s), Paragraphs: text.Paragraphs(s)}
		_ = entities.New().Analyze(context.Background(), r)
		_ = ra.Analyze(context.Background(), r)
		_ = New().Analyze(context.Background(), r)
	}
}
