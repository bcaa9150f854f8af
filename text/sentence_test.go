package text

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

func texts(s string, spans []slant.Span) []string {
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = s[sp.Start:sp.End]
	}
	return out
}

func TestSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "The pier fell. The town voted.", []string{"The pier fell.", "The town voted."}},
		{"title abbreviation", "Gen. Mark Milley said no. He left.", []string{"Gen. Mark Milley said no.", "He left."}},
		{"no ends a sentence", "He said no. Then he left.", []string{"He said no.", "Then he left."}},
		{"No. before a number", "Pier No. 5 reopened. Boats came.", []string{"Pier No. 5 reopened.", "Boats came."}},
		{"etc. ends a sentence", "Cod, hake, etc. The market sold out.", []string{"Cod, hake, etc.", "The market sold out."}},
		{"Inc. before a name", "Acme Inc. Chief Ann Lee spoke.", []string{"Acme Inc. Chief Ann Lee spoke."}},
		{"Dr. and Mr.", "Dr. Vaal met Mr. Aldous. They argued.", []string{"Dr. Vaal met Mr. Aldous.", "They argued."}},
		{"month", "On Jan. 5 the talks began. They failed.", []string{"On Jan. 5 the talks began.", "They failed."}},
		{"U.S. inside a sentence", "The U.S. Army said it would help.", []string{"The U.S. Army said it would help."}},
		{"U.S. ends a sentence", "The firm is based in the U.S. The bid is open.", []string{"The firm is based in the U.S.", "The bid is open."}},
		{"U.N. before a name", "The U.N. Security Council met.", []string{"The U.N. Security Council met."}},
		{"initials", "John F. Kennedy spoke. Mr. J. P. Aldous voted no.", []string{"John F. Kennedy spoke.", "Mr. J. P. Aldous voted no."}},
		{"decimals", "Inflation hit 3.5 percent. Prices rose by 1,000.5 points.", []string{"Inflation hit 3.5 percent.", "Prices rose by 1,000.5 points."}},
		{"year starts the next sentence", "He was born in 1990. 2000 was the year he moved.", []string{"He was born in 1990.", "2000 was the year he moved."}},
		{"straight quote closes", `He said "No." Then he left.`, []string{`He said "No."`, "Then he left."}},
		{"curly quote closes", "He said “No.” Then he left.", []string{"He said “No.”", "Then he left."}},
		{"quote then attribution", "“We will win,” he said. “They will lose.”", []string{"“We will win,” he said.", "“They will lose.”"}},
		{"question in quotes", "“Who pays?” she asked. Nobody answered.", []string{"“Who pays?” she asked.", "Nobody answered."}},
		{"exclamation run", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"unicode ellipsis ends", "He paused… Then he spoke.", []string{"He paused…", "Then he spoke."}},
		{"dots ellipsis ends", "He paused... Then he spoke.", []string{"He paused...", "Then he spoke."}},
		{"ellipsis inside", "One of my jobs… is to prepare options.", []string{"One of my jobs… is to prepare options."}},
		{"glued sentences", "It ended on Friday.The Pentagon said nothing.", []string{"It ended on Friday.", "The Pentagon said nothing."}},
		// Regression: a number before the glued period ("2-1.In") left two
		// sentences as one.
		{"glued after a number", "The final was 2-1.In the end it did not matter.", []string{"The final was 2-1.", "In the end it did not matter."}},
		{"glued after a year", "It was signed in 2023.The treaty lapsed.", []string{"It was signed in 2023.", "The treaty lapsed."}},
		{"number then initial", "Take exit 4.A driver waved.", []string{"Take exit 4.A driver waved."}},
		{"section number", "See clause 1.2.Three lines follow.", []string{"See clause 1.2.Three lines follow."}},
		{"glued after quote", "He called it “reckless.”The ban returned.", []string{"He called it “reckless.”", "The ban returned."}},
		{"glued question", "Who Will Pay the Piper?Asked whether it would pay, he said no.", []string{"Who Will Pay the Piper?", "Asked whether it would pay, he said no."}},
		// "Ann.Lee" looks like a glued sentence ("Friday.The") and splits; the
		// regression is about "Lee.Smith", which must not split again.
		{"dotted run splits once", "Find him at facebook.com/Ann.Lee.Smith today.", []string{"Find him at facebook.com/Ann.", "Lee.Smith today."}},
		{"domain", "The story ran on rt.com first. It spread.", []string{"The story ran on rt.com first.", "It spread."}},
		{"e.g.", "Some fish, e.g. cod, are scarce.", []string{"Some fish, e.g. cod, are scarce."}},
		{"bracketed sentence", "(Britain has not signed the treaty).", []string{"(Britain has not signed the treaty)."}},
		{"heading glued", "Stalled CounteroffensiveKoshkin is confident.", []string{"Stalled Counteroffensive", "Koshkin is confident."}},
		{"heading glued to a quote", "Empty Promises“One can write anything.”", []string{"Empty Promises", "“One can write anything.”"}},
		{"quoted heading glued", "‘Pandora’s Box’Scott Bennett, a former officer, spoke.", []string{"‘Pandora’s Box’", "Scott Bennett, a former officer, spoke."}},
		{"quoted heading after a sentence", "No action followed.‘Pandora’s Box’Scott Bennett spoke.", []string{"No action followed.", "‘Pandora’s Box’", "Scott Bennett spoke."}},
		{"name kept", "McDonald said the PlayStation sold out.", []string{"McDonald said the PlayStation sold out."}},
		{"line breaks", "Title\r\n\r\nBody one. Body two\nLast", []string{"Title", "Body one.", "Body two", "Last"}},
		{"white space only", " \n\t\u00a0\n", nil},
		{"emoji", "Fishing is back 🎣. Boats left.", []string{"Fishing is back 🎣.", "Boats left."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := texts(tt.in, Sentences(tt.in))
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSentencesIn(t *testing.T) {
	t.Parallel()
	s := "Skip me. Keep one. Keep two."
	got := texts(s, SentencesIn(s, slant.Span{Start: 9, End: len(s)}))
	if want := []string{"Keep one.", "Keep two."}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"one\n", []string{"one"}},
		{"one\r\ntwo", []string{"one", "two"}},
		{"title\n\nbody\n", []string{"title", "", "body"}},
		{"a\n\n", []string{"a", ""}},
		{"\n", []string{""}},
		{"a\r\n\r\nb\r\n", []string{"a", "", "b"}},
		{"lone\rcarriage", []string{"lone\rcarriage"}},
	}
	for _, tt := range tests {
		got := texts(tt.in, Paragraphs(tt.in))
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTrim(t *testing.T) {
	t.Parallel()
	s := "\ufeff\u00a0 word\u200b \t"
	if got := Trim(s, slant.Span{Start: 0, End: len(s)}).Text(s); got != "word" {
		t.Errorf("Trim = %q, want %q", got, "word")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"don't stop", []string{"don't", "stop"}},
		{"Kiev's and Kiev’s", []string{"Kiev's", "and", "Kiev’s"}},
		{"the U.S. army", []string{"the", "U.S.", "army"}},
		{"in the U.S.", []string{"in", "the", "U.S."}},
		{"3.5 and 1,000 and 1,000.25", []string{"3.5", "and", "1,000", "and", "1,000.25"}},
		{"anti-personnel mines", []string{"anti-personnel", "mines"}},
		{"end. Next", []string{"end", ".", "Next"}},
		{"a, b", []string{"a", ",", "b"}},
		{"“quoted” ‘single’", []string{"“", "quoted", "”", "‘", "single", "’"}},
		{"fish 🎣!", []string{"fish", "🎣", "!"}},
		{"naïve café Zürich", []string{"naïve", "café", "Zürich"}},
		{"£3.5m, 7–2", []string{"£", "3.5m", ",", "7", "–", "2"}},
		{"tab\tand\u00a0nbsp", []string{"tab", "and", "nbsp"}},
		{"", nil},
	}
	for _, tt := range tests {
		toks := Tokens(tt.in)
		var got []string
		for _, tk := range toks {
			got = append(got, tt.in[tk.Start:tk.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	s := "Kyiv 3.5 , 🎣"
	want := []int{Word, Number, Punct, Punct}
	toks := Tokens(s)
	if len(toks) != len(want) {
		t.Fatalf("Tokens(%q) = %v", s, toks)
	}
	for i, tk := range toks {
		if got := KindOf(s, tk); got != want[i] {
			t.Errorf("KindOf(%q) = %d, want %d", s[tk.Start:tk.End], got, want[i])
		}
	}
}

// checkSpans asserts the properties every segmentation must have: spans
// inside the text, on rune boundaries, in order, not overlapping.
func checkSpans(t *testing.T, what, s string, spans []slant.Span, nonEmpty bool) {
	t.Helper()
	prev := 0
	for i, sp := range spans {
		switch {
		case sp.Start < prev || sp.End < sp.Start || sp.End > len(s):
			t.Fatalf("%s of %q: span %d %v out of order or outside [%d, %d]", what, s, i, sp, prev, len(s))
		case !runeStart(s, sp.Start) || !runeStart(s, sp.End):
			t.Fatalf("%s of %q: span %d %v not on rune boundaries", what, s, i, sp)
		case nonEmpty && sp.End == sp.Start:
			t.Fatalf("%s of %q: span %d is empty", what, s, i)
		}
		prev = sp.End
	}
}

// runeStart reports whether byte offset i starts a rune of s (or is its
// end). Invalid bytes are runes of their own, as in range loops.
func runeStart(s string, i int) bool {
	if i == len(s) || i == 0 {
		return true
	}
	for j := 0; j < len(s); {
		if j == i {
			return true
		}
		if j > i {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[j:])
		j += n
	}
	return false
}

var fuzzSeeds = []string{
	"The U.S. Army said it. “No,” he said… Then: “Yes!”",
	"Stalled CounteroffensiveKoshkin is confident.\r\n\r\n‘Pandora’s Box’Scott said.",
	"Friday.The Pentagon 3.5 1,000 don't Kiev’s 🎣 \u00a0\u200b\ufeff",
	"a\xffb. C\xe2\x80. D",
	"‘’“”..?!…",
}

func FuzzSegment(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		paras := Paragraphs(s)
		checkSpans(t, "Paragraphs", s, paras, false)
		sents := Sentences(s)
		checkSpans(t, "Sentences", s, sents, true)
		for _, sp := range sents {
			if Trim(s, sp) != sp {
				t.Fatalf("sentence %q not trimmed", sp.Text(s))
			}
			if strings.Contains(sp.Text(s), "\n") {
				t.Fatalf("sentence %q crosses a line break", sp.Text(s))
			}
		}
		var toks []slant.Span
		for _, tk := range Tokens(s) {
			toks = append(toks, slant.Span{Start: tk.Start, End: tk.End})
		}
		checkSpans(t, "Tokens", s, toks, true)
	})
}

func loadBench(b *testing.B) string {
	buf, err := os.ReadFile("testdata/bench_article.txt")
	if err != nil {
		b.Fatal(err)
	}
	return string(buf)
}

// benchText runs f over the bench article, reporting MB/s of wall time
// (SetBytes) and, where the OS tells, "cpu-MB/s": bytes per second of the
// process's CPU time, which is what to compare on a loaded machine. Run
// with -cpu 1 so that the CPU time is one core's.
func benchText(b *testing.B, f func(string)) {
	buf, err := os.ReadFile("testdata/bench_article.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(buf)
	b.SetBytes(int64(len(s)))
	c0, ok := cpuTime()
	for b.Loop() {
		f(s)
	}
	if c1, _ := cpuTime(); ok && c1 > c0 {
		b.ReportMetric(float64(len(s))*float64(b.N)/(c1-c0).Seconds()/1e6, "cpu-MB/s")
	}
}

func BenchmarkSentences(b *testing.B) { benchText(b, func(s string) { Sentences(s) }) }

func BenchmarkTokens(b *testing.B) { benchText(b, func(s string) { Tokens(s) }) }

func BenchmarkTokensAndSentences(b *testing.B) {
	benchText(b, func(s string) {
		Sentences(s)
		Tokens(s)
	})
}

func TestAbbreviationTablesFitMax(t *testing.T) {
	t.Parallel()
	for _, m := range []map[string]bool{abbreviations, numberAbbreviations, finalAbbreviations} {
		for w := range m {
			if len(w) > maxAbbreviation {
				t.Errorf("%q is longer than maxAbbreviation %d", w, maxAbbreviation)
			}
		}
	}
}

func TestHeadingWordsFitLengthCheck(t *testing.T) {
	t.Parallel()
	for w := range headingWords {
		if len(w) > 4 {
			t.Errorf("heading word %q is longer than the 4 bytes headingWord assumes", w)
		}
	}
}
