package entities

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// entityOf returns the entity that has a mention with exactly the text m
// (the first occurrence of m in s), or nil.
func entityOf(ents []slant.Entity, s, m string) *slant.Entity {
	at := strings.Index(s, m)
	for i := range ents {
		for _, x := range ents[i].Mentions {
			if x.Start == at && x.End == at+len(m) {
				return &ents[i]
			}
		}
	}
	return nil
}

func TestGrouping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		// same lists mention texts (first occurrence after the marker "|",
		// see below) that must belong to one entity named want.
		same []string
		want string
		kind string
	}{
		{"surname after full name",
			"General Mark Milley spoke on Monday. Later Milley said more.",
			[]string{"Mark Milley", "Milley said"}, "Mark Milley", slant.KindPerson},
		{"description to the general named before",
			"The head of the army, General Mark Milley, spoke. “We will see,” the four-star general told an audience.",
			[]string{"Mark Milley", "the four-star general"}, "Mark Milley", slant.KindPerson},
		{"Kiev and Kyiv are Ukraine",
			"Weapons went to Kiev on Friday. Officials in Kyiv welcomed them and Ukraine thanked allies.",
			[]string{"Kiev", "Kyiv", "Ukraine"}, "Ukraine", slant.KindPlace},
		{"US, U.S., United States and Washington",
			"The US sent aid. Then the U.S. trained troops. Washington says the United States will pay.",
			[]string{"US", "U.S.", "Washington", "United States"}, "United States", slant.KindPlace},
		{"regimes of one country are its government",
			"They blame the Kiev regime. Critics say the Ukrainian regime lies, and Ukrainian authorities deny it.",
			[]string{"Kiev regime", "Ukrainian regime", "Ukrainian authorities"}, "Ukrainian government", slant.KindGroup},
		{"forces and troops",
			"Ukrainian forces advanced while Ukrainian troops dug in. The Ukrainian Armed Forces said so.",
			[]string{"Ukrainian forces", "Ukrainian troops", "Ukrainian Armed Forces"}, "Ukrainian armed forces", slant.KindGroup},
		{"acronym defined in parentheses",
			"The Eurasian Policy Institute (EPI) published a study. EPI said costs rose.",
			[]string{"Eurasian Policy Institute", "EPI said"}, "Eurasian Policy Institute", slant.KindOrganization},
		{"Pentagon aliases",
			"The Pentagon declined to comment. A Defense Department spokesman later confirmed it.",
			[]string{"Pentagon", "Defense Department"}, "Pentagon", slant.KindOrganization},
		{"title split from organisation",
			"NATO Secretary General Jens Stoltenberg said Nato has no position. Stoltenberg left.",
			[]string{"Jens Stoltenberg", "Stoltenberg left"}, "Jens Stoltenberg", slant.KindPerson},
		{"honorific not in the name",
			"Dr. Anton Koshkin, a political scientist, spoke. Koshkin said it was true.",
			[]string{"Anton Koshkin", "Koshkin said"}, "Anton Koshkin", slant.KindPerson},
		{"leader's administration",
			"Critics say the Biden administration erred. Joe Biden disagreed.",
			[]string{"Biden administration"}, "Biden administration", slant.KindGroup},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ents := Find(tc.text, text.Sentences(tc.text))
			var first *slant.Entity
			for _, m := range tc.same {
				// A mention is given with a following word to pick the
				// right occurrence; the mention itself is its first word(s)
				// up to the known name.
				e := findMention(ents, tc.text, m)
				if e == nil {
					t.Fatalf("no entity has mention %q; got %s", m, dump(ents))
				}
				if first == nil {
					first = e
				} else if e.ID != first.ID {
					t.Errorf("%q is in entity %q, want %q; got %s", m, e.Name, first.Name, dump(ents))
				}
			}
			if first.Name != tc.want || first.Kind != tc.kind {
				t.Errorf("entity is %q (%s), want %q (%s)", first.Name, first.Kind, tc.want, tc.kind)
			}
		})
	}
}

// findMention finds the entity with a mention starting where probe occurs
// in s and ending inside probe (probe may carry a word of context after the
// mention, as in "Milley said").
func findMention(ents []slant.Entity, s, probe string) *slant.Entity {
	at := strings.LastIndex(s, probe)
	if strings.Count(s, probe) == 1 {
		at = strings.Index(s, probe)
	}
	for i := range ents {
		for _, x := range ents[i].Mentions {
			if x.Start == at && x.End <= at+len(probe) {
				return &ents[i]
			}
		}
	}
	return nil
}

func dump(ents []slant.Entity) string {
	var b strings.Builder
	for _, e := range ents {
		b.WriteString("\n  " + e.Name + " (" + e.Kind + "):")
		for _, m := range e.Mentions {
			b.WriteString(" [" + m.Text + "]")
		}
	}
	return b.String()
}

func TestNotMentions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		not  []string
	}{
		{"sentence-initial words", "However, the plan failed. Considering the cost, nobody cared.", []string{"However", "Considering"}},
		{"days and months", "On Thursday in March the talks resumed.", []string{"Thursday", "March", "On Thursday"}},
		{"demonym adjectives", "Ukrainian cities and Russian positions were hit.", []string{"Ukrainian", "Russian"}},
		{"weapon acronyms", "The DPICM and HIMARS launchers arrived with MK-20 bombs.", []string{"DPICM", "HIMARS", "MK-20"}},
		{"treaties", "The Ottawa Treaty bans mines; the Minsk agreements failed.", []string{"Ottawa", "Minsk", "Ottawa Treaty"}},
		{"title-case headline", "Riga’s Pledge Not to Buy Cluster Bombs Is Empty\n\nThe story follows.", []string{"Pledge", "Cluster Bombs", "Pledge Not"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ents := Find(tc.text, text.Sentences(tc.text))
			for _, e := range ents {
				for _, m := range e.Mentions {
					for _, n := range tc.not {
						if m.Text == n {
							t.Errorf("%q found as a mention of %q (%s)", n, e.Name, e.Kind)
						}
					}
				}
			}
		})
	}
}

func TestOffsetsWithMultibyteText(t *testing.T) {
	t.Parallel()
	s := "🚀 Launch — “Kyiv’s allies”: Jens Stoltenberg met Olena Kovalenko 🙂 in Brussels."
	ents := Find(s, text.Sentences(s))
	want := map[string]bool{"Kyiv": true, "Jens Stoltenberg": true, "Olena Kovalenko": true, "Brussels": true}
	for _, e := range ents {
		for _, m := range e.Mentions {
			if s[m.Start:m.End] != m.Text {
				t.Errorf("mention %q at %d-%d covers %q", m.Text, m.Start, m.End, s[m.Start:m.End])
			}
			delete(want, m.Text)
		}
	}
	for w := range want {
		t.Errorf("missed %q; got %s", w, dump(ents))
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	r := &slant.Report{Article: slant.Article{Text: "Reuters said NATO met. Jens Stoltenberg spoke."}}
	if err := New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(r.Entities) != 3 {
		t.Fatalf("got %d entities, want 3: %s", len(r.Entities), dump(r.Entities))
	}
	for i, e := range r.Entities {
		if e.ID != i+1 {
			t.Errorf("entity %d has ID %d", i, e.ID)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New().Analyze(ctx, r); err == nil {
		t.Error("Analyze ignored a cancelled context")
	}
}

func FuzzFind(f *testing.F) {
	f.Add("NATO Secretary General Jens Stoltenberg said the Kiev regime “lies”.")
	f.Add("🚀 U.S. — the four-star general; Dr. Koshkin (DK) of the Center for Studies’s")
	f.Add("Box’Scott A (B) ( C’ D- -E US-led MK-20s’")
	f.Add("\xff\xfe Kiev\u00a0Kyiv\r\nWashington")
	f.Fuzz(func(t *testing.T, s string) {
		ents := Find(s, text.Sentences(s))
		var spans []slant.Span
		for i, e := range ents {
			if e.ID != i+1 || e.Name == "" || len(e.Mentions) == 0 {
				t.Fatalf("bad entity %+v", e)
			}
			for _, m := range e.Mentions {
				if m.Start < 0 || m.End > len(s) || m.Start >= m.End || s[m.Start:m.End] != m.Text {
					t.Fatalf("bad mention %+v in %q", m, s)
				}
				if utf8.ValidString(s) && !utf8.ValidString(m.Text) {
					t.Fatalf("mention %q splits a rune", m.Text)
				}
				spans = append(spans, m.Span)
			}
		}
		for i := range spans {
			for j := i + 1; j < len(spans); j++ {
				if spans[i].Overlaps(spans[j]) {
					t.Fatalf("mentions overlap: %+v %+v", spans[i], spans[j])
				}
			}
		}
	})
}

// benchArticle is a ~5 KB invented article.
func benchArticle() string {
	b := &strings.Builder{}
	for b.Len() < 5000 {
		b.WriteString("NATO Secretary General Jens Stoltenberg said on Tuesday that the alliance would help Kyiv. ")
		b.WriteString("“We will not leave Ukraine alone,” he told reporters in Brussels. The Kremlin called the plan reckless, ")
		b.WriteString("and Russian Foreign Ministry spokeswoman Maria Zakharova said the Kiev regime uses Western weapons against civilians.\n")
		b.WriteString("According to the Washington Post, US officials and the Pentagon are divided; Ukrainian forces need shells.\n")
	}
	return b.String()
}

func BenchmarkFind(b *testing.B) {
	s := benchArticle()
	sents := text.Sentences(s)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Find(s, sents)
	}
}
