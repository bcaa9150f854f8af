package http

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/stories"
)

// storyIndex groups the newest stored articles into stories with the
// stories package and keeps the result until the store changes. Story ids
// are those of the grouping, so they hold as long as no article is added.
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

// comparison is GET /api/v1/stories/{id}/compare: one column per outlet.
type comparison struct {
	Story   storySummary    `json:"story"`
	Outlets []outletVersion `json:"outlets"`
}

// outletVersion is how one outlet tells the story.
type outletVersion struct {
	Outlet   string        `json:"outlet"`
	Profile  *slant.Outlet `json:"profile,omitempty"`
	Articles []memberBrief `json:"articles"`
	Words    int           `json:"words"`
	// Techniques are counted over the outlet's original articles, per
	// 1,000 words so long and short versions compare.
	Techniques   []techniqueRate   `json:"techniques"`
	TopSpans     []spanBrief       `json:"top_spans"`
	Narratives   []slant.Narrative `json:"narratives"`
	Genre        *slant.Label      `json:"genre,omitempty"`
	Roles        []roleBrief       `json:"roles"`
	UniqueQuotes []quoteBrief      `json:"unique_quotes"`
}

type memberBrief struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	CopyOf string `json:"copy_of,omitempty"`
	Reason string `json:"reason"`
}

type techniqueRate struct {
	Technique    string  `json:"technique"`
	Count        int     `json:"count"`
	Per1000Words float64 `json:"per_1000_words"`
}

type spanBrief struct {
	Article   string  `json:"article"`
	Technique string  `json:"technique"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

// roleBrief is the role an outlet gives an entity that other outlets of
// the story also name: who is hero or villain where.
type roleBrief struct {
	Entity string   `json:"entity"`
	Main   string   `json:"main"`
	Fine   []string `json:"fine,omitempty"`
}

type quoteBrief struct {
	Article string `json:"article"`
	Text    string `json:"text"`
	Speaker string `json:"speaker,omitempty"`
}

func (s *server) handleCompare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, stored, err := s.stories.story(r.Context(), r.PathValue("id"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		cmp, err := s.compare(r.Context(), st, stored)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, cmp)
	})
}

// compare builds the side-by-side of a story from the members' stored
// reports.
func (s *server) compare(ctx context.Context, st *stories.Story, stored map[string]slant.StoredArticle) (*comparison, error) {
	type side struct {
		v       *outletVersion
		reports []*slant.Report
	}
	var order []string
	sides := map[string]*side{}
	for _, m := range st.Members {
		name := m.Outlet
		if name == "" {
			name = "unknown outlet"
		}
		sd, ok := sides[name]
		if !ok {
			sd = &side{v: &outletVersion{Outlet: name}}
			if p, ok := s.outlets.Lookup(m.Outlet); ok && m.Outlet != "" {
				sd.v.Profile = &p
			}
			sides[name] = sd
			order = append(order, name)
		}
		a := stored[m.ID]
		sd.v.Articles = append(sd.v.Articles, memberBrief{ID: m.ID, Title: a.Title, URL: a.URL, CopyOf: m.CopyOf, Reason: m.Reason})
		if m.CopyOf != "" {
			// A copy repeats another version: its words are not this
			// outlet's own telling.
			continue
		}
		rep, err := s.opt.Store.Report(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		sd.reports = append(sd.reports, rep)
	}

	// Entities and quotes are compared across outlets by folded text.
	entityOutlets := map[string]map[string]bool{}
	quoteOutlets := map[string]map[string]bool{}
	for name, sd := range sides {
		for _, rep := range sd.reports {
			for _, e := range rep.Entities {
				addSet(entityOutlets, fold(e.Name), name)
			}
			for _, q := range rep.Quotes {
				if q.Kind != slant.QuoteScare {
					addSet(quoteOutlets, fold(q.Text), name)
				}
			}
		}
	}

	cmp := &comparison{Story: summarize(st)}
	for _, name := range order {
		sd := sides[name]
		v := sd.v
		v.Techniques, v.TopSpans, v.Narratives, v.Roles, v.UniqueQuotes =
			[]techniqueRate{}, []spanBrief{}, []slant.Narrative{}, []roleBrief{}, []quoteBrief{}
		counts := map[string]int{}
		var spans []spanBrief
		seenRole := map[string]bool{}
		seenNarr := map[string]bool{}
		for _, rep := range sd.reports {
			v.Words += len(strings.Fields(rep.Article.Text))
			for _, t := range rep.Techniques {
				counts[t.Technique]++
				spans = append(spans, spanBrief{Article: rep.Article.ID, Technique: t.Technique, Text: t.Span.Text(rep.Article.Text), Score: t.Score})
			}
			if len(rep.Techniques) == 0 {
				// Without a span model the paragraph labels still say
				// which techniques were used.
				for _, p := range rep.ParagraphLabels {
					for _, t := range p.Techniques {
						counts[t]++
					}
				}
			}
			for _, n := range rep.Narratives {
				k := n.Narrative + "\x00" + n.Subnarrative
				if !seenNarr[k] {
					seenNarr[k] = true
					n.Evidence = nil
					v.Narratives = append(v.Narratives, n)
				}
			}
			if v.Genre == nil && rep.Genre != nil {
				g := *rep.Genre
				v.Genre = &g
			}
			for _, e := range rep.Entities {
				if e.Role == nil || len(entityOutlets[fold(e.Name)]) < 2 || seenRole[fold(e.Name)] {
					continue
				}
				seenRole[fold(e.Name)] = true
				v.Roles = append(v.Roles, roleBrief{Entity: e.Name, Main: e.Role.Main, Fine: e.Role.Fine})
			}
			for _, q := range rep.Quotes {
				if q.Kind != slant.QuoteScare && len(quoteOutlets[fold(q.Text)]) == 1 && len(sides) > 1 {
					v.UniqueQuotes = append(v.UniqueQuotes, quoteBrief{Article: rep.Article.ID, Text: q.Text, Speaker: q.Speaker})
				}
			}
		}
		for t, n := range counts {
			rate := 0.0
			if v.Words > 0 {
				rate = float64(n) * 1000 / float64(v.Words)
			}
			v.Techniques = append(v.Techniques, techniqueRate{Technique: t, Count: n, Per1000Words: round2(rate)})
		}
		sort.Slice(v.Techniques, func(i, j int) bool {
			if v.Techniques[i].Count != v.Techniques[j].Count {
				return v.Techniques[i].Count > v.Techniques[j].Count
			}
			return v.Techniques[i].Technique < v.Techniques[j].Technique
		})
		sort.SliceStable(spans, func(i, j int) bool { return spans[i].Score > spans[j].Score })
		v.TopSpans = append(v.TopSpans, spans[:min(5, len(spans))]...)
		cmp.Outlets = append(cmp.Outlets, *v)
	}
	return cmp, nil
}

func addSet(m map[string]map[string]bool, k, v string) {
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][v] = true
}

// fold makes names and quotes comparable across outlets: case and spacing
// differ between versions of the same words.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
