package semeval

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		read func(string) (any, error)
		want any
	}{{
		name: "techniques with CRLF, BOM, blank lines, empty and absent labels",
		in:   "\ufeff7\t1\t\r\n\r\n7\t3\tDoubt, Slogans ,\r\n7 \t 4 \n8\t1\tLoaded_Language\t\n   \n",
		read: func(s string) (any, error) { return ReadTechniques(strings.NewReader(s), "f") },
		want: []ParagraphLabels{{"7", 1, nil}, {"7", 3, []string{"Doubt", "Slogans"}}, {"7", 4, nil}, {"8", 1, []string{"Loaded_Language"}}},
	}, {
		name: "template keeps leading space and inner tabs",
		in:   "7\t1\t  Title\there\n7\t3\tBody text.  \r\n",
		read: func(s string) (any, error) { return ReadTemplate(strings.NewReader(s), "f") },
		want: []TemplateLine{{"7", 1, "  Title\there"}, {"7", 3, "Body text."}},
	}, {
		name: "spans",
		in:   "7\tDoubt\t149\t157\n7\tSlogans\t0\t0\n",
		read: func(s string) (any, error) { return ReadSpans(strings.NewReader(s), "f") },
		want: []Span{{"7", "Doubt", 149, 157}, {"7", "Slogans", 0, 0}},
	}, {
		name: "genres",
		in:   "7\topinion\n8\tsatire \n",
		read: func(s string) (any, error) { return ReadGenres(strings.NewReader(s), "f") },
		want: []ArticleLabel{{"7", "opinion"}, {"8", "satire"}},
	}, {
		name: "frames",
		in:   "7\tEconomic,Political\n8\t\n9\n",
		read: func(s string) (any, error) { return ReadFrames(strings.NewReader(s), "f") },
		want: []ArticleLabels{{"7", []string{"Economic", "Political"}}, {"8", nil}, {"9", nil}},
	}, {
		name: "narratives",
		in:   "EN_1.txt\tURW: A;URW: B\tURW: A: x;URW: B: Other\nEN_2.txt\tOther\tOther\nEN_3.txt\n",
		read: func(s string) (any, error) { return ReadNarratives(strings.NewReader(s), "f") },
		want: []Narratives{
			{"EN_1.txt", []string{"URW: A", "URW: B"}, []string{"URW: A: x", "URW: B: Other"}},
			{"EN_2.txt", []string{"Other"}, []string{"Other"}},
			{"EN_3.txt", nil, nil},
		},
	}, {
		name: "roles",
		in:   "EN_1.txt\tBill Gates\t93\t102\tAntagonist\tDeceiver\tCorrupt\nEN_1.txt\tKyiv\t5\t8\tInnocent\t\n",
		read: func(s string) (any, error) { return ReadRoles(strings.NewReader(s), "f") },
		want: []RoleMention{
			{"EN_1.txt", "Bill Gates", 93, 102, "Antagonist", []string{"Deceiver", "Corrupt"}},
			{"EN_1.txt", "Kyiv", 5, 8, "Innocent", nil},
		},
	}, {
		name: "mentions ignore role columns",
		in:   "EN_1.txt\tBill Gates\t93\t102\tAntagonist\tDeceiver\nEN_2.txt\tNATO\t0\t3\n",
		read: func(s string) (any, error) { return ReadMentions(strings.NewReader(s), "f") },
		want: []RoleMention{{ID: "EN_1.txt", Entity: "Bill Gates", Start: 93, End: 102}, {ID: "EN_2.txt", Entity: "NATO", Start: 0, End: 3}},
	}, {
		name: "explanations",
		in:   "EN_1.txt\t The text blames\tthe West. \nEN_2.txt\n",
		read: func(s string) (any, error) { return ReadExplanations(strings.NewReader(s), "f") },
		want: []Explanation{{"EN_1.txt", "The text blames\tthe West."}, {"EN_2.txt", ""}},
	}, {
		name: "dominant narratives with and without explanation",
		in:   "EN_1.txt\tCC: A\tCC: A: Other\nEN_2.txt\tOther\tOther\tNothing here.\n",
		read: func(s string) (any, error) { return ReadDominantNarratives(strings.NewReader(s), "f") },
		want: []DominantNarrative{{"EN_1.txt", "CC: A", "CC: A: Other", ""}, {"EN_2.txt", "Other", "Other", "Nothing here."}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.read(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"paragraph", second(ReadTechniques(strings.NewReader("7\t1\t\n\n7\tx\tDoubt\n"), "p.txt")), `p.txt:3: paragraph "x" is not a non-negative integer`},
		{"paragraph 0", second(ReadTechniques(strings.NewReader("7\t0\t\n"), "p.txt")), "p.txt:1: paragraph 0: paragraphs are numbered from 1"},
		{"too many columns", second(ReadTechniques(strings.NewReader("7\t1\ta\tb\n"), "p.txt")), "p.txt:1: 4 tab-separated columns, want at most 3 (ID, paragraph, techniques)"},
		{"span order", second(ReadSpans(strings.NewReader("7\tDoubt\t9\t3\n"), "s.txt")), "s.txt:1: span end 3 before start 9"},
		{"span columns", second(ReadSpans(strings.NewReader("7 Doubt 9 13\n"), "s.txt")), "s.txt:1: 1 tab-separated columns, want at least 4 (ID, technique, start, end)"},
		{"negative", second(ReadRoles(strings.NewReader("a\tX\t-1\t3\tInnocent\n"), "r.txt")), `r.txt:1: start "-1" is not a non-negative integer`},
		{"no main role", second(ReadRoles(strings.NewReader("a\tX\t1\t3\n"), "r.txt")), "r.txt:1: 4 tab-separated columns, want at least 5 (ID, entity, start, end, main role, fine roles)"},
		{"empty id", second(ReadGenres(strings.NewReader("\topinion\n"), "g.txt")), "g.txt:1: empty article id"},
		{"empty genre", second(ReadGenres(strings.NewReader("7\t \t\n"), "g.txt")), "g.txt:1: 1 tab-separated columns, want at least 2 (ID, genre)"},
		{"dominant", second(ReadDominantNarratives(strings.NewReader("a\tX\n"), "d.txt")), "d.txt:1: 2 tab-separated columns, want at least 3 (ID, narrative, subnarrative, explanation)"},
	}
	for _, tt := range tests {
		var pe *ParseError
		if !errors.As(tt.err, &pe) {
			t.Errorf("%s: error %v is not a *ParseError", tt.name, tt.err)
			continue
		}
		if tt.err.Error() != tt.want {
			t.Errorf("%s: error %q, want %q", tt.name, tt.err, tt.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestWriteRejects(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	errs := []error{
		WriteTechniques(&b, []ParagraphLabels{{ID: "7", Paragraph: 1, Techniques: []string{"a,b"}}}),
		WriteTechniques(&b, []ParagraphLabels{{ID: "7", Paragraph: 0}}),
		WriteSpans(&b, []Span{{ID: "7", Technique: "Doubt", Start: 5, End: 4}}),
		WriteGenres(&b, []ArticleLabel{{ID: "7\t8", Label: "opinion"}}),
		WriteNarratives(&b, []Narratives{{ID: "7", Narratives: []string{" X"}}}),
		WriteRoles(&b, []RoleMention{{ID: "7", Start: 1, End: 2}}),
		WriteTemplate(&b, []TemplateLine{{ID: "7", Paragraph: 1, Text: "a\nb"}}),
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: writer accepted a record its reader could not give back", i)
		}
	}
}

func TestWriteExplanationsFlattens(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteExplanations(&b, []Explanation{{"EN_1.txt", " Two\r\nlines \n"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "EN_1.txt\tTwo lines\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"article2-labels-subtask-3.txt":          "2\tDoubt\t0\t5\n",
		"article1-labels-subtask-3.txt":          "1\tSlogans\t3\t9\n1\tDoubt\t10\t12\n",
		"article1-labels-subtask-3.txt.template": "not\ta\tspan file\n",
		"empty.txt":                              "",
	}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadPath(dir, ReadSpans)
	if err != nil {
		t.Fatal(err)
	}
	want := []Span{{"1", "Slogans", 3, 9}, {"1", "Doubt", 10, 12}, {"2", "Doubt", 0, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dir: got %v, want %v", got, want)
	}
	one, err := ReadPath(filepath.Join(dir, "article2-labels-subtask-3.txt"), ReadSpans)
	if err != nil || len(one) != 1 {
		t.Errorf("file: got %v, %v", one, err)
	}
	if _, err := ReadPath(filepath.Join(dir, "missing.txt"), ReadSpans); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("missing file: error %v, want one line", err)
	}
}

// roundTrip checks the properties every reader/writer pair must have: the
// reader never panics, its error is one line, and what it reads the writer
// writes and the reader reads back unchanged.
func roundTrip[T any](t *testing.T, data string, read Reader[T], write func(*bytes.Buffer, []T) error) {
	recs, err := read(strings.NewReader(data), "fuzz")
	if err != nil {
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not one line: %q", err)
		}
		return
	}
	var b bytes.Buffer
	if err := write(&b, recs); err != nil {
		t.Fatalf("cannot write what was read: %v\nrecords %#v", err, recs)
	}
	again, err := read(bytes.NewReader(b.Bytes()), "fuzz")
	if err != nil {
		t.Fatalf("cannot read what was written: %v\n%q", err, b.String())
	}
	if !reflect.DeepEqual(recs, again) {
		t.Fatalf("round trip changed the records:\n%#v\n%#v\nwritten %q", recs, again, b.String())
	}
}

func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add("")
	f.Add("\ufeff\r\n \t\n")
	f.Add("a\t\ufeff\t\u00a0\t1\t2\t3\n")
}

func FuzzReadTechniques(f *testing.F) {
	addSeeds(f, "7\t1\t\n7\t3\tDoubt,Slogans\r\n", "7\t2\n", "x\t01\t,a ,,b\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadTechniques, func(b *bytes.Buffer, r []ParagraphLabels) error { return WriteTechniques(b, r) })
	})
}

func FuzzReadTemplate(f *testing.F) {
	addSeeds(f, "7\t1\tTitle\n7\t3\t  body\ttext \n", "7\t2\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadTemplate, func(b *bytes.Buffer, r []TemplateLine) error { return WriteTemplate(b, r) })
	})
}

func FuzzReadSpans(f *testing.F) {
	addSeeds(f, "7\tDoubt\t149\t157\n", "7\tDoubt\t+3\t0009\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadSpans, func(b *bytes.Buffer, r []Span) error { return WriteSpans(b, r) })
	})
}

func FuzzReadGenres(f *testing.F) {
	addSeeds(f, "7\topinion\n8\tsatire\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadGenres, func(b *bytes.Buffer, r []ArticleLabel) error { return WriteGenres(b, r) })
	})
}

func FuzzReadFrames(f *testing.F) {
	addSeeds(f, "7\tEconomic,Political\n8\n9\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadFrames, func(b *bytes.Buffer, r []ArticleLabels) error { return WriteFrames(b, r) })
	})
}

func FuzzReadNarratives(f *testing.F) {
	addSeeds(f, "EN_1.txt\tURW: A;URW: B\tURW: A: x\n", "EN_2.txt\t;\t;\n", "EN_3.txt\t\tX\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadNarratives, func(b *bytes.Buffer, r []Narratives) error { return WriteNarratives(b, r) })
	})
}

func FuzzReadRoles(f *testing.F) {
	addSeeds(f, "EN_1.txt\tBill Gates\t93\t102\tAntagonist\tDeceiver\tCorrupt\n", "a\t\t1\t1\tX\t\t\tY\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadRoles, func(b *bytes.Buffer, r []RoleMention) error { return WriteRoles(b, r) })
	})
}

func FuzzReadMentions(f *testing.F) {
	addSeeds(f, "EN_1.txt\tBill Gates\t93\t102\n", "a\t\t1\t1\tX\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadMentions, func(b *bytes.Buffer, r []RoleMention) error { return WriteMentions(b, r) })
	})
}

func FuzzReadExplanations(f *testing.F) {
	addSeeds(f, "EN_1.txt\tThe text\tblames the West.\n", "EN_2.txt\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadExplanations, func(b *bytes.Buffer, r []Explanation) error { return WriteExplanations(b, r) })
	})
}

func FuzzReadDominantNarratives(f *testing.F) {
	addSeeds(f, "EN_1.txt\tCC: A\tCC: A: Other\n", "EN_2.txt\tOther\tOther\tWhy.\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		roundTrip(t, s, ReadDominantNarratives, func(b *bytes.Buffer, r []DominantNarrative) error {
			return WriteDominantNarratives(b, r)
		})
	})
}
