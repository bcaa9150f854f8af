package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sqlite"
	"github.com/slant-news/slant/stories"
)

// storyStore is what the story views need of a store beyond slant.Store:
// the grouping that `slant stories` stored (sqlite.DB and postgres.DB).
type storyStore interface {
	Stories(ctx context.Context) ([]sqlite.StoredStory, error)
}

// storyIndex serves the stories the store holds, the same stories with the
// same ids as `slant stories` and `slant compare`. When the store holds an
// article that no stored story has (articles were added since the last
// grouping, or nothing was grouped yet) it calls regroup, which groups the
// whole store with the analyst's pins and stores the result, exactly as the
// CLI does, and then reads the stored stories again.
type storyIndex struct {
	store   slant.Store
	regroup func(ctx context.Context) error

	// mu makes one request regroup while the others wait for its result
	// instead of grouping the same store again.
	mu sync.Mutex
}

// get returns the stored stories, regrouping first when articles were
// added since the last grouping, and each article's summary by id.
func (x *storyIndex) get(ctx context.Context) ([]*stories.Story, map[string]slant.StoredArticle, error) {
	ss, ok := x.store.(storyStore)
	if x.store == nil || !ok {
		return nil, nil, slant.Errorf(slant.EUNSUPPORTED, "this server has no store of stories")
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	list, arts, stale, err := x.read(ctx, ss)
	if err != nil {
		return nil, nil, err
	}
	if stale && x.regroup != nil {
		if err := x.regroup(ctx); err != nil {
			return nil, nil, fmt.Errorf("regroup stories: %w", err)
		}
		if list, arts, _, err = x.read(ctx, ss); err != nil {
			return nil, nil, err
		}
	}
	stored := make(map[string]slant.StoredArticle, len(arts))
	for _, a := range arts {
		stored[a.ID] = a
	}
	out := make([]*stories.Story, 0, len(list))
	for _, st := range list {
		out = append(out, fromStored(st, stored))
	}
	return out, stored, nil
}

// read returns the stored stories, every stored article, and whether some
// article is in no story.
func (x *storyIndex) read(ctx context.Context, ss storyStore) ([]sqlite.StoredStory, []slant.StoredArticle, bool, error) {
	list, err := ss.Stories(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	// Every version, as the CLI's regrouping reads them (no limit).
	arts, err := x.store.Articles(ctx, slant.ArticleFilter{})
	if err != nil {
		return nil, nil, false, err
	}
	grouped := map[string]bool{}
	for _, st := range list {
		for _, a := range st.Articles {
			grouped[a] = true
		}
	}
	for _, a := range arts {
		if !grouped[a.ID] {
			return list, arts, true, nil
		}
	}
	return list, arts, false, nil
}

// fromStored decodes the grouper's record of a stored story. A story stored
// without one (by another program) is rebuilt from its summary, with the
// members' outlets and titles from the stored articles.
func fromStored(st sqlite.StoredStory, stored map[string]slant.StoredArticle) *stories.Story {
	if len(st.Detail) > 0 {
		var s stories.Story
		if err := json.Unmarshal(st.Detail, &s); err == nil {
			// The stored row is authoritative for the id: the detail was
			// written with it, but the row is what the CLI lists.
			s.ID = st.ID
			return &s
		}
	}
	s := &stories.Story{ID: st.ID, Title: st.Title, First: st.First, Last: st.Last}
	if st.Pinned {
		s.Pin = "pinned"
	}
	for _, id := range st.Articles {
		a := stored[id]
		s.Members = append(s.Members, &stories.Member{ID: id, Outlet: a.Outlet, Title: a.Title, Reason: "stored without the grouping's reasons"})
	}
	return s
}

func (x *storyIndex) story(ctx context.Context, idStr string) (*stories.Story, map[string]slant.StoredArticle, error) {
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		return nil, nil, slant.Errorf(slant.EINVALID, "story id must be a number, got %q", idStr)
	}
	list, stored, err := x.get(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range list {
		if s.ID == id {
			return s, stored, nil
		}
	}
	return nil, nil, slant.Errorf(slant.ENOTFOUND, "no story %d (list the stories again)", id)
}

// storySummary is a story in the list of stories.
type storySummary struct {
	ID       int64     `json:"id"`
	Title    string    `json:"title"`
	First    time.Time `json:"first,omitzero"`
	Last     time.Time `json:"last,omitzero"`
	Articles int       `json:"articles"`
	// Voices are the outlets with an original article (copies excluded).
	Voices []string `json:"voices"`
}

// storiesPage is one page of GET /api/v1/stories, biggest stories first.
type storiesPage struct {
	Stories []storySummary `json:"stories"`
	Limit   int            `json:"limit"`
	Offset  int            `json:"offset"`
	Next    string         `json:"next,omitempty"`
}

func summarize(s *stories.Story) storySummary {
	v := s.Voices()
	if v == nil {
		v = []string{}
	}
	return storySummary{ID: s.ID, Title: s.Title, First: s.First, Last: s.Last, Articles: len(s.Members), Voices: v}
}

func (s *server) handleStories() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, offset, err := pagination(q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		sts, _, err := s.stories.get(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		all := make([]storySummary, len(sts))
		for i, st := range sts {
			all[i] = summarize(st)
		}
		// Stories told by many outlets first: they are what comparison is for.
		sort.SliceStable(all, func(i, j int) bool {
			if len(all[i].Voices) != len(all[j].Voices) {
				return len(all[i].Voices) > len(all[j].Voices)
			}
			return all[i].Articles > all[j].Articles
		})
		page := storiesPage{Stories: []storySummary{}, Limit: limit, Offset: offset}
		if offset < len(all) {
			page.Stories = all[offset:min(offset+limit, len(all))]
		}
		if offset+limit < len(all) {
			page.Next = "/api/v1/stories?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(offset+limit)
		}
		writeJSON(w, http.StatusOK, page)
	})
}

// storyDetail is GET /api/v1/stories/{id}: the story with the decision
// behind each member and the outlets' profiles.
type storyDetail struct {
	*stories.Story
	Voices   []string                `json:"voices"`
	Articles []slant.StoredArticle   `json:"articles"`
	Outlets  map[string]slant.Outlet `json:"outlets"`
}

func (s *server) handleStory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, stored, err := s.stories.story(r.Context(), r.PathValue("id"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		d := storyDetail{Story: st, Voices: summarize(st).Voices, Outlets: map[string]slant.Outlet{}}
		for _, m := range st.Members {
			d.Articles = append(d.Articles, stored[m.ID])
			if m.Outlet != "" {
				if p, ok := s.outlets.Lookup(m.Outlet); ok {
					d.Outlets[m.Outlet] = p
				}
			}
		}
		writeJSON(w, http.StatusOK, d)
	})
}

// comparison is GET /api/v1/stories/{id}/compare: the side-by-side of
// stories.Compare (the same as `slant compare`) over the story's original
// articles, with the story and its members. Republished copies are listed
// in Articles but left out of the comparison: a copy is not a voice.
type comparison struct {
	Story    storySummary  `json:"story"`
	Articles []memberBrief `json:"articles"`
	*stories.Comparison
}

// memberBrief is one article of a compared story.
type memberBrief struct {
	ID     string `json:"id"`
	Outlet string `json:"outlet,omitempty"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	CopyOf string `json:"copy_of,omitempty"`
	Reason string `json:"reason"`
}

func (s *server) handleCompare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, stored, err := s.stories.story(r.Context(), r.PathValue("id"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		cmp := comparison{Story: summarize(st), Articles: []memberBrief{}}
		var reports []*slant.Report
		for _, m := range st.Members {
			a := stored[m.ID]
			cmp.Articles = append(cmp.Articles, memberBrief{ID: m.ID, Outlet: m.Outlet, Title: a.Title, URL: a.URL, CopyOf: m.CopyOf, Reason: m.Reason})
			if m.CopyOf != "" {
				continue
			}
			rep, err := s.opt.Store.Report(r.Context(), m.ID)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			reports = append(reports, rep)
		}
		cmp.Comparison = stories.Compare(st.Title, reports, stories.CompareOptions{Profile: s.outlets.Lookup, TopSpans: 5})
		writeJSON(w, http.StatusOK, cmp)
	})
}
