package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/sqlite"
)

// storeArticles are invented articles for the store command tests.
var storeArticles = map[string]string{
	"a-wire.txt":    "Ferry service to Holm resumes\n\nThe Holm ferry sailed again on Tuesday after a two-week repair, the operator said.\n",
	"b-opinion.txt": "The Holm ferry disaster nobody will name\n\nAnother week, another disaster. The traitors at the port authority smile.\n",
	"c-local.txt":   "Holm café reopens as ferry returns\n\nThe café by the pier served its first coffee since the ferry stopped.\n",
}

// keywordAnalyzer is a stand-in for the trained analyzers: it marks each
// "disaster" as Loaded_Language and tags articles that say "traitors" with
// a narrative, so the tests can check what the store indexes.
type keywordAnalyzer struct{}

func (keywordAnalyzer) Name() string { return "keywords" }

func (keywordAnalyzer) Analyze(_ context.Context, r *slant.Report) error {
	text := r.Article.Text
	for i := 0; ; {
		j := strings.Index(text[i:], "disaster")
		if j < 0 {
			break
		}
		start := i + j
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: slant.Span{Start: start, End: start + len("disaster")}, Technique: "Loaded_Language", Score: 0.9})
		i = start + 1
	}
	if strings.Contains(text, "traitors") {
		r.Narratives = append(r.Narratives, slant.Narrative{Narrative: "Blame", Subnarrative: "Blame: Officials betray", Score: 0.6})
	}
	r.Genre = &slant.Label{Label: "opinion", Score: 0.7}
	return nil
}

func keywordRegistry() *pipeline.Registry {
	reg := pipeline.NewRegistry()
	reg.Register("keywords", 0, func() (slant.Analyzer, error) { return keywordAnalyzer{}, nil })
	return reg
}

// storeEnv returns an Env whose store is a fresh file, with the test
// articles written to a directory.
func storeEnv(t *testing.T) (e *Env, stdout, stderr *bytes.Buffer, dir, db string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "articles")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range storeArticles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db = filepath.Join(tmp, "store", "slant.db")
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	env := map[string]string{"SLANT_DB": db}
	e = &Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Getenv: func(k string) string { return env[k] }}
	return e, stdout, stderr, dir, db
}

var storedLine = regexp.MustCompile(`^(stored|unchanged|updated) ([0-9a-f]{16}) (.+)$`)

// ingestLines parses ingest's stdout into verb and id per title.
func ingestLines(t *testing.T, out string) map[string][2]string {
	t.Helper()
	got := map[string][2]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := storedLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("ingest output line %q is not 'stored|unchanged ID TITLE'", line)
		}
		got[m[3]] = [2]string{m[1], m[2]}
	}
	return got
}

func TestIngestCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, stdout, stderr, dir, db := storeEnv(t)
	missing := filepath.Join(dir, "missing.txt")

	err := runIngest(ctx, e, []string{dir, missing, "--jobs", "2"}, keywordRegistry())
	if !errors.Is(err, errPartial) {
		t.Fatalf("ingest with a missing file: err = %v, want errPartial", err)
	}
	lines := ingestLines(t, stdout.String())
	if len(lines) != 3 {
		t.Fatalf("ingest printed %d articles, want 3:\n%s", len(lines), stdout)
	}
	for title, l := range lines {
		if l[0] != "stored" {
			t.Errorf("%s: %s, want stored", title, l[0])
		}
	}
	wantErr := []string{"slant: skipped: " + missing, "ingest: 3 stored, 0 unchanged, 1 skipped, in " + db}
	for _, w := range wantErr {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("store not created at SLANT_DB: %v", err)
	}

	// Running the same job again stores nothing and succeeds.
	stdout.Reset()
	stderr.Reset()
	if err := runIngest(ctx, e, []string{dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	again := ingestLines(t, stdout.String())
	for title, l := range again {
		if l[0] != "unchanged" || l[1] != lines[title][1] {
			t.Errorf("re-ingest %s: %v, want unchanged %s", title, l, lines[title][1])
		}
	}
	if !strings.Contains(stderr.String(), "ingest: 0 stored, 3 unchanged, 0 skipped") {
		t.Errorf("re-ingest summary: %s", stderr)
	}

	// An edited file is a new version of the same source.
	path := filepath.Join(dir, "a-wire.txt")
	if err := os.WriteFile(path, []byte(storeArticles["a-wire.txt"]+"Tickets cost more.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := runIngest(ctx, e, []string{path}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	if l := ingestLines(t, stdout.String())["Ferry service to Holm resumes"]; l[0] != "stored" || l[1] == lines["Ferry service to Holm resumes"][1] {
		t.Errorf("edited file: %v, want a new stored id", l)
	}
	stdout.Reset()
	if err := run(ctx, []string{"list", "--query", "tickets"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "Ferry service to Holm resumes (version 2)") {
		t.Errorf("list does not show the second version:\n%s", stdout)
	}
}

func TestIngestStdinAndDBFlag(t *testing.T) {
	t.Parallel()
	e, stdout, _, _, envDB := storeEnv(t)
	e.Stdin = strings.NewReader("Pier lights fixed\n\nThe council fixed the pier lights.\n")
	flagDB := filepath.Join(t.TempDir(), "flag.db")
	if err := runIngest(context.Background(), e, []string{"--db", flagDB, "-"}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	if l := ingestLines(t, stdout.String()); l["Pier lights fixed"][0] != "stored" {
		t.Fatalf("stdin ingest printed %q", stdout)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("--db file not created: %v", err)
	}
	if _, err := os.Stat(envDB); err == nil {
		t.Errorf("--db given, yet SLANT_DB %s was created too", envDB)
	}
}

func TestStoreDefaultPath(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var stdout, stderr bytes.Buffer
	e := &Env{Stdin: strings.NewReader("Harbour news\n\nBoats.\n"), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string {
			if k == "XDG_DATA_HOME" {
				return data
			}
			return ""
		}}
	// The empty registry keeps this test from loading the real models.
	if err := runIngest(context.Background(), e, []string{"-"}, pipeline.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(data, "slant", "slant.db")
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("first run did not create %s: %v", want, err)
	}
	// Without HOME or XDG_DATA_HOME there is nowhere to put it: a one-line
	// error naming the way out.
	e.Getenv = func(string) string { return "" }
	err := run(context.Background(), []string{"list"}, e)
	if err == nil || !strings.Contains(err.Error(), "--db") {
		t.Fatalf("list without HOME: err = %v, want a hint at --db", err)
	}
}

// ingested returns an Env whose store holds storeArticles analysed by
// keywordAnalyzer, and their ids by file name.
func ingested(t *testing.T) (e *Env, stdout, stderr *bytes.Buffer, ids map[string]string) {
	t.Helper()
	e, stdout, stderr, dir, _ := storeEnv(t)
	if err := runIngest(context.Background(), e, []string{dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	ids = map[string]string{}
	for title, l := range ingestLines(t, stdout.String()) {
		for name, text := range storeArticles {
			if strings.HasPrefix(text, title+"\n") {
				ids[name] = l[1]
			}
		}
	}
	stdout.Reset()
	stderr.Reset()
	return e, stdout, stderr, ids
}

func TestListCommand(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, ids := ingested(t)
	tests := []struct {
		args []string
		want []string // files expected, in any order
	}{
		{[]string{"list"}, []string{"a-wire.txt", "b-opinion.txt", "c-local.txt"}},
		{[]string{"list", "--query", "cafe"}, []string{"c-local.txt"}},
		{[]string{"list", "--technique", "Loaded_Language"}, []string{"b-opinion.txt"}},
		{[]string{"list", "--narrative", "Blame: Officials betray"}, []string{"b-opinion.txt"}},
		{[]string{"list", "--query", "ferry", "--limit", "1"}, nil}, // one of the three
		{[]string{"list", "--since", "2000-01-01", "--until", "2999-12-31"}, []string{"a-wire.txt", "b-opinion.txt", "c-local.txt"}},
		{[]string{"list", "--until", "2000-01-01"}, []string{}},
	}
	for _, tt := range tests {
		stdout.Reset()
		stderr.Reset()
		if err := run(context.Background(), tt.args, e); err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		out := stdout.String()
		if tt.want == nil {
			if n := strings.Count(out, "\n"); n != 2 {
				t.Errorf("%v: %d lines, want header and 1 row:\n%s", tt.args, n, out)
			}
			continue
		}
		if len(tt.want) == 0 {
			if out != "" || !strings.Contains(stderr.String(), "no stored articles match") {
				t.Errorf("%v: stdout %q stderr %q, want nothing and a note", tt.args, out, stderr)
			}
			continue
		}
		if !strings.HasPrefix(out, "ID ") || strings.Count(out, "\n") != len(tt.want)+1 {
			t.Errorf("%v: want a header and %d rows:\n%s", tt.args, len(tt.want), out)
		}
		for _, name := range tt.want {
			if !strings.Contains(out, ids[name]) {
				t.Errorf("%v: %s (%s) missing:\n%s", tt.args, name, ids[name], out)
			}
		}
	}

	stdout.Reset()
	if err := run(context.Background(), []string{"list", "--format", "json"}, e); err != nil {
		t.Fatal(err)
	}
	var arts []slant.StoredArticle
	if err := json.Unmarshal(stdout.Bytes(), &arts); err != nil || len(arts) != 3 {
		t.Fatalf("list --format json: %d articles, %v", len(arts), err)
	}
}

func TestShowCommand(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, ids := ingested(t)
	ctx := context.Background()
	id := ids["b-opinion.txt"]

	if err := run(ctx, []string{"show", id[:7]}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "The Holm ferry disaster nobody will name") {
		t.Errorf("show text lacks the title:\n%s", stdout)
	}

	stdout.Reset()
	if err := run(ctx, []string{"show", "--format", "json", id}, e); err != nil {
		t.Fatal(err)
	}
	var reps []slant.Report
	if err := json.Unmarshal(stdout.Bytes(), &reps); err != nil || len(reps) != 1 {
		t.Fatalf("show --format json: %v\n%s", err, stdout)
	}
	r := reps[0]
	if r.Article.ID != id || r.Article.Text != storeArticles["b-opinion.txt"] || len(r.Techniques) != 2 || r.Techniques[0].Span.Text(r.Article.Text) != "disaster" {
		t.Errorf("show json report = %+v", r)
	}

	// A missing id is a one-line not-found error.
	stdout.Reset()
	err := run(ctx, []string{"show", "ffffffffffffffff"}, e)
	if slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Errorf("show missing id: err = %v, want ENOTFOUND", err)
	}
	// Among several ids, a missing one is skipped and the rest shown.
	stdout.Reset()
	err = run(ctx, []string{"show", "--format", "jsonl", id, "0000000000000000", ids["a-wire.txt"]}, e)
	if !errors.Is(err, errPartial) || strings.Count(stdout.String(), "\n") != 2 || !strings.Contains(stderr.String(), "0000000000000000") {
		t.Errorf("show with one missing id: err %v, stdout %d lines, stderr %q", err, strings.Count(stdout.String(), "\n"), stderr)
	}
}

func TestExportCommand(t *testing.T) {
	t.Parallel()
	e, stdout, _, ids := ingested(t)
	ctx := context.Background()

	if err := run(ctx, []string{"export", "--format", "jsonl"}, e); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("export jsonl: %d lines, want 3", len(lines))
	}
	for _, l := range lines {
		var r slant.Report
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Article.Text == "" || r.Genre == nil || r.Genre.Label != "opinion" {
			t.Errorf("export jsonl report lacks text or analysis: %+v", r)
		}
	}

	stdout.Reset()
	if err := run(ctx, []string{"export", "--format", "csv"}, e); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(stdout).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("export csv: %d rows, want header and 3", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"id", "title", "genre", "narratives", "technique_spans", "technique:Loaded_Language", "technique:other"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("csv header lacks %q: %v", h, rows[0])
		}
	}
	for _, row := range rows[1:] {
		wantSpans, wantNarr := "0", ""
		if row[col["id"]] == ids["b-opinion.txt"] {
			wantSpans, wantNarr = "2", "Blame"
		}
		if row[col["technique:Loaded_Language"]] != wantSpans || row[col["technique_spans"]] != wantSpans ||
			row[col["narratives"]] != wantNarr || row[col["genre"]] != "opinion" {
			t.Errorf("csv row %v: want %s Loaded_Language spans, narratives %q", row, wantSpans, wantNarr)
		}
	}

	// Filters apply to export as to list.
	stdout.Reset()
	if err := run(ctx, []string{"export", "--format", "csv", "--query", "café"}, e); err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(stdout).ReadAll(); len(rows) != 2 || rows[1][0] != ids["c-local.txt"] {
		t.Errorf("export --query café: %v", rows)
	}
}

func TestStoreCommandUsage(t *testing.T) {
	t.Parallel()
	e, _, _, _, _ := storeEnv(t)
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", "--jobs", "0", "x"},
		{"ingest", "--only", "nosuch", "x"},
		{"list", "stray"},
		{"list", "--limit", "-1"},
		{"list", "--since", "yesterday"},
		{"list", "--format", "xml"},
		{"show"},
		{"show", "--format", "pdf", "abc"},
		{"export"},
		{"export", "--format", "xml"},
	} {
		var u errUsage
		if err := run(context.Background(), args, e); !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

// cancelAnalyzer stands for the user pressing Ctrl-C while the first
// article is analysed.
type cancelAnalyzer struct{ cancel context.CancelFunc }

func (cancelAnalyzer) Name() string { return "cancel" }

func (c cancelAnalyzer) Analyze(ctx context.Context, _ *slant.Report) error {
	c.cancel()
	return ctx.Err()
}

func TestIngestInterrupted(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, dir, _ := storeEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := pipeline.NewRegistry()
	reg.Register("cancel", 0, func() (slant.Analyzer, error) { return cancelAnalyzer{cancel}, nil })
	err := runIngest(ctx, e, []string{dir, "--jobs", "1"}, reg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest: err = %v", err)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted after 0 of 3 articles") ||
		!strings.Contains(stderr.String(), "run the same command again") {
		t.Errorf("cancelled ingest: stdout %q, stderr %q", stdout, stderr)
	}
}

func TestIngestReanalyze(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, stdout, stderr, dir, _ := storeEnv(t)
	// First ingest with no analyzers at all, as before any model existed.
	if err := runIngest(ctx, e, []string{dir}, pipeline.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	first := ingestLines(t, stdout.String())
	stdout.Reset()
	// Without --reanalyze the new analyzer does not run on stored text.
	if err := runIngest(ctx, e, []string{dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"list", "--technique", "Loaded_Language"}, e); err != nil || stdout.Len() != 0 {
		t.Fatalf("technique found before --reanalyze: %v\n%s", err, stdout)
	}
	stderr.Reset()
	if err := runIngest(ctx, e, []string{"--reanalyze", dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	for title, l := range ingestLines(t, stdout.String()) {
		if l[0] != "updated" || l[1] != first[title][1] {
			t.Errorf("--reanalyze %s: %v, want updated %s", title, l, first[title][1])
		}
	}
	if !strings.Contains(stderr.String(), "0 stored, 3 updated, 0 skipped") {
		t.Errorf("--reanalyze summary: %s", stderr)
	}
	stdout.Reset()
	if err := run(ctx, []string{"list", "--technique", "Loaded_Language"}, e); err != nil || strings.Count(stdout.String(), "\n") != 2 {
		t.Fatalf("after --reanalyze, list --technique: %v\n%s", err, stdout)
	}
}

func TestIngestURLVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, stdout, _, _, _ := storeEnv(t)
	var mu sync.Mutex
	body := "The lock gates at Vess were repaired overnight, the harbour office said."
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Vess lock gates repaired</title>
<meta property="og:site_name" content="Vess Harbour News"></head><body><article><h1>Vess lock gates repaired</h1>
<p>%s</p><p>Ships queued since Sunday can now pass, and the office expects the backlog to clear by Friday evening.</p>
<p>Engineers from the canal authority worked in shifts through the night to replace the damaged hinge assemblies.</p>
</article></body></html>`, b)
	}))
	defer srv.Close()
	url := srv.URL + "/news/lock-gates?utm_source=feed"

	ingestURL := func() [2]string {
		t.Helper()
		stdout.Reset()
		if err := runIngest(ctx, e, []string{"--allow-private", url}, keywordRegistry()); err != nil {
			t.Fatal(err)
		}
		for _, l := range ingestLines(t, stdout.String()) {
			return l
		}
		t.Fatal("no output")
		return [2]string{}
	}
	v1 := ingestURL()
	if again := ingestURL(); again[0] != "unchanged" || again[1] != v1[1] {
		t.Fatalf("same page again: %v, want unchanged %s", again, v1[1])
	}
	mu.Lock()
	body = "The lock gates at Vess were repaired overnight, the harbour office said on Tuesday."
	mu.Unlock()
	if v2 := ingestURL(); v2[0] != "stored" || v2[1] == v1[1] {
		t.Fatalf("edited page: %v, want a new stored version", v2)
	}
	stdout.Reset()
	if err := run(ctx, []string{"list", "--format", "json"}, e); err != nil {
		t.Fatal(err)
	}
	var arts []slant.StoredArticle
	if err := json.Unmarshal(stdout.Bytes(), &arts); err != nil || len(arts) != 2 {
		t.Fatalf("list: %v, %v", arts, err)
	}
	if arts[0].Version != 2 || arts[1].Version != 1 || arts[0].ID == v1[1] {
		t.Errorf("versions newest first = %d, %d; want 2, 1", arts[0].Version, arts[1].Version)
	}
}

// nanAnalyzer stands for an analyzer bug: a NaN score, which JSON cannot
// encode, on articles that mention the café.
type nanAnalyzer struct{}

func (nanAnalyzer) Name() string { return "nan" }

func (nanAnalyzer) Analyze(_ context.Context, r *slant.Report) error {
	if strings.Contains(r.Article.Text, "café") {
		r.Genre = &slant.Label{Label: "reporting", Score: math.NaN()}
	}
	return nil
}

func TestIngestSkipsUnstorableReport(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, dir, _ := storeEnv(t)
	reg := pipeline.NewRegistry()
	reg.Register("nan", 0, func() (slant.Analyzer, error) { return nanAnalyzer{}, nil })
	err := runIngest(context.Background(), e, []string{dir}, reg)
	if !errors.Is(err, errPartial) {
		t.Fatalf("err = %v, want errPartial", err)
	}
	if n := len(ingestLines(t, stdout.String())); n != 2 {
		t.Errorf("%d articles stored, want the 2 without a NaN", n)
	}
	if !strings.Contains(stderr.String(), "c-local.txt: encode report: json: unsupported value: NaN") || !strings.Contains(stderr.String(), "2 stored, 0 unchanged, 1 skipped") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// Environment of the child process TestIngestKilled starts.
const (
	killDirEnv = "SLANT_TEST_KILL_DIR"
	killDBEnv  = "SLANT_TEST_KILL_DB"
)

// TestIngestKilledHelper is not a test on its own: TestIngestKilled runs
// the test binary again with killDirEnv set, and this runs 'slant ingest'
// there until it is killed.
func TestIngestKilledHelper(t *testing.T) {
	dir := os.Getenv(killDirEnv)
	if dir == "" {
		t.Skip("helper process for TestIngestKilled")
	}
	e := &Env{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: func(string) string { return "" }}
	if err := runIngest(context.Background(), e, []string{"--db", os.Getenv(killDBEnv), "--jobs", "2", dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
}

// TestIngestKilled kills 'slant ingest' (SIGKILL) part way through a
// directory, then runs it again: the second run must store exactly what the
// first did not, leaving every article stored once in an intact store.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	t.Parallel()
	const n = 120
	e, stdout, _, dir, db := storeEnv(t)
	for i := range n {
		text := fmt.Sprintf("Tide table %d for Holm\n\nHigh water at %d:%02d; the disaster of last spring is not expected to repeat.\n", i, i%24, i%60)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("tide-%03d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	total := n + len(storeArticles)

	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestKilledHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killDirEnv+"="+dir, killDBEnv+"="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	seen := 0
	for seen < 30 && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "stored ") {
			seen++
		}
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	cmd.Wait()
	if seen < 30 {
		t.Fatalf("child stored %d articles before it ended, want at least 30", seen)
	}

	if err := runIngest(context.Background(), e, []string{"--db", db, dir}, keywordRegistry()); err != nil {
		t.Fatal(err)
	}
	lines := ingestLines(t, stdout.String())
	stored, unchanged := 0, 0
	for _, l := range lines {
		switch l[0] {
		case "stored":
			stored++
		case "unchanged":
			unchanged++
		}
	}
	if len(lines) != total || unchanged < seen || stored+unchanged != total {
		t.Fatalf("re-run: %d stored + %d unchanged of %d; the killed run had reported %d", stored, unchanged, total, seen)
	}

	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	arts, err := s.Articles(context.Background(), slant.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range arts {
		ids[a.ID] = true
		if a.Version != 1 {
			t.Errorf("%s: version %d after a kill and a re-run, want 1", a.ID, a.Version)
		}
	}
	if len(arts) != total || len(ids) != total {
		t.Fatalf("%d articles (%d distinct) stored, want %d", len(arts), len(ids), total)
	}
	withTechnique, err := s.Articles(context.Background(), slant.ArticleFilter{Technique: "Loaded_Language"})
	if err != nil || len(withTechnique) != n+1 {
		t.Fatalf("%d articles indexed with Loaded_Language, want %d (%v)", len(withTechnique), n+1, err)
	}
}

// TestReadCommandsDoNotCreateStore is the regression test for "slant list
// --db /typo/x.db" creating the directories and an empty database, then
// saying "no stored articles match": list, show and export on a path with no
// store must say so in one line, exit 1 and create nothing.
func TestReadCommandsDoNotCreateStore(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	for _, args := range [][]string{
		{"list", "--db", filepath.Join(home, "typo", "x.db")},
		{"export", "--format", "csv", "--db", filepath.Join(home, "x.db")},
		{"show", "--db", filepath.Join(home, "x.db"), "abc"},
		{"list"}, // the default path under HOME
	} {
		var stdout, stderr bytes.Buffer
		e := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		}}
		code := exitCode(run(context.Background(), args, e), &stderr)
		if code != 1 || stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1 ||
			!strings.Contains(stderr.String(), "yet: run 'slant ingest PATH...' first") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
	if entries, err := os.ReadDir(home); err != nil || len(entries) != 0 {
		t.Errorf("read commands created %v (%v)", entries, err)
	}
}
