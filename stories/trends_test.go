package stories

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
)

func trendReports() []*slant.Report {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 9, 0, 0, 0, time.UTC) }
	rep := func(id, outlet string, t time.Time, techs []string, narrs ...string) *slant.Report {
		r := &slant.Report{Article: slant.Article{ID: id, Outlet: outlet, Published: t, Text: "x"}}
		for _, tt := range techs {
			r.Techniques = append(r.Techniques, slant.TechniqueSpan{Technique: tt})
		}
		for _, n := range narrs {
			r.Narratives = append(r.Narratives, slant.Narrative{Narrative: n})
		}
		return r
	}
	return []*slant.Report{
		// ISO week 2025-W10 is 3–9 March.
		rep("a", "one.test", day(3, 3), []string{"Doubt", "Doubt"}, "Blame the West"),
		rep("b", "one.test", day(3, 5), nil),
		rep("c", "two.test", day(3, 9), []string{"Loaded_Language"}),
		// W11.
		rep("d", "one.test", day(3, 10), []string{"Doubt"}, "Blame the West"),
		// W13, with a gap week.
		rep("e", "two.test", day(3, 24), nil, "Blame the West"),
		rep("f", "two.test", time.Time{}, []string{"Doubt"}),
		nil,
	}
}

func TestTrends(t *testing.T) {
	t.Parallel()
	points, undated := Trends(trendReports())
	if undated != 1 {
		t.Errorf("undated = %d, want 1", undated)
	}
	got := map[string]TrendPoint{}
	for _, p := range points {
		got[p.Kind+"|"+p.Label+"|"+p.Outlet+"|"+p.Week] = p
	}
	tests := []struct {
		key        string
		articles   int
		total      int
		prevalence float64
	}{
		{"technique|Doubt|one.test|2025-W10", 1, 2, 0.5}, // two spans in one article count once
		{"technique|Doubt|one.test|2025-W11", 1, 1, 1},
		{"narrative|Blame the West|one.test|2025-W10", 1, 2, 0.5},
		{"technique|Loaded_Language|two.test|2025-W10", 1, 1, 1},
		{"technique|Loaded_Language|two.test|2025-W13", 0, 1, 0}, // published, not with the label
		{"narrative|Blame the West|two.test|2025-W10", 0, 1, 0},
		{"narrative|Blame the West|two.test|2025-W13", 1, 1, 1},
	}
	for _, tt := range tests {
		p, ok := got[tt.key]
		if !ok {
			t.Errorf("%s missing", tt.key)
			continue
		}
		if p.Articles != tt.articles || p.Total != tt.total || abs(p.Prevalence-tt.prevalence) > 1e-9 {
			t.Errorf("%s = %d/%d (%.2f), want %d/%d", tt.key, p.Articles, p.Total, p.Prevalence, tt.articles, tt.total)
		}
	}
	if _, ok := got["technique|Doubt|two.test|2025-W13"]; ok {
		t.Error("undated article counted in a week")
	}
	if len(points) != len(got) {
		t.Errorf("duplicate points: %d points, %d distinct", len(points), len(got))
	}
}

func TestISOWeek(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "2025-W01"},
		{time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC), "2025-W01"},
		{time.Date(2021, 1, 3, 0, 0, 0, 0, time.UTC), "2020-W53"},
	}
	for _, tt := range tests {
		if got := ISOWeek(tt.t); got != tt.want {
			t.Errorf("ISOWeek(%v) = %s, want %s", tt.t, got, tt.want)
		}
		start, err := weekStart(tt.want)
		if err != nil || ISOWeek(start) != tt.want || start.Weekday() != time.Monday {
			t.Errorf("weekStart(%s) = %v (%v)", tt.want, start, err)
		}
	}
}

func TestTrendWriters(t *testing.T) {
	t.Parallel()
	points, _ := Trends(trendReports())

	var c bytes.Buffer
	if err := WriteTrendsCSV(&c, points); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil || len(recs) != len(points)+1 || recs[0][0] != "kind" {
		t.Fatalf("CSV: %d records, %v", len(recs), err)
	}

	var tx bytes.Buffer
	if err := WriteTrendsText(&tx, points); err != nil {
		t.Fatal(err)
	}
	// Weeks run without gaps from the first to the last: W12 appears.
	for _, want := range []string{"2025-W10", "2025-W12", "2025-W13", "Blame the West", "50%"} {
		if !strings.Contains(tx.String(), want) {
			t.Errorf("text table lacks %q:\n%s", want, tx.String())
		}
	}

	for _, o := range []ChartOptions{
		{Kind: TrendNarrative, Label: "Blame the West"},
		{Kind: TrendTechnique, Outlet: "one.test"},
		{Kind: TrendTechnique},
		{Kind: TrendTechnique, Label: "no such label"},
	} {
		var svg bytes.Buffer
		if err := WriteTrendsSVG(&svg, points, o); err != nil {
			t.Fatal(err)
		}
		// The chart is well-formed XML.
		d := xml.NewDecoder(&svg)
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%+v: SVG is not well-formed: %v", o, err)
				}
				break
			}
		}
	}
	var svg bytes.Buffer
	pts := append([]TrendPoint(nil), points...)
	pts[0].Outlet = `<b>&"x"`
	WriteTrendsSVG(&svg, pts, ChartOptions{Kind: pts[0].Kind, Label: pts[0].Label})
	if strings.Contains(svg.String(), "<b>") {
		t.Error("outlet name not escaped in SVG")
	}
	svg.Reset()
	WriteTrendsSVG(&svg, points, ChartOptions{Kind: TrendNarrative, Label: "Blame the West"})
	if !strings.Contains(svg.String(), "<polyline") {
		t.Error("no line drawn for one.test's two weeks")
	}
}
