package http

import (
	"context"
	"net/http"
	"sort"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/stories"
)

// trends is GET /api/v1/trends: the points of stories.Trends, with the
// weeks and outlets they span so a chart needs no second pass.
type trends struct {
	Weeks   []string             `json:"weeks"`
	Outlets []string             `json:"outlets"`
	Points  []stories.TrendPoint `json:"points"`
	// Articles is how many stored articles the trends were computed from.
	// An undated article is placed in the week it was stored.
	Articles int `json:"articles"`
}

// computeTrends reads the reports of the articles f selects (the newest
// StoryLimit of them) and hands them to stories.Trends, the same
// computation as `slant trends`.
func (s *server) computeTrends(ctx context.Context, f slant.ArticleFilter, kind string) (*trends, error) {
	f.Limit, f.Offset = s.opt.StoryLimit, 0
	arts, err := s.opt.Store.Articles(ctx, f)
	if err != nil {
		return nil, err
	}
	reports := make([]*slant.Report, 0, len(arts))
	for _, a := range arts {
		rep, err := s.opt.Store.Report(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if rep.Article.Published.IsZero() {
			// Pasted and uploaded articles carry no date; the day they
			// were stored is the best placement there is, and the one the
			// store's since/until filters use too.
			rep.Article.Published = a.Ingested
		}
		if rep.Article.Outlet == "" {
			rep.Article.Outlet = "unknown"
		}
		reports = append(reports, rep)
	}
	points, _ := stories.Trends(reports)
	tr := &trends{Points: []stories.TrendPoint{}, Articles: len(arts)}
	weeks, outlets := map[string]bool{}, map[string]bool{}
	for _, p := range points {
		if kind != "" && p.Kind != kind {
			continue
		}
		tr.Points = append(tr.Points, p)
		weeks[p.Week], outlets[p.Outlet] = true, true
	}
	tr.Weeks, tr.Outlets = sortedKeys(weeks), sortedKeys(outlets)
	return tr, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *server) handleTrends() http.Handler {
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
		kind := q.Get("kind")
		if kind != "" && kind != stories.TrendTechnique && kind != stories.TrendNarrative {
			s.writeError(w, r, slant.Errorf(slant.EINVALID, "kind must be technique or narrative, got %q", kind))
			return
		}
		format := q.Get("format")
		if format != "" && format != "json" && format != "csv" {
			s.writeError(w, r, slant.Errorf(slant.EINVALID, "format must be json or csv, got %q", format))
			return
		}
		tr, err := s.computeTrends(r.Context(), f, kind)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if format != "csv" {
			writeJSON(w, http.StatusOK, tr)
			return
		}
		name := "slant-trends.csv"
		if kind != "" {
			name = "slant-trends-" + kind + ".csv"
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		safe := make([]stories.TrendPoint, len(tr.Points))
		for i, p := range tr.Points {
			p.Outlet, p.Label = csvSafe(p.Outlet), csvSafe(p.Label)
			safe[i] = p
		}
		stories.WriteTrendsCSV(w, safe)
	})
}

// csvSafe keeps a spreadsheet from reading a cell that starts with = + - @
// as a formula (outlet names come from untrusted pages).
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// outletProfile is GET /api/v1/outlets/{domain}: the public profile and
// what the store holds from the outlet.
type outletProfile struct {
	Domain     string                `json:"domain"`
	Profile    *slant.Outlet         `json:"profile,omitempty"`
	Articles   int                   `json:"articles"`
	Recent     []slant.StoredArticle `json:"recent"`
	Techniques []labelCount          `json:"techniques"`
	Narratives []labelCount          `json:"narratives"`
}

// labelCount is how many of an outlet's articles carry a label.
type labelCount struct {
	Label    string `json:"label"`
	Articles int    `json:"articles"`
}

// outletReports bounds the reports read to profile one outlet.
const outletReports = 200

func (s *server) handleOutlet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		domain := r.PathValue("domain")
		out := outletProfile{Domain: domain, Recent: []slant.StoredArticle{}, Techniques: []labelCount{}, Narratives: []labelCount{}}
		if p, ok := s.outlets.Lookup(domain); ok {
			out.Profile = &p
		}
		if s.opt.Store != nil {
			arts, err := s.opt.Store.Articles(r.Context(), slant.ArticleFilter{Outlet: domain})
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			out.Articles = len(arts)
			out.Recent = append(out.Recent, arts[:min(10, len(arts))]...)
			techs, narrs := map[string]int{}, map[string]int{}
			for _, a := range arts[:min(outletReports, len(arts))] {
				rep, err := s.opt.Store.Report(r.Context(), a.ID)
				if err != nil {
					s.writeError(w, r, err)
					return
				}
				ts, ns := articleLabels(rep)
				for t := range ts {
					techs[t]++
				}
				for n := range ns {
					narrs[n]++
				}
			}
			out.Techniques, out.Narratives = countsOf(techs), countsOf(narrs)
		}
		if out.Profile == nil && out.Articles == 0 {
			s.writeError(w, r, slant.Errorf(slant.ENOTFOUND, "no profile and no stored articles for outlet %q", domain))
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func countsOf(m map[string]int) []labelCount {
	out := make([]labelCount, 0, len(m))
	for l, n := range m {
		out = append(out, labelCount{Label: l, Articles: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Articles != out[j].Articles {
			return out[i].Articles > out[j].Articles
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// articleLabels returns the techniques (spans or paragraph labels) and the
// coarse narratives found in a report, each once.
func articleLabels(rep *slant.Report) (techs, narrs map[string]bool) {
	techs, narrs = map[string]bool{}, map[string]bool{}
	for _, t := range rep.Techniques {
		techs[t.Technique] = true
	}
	for _, p := range rep.ParagraphLabels {
		for _, t := range p.Techniques {
			techs[t] = true
		}
	}
	for _, n := range rep.Narratives {
		if n.Narrative != "" {
			narrs[n.Narrative] = true
		}
	}
	return techs, narrs
}
