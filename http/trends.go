package http

import (
	"context"
	"encoding/csv"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/slant-news/slant"
)

// Trend kinds.
const (
	kindTechnique = "technique"
	kindNarrative = "narrative"
)

// trendRow is the prevalence of one label in one outlet's articles of one
// week: the share of its articles in which the label was found.
type trendRow struct {
	Outlet     string  `json:"outlet"`
	Week       string  `json:"week"` // the Monday starting the ISO week, YYYY-MM-DD
	Kind       string  `json:"kind"`
	Label      string  `json:"label"`
	Articles   int     `json:"articles"`
	With       int     `json:"with"`
	Prevalence float64 `json:"prevalence"`
}

// trends is GET /api/v1/trends.
type trends struct {
	Weeks   []string   `json:"weeks"`
	Outlets []string   `json:"outlets"`
	Rows    []trendRow `json:"rows"`
	// Articles is how many stored articles the trends were computed from.
	Articles int `json:"articles"`
}

// weekOf returns the Monday of t's week as YYYY-MM-DD.
func weekOf(t time.Time) string {
	t = t.UTC()
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	return t.AddDate(0, 0, -wd).Format(time.DateOnly)
}

// articleLabels returns the techniques and narratives found in a report,
// each once.
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

func (s *server) computeTrends(ctx context.Context, f slant.ArticleFilter, kind string) (*trends, error) {
	f.Limit, f.Offset = s.opt.StoryLimit, 0
	arts, err := s.opt.Store.Articles(ctx, f)
	if err != nil {
		return nil, err
	}
	type key struct{ outlet, week string }
	totals := map[key]int{}
	with := map[key]map[[2]string]int{}
	weeks, outlets := map[string]bool{}, map[string]bool{}
	for _, a := range arts {
		rep, err := s.opt.Store.Report(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		when := a.Published
		if when.IsZero() {
			when = a.Ingested
		}
		outlet := a.Outlet
		if outlet == "" {
			outlet = "unknown"
		}
		k := key{outlet, weekOf(when)}
		weeks[k.week], outlets[outlet] = true, true
		totals[k]++
		if with[k] == nil {
			with[k] = map[[2]string]int{}
		}
		techs, narrs := articleLabels(rep)
		if kind == "" || kind == kindTechnique {
			for t := range techs {
				with[k][[2]string{kindTechnique, t}]++
			}
		}
		if kind == "" || kind == kindNarrative {
			for n := range narrs {
				with[k][[2]string{kindNarrative, n}]++
			}
		}
	}
	tr := &trends{Weeks: sortedKeys(weeks), Outlets: sortedKeys(outlets), Rows: []trendRow{}, Articles: len(arts)}
	for k, labels := range with {
		for l, n := range labels {
			tr.Rows = append(tr.Rows, trendRow{Outlet: k.outlet, Week: k.week, Kind: l[0], Label: l[1],
				Articles: totals[k], With: n, Prevalence: float64(int(float64(n)/float64(totals[k])*1000+0.5)) / 1000})
		}
	}
	sort.Slice(tr.Rows, func(i, j int) bool {
		a, b := tr.Rows[i], tr.Rows[j]
		if a.Week != b.Week {
			return a.Week < b.Week
		}
		if a.Outlet != b.Outlet {
			return a.Outlet < b.Outlet
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Label < b.Label
	})
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
		if kind != "" && kind != kindTechnique && kind != kindNarrative {
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
		cw := csv.NewWriter(w)
		cw.Write([]string{"week", "outlet", "kind", "label", "articles", "with_label", "prevalence"})
		for _, row := range tr.Rows {
			cw.Write([]string{row.Week, csvSafe(row.Outlet), row.Kind, csvSafe(row.Label), strconv.Itoa(row.Articles),
				strconv.Itoa(row.With), strconv.FormatFloat(row.Prevalence, 'f', 3, 64)})
		}
		cw.Flush()
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
