package sqlite

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/storetest"
)

func TestStories(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 4, d, 10, 0, 0, 0, time.UTC) }
	a, _ := put(t, s, storetest.Article{Title: "Quay fire", Body: "A fire on the quay.", Outlet: "one.example", Published: day(2)}.Report())
	b, _ := put(t, s, storetest.Article{Title: "Quay blaze", Body: "A blaze on the quay.", Outlet: "two.example", Published: day(1)}.Report())
	c, _ := put(t, s, storetest.Article{Title: "Quay fire, again", Body: "Same fire, another outlet.", Outlet: "one.example", Published: day(3)}.Report())
	d, _ := put(t, s, storetest.Article{Title: "Lottery", Body: "Numbers drawn.", Outlet: "two.example", Published: day(9)}.Report())

	if err := s.SetStoryPins(ctx, map[string]string{a: "with:" + b}); err != nil {
		t.Fatal(err)
	}
	detail := json.RawMessage(`{"members":[{"id":"x","reason":"shared terms: quay, fire"}]}`)
	in := []StoredStory{
		{Story: slant.Story{ID: 7, Title: "Fire on the quay", Articles: []string{c, a, b}, Reason: "shared terms", Pinned: true}, Detail: detail},
		{Story: slant.Story{ID: 8, Title: "Lottery", Articles: []string{d}}},
	}
	if err := s.ReplaceStories(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 8 || got[1].ID != 7 {
		t.Fatalf("Stories = %+v, want 8 (latest) then 7", got)
	}
	fire := got[1]
	if !reflect.DeepEqual(fire.Articles, []string{b, a, c}) || !reflect.DeepEqual(fire.Outlets, []string{"one.example", "two.example"}) ||
		!fire.First.Equal(day(1)) || !fire.Last.Equal(day(3)) || !fire.Pinned || fire.Reason != "shared terms" || string(fire.Detail) != string(detail) {
		t.Errorf("story 7 = %+v", fire)
	}
	if n := count(t, s, "SELECT count(*) FROM story_articles WHERE pinned = 1"); n != 1 {
		t.Errorf("%d pinned members, want 1 (the pinned article)", n)
	}
	pins, err := s.StoryPins(ctx)
	if err != nil || !reflect.DeepEqual(pins, map[string]string{a: "with:" + b}) {
		t.Errorf("StoryPins = %v, %v", pins, err)
	}

	// A grouping naming an article that is not stored is refused whole:
	// the previous stories stay.
	bad := []StoredStory{{Story: slant.Story{ID: 1, Articles: []string{a}}}, {Story: slant.Story{ID: 2, Articles: []string{"0000000000000000"}}}}
	if err := s.ReplaceStories(ctx, bad); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("ReplaceStories with an unknown article: err = %v, want EINVALID", err)
	}
	dup := []StoredStory{{Story: slant.Story{ID: 1}}, {Story: slant.Story{ID: 1}}}
	if err := s.ReplaceStories(ctx, dup); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("ReplaceStories with a repeated id: err = %v, want EINVALID", err)
	}
	if err := s.ReplaceStories(ctx, []StoredStory{{Story: slant.Story{ID: 3}, Detail: json.RawMessage("{oops")}}); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("ReplaceStories with bad detail JSON: err = %v, want EINVALID", err)
	}
	if again, _ := s.Stories(ctx); len(again) != 2 {
		t.Errorf("after refused replacements, %d stories, want the 2 before", len(again))
	}
	if err := s.SetStoryPins(ctx, map[string]string{"nope": "x"}); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("SetStoryPins with an unknown article: err = %v, want EINVALID", err)
	}

	// Replacing regroups from scratch; clearing pins clears member flags.
	if err := s.ReplaceStories(ctx, []StoredStory{{Story: slant.Story{ID: 1, Title: "All", Articles: []string{a, b, c, d}}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStoryPins(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Stories(ctx)
	if len(got) != 1 || len(got[0].Articles) != 4 || got[0].Detail != nil {
		t.Errorf("after replace: %+v", got)
	}
	if n := count(t, s, "SELECT count(*) FROM story_articles WHERE pinned = 1"); n != 0 {
		t.Errorf("%d pinned members after clearing pins", n)
	}
}
