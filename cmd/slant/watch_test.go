package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
)

// wordCountAnalyzer is a cheap stand-in for the trained analyzers, so the
// watch tests exercise the command and not the models.
type wordCountAnalyzer struct{}

func (wordCountAnalyzer) Name() string { return "wordcount" }

func (wordCountAnalyzer) Analyze(_ context.Context, r *slant.Report) error {
	r.Genre = &slant.Label{Label: "news", Score: float64(len(strings.Fields(r.Article.Text))) / 1000}
	return nil
}

func watchRegistry() *pipeline.Registry {
	reg := pipeline.NewRegistry()
	reg.Register("wordcount", 1, func() (slant.Analyzer, error) { return wordCountAnalyzer{}, nil })
	return reg
}

// watchSite serves one RSS feed with an ETag, two article pages and a
// broken feed, counting requests per path.
func watchSite(t *testing.T) (*httptest.Server, func(string) int) {
	t.Helper()
	var mu sync.Mutex
	hits := map[string]int{}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("ETag", `"w1"`)
			if r.Header.Get("If-None-Match") == `"w1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Mirelo Gazette</title><link>%[1]s/</link>
<item><title>Mirelo council approves new tram line</title><link>%[1]s/tram</link><guid>t1</guid>
<description>The council approved the tram.</description></item>
<item><title>Corvanne orchestra cancels winter season</title><link>%[1]s/orchestra</link><guid>o1</guid>
<description>The orchestra cancelled its season.</description></item>
</channel></rss>`, srv.URL)
		case "/tram":
			fmt.Fprint(w, `<html><head><title>Mirelo council approves new tram line</title></head><body><article>
<h1>Mirelo council approves new tram line</h1>
<p>The Mirelo city council voted 31 to 12 on Thursday to build a tram line linking the station with the university district, a project first proposed in 2011.</p>
<p>Construction is due to start next spring and cost 240 million crowns, most of it from a national transport fund, the mayor's office said.</p>
<p>"This is the biggest change to how people move around Mirelo in fifty years," said deputy mayor Sofia Halloway.</p>
</article></body></html>`)
		case "/orchestra":
			fmt.Fprint(w, `<html><head><title>Corvanne orchestra cancels winter season</title></head><body><article>
<h1>Corvanne orchestra cancels winter season</h1>
<p>The Corvanne Philharmonic cancelled its entire winter season on Friday, blaming a shortfall of 3 million crowns after the regional council cut its grant.</p>
<p>Ticket holders will be refunded within thirty days, the orchestra's director Jonas Brenner said, and the players will keep their salaries until March.</p>
<p>"We have run out of ways to make the numbers work," Brenner told reporters outside the concert hall.</p>
</article></body></html>`)
		case "/broken.xml":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(p string) int { mu.Lock(); defer mu.Unlock(); return hits[p] }
}

func TestWatchOnce(t *testing.T) {
	t.Parallel()
	srv, hits := watchSite(t)
	db := filepath.Join(t.TempDir(), "slant.db")
	ctx := context.Background()
	args := []string{"--db", db, "--once", "--allow-private", srv.URL + "/broken.xml", srv.URL + "/feed.xml"}

	e, stdout, stderr := testEnv("")
	err := runWatch(ctx, e, args, watchRegistry())
	if !errors.Is(err, errPartial) {
		t.Fatalf("watch with a broken feed: err = %v, want errPartial\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "stored ") || !strings.HasSuffix(lines[0], "Mirelo council approves new tram line") ||
		!strings.HasPrefix(lines[1], "stored ") || !strings.HasSuffix(lines[1], "Corvanne orchestra cancels winter season") {
		t.Fatalf("stdout:\n%s", stdout)
	}
	for _, want := range []string{
		"slant: feeds: skipped feed " + srv.URL + "/broken.xml: HTTP 500",
		"watch: 2 feeds polled (0 not modified, 1 failed, 0 backing off), 2 new items: 2 stored, 0 unchanged, 0 from feed content, 0 skipped",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(db + ".feeds"); err != nil {
		t.Errorf("feed state file: %v", err)
	}

	// Second run, good feed only: 304, nothing printed, no page fetched.
	e, stdout, stderr = testEnv("")
	if err := runWatch(ctx, e, []string{"--db", db, "--once", "--allow-private", srv.URL + "/feed.xml"}, watchRegistry()); err != nil {
		t.Fatalf("second watch: %v\n%s", err, stderr)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "1 feeds polled (1 not modified") {
		t.Errorf("second watch printed %q, stderr %q", stdout, stderr)
	}
	if hits("/tram") != 1 || hits("/orchestra") != 1 || hits("/feed.xml") != 2 {
		t.Errorf("requests: tram %d, orchestra %d, feed %d; want 1, 1, 2", hits("/tram"), hits("/orchestra"), hits("/feed.xml"))
	}

	// The articles are in the store for the other commands.
	e, stdout, stderr = testEnv("")
	if err := run(ctx, []string{"list", "--db", db}, e); err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout.String(), "Mirelo council approves new tram line") {
		t.Errorf("list lacks the watched article:\n%s", stdout)
	}
}

func TestWatchRunsUntilCancelled(t *testing.T) {
	t.Parallel()
	srv, _ := watchSite(t)
	db := filepath.Join(t.TempDir(), "slant.db")
	ctx, cancel := context.WithCancel(context.Background())
	e, stdout, stderr := testEnv("")
	// Cancel as soon as the first round has stored both articles, as a
	// Ctrl-C would; the command must then return nil.
	w := &notifyWriter{w: stdout, after: 2, fn: cancel}
	e.Stdout = w
	if err := runWatch(ctx, e, []string{"--db", db, "--allow-private", srv.URL + "/feed.xml"}, watchRegistry()); err != nil {
		t.Fatalf("watch: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr.String(), "watch: stopped") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// notifyWriter calls fn after its after-th write.
type notifyWriter struct {
	w     interface{ Write([]byte) (int, error) }
	n     int
	after int
	fn    func()
}

func (n *notifyWriter) Write(b []byte) (int, error) {
	n.n++
	if n.n == n.after {
		n.fn()
	}
	return n.w.Write(b)
}

func TestWatchUsage(t *testing.T) {
	t.Parallel()
	tests := [][]string{
		{},
		{"--interval", "5s", "x.xml"},
		{"--interval", "soon", "x.xml"},
		{"--only", "nosuch", "x.xml"},
	}
	for _, args := range tests {
		e, _, _ := testEnv("")
		err := runWatch(context.Background(), e, append([]string{"--db", filepath.Join(t.TempDir(), "s.db")}, args...), watchRegistry())
		var u errUsage
		if !errors.As(err, &u) {
			t.Errorf("watch %q: err = %v, want a usage error", args, err)
		}
	}
}

func TestWatchStateFlag(t *testing.T) {
	t.Parallel()
	srv, hits := watchSite(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "elsewhere", "state.db")
	for round := 0; round < 2; round++ {
		e, _, stderr := testEnv("")
		args := []string{"--db", filepath.Join(dir, "slant.db"), "--state", state, "--once", "--allow-private", srv.URL + "/feed.xml"}
		if err := runWatch(context.Background(), e, args, watchRegistry()); err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, stderr)
		}
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("--state file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "slant.db.feeds")); err == nil {
		t.Error("the default state file was created although --state was given")
	}
	if hits("/tram") != 1 {
		t.Errorf("/tram fetched %d times, want 1: the state must carry over between runs", hits("/tram"))
	}
}
