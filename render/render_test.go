package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// at returns the span of the nth (from 0) occurrence of sub in s; it fails
// the test when there is none, so fixtures cannot silently drift.
func at(t testing.TB, s, sub string, nth int) slant.Span {
	t.Helper()
	from := 0
	for k := 0; ; k++ {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			t.Fatalf("fixture: %q occurrence %d not found", sub, nth)
		}
		if k == nth {
			return slant.Span{Start: from + i, End: from + i + len(sub)}
		}
		from += i + len(sub)
	}
}

func segmented(a slant.Article) *slant.Report {
	return &slant.Report{Article: a, Paragraphs: text.Paragraphs(a.Text), Sentences: text.Sentences(a.Text)}
}

// fullReport is an invented article with every kind of annotation,
// including nested and crossing technique spans and a technique crossing a
// quote boundary.
func fullReport(t testing.TB) *slant.Report {
	body := "Minister’s “commission” — a 🌊 of excuses\n\n" +
		"The cowardly minister promised a “commission” — again. “We will rebuild,” she said, while the river rose 🌊.\n" +
		"According to the utility, inspections found no anomalies; critics call it a whitewash of a whitewash.\n"
	r := segmented(slant.Article{
		ID: "full", Title: "Minister’s “commission” — a 🌊 of excuses", Text: body,
		TitleSpan: at(t, body, "Minister’s “commission” — a 🌊 of excuses", 0),
		Outlet:    "The Orna Gazette", Byline: "R. Tester", Source: "testdata/full.txt",
		Published: time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC),
	})
	r.Techniques = []slant.TechniqueSpan{
		{Span: at(t, body, "cowardly minister", 0), Technique: "Name_Calling-Labeling", Score: 0.71},
		{Span: at(t, body, "cowardly", 0), Technique: "Loaded_Language", Score: 0.82},
		{Span: at(t, body, "a “commission” — again", 0), Technique: "Doubt", Score: 0.55},
		{Span: at(t, body, "rebuild,” she said", 0), Technique: "Slogans", Score: 0.31},
		{Span: at(t, body, "a whitewash of a", 0), Technique: "Repetition", Score: 0.44},
		{Span: at(t, body, "whitewash of a whitewash", 0), Technique: "Exaggeration-Minimisation", Score: 0.62},
		{Span: at(t, body, "whitewash", 1), Technique: "Loaded_Language", Score: 0.77},
	}
	r.ParagraphLabels = []slant.ParagraphLabels{
		{Span: r.Paragraphs[2], Paragraph: 3, Techniques: []string{"Loaded_Language", "Doubt"}, Scores: []float64{0.9, 0.6}},
		{Span: r.Paragraphs[3], Paragraph: 4, Techniques: nil},
	}
	r.Narratives = []slant.Narrative{{
		Narrative: "CC: Criticism of institutions and authorities", Subnarrative: "CC: Criticism of institutions and authorities: Criticism of national governments",
		Score: 0.67, Evidence: []slant.Span{r.Sentences[1]},
	}}
	r.Genre = &slant.Label{Label: "opinion", Score: 0.91}
	r.Frames = []slant.Label{{Label: "Political", Score: 0.74}, {Label: "Security_and_defense", Score: 0.4}}
	r.Entities = []slant.Entity{
		{ID: 1, Name: "Ilona Varga", Kind: slant.KindPerson,
			Mentions: []slant.Mention{{Span: at(t, body, "minister", 0), Text: "minister"}, {Span: at(t, body, "she", 0), Text: "she"}},
			Role:     &slant.Role{Main: slant.Antagonist, Fine: []string{"Incompetent", "Deceiver"}, Score: 0.8}},
		{ID: 2, Name: "the utility", Kind: slant.KindOrganization,
			Mentions: []slant.Mention{{Span: at(t, body, "the utility", 0), Text: "the utility"}}},
		{ID: 3, Name: "the river", Kind: slant.KindPlace,
			Mentions: []slant.Mention{{Span: at(t, body, "the river", 0), Text: "the river"}},
			Role:     &slant.Role{Main: slant.Innocent, Score: 0.5}},
	}
	r.Quotes = []slant.Quote{
		{Span: at(t, body, "“commission”", 1), Kind: slant.QuoteScare, Text: "commission"},
		{Span: at(t, body, "“We will rebuild,”", 0), Kind: slant.QuoteDirect, Text: "We will rebuild,",
			Speaker: "Ilona Varga", SpeakerSpan: at(t, body, "she", 0), SpeakerEntity: 1,
			Cue: "said", CueSpan: at(t, body, "said", 0), Resolved: true, Context: r.Sentences[2]},
		{Span: at(t, body, "inspections found no anomalies", 0), Kind: slant.QuoteIndirect, Text: "inspections found no anomalies",
			SpeakerSpan: at(t, body, "the utility", 0), Cue: "According to", CueSpan: at(t, body, "According to", 0),
			Context: r.Sentences[3]},
	}
	r.Analyzers = []string{"entities", "quotes", "roles", "techniques", "narratives", "genre", "frames"}
	r.FillCodePoints()
	return r
}

// bareReport is an untitled article read from stdin with no analyzer run.
func bareReport() *slant.Report {
	r := segmented(slant.Article{ID: "stdin", Source: "-", Text: "A plain line with an emoji 🙂 and an em dash — nothing else.\n"})
	r.FillCodePoints()
	return r
}

// quietReport is an article on which every analyzer ran and found nothing.
func quietReport() *slant.Report {
	body := "Rain expected\n\nLight rain is expected on Friday, the weather service said.\n"
	r := segmented(slant.Article{ID: "quiet", Title: "Rain expected", Text: body, TitleSpan: slant.Span{Start: 0, End: 13}})
	// A paragraph classifier that found nothing still lists every paragraph.
	for i, p := range r.Paragraphs {
		r.ParagraphLabels = append(r.ParagraphLabels, slant.ParagraphLabels{Span: p, Paragraph: i + 1})
	}
	r.Analyzers = []string{"entities", "quotes", "techniques", "narratives", "genre", "frames"}
	r.FillCodePoints()
	return r
}

func fixtures(t testing.TB) []*slant.Report {
	return []*slant.Report{fullReport(t), bareReport(), quietReport()}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		render func(*bytes.Buffer, []*slant.Report) error
	}{
		{"text", func(b *bytes.Buffer, rs []*slant.Report) error { return Text(b, rs, Options{}) }},
		{"text-color", func(b *bytes.Buffer, rs []*slant.Report) error { return Text(b, rs, Options{Color: true}) }},
		{"json", func(b *bytes.Buffer, rs []*slant.Report) error { return JSON(b, rs) }},
		{"jsonl", func(b *bytes.Buffer, rs []*slant.Report) error { return JSONL(b, rs) }},
		{"html", func(b *bytes.Buffer, rs []*slant.Report) error { return HTML(b, rs) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got bytes.Buffer
			if err := tt.render(&got, fixtures(t)); err != nil {
				t.Fatal(err)
			}
			// Idempotency: rendering never changes the reports, so a
			// second run prints the same bytes.
			var again bytes.Buffer
			rs := fixtures(t)
			_ = tt.render(&bytes.Buffer{}, rs)
			if err := tt.render(&again, rs); err != nil || !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Fatalf("second rendering differs (err %v)", err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./render -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from %s; run go test ./render -update and review the diff\n--- got:\n%s", tt.name, path, got.String())
			}
		})
	}
}

func TestEmptyInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format, want string
	}{
		{"json", "[]\n"},
		{"jsonl", ""},
		{"text", ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		w, err := NewWriter(tt.format, &b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil || b.String() != tt.want {
			t.Errorf("%s with no reports = %q, %v; want %q", tt.format, b.String(), err, tt.want)
		}
	}
	var b bytes.Buffer
	if err := HTML(&b, nil); err != nil || !strings.Contains(b.String(), "no articles") || !strings.HasSuffix(b.String(), "</html>\n") {
		t.Errorf("html with no reports = %q, %v", b.String(), err)
	}
	if _, err := NewWriter("yaml", &b, Options{}); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("unknown format: err = %v, want EINVALID", err)
	}
}

// TestJSONOffsets checks that every span in the JSON output carries code
// point offsets that select the same text as its byte offsets.
func TestJSONOffsets(t *testing.T) {
	t.Parallel()
	r := fullReport(t)
	var b bytes.Buffer
	if err := JSONL(&b, []*slant.Report{r}); err != nil {
		t.Fatal(err)
	}
	var back slant.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	runes := []rune(back.Article.Text)
	check := func(what string, s slant.Span) {
		t.Helper()
		if s == (slant.Span{}) {
			return
		}
		if byBytes, byCP := back.Article.Text[s.Start:s.End], string(runes[s.CPStart:s.CPEnd]); byBytes != byCP {
			t.Errorf("%s: bytes [%d,%d) = %q but code points [%d,%d) = %q", what, s.Start, s.End, byBytes, s.CPStart, s.CPEnd, byCP)
		}
	}
	if len(back.Techniques) != len(r.Techniques) || len(back.Quotes) != len(r.Quotes) {
		t.Fatalf("annotations lost in JSON: %d techniques, %d quotes", len(back.Techniques), len(back.Quotes))
	}
	for _, s := range back.Techniques {
		check(s.Technique, s.Span)
	}
	for _, q := range back.Quotes {
		check("quote", q.Span)
		check("speaker", q.SpeakerSpan)
		check("cue", q.CueSpan)
	}
	for _, e := range back.Entities {
		for _, m := range e.Mentions {
			check(e.Name, m.Span)
		}
	}
	check("title", back.Article.TitleSpan)
	// The emoji and curly quotes make code point and byte offsets differ;
	// the test would be vacuous otherwise.
	last := back.Techniques[len(back.Techniques)-1]
	if last.Start == last.CPStart {
		t.Fatalf("fixture has no multi-byte text before its last span")
	}
}

// TestBrokenSpans feeds spans an analyzer bug could produce: out of range,
// reversed, inside a multi-byte rune. Nothing may panic and the text must
// still be printed.
func TestBrokenSpans(t *testing.T) {
	t.Parallel()
	body := "Emoji 🙂 — “quoted” text."
	r := segmented(slant.Article{ID: "broken", Text: body})
	emoji := strings.Index(body, "🙂")
	r.Techniques = []slant.TechniqueSpan{
		{Span: slant.Span{Start: -4, End: 3}, Technique: "Doubt"},
		{Span: slant.Span{Start: 10, End: 4}, Technique: "Doubt"},
		{Span: slant.Span{Start: emoji + 1, End: emoji + 2}, Technique: "Loaded_Language"},
		{Span: slant.Span{Start: len(body) - 3, End: len(body) + 50}, Technique: "Straw_Man"},
	}
	r.Quotes = []slant.Quote{{Span: slant.Span{Start: 500, End: 600}, Kind: slant.QuoteDirect}}
	r.Entities = []slant.Entity{{Name: "x", Mentions: []slant.Mention{{Span: slant.Span{Start: 2, End: 1}}}, Role: &slant.Role{Main: "Hero"}}}
	for _, f := range Formats {
		for _, color := range []bool{false, true} {
			var b bytes.Buffer
			w, _ := NewWriter(f, &b, Options{Color: color})
			if err := w.Write(r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			_ = w.Close()
			if f == "text" && !strings.Contains(b.String(), "🙂") {
				t.Errorf("%s: the emoji was cut: %q", f, b.String())
			}
		}
	}
}

// TestTextNoEscapes makes sure article text cannot inject terminal control
// sequences, and that plain output has none of our own.
func TestTextNoEscapes(t *testing.T) {
	t.Parallel()
	r := segmented(slant.Article{ID: "esc", Title: "Bad \x1b]0;title\x07", Text: "Bad \x1b]0;title\x07\n\nText with \x1b[31mred\x1b[0m.\n"})
	var b bytes.Buffer
	if err := Text(&b, []*slant.Report{r}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("control characters reached the output: %q", b.String())
	}
}

// segmentsBrute computes the active marks of each byte the slow way.
func checkSegments(t *testing.T, s string, ms []mark) {
	t.Helper()
	segs := segments(s, ms)
	var joined strings.Builder
	pos := 0
	for _, sg := range segs {
		if sg.start != pos || sg.end <= sg.start {
			t.Fatalf("segment [%d,%d) does not follow %d", sg.start, sg.end, pos)
		}
		pos = sg.end
		joined.WriteString(s[sg.start:sg.end])
		if strings.Contains(s[sg.start:sg.end], "\n") && sg.end-sg.start != 1 {
			t.Fatalf("segment %q holds a newline with other text", s[sg.start:sg.end])
		}
		for i, m := range ms {
			covers := m.start <= sg.start && sg.end <= m.end
			in := false
			for _, a := range sg.active {
				in = in || a == i
			}
			if covers != in {
				t.Fatalf("segment [%d,%d): mark %d [%d,%d) active=%v, covers=%v", sg.start, sg.end, i, m.start, m.end, in, covers)
			}
		}
	}
	if joined.String() != s {
		t.Fatalf("segments do not concatenate to the text")
	}
}

func TestSegments(t *testing.T) {
	t.Parallel()
	r := fullReport(t)
	checkSegments(t, r.Article.Text, marks(r))
	checkSegments(t, "", nil)
	checkSegments(t, "\n\n", []mark{{start: 0, end: 2}})
}

func FuzzSegments(f *testing.F) {
	f.Add("a “b” — c 🌊\nd e", 0, 5, 3, 12, 9, 20)
	f.Add("", 0, 0, 0, 0, 0, 0)
	f.Add("xyz", 2, 1, -1, 7, 0, 3)
	f.Fuzz(func(t *testing.T, s string, a, b, c, d, e, g int) {
		r := &slant.Report{Article: slant.Article{Text: s}}
		r.Techniques = []slant.TechniqueSpan{{Span: slant.Span{Start: a, End: b}, Technique: "A"}, {Span: slant.Span{Start: c, End: d}, Technique: "B"}}
		r.Quotes = []slant.Quote{{Span: slant.Span{Start: e, End: g}}}
		ms := marks(r)
		for _, m := range ms {
			if m.start < 0 || m.end > len(s) || m.start >= m.end {
				t.Fatalf("mark [%d,%d) outside text of %d bytes", m.start, m.end, len(s))
			}
		}
		checkSegments(t, s, ms)
		// Every format renders whatever the spans, without error or panic.
		for _, f := range Formats {
			for _, color := range []bool{false, true} {
				w, _ := NewWriter(f, io.Discard, Options{Color: color})
				if err := w.Write(r); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				if err := w.Close(); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
		}
	})
}

func BenchmarkRender(b *testing.B) {
	r := fullReport(b)
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(r.Article.Text)))
			b.ReportAllocs()
			for b.Loop() {
				w, _ := NewWriter(f, io.Discard, Options{Color: f == "text"})
				if err := w.Write(r); err != nil {
					b.Fatal(err)
				}
				w.Close()
			}
		})
	}
}
