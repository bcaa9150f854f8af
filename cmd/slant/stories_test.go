package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
)

// storyArticles are invented articles: three outlets on one harbour strike,
// one on an unrelated satellite launch.
var storyArticles = []struct{ file, outlet, text string }{
	{"strike-wire.txt", "northwire.test", "Dockworkers walk out at Port Aldane over pay\n\nAround 3,500 dockworkers at Port Aldane began a 48-hour strike on Tuesday after pay talks collapsed, the Coastal Freight Union said. The union wants a 9 percent raise; the port authority offered 4 percent. \"We did not want this strike,\" said union leader Mira Osk.\n"},
	{"strike-labour.txt", "workersdawn.test", "Aldane dockers stand firm against greedy bosses\n\nThe brave dockworkers of Port Aldane are on strike against a port authority that paid its directors record bonuses. \"They offer us crumbs,\" union leader Mira Osk told a rally of the Coastal Freight Union. The strike over pay enters its second day.\n"},
	{"strike-state.txt", "statevoice.test", "Minister calls Aldane strike irresponsible\n\nTransport minister Oren Lask called the dockworkers' strike at Port Aldane irresponsible and urged the Coastal Freight Union to accept the port authority's pay offer of 4 percent. \"The economy cannot be held hostage,\" Lask said.\n"},
	{"launch.txt", "orbitweekly.test", "Norvania launches Kestrel-2 weather satellite\n\nNorvania's space agency launched the Kestrel-2 weather satellite from the Skarn site on Tuesday. The 450-kilogram satellite will track storms, agency director Lina Brek said.\n"},
}

// greedAnalyzer marks "greedy" as Loaded_Language so compare has a
// technique to count.
type greedAnalyzer struct{}

func (greedAnalyzer) Name() string { return "greed" }

func (greedAnalyzer) Analyze(_ context.Context, r *slant.Report) error {
	if i := strings.Index(r.Article.Text, "greedy"); i >= 0 {
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: slant.Span{Start: i, End: i + 6}, Technique: "Loaded_Language", Score: 0.9})
		r.Narratives = append(r.Narratives, slant.Narrative{Narrative: "Bosses exploit workers", Score: 0.6})
	}
	return nil
}

func TestStoriesCommands(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "slant.db")
	var stdout, stderr bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	reg := pipeline.NewRegistry()
	reg.Register("greed", 0, func() (slant.Analyzer, error) { return greedAnalyzer{}, nil })
	ctx := context.Background()
	ids := map[string]string{}
	for _, a := range storyArticles {
		p := filepath.Join(tmp, a.file)
		if err := os.WriteFile(p, []byte(a.text), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		if err := runIngest(ctx, e, []string{"--db", db, "--outlet", a.outlet, p}, reg); err != nil {
			t.Fatalf("ingest %s: %v\n%s", a.file, err, stderr.String())
		}
		m := regexp.MustCompile(`stored ([0-9a-f]+)`).FindStringSubmatch(stdout.String())
		if m == nil {
			t.Fatalf("ingest output %q has no id", stdout.String())
		}
		ids[a.file] = m[1]
	}
	runOK := func(args ...string) string {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		if err := run(ctx, append(args, "--db", db), e); err != nil {
			t.Fatalf("slant %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String()
	}
	type storyJSON struct {
		ID      int64 `json:"id"`
		Members []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
		} `json:"members"`
	}
	grouping := func() (map[string]int64, []storyJSON) {
		t.Helper()
		var list []storyJSON
		if err := json.Unmarshal([]byte(runOK("stories", "--format", "json")), &list); err != nil {
			t.Fatal(err)
		}
		of := map[string]int64{}
		for _, s := range list {
			for _, m := range s.Members {
				of[m.ID] = s.ID
			}
		}
		return of, list
	}

	out := runOK("stories")
	if !strings.Contains(out, "voices: northwire.test, statevoice.test, workersdawn.test") || !strings.Contains(out, "joined story") {
		t.Errorf("stories output:\n%s", out)
	}
	of, _ := grouping()
	strike, launch := of[ids["strike-wire.txt"]], of[ids["launch.txt"]]
	if of[ids["strike-labour.txt"]] != strike || of[ids["strike-state.txt"]] != strike || launch == strike {
		t.Fatalf("grouping %v", of)
	}

	cmp := runOK("compare", itoa64(strike))
	for _, want := range []string{"Techniques per 1,000 words", "Loaded_Language", "greedy", "Bosses exploit workers", "Facts missing from some versions"} {
		if !strings.Contains(cmp, want) {
			t.Errorf("compare lacks %q:\n%s", want, cmp)
		}
	}
	if html := runOK("compare", "--format", "html", itoa64(strike)); !strings.HasPrefix(html, "<!DOCTYPE html>") {
		t.Errorf("compare html starts %q", html[:min(40, len(html))])
	}
	outlets := filepath.Join(tmp, "outlets.csv")
	os.WriteFile(outlets, []byte("domain,name,factuality,bias,reliability\nnorthwire.test,North Wire,high,center,0.9\n"), 0o644)
	if js := runOK("compare", "--format", "json", "--outlets", outlets, itoa64(strike)); !strings.Contains(js, `"factuality": "high"`) {
		t.Errorf("--outlets profile not applied:\n%s", js)
	}

	// Move the launch into the strike story, then split it out again, then
	// merge: each edit survives the regrouping that follows.
	runOK("stories", "move", ids["launch.txt"], itoa64(strike))
	of, list := grouping()
	if of[ids["launch.txt"]] != of[ids["strike-wire.txt"]] {
		t.Fatalf("after move: %v", of)
	}
	for _, s := range list {
		for _, m := range s.Members {
			if !strings.Contains(m.Reason, "pinned by analyst") {
				t.Errorf("%s: reason %q after move", m.ID, m.Reason)
			}
		}
	}
	runOK("stories", "split", itoa64(of[ids["launch.txt"]]), ids["launch.txt"], ids["strike-state.txt"])
	of, _ = grouping()
	if of[ids["launch.txt"]] != of[ids["strike-state.txt"]] || of[ids["launch.txt"]] == of[ids["strike-wire.txt"]] {
		t.Fatalf("after split: %v", of)
	}
	runOK("stories", "merge", itoa64(of[ids["strike-wire.txt"]]), itoa64(of[ids["launch.txt"]]))
	of, list = grouping()
	if len(list) != 1 {
		t.Fatalf("after merge: %d stories, want 1: %v", len(list), of)
	}

	// Trends: text files carry no date, which the command says.
	runOK("trends")
	if !strings.Contains(stderr.String(), "without a publication date") {
		t.Errorf("trends stderr %q", stderr.String())
	}
	if svg := runOK("trends", "--format", "svg"); !strings.HasPrefix(svg, "<svg") {
		t.Errorf("trends svg = %q", svg)
	}

	for _, bad := range [][]string{
		{"stories", "--window", "soon"},
		{"stories", "merge", "1"},
		{"stories", "explode", "1"},
		{"compare"},
		{"compare", "x"},
		{"compare", "--format", "pdf", "1"},
		{"trends", "--kind", "colour"},
	} {
		if err := run(ctx, append(bad, "--db", db), e); err == nil {
			t.Errorf("slant %s: no error", strings.Join(bad, " "))
		}
	}
	if err := run(ctx, []string{"compare", "999", "--db", db}, e); slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Errorf("compare 999: %v", err)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestParseWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"7d", "168h0m0s", true},
		{"1.5d", "36h0m0s", true},
		{"2d12h", "60h0m0s", true},
		{"36h", "36h0m0s", true},
		{"-1d", "", false},
		{"0", "", false},
		{"week", "", false},
	}
	for _, tt := range tests {
		d, err := parseWindow(tt.in)
		if (err == nil) != tt.ok || tt.ok && d.String() != tt.want {
			t.Errorf("parseWindow(%q) = %v, %v", tt.in, d, err)
		}
	}
}

// TestStoryCommandsDoNotCreateStore: stories, compare and trends on a path
// with no store used to create the directories and an empty database, then
// report "No stories"; they must say that nothing was ingested yet.
func TestStoryCommandsDoNotCreateStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"stories", "--db", filepath.Join(dir, "a", "none.db")},
		{"compare", "--db", filepath.Join(dir, "b", "none.db"), "1"},
		{"trends", "--db", filepath.Join(dir, "c", "none.db")},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		if err == nil || !strings.Contains(err.Error(), "no store at") {
			t.Errorf("%v: err = %v, want 'no store at ...'", args, err)
		}
		if _, statErr := os.Stat(filepath.Dir(args[2])); !os.IsNotExist(statErr) {
			t.Errorf("%v created %s", args, filepath.Dir(args[2]))
		}
	}
}
