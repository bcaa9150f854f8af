package http

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/stories"
)

// storyIndex groups the newest stored articles into stories with the
// stories package and keeps the result until the set of articles changes.
// Story ids are those of the grouping, so they hold as long as no article
// is added. A report re-analysed in place (slant ingest --reanalyze) is
// seen on the next regrouping, and by compare at once.
type storyIndex struct {
	store slant.Store
	limit int

	mu      sync.Mutex
	key     string
	stories []*stories.Story
	byID    map[int64]*stories.Story
	// stored remembers each article's summary for the story views.
	stored map[string]slant.StoredArticle
}

// get returns the current stories, regrouping when the store has changed.
func (x *storyIndex) get(ctx context.Context) ([]*stories.Story, map[string]slant.StoredArticle, error) {
	if x.store == nil {
		return nil, nil, slant.Errorf(slant.EUNSUPPORTED, "this server has no store")
	}
	arts, err := x.store.Articles(ctx, slant.ArticleFilter{Limit: x.limit})
	if err != nil {
		return nil, nil, err
	}
	// The newest id and the count change whenever an article is stored, so
	// they key the cache without reading any report.
	key := strconv.Itoa(len(arts))
	if len(arts) > 0 {
		key += ":" + arts[0].ID + ":" + arts[len(arts)-1].ID
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if key == x.key && x.byID != nil {
		return x.stories, x.stored, nil
	}
	items := make([]stories.Item, 0, len(arts))
	stored := make(map[string]slant.StoredArticle, len(arts))
	// The store lists newest first; grouping wants the oldest first, so
	// that among undated articles the first stored is the original and a
	// later republication its copy.
	for i := len(arts) - 1; i >= 0; i-- {
		a := arts[i]
		rep, err := x.store.Report(ctx, a.ID)
		if err != nil {
			return nil, nil, err
		}
		it := stories.ItemFromReport(rep)
		it.ID = a.ID
		items = append(items, it)
		stored[a.ID] = a
	}
	sts, err := stories.NewGrouper(stories.Options{}).Group(ctx, items)
	if err != nil {
		return nil, nil, err
	}
	x.key, x.stories, x.stored = key, sts, stored
	x.byID = make(map[int64]*stories.Story, len(sts))
	for _, s := range sts {
		x.byID[s.ID] = s
	}
	return x.stories, x.stored, nil
}

func (x *storyIndex) story(ctx context.Context, idStr string) (*stories.Story, map[string]slant.StoredArticle, error) {
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		return nil, nil, slant.Errorf(slant.EINVALID, "story id must be a number, got %q", idStr)
	}
	if _, _, err := x.get(ctx); err != nil {
		return nil, nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.byID[id]
	if !ok {
		return nil, nil, slant.Errorf(slant.ENOTFOUND, "no story %d (story ids change when articles are added; list them again)", id)
	}
	return s, x.stored, nil
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
