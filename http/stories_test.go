package http

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sqlite"
	"github.com/slant-news/slant/stories"
)

// testRegroup stands in for cmd/slant's regroup (package main, which this
// package cannot import): it groups every stored article with the stored
// pins and replaces the stored stories. cmd/slant's
// TestServeStoriesAreTheCLIs runs the server with the real one.
func testRegroup(store *sqlite.DB) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		pins, err := store.StoryPins(ctx)
		if err != nil {
			return err
		}
		arts, err := store.Articles(ctx, slant.ArticleFilter{})
		if err != nil {
			return err
		}
		// Oldest first, as the CLI groups them.
		var items []stories.Item
		for i := len(arts) - 1; i >= 0; i-- {
			rep, err := store.Report(ctx, arts[i].ID)
			if err != nil {
				return err
			}
			it := stories.ItemFromReport(rep)
			it.ID = arts[i].ID
			items = append(items, it)
		}
		g := stories.NewGrouper(stories.Options{Pins: pins})
		if _, err := g.Group(ctx, items); err != nil {
			return err
		}
		var out []sqlite.StoredStory
		for _, s := range g.Stories() {
			detail, err := json.Marshal(s)
			if err != nil {
				return err
			}
			out = append(out, sqlite.StoredStory{Story: s.Slant(), Detail: detail})
		}
		return store.ReplaceStories(ctx, out)
	}
}

// TestStoriesAreStored checks when the story routes regroup (only when an
// article is in no stored story), that they serve the stored ids, and that
// the analyst's pins hold across a regrouping.
func TestStoriesAreStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "slant.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var regroups atomic.Int32
	regroup := testRegroup(store)
	srv, _ := testServer(t, Options{Store: store, Regroup: func(ctx context.Context) error {
		regroups.Add(1)
		return regroup(ctx)
	}})
	list := func() storiesPage {
		t.Helper()
		var p storiesPage
		if resp := do(t, srv, "GET", "/api/v1/stories", "", nil, &p); resp.StatusCode != 200 {
			t.Fatalf("stories: %d", resp.StatusCode)
		}
		return p
	}

	if p := list(); len(p.Stories) != 0 || regroups.Load() != 0 {
		t.Fatalf("empty store: %+v after %d regroups", p, regroups.Load())
	}
	day := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	herald := storeArticle(t, srv, "bridge-herald.txt", "herald.example", day)
	voice := storeArticle(t, srv, "bridge-voice.txt", "voice.example", day.Add(time.Hour))
	p := list()
	if regroups.Load() != 1 || len(p.Stories) == 0 {
		t.Fatalf("after two articles: %d regroups, %+v", regroups.Load(), p)
	}
	// Nothing was added: the stored grouping is served as it is.
	list()
	if regroups.Load() != 1 {
		t.Errorf("%d regroups without a new article, want 1", regroups.Load())
	}

	// The analyst pins both articles into a story of their own under a
	// label; the ids and the pin must come from the store.
	stored, err := store.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetStoryPins(ctx, map[string]string{herald: "bridge", voice: "bridge"}); err != nil {
		t.Fatal(err)
	}
	gazette := storeArticle(t, srv, "bridge-gazette.txt", "gazette.example", day.Add(2*time.Hour))
	p = list()
	if regroups.Load() != 2 {
		t.Errorf("%d regroups after a new article, want 2", regroups.Load())
	}
	after, err := store.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(p.Stories) {
		t.Fatalf("API lists %d stories, the store %d", len(p.Stories), len(after))
	}
	ids := map[int64]bool{}
	for _, s := range after {
		ids[s.ID] = true
	}
	for _, s := range p.Stories {
		if !ids[s.ID] {
			t.Errorf("API story %d is not stored (stored before the article: %+v)", s.ID, stored)
		}
	}
	var pinned *sqlite.StoredStory
	for i := range after {
		for _, a := range after[i].Articles {
			if a == herald {
				pinned = &after[i]
			}
		}
	}
	if pinned == nil || !pinned.Pinned {
		t.Fatalf("the pinned story is gone: %+v", after)
	}
	var d struct {
		ID      int64  `json:"id"`
		Pin     string `json:"pin"`
		Members []struct {
			ID string `json:"id"`
		} `json:"members"`
	}
	if resp := do(t, srv, "GET", "/api/v1/stories/"+itoa64(pinned.ID), "", nil, &d); resp.StatusCode != 200 {
		t.Fatalf("story %d: %d", pinned.ID, resp.StatusCode)
	}
	members := map[string]bool{}
	for _, m := range d.Members {
		members[m.ID] = true
	}
	if d.ID != pinned.ID || d.Pin != "bridge" || !members[herald] || !members[voice] || len(d.Members) != len(pinned.Articles) {
		t.Errorf("story %d from the API: %+v, stored %+v (gazette %s)", pinned.ID, d, pinned, gazette)
	}
}
