package http

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/taxonomy"
)

// Pagination bounds of list routes.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// articlesPage is one page of GET /api/v1/articles.
type articlesPage struct {
	Articles []slant.StoredArticle `json:"articles"`
	Limit    int                   `json:"limit"`
	Offset   int                   `json:"offset"`
	// Next is the URL of the next page, "" on the last one.
	Next string `json:"next,omitempty"`
}

// articleFilter reads the article filters of a query: outlet, q (full-text),
// since/until (YYYY-MM-DD, inclusive, or RFC 3339), technique, narrative.
func articleFilter(q url.Values) (slant.ArticleFilter, error) {
	f := slant.ArticleFilter{Outlet: q.Get("outlet"), Query: q.Get("q"), Technique: q.Get("technique"), Narrative: q.Get("narrative")}
	since, _, err := parseDate(q.Get("since"))
	if err != nil {
		return f, slant.Errorf(slant.EINVALID, "since: %v", err)
	}
	until, day, err := parseDate(q.Get("until"))
	if err != nil {
		return f, slant.Errorf(slant.EINVALID, "until: %v", err)
	}
	// A bare date means the whole day; the store's Until is exclusive.
	if day {
		until = until.AddDate(0, 0, 1)
	} else if !until.IsZero() {
		until = until.Add(time.Millisecond)
	}
	f.Since, f.Until = since, until
	return f, nil
}

// parseDate reads YYYY-MM-DD (day=true) or RFC 3339; "" is the zero time.
func parseDate(s string) (t time.Time, day bool, err error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, slant.Errorf(slant.EINVALID, "%q is not a date (want YYYY-MM-DD or 2006-01-02T15:04:05Z)", s)
}

// pagination reads limit (default 50, at most 500) and offset.
func pagination(q url.Values) (limit, offset int, err error) {
	limit, offset = defaultLimit, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			return 0, 0, slant.Errorf(slant.EINVALID, "limit must be a number from 1 to %d, got %q", maxLimit, v)
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, slant.Errorf(slant.EINVALID, "offset must be a number from 0, got %q", v)
		}
	}
	return limit, offset, nil
}

func (s *server) needStore() error {
	if s.opt.Store == nil {
		return slant.Errorf(slant.EUNSUPPORTED, "this server has no store")
	}
	return nil
}

func (s *server) handleArticles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.needStore(); err != nil {
			s.writeError(w, r, err)
			return
		}
		q := r.URL.Query()
		f, err := articleFilter(q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		limit, offset, err := pagination(q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		// One more than asked says whether there is a next page without
		// counting the whole result.
		f.Limit, f.Offset = limit+1, offset
		arts, err := s.opt.Store.Articles(r.Context(), f)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		page := articlesPage{Articles: arts, Limit: limit, Offset: offset}
		if len(arts) > limit {
			page.Articles = arts[:limit]
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("limit", strconv.Itoa(limit))
			next.Set("offset", strconv.Itoa(offset+limit))
			page.Next = "/api/v1/articles?" + next.Encode()
		}
		if page.Articles == nil {
			page.Articles = []slant.StoredArticle{}
		}
		writeJSON(w, http.StatusOK, page)
	})
}

func (s *server) handleArticle() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.needStore(); err != nil {
			s.writeError(w, r, err)
			return
		}
		id := r.PathValue("id")
		rep, err := s.opt.Store.Report(r.Context(), id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, analyzeResponse{ID: id, Stored: true, Report: rep})
	})
}

// taxonomyBody holds the definitions the page shows next to annotations.
type taxonomyBody struct {
	Techniques []definition `json:"techniques"`
	Roles      []definition `json:"roles"`
	// Narratives holds narratives and subnarratives (Main is a
	// subnarrative's narrative).
	Narratives []definition `json:"narratives"`
	Frames     []definition `json:"frames"`
	Genres     []definition `json:"genres"`
	Analyzers  []string     `json:"analyzers"`
}

// definition is one label with its one-line definition; Main is the main
// role of a fine entity role, or the narrative of a subnarrative.
type definition struct {
	Name       string `json:"name"`
	Main       string `json:"main,omitempty"`
	Definition string `json:"definition"`
}

func (s *server) handleTaxonomy() http.Handler {
	body := taxonomyBody{Analyzers: []string{}}
	for _, t := range taxonomy.Techniques {
		body.Techniques = append(body.Techniques, definition{Name: t.Name, Definition: t.Definition})
	}
	for _, r := range taxonomy.EntityRoles() {
		body.Roles = append(body.Roles, definition{Name: r.Fine, Main: r.Main, Definition: r.Definition})
	}
	for _, n := range append(taxonomy.Narratives(), taxonomy.Subnarratives()...) {
		body.Narratives = append(body.Narratives, definition{Name: n.Label, Main: n.Parent, Definition: n.Definition})
	}
	for _, f := range taxonomy.Frames() {
		body.Frames = append(body.Frames, definition{Name: f.Label, Definition: f.Definition})
	}
	for _, g := range taxonomy.Genres() {
		body.Genres = append(body.Genres, definition{Name: g.Label, Definition: g.Definition})
	}
	for _, a := range s.opt.Analyzers {
		body.Analyzers = append(body.Analyzers, a.Name())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, body)
	})
}
