package stories

import (
	"context"
	"sort"
	"strings"
	"testing"
)

// partition returns the stories as sorted lists of article ids, sorted.
func partition(g *Grouper) []string {
	var out []string
	for _, s := range g.Stories() {
		var ids []string
		for _, m := range s.Members {
			ids = append(ids, m.ID)
		}
		sort.Strings(ids)
		out = append(out, strings.Join(ids, " "))
	}
	sort.Strings(out)
	return out
}

func TestEditsSurviveRegrouping(t *testing.T) {
	t.Parallel()
	docs := loadLabelled(t)
	items := make([]Item, len(docs))
	for i, d := range docs {
		items[i] = d.Item
	}
	g := NewGrouper(Options{})
	if _, err := g.Group(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	story := func(article string) int64 {
		id, ok := g.StoryOf(article)
		if !ok {
			t.Fatalf("%s not grouped", article)
		}
		return id
	}
	// Move: the analyst puts an article into the story they think it
	// belongs to.
	if err := g.Move("s1-tabloid", story("s1-wire")); err != nil {
		t.Fatal(err)
	}
	if story("s1-tabloid") != story("s1-wire") {
		t.Fatal("move did not move")
	}
	// Split: the government's reaction becomes its own story.
	newID, err := g.Split(story("s2-wire"), []string{"s2-state"})
	if err != nil {
		t.Fatal(err)
	}
	if story("s2-state") != newID || story("s2-wire") == newID {
		t.Fatal("split did not split")
	}
	// Merge: the launch and the resignation are one story for this analyst.
	if err := g.Merge(story("s3-wire"), story("s4-wire")); err != nil {
		t.Fatal(err)
	}
	if story("s3-wire") != story("s4-science") {
		t.Fatal("merge did not merge")
	}
	m := g.members["s4-science"]
	if !m.Pinned || !strings.Contains(m.Reason, "merged by analyst") {
		t.Errorf("merged member: pinned %v, reason %q", m.Pinned, m.Reason)
	}
	want := partition(g)

	// Regroup from scratch, in another order, with the pins: the same
	// stories come out.
	rev := append([]Item(nil), items...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	g2 := NewGrouper(Options{Pins: g.Pins()})
	if _, err := g2.Group(context.Background(), rev); err != nil {
		t.Fatal(err)
	}
	got := partition(g2)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("regrouped with pins:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range g2.Stories() {
		for _, m := range s.Members {
			if m.Pinned && !strings.Contains(m.Reason, "pinned by analyst") {
				t.Errorf("%s: pinned but reason %q", m.ID, m.Reason)
			}
		}
	}
}

func TestEditErrors(t *testing.T) {
	t.Parallel()
	g := NewGrouper(Options{})
	a := g.Add(Item{ID: "a", Text: "Dockworkers at Port Aldane began a strike on Tuesday over pay."})
	g.Add(Item{ID: "b", Text: "Norvania launched the Kestrel-2 weather satellite from Skarn."})
	sa, _ := g.StoryOf(a.ID)
	sb, _ := g.StoryOf("b")
	if sa == sb {
		t.Fatal("unrelated articles grouped")
	}
	tests := []struct {
		name string
		err  error
	}{
		{"merge with itself", g.Merge(sa, sa)},
		{"merge unknown", g.Merge(sa, 999)},
		{"split all", func() error { _, err := g.Split(sa, []string{"a"}); return err }()},
		{"split foreign", func() error { _, err := g.Split(sa, []string{"b"}); return err }()},
		{"split unknown story", func() error { _, err := g.Split(999, []string{"a"}); return err }()},
		{"move unknown article", g.Move("zzz", sa)},
		{"move to unknown story", g.Move("a", 999)},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	// Moving the only article of a story removes that story.
	if err := g.Move("b", sa); err != nil {
		t.Fatal(err)
	}
	if _, ok := g.Story(sb); ok {
		t.Error("empty story still listed")
	}
	if n := len(g.Stories()); n != 1 {
		t.Errorf("%d stories, want 1", n)
	}
}
