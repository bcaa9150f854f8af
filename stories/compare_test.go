package stories

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant"
)

var update = flag.Bool("update", false, "rewrite golden files")

// damReports builds reports for the invented Corrin Dam articles with
// hand-made annotations, as the analyzers would attach them.
func damReports(t *testing.T) []*slant.Report {
	t.Helper()
	docs := map[string]labelled{}
	for _, d := range loadLabelled(t) {
		docs[d.ID] = d
	}
	span := func(text, phrase string) slant.Span {
		i := strings.Index(text, phrase)
		if i < 0 {
			t.Fatalf("phrase %q not in fixture", phrase)
		}
		return slant.Span{Start: i, End: i + len(phrase)}
	}
	report := func(id string) *slant.Report {
		d, ok := docs[id]
		if !ok {
			t.Fatalf("no fixture %s", id)
		}
		return &slant.Report{Article: slant.Article{ID: d.ID, Title: d.Title, Text: d.Text, Outlet: d.Outlet, Published: d.Published}}
	}
	entity := func(r *slant.Report, name, main string, fine ...string) {
		var role *slant.Role
		if main != "" {
			role = &slant.Role{Main: main, Fine: fine, Score: 0.8}
		}
		r.Entities = append(r.Entities, slant.Entity{ID: len(r.Entities) + 1, Name: name, Kind: slant.KindOrganization,
			Mentions: []slant.Mention{{Span: span(r.Article.Text, name), Text: name}}, Role: role})
	}
	quote := func(r *slant.Report, speaker, text string) {
		r.Quotes = append(r.Quotes, slant.Quote{Span: span(r.Article.Text, text), Kind: slant.QuoteDirect, Text: text, Speaker: speaker, Resolved: true})
	}
	tech := func(r *slant.Report, technique, phrase string, score float64) {
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: span(r.Article.Text, phrase), Technique: technique, Score: score})
	}

	wire := report("s1-wire")
	entity(wire, "Teelstrom Energy", "")
	entity(wire, "Anna Korvel", "")
	quote(wire, "Anna Korvel", "The water rose a metre in under an hour,")

	tab := report("s1-tabloid")
	tech(tab, "Loaded_Language", "Greedy bosses", 0.91)
	tech(tab, "Loaded_Language", "crumbling", 0.74)
	tech(tab, "Appeal_to_Fear-Prejudice", "TERROR IN THE NIGHT", 0.88)
	tech(tab, "Doubt", "Will anyone at Teelstrom go to jail? Don't hold your breath.", 0.66)
	entity(tab, "Teelstrom Energy", slant.Antagonist, "Corrupt", "Incompetent")
	entity(tab, "Anna Korvel", "")
	quote(tab, "Pavel Dunn", "They knew the dam was rotten and did nothing,")
	quote(tab, "Korvel", "the water rose a metre in under an hour") // reported speech in the tabloid
	tab.Narratives = []slant.Narrative{{Narrative: "Blame: operator negligence", Score: 0.7}}

	state := report("s1-state")
	tech(state, "Flag_Waving", "praised the swift work of rescuers", 0.52)
	tech(state, "Name_Calling-Labeling", "spreading panic", 0.81)
	entity(state, "Teelstrom Energy", slant.Innocent, "Victim")
	state.Narratives = []slant.Narrative{{Narrative: "Government in control", Subnarrative: "Government in control: Critics spread panic", Score: 0.64}}
	return []*slant.Report{wire, tab, state}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	profiles := map[string]slant.Outlet{"northwire.test": {Domain: "northwire.test", Factuality: "high", Bias: "center", Sources: []string{"test"}}}
	c := Compare("Corrin Dam breach", damReports(t), CompareOptions{Profile: func(o string) (slant.Outlet, bool) { p, ok := profiles[o]; return p, ok }})

	if len(c.Outlets) != 3 {
		t.Fatalf("%d outlets, want 3", len(c.Outlets))
	}
	tab := c.Outlets[0]
	if tab.Outlet != "dailyflash.test" || len(tab.Techniques) != 3 || tab.Techniques[0].Technique != "Loaded_Language" || tab.Techniques[0].Count != 2 {
		t.Errorf("tabloid view = %+v", tab)
	}
	if want := 1000 * 2 / float64(tab.Words); abs(tab.Techniques[0].Per1000-want) > 1e-9 {
		t.Errorf("rate %.2f, want %.2f", tab.Techniques[0].Per1000, want)
	}
	if len(tab.TopSpans) != 3 || tab.TopSpans[0].Text != "Greedy bosses" {
		t.Errorf("top spans = %+v", tab.TopSpans)
	}
	// Teelstrom is a villain in the tabloid, a victim for the state outlet.
	var teel *EntityRoles
	for i := range c.Roles {
		if c.Roles[i].Entity == "Teelstrom Energy" {
			teel = &c.Roles[i]
		}
	}
	if teel == nil || !strings.HasPrefix(teel.Roles["dailyflash.test"], "Antagonist") || !strings.HasPrefix(teel.Roles["statevoice.test"], "Innocent") || teel.Roles["northwire.test"] != "" {
		t.Errorf("Teelstrom roles = %+v", teel)
	}
	// Korvel's quote is in two outlets (fuzzy: the tabloid paraphrases
	// it); Dunn's only in the tabloid.
	only := map[string]string{}
	for _, q := range c.Quotes {
		only[q.Speaker] = q.Only
	}
	if only["Pavel Dunn"] != "dailyflash.test" || only["Anna Korvel"] != "" {
		t.Errorf("quote use = %+v", c.Quotes)
	}
	// The hospital count is a fact only the wire has.
	found := false
	for _, f := range c.Facts {
		if strings.Contains(f.Text, "14 people") {
			found = true
			if strings.Join(f.Present, ",") != "northwire.test" || len(f.Missing) != 2 {
				t.Errorf("hospital fact: present %v missing %v", f.Present, f.Missing)
			}
		}
	}
	if !found {
		t.Error("the hospital count is not listed as a fact")
	}
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
}

func TestWriteTextGolden(t *testing.T) {
	t.Parallel()
	c := Compare("Corrin Dam breach", damReports(t), CompareOptions{})
	var buf bytes.Buffer
	if err := WriteText(&buf, c); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "compare.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./stories -run TestWriteTextGolden -update)", err)
	}
	if buf.String() != string(want) {
		t.Errorf("text output differs from %s:\n%s", golden, buf.String())
	}
}

func TestWriteHTMLEscapes(t *testing.T) {
	t.Parallel()
	reports := damReports(t)
	evil := `<script>alert("x")</script>`
	reports[0].Article.Outlet = evil
	reports[1].Quotes[0].Speaker = `<img src=x onerror=alert(1)>`
	c := Compare(evil, reports, CompareOptions{})
	var buf bytes.Buffer
	if err := WriteHTML(&buf, c); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script>", "<img src=x"} {
		if strings.Contains(page, bad) {
			t.Errorf("HTML contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "Teelstrom Energy", "Greedy bosses", "<!DOCTYPE html>", "only dailyflash.test"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestCompareEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reports []*slant.Report
		outlets int
	}{
		{"nothing", nil, 0},
		{"nil report", []*slant.Report{nil}, 0},
		{"no outlet, no text", []*slant.Report{{Article: slant.Article{ID: "x"}}}, 1},
		{"bad spans", []*slant.Report{{Article: slant.Article{ID: "y", Text: "short"}, Techniques: []slant.TechniqueSpan{{Span: slant.Span{Start: 3, End: 99}, Technique: "Doubt"}}}}, 1},
	}
	for _, tt := range tests {
		c := Compare("t", tt.reports, CompareOptions{})
		if len(c.Outlets) != tt.outlets {
			t.Errorf("%s: %d outlets, want %d", tt.name, len(c.Outlets), tt.outlets)
		}
		var buf bytes.Buffer
		if err := WriteText(&buf, c); err != nil {
			t.Errorf("%s: WriteText: %v", tt.name, err)
		}
		if err := WriteHTML(&buf, c); err != nil {
			t.Errorf("%s: WriteHTML: %v", tt.name, err)
		}
	}
}
