package stories

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// labelled is an invented article of testdata/grouping with its gold story.
type labelled struct {
	Item
	story string
}

// loadLabelled reads testdata/grouping/*.txt: header lines "key: value"
// (outlet, published, url, story), a blank line, then the article text.
func loadLabelled(t testing.TB) []labelled {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "grouping", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	sort.Strings(files)
	var out []labelled
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, ok := strings.Cut(string(b), "\n\n")
		if !ok {
			t.Fatalf("%s: no blank line after the header", f)
		}
		l := labelled{Item: Item{ID: strings.TrimSuffix(filepath.Base(f), ".txt"), Text: body}}
		sc := bufio.NewScanner(strings.NewReader(head))
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), ": ")
			switch k {
			case "outlet":
				l.Outlet = v
			case "url":
				l.URL = v
			case "story":
				l.story = v
			case "published":
				tm, err := time.Parse(time.RFC3339, v)
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				l.Published = tm
			}
		}
		l.Title = firstLine(body)
		out = append(out, l)
	}
	return out
}

// bcubed returns B-cubed precision, recall and F1 of a clustering against
// gold labels, and pairwise precision and recall, from the contingency
// counts (linear in the number of articles).
func bcubed(pred, gold map[string]string) (p, r, f1, pp, pr float64) {
	type cell struct{ p, g string }
	joint := map[cell]float64{}
	np, ng := map[string]float64{}, map[string]float64{}
	for id, g := range gold {
		c := cell{pred[id], g}
		joint[c]++
		np[c.p]++
		ng[g]++
	}
	pairs := func(n float64) float64 { return n * (n - 1) / 2 }
	tp, predPairs, goldPairs := 0.0, 0.0, 0.0
	for c, n := range joint {
		p += n * n / np[c.p]
		r += n * n / ng[c.g]
		tp += pairs(n)
	}
	for _, n := range np {
		predPairs += pairs(n)
	}
	for _, n := range ng {
		goldPairs += pairs(n)
	}
	total := float64(len(gold))
	p, r = p/total, r/total
	f1 = 2 * p * r / (p + r)
	pp, pr = 1, 1
	if predPairs > 0 {
		pp = tp / predPairs
	}
	if goldPairs > 0 {
		pr = tp / goldPairs
	}
	return p, r, f1, pp, pr
}

func TestBCubed(t *testing.T) {
	t.Parallel()
	gold := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y"}
	tests := []struct {
		name  string
		pred  map[string]string
		wantF float64
	}{
		{"perfect", map[string]string{"a": "1", "b": "1", "c": "2", "d": "2"}, 1},
		{"all one", map[string]string{"a": "1", "b": "1", "c": "1", "d": "1"}, 2 * 0.5 / 1.5},
		{"singletons", map[string]string{"a": "1", "b": "2", "c": "3", "d": "4"}, 2 * 0.5 / 1.5},
	}
	for _, tt := range tests {
		if _, _, f, _, _ := bcubed(tt.pred, gold); abs(f-tt.wantF) > 1e-9 {
			t.Errorf("%s: F1 = %v, want %v", tt.name, f, tt.wantF)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestGroupingQuality groups the invented labelled articles and measures
// B-cubed and pairwise scores against the gold stories.
func TestGroupingQuality(t *testing.T) {
	t.Parallel()
	docs := loadLabelled(t)
	items := make([]Item, len(docs))
	gold := map[string]string{}
	for i, d := range docs {
		items[i] = d.Item
		gold[d.ID] = d.story
	}
	g := NewGrouper(Options{})
	stories, err := g.Group(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	pred := map[string]string{}
	for _, s := range stories {
		for _, m := range s.Members {
			pred[m.ID] = itoa(s.ID)
			t.Logf("story %d %-22s %s", s.ID, m.ID, m.Reason)
		}
	}
	p, r, f1, pp, pr := bcubed(pred, gold)
	t.Logf("%d articles, %d gold stories, %d predicted: B-cubed P %.3f R %.3f F1 %.3f; pairwise P %.3f R %.3f",
		len(docs), countDistinct(gold), len(stories), p, r, f1, pp, pr)
	if f1 < 0.9 {
		t.Errorf("B-cubed F1 = %.3f, want at least 0.9", f1)
	}
	// The blog repost is a copy of the wire story, not a new voice.
	m := g.members["s1-blog-repost"]
	if m.CopyOf != "s1-wire" || m.Copy.Kind != CopyRepublished && m.Copy.Kind != CopyNear {
		t.Errorf("blog repost: CopyOf %q %+v, want a copy of s1-wire", m.CopyOf, m.Copy)
	}
	sid, _ := g.StoryOf("s1-wire")
	s, _ := g.Story(sid)
	for _, v := range s.Voices() {
		if v == "freethinkersnet.test" {
			t.Errorf("the reposting blog counts as a voice: %v", s.Voices())
		}
	}
}

func countDistinct(m map[string]string) int {
	set := map[string]bool{}
	for _, v := range m {
		set[v] = true
	}
	return len(set)
}

func TestStorySlant(t *testing.T) {
	t.Parallel()
	docs := loadLabelled(t)
	items := make([]Item, len(docs))
	for i, d := range docs {
		items[i] = d.Item
	}
	// Reverse input order: Slant must still list articles earliest first.
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	g := NewGrouper(Options{})
	if _, err := g.Group(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	sid, _ := g.StoryOf("s1-wire")
	s, _ := g.Story(sid)
	ss := s.Slant()
	if ss.Articles[0] != "s1-wire" {
		t.Errorf("articles %v, want s1-wire first", ss.Articles)
	}
	for _, o := range ss.Outlets {
		if o == "freethinkersnet.test" {
			t.Errorf("outlets %v include the reposting blog", ss.Outlets)
		}
	}
	if !strings.Contains(ss.Reason, "s1-blog-repost: near copy of s1-wire") && !strings.Contains(ss.Reason, "s1-blog-repost: republished copy of s1-wire") {
		t.Errorf("reason lacks the copy link:\n%s", ss.Reason)
	}
	if ss.Title != "Corrin Dam breach floods Marlow Bridge, 2,000 evacuated" || ss.Pinned {
		t.Errorf("title %q pinned %v", ss.Title, ss.Pinned)
	}
}
