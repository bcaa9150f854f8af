package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slant-news/slant"
	slanthttp "github.com/slant-news/slant/http"
	"github.com/slant-news/slant/pipeline"
)

func serveEnv(env map[string]string) (*Env, *bytes.Buffer) {
	var errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }}, &errb
}

func TestServeFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		token   string
	}{
		{name: "defaults", args: nil},
		{name: "loopback needs no token", args: []string{"--addr", "127.0.0.1:9000"}},
		{name: "all interfaces without token", args: []string{"--addr", ":8080"}, wantErr: "set --token or SLANT_TOKEN"},
		{name: "public address without token", args: []string{"--addr", "0.0.0.0:8080"}, wantErr: "set --token or SLANT_TOKEN"},
		{name: "token flag", args: []string{"--addr", ":8080", "--token", "abc"}, token: "abc"},
		{name: "token from env", args: []string{"--addr", ":8080"}, env: map[string]string{"SLANT_TOKEN": "xyz"}, token: "xyz"},
		{name: "flag beats env", args: []string{"--token", "abc"}, env: map[string]string{"SLANT_TOKEN": "xyz"}, token: "abc"},
		{name: "argument", args: []string{"extra"}, wantErr: "serve takes no arguments"},
		{name: "bad max body", args: []string{"--max-body", "0"}, wantErr: "--max-body"},
		{name: "unknown flag", args: []string{"--port", "80"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := serveEnv(tt.env)
			c, err := parseServeFlags(e, tt.args)
			if tt.wantErr != "" {
				var u errUsage
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &u) {
					t.Fatalf("err %v, want a usage error containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.token != tt.token {
				t.Errorf("token %q, want %q", c.token, tt.token)
			}
		})
	}
}

// TestServeRefusesPublicWithoutToken runs the command as a user would: it
// must exit with status 2 and one line, before listening.
func TestServeRefusesPublicWithoutToken(t *testing.T) {
	t.Parallel()
	e, errb := serveEnv(nil)
	err := run(context.Background(), []string{"serve", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "s.db")}, e)
	if code := exitCode(err, errb); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if lines := strings.Count(errb.String(), "\n"); lines != 1 || !strings.Contains(errb.String(), "token") {
		t.Errorf("stderr %q, want one line about the token", errb.String())
	}
}

// TestServeRuns starts the real command on a free loopback port, asks the
// API, and stops it by cancelling its context.
func TestServeRuns(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, errb := serveEnv(nil)
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	dir := t.TempDir()
	outlets := filepath.Join(dir, "outlets.csv")
	if err := os.WriteFile(outlets, []byte("domain,name,factuality,bias,reliability\nbridgewatch.example,Bridge Watch,low,right,-0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	go func() {
		done <- runServe(ctx, e, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "s.db"), "--outlets", outlets},
			pipeline.NewRegistry(), func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped at once: %v (%s)", err, errb)
	}
	// The --outlets file adds a profile the built-in table lacks.
	resp, err := http.Get("http://" + addr + "/api/v1/outlets/bridgewatch.example")
	if err != nil {
		t.Fatal(err)
	}
	var prof struct {
		Profile struct{ Name, Factuality string }
	}
	json.NewDecoder(resp.Body).Decode(&prof)
	resp.Body.Close()
	if resp.StatusCode != 200 || prof.Profile.Name != "Bridge Watch" || prof.Profile.Factuality != "low" {
		t.Errorf("outlet from --outlets: %d %+v", resp.StatusCode, prof)
	}
	resp, err = http.Post("http://"+addr+"/api/v1/analyze", "text/plain", strings.NewReader("Title\n\nSome text about a bridge."))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body["report"] == nil {
		t.Fatalf("analyze: %d %v", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	if !strings.Contains(errb.String(), "serving http://"+addr+"/") {
		t.Errorf("stderr %q does not say where it serves", errb.String())
	}
}

// fiveKBArticle builds an article of about 5 KB from the examples: the first
// one's title and the bodies of the others, cut at a paragraph.
func fiveKBArticle(tb testing.TB) string {
	paths, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.txt"))
	if err != nil || len(paths) == 0 {
		tb.Skipf("no examples/*.txt: %v", err)
	}
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		text := string(data)
		if b.Len() > 0 {
			// Drop the other titles: one article has one headline.
			_, text, _ = strings.Cut(text, "\n\n")
		}
		for _, para := range strings.SplitAfter(text, "\n") {
			if b.Len()+len(para) > 5120 {
				return b.String()
			}
			b.WriteString(para)
		}
	}
	return b.String()
}

// BenchmarkServeAnalyze measures POST /api/v1/analyze on a 5 KB article
// with 20 concurrent clients over loopback, through the real handler and
// every analyzer built into the binary, and reports latency percentiles.
// A one-client run gives the latency without queueing.
//
//	go test ./cmd/slant -run '^$' -bench ServeAnalyze -benchtime 2000x
//
// The "none" case runs no analyzer (only segmentation), which isolates the
// cost of HTTP, JSON and the server from the cost of the models.
func BenchmarkServeAnalyze(b *testing.B) {
	as, _, err := loadAnalyzers(analyzers, "", io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("analyzers=all/clients=20", func(b *testing.B) { benchServeAnalyze(b, as, 20, 0) })
	// Uncapped: every request analyses at once, as without MaxAnalyses.
	b.Run("analyzers=all/clients=20/uncapped", func(b *testing.B) { benchServeAnalyze(b, as, 20, 1000) })
	b.Run("analyzers=none/clients=20", func(b *testing.B) { benchServeAnalyze(b, nil, 20, 0) })
	b.Run("analyzers=all/clients=1", func(b *testing.B) { benchServeAnalyze(b, as, 1, 0) })
}

func benchServeAnalyze(b *testing.B, as []slant.Analyzer, clients, maxAnalyses int) {
	article := fiveKBArticle(b)
	srv := httptest.NewServer(slanthttp.NewServer(slanthttp.Options{Analyzers: as, MaxAnalyses: maxAnalyses}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]string{"text": article})

	post := func() (time.Duration, error) {
		start := time.Now()
		resp, err := client.Post(srv.URL+"/api/v1/analyze", "application/json", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), err
	}
	// Warm up: models load lazily on the first analysis.
	if _, err := post(); err != nil {
		b.Fatal(err)
	}

	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan int, b.N)
	for i := range b.N {
		next <- i
	}
	close(next)
	b.SetBytes(int64(len(article)))
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := post()
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(article)), "article-bytes")
}

// TestServeStoriesAreTheCLIs checks that the web API shows the stories
// `slant stories` stored, with their ids and the analyst's merge, and that
// an article added later makes the server regroup with the pins kept.
func TestServeStoriesAreTheCLIs(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "slant.db")
	var stdout, stderr bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	reg := pipeline.NewRegistry()
	reg.Register("greed", 0, func() (slant.Analyzer, error) { return greedAnalyzer{}, nil })
	ctx := context.Background()
	ingest := func(file, outlet, text string) {
		t.Helper()
		p := filepath.Join(tmp, file)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := runIngest(ctx, e, []string{"--db", db, "--outlet", outlet, p}, reg); err != nil {
			t.Fatalf("ingest %s: %v\n%s", file, err, stderr.String())
		}
	}
	// The strike story (two outlets) and the unrelated launch.
	for _, a := range storyArticles {
		if a.file != "strike-state.txt" {
			ingest(a.file, a.outlet, a.text)
		}
	}
	type cliStory struct {
		ID      int64 `json:"id"`
		Members []struct {
			ID string `json:"id"`
		} `json:"members"`
	}
	cliStories := func(args ...string) []cliStory {
		t.Helper()
		stdout.Reset()
		if err := run(ctx, append(append([]string{"stories"}, args...), "--db", db, "--format", "json"), e); err != nil {
			t.Fatalf("slant stories %v: %v\n%s", args, err, stderr.String())
		}
		var list []cliStory
		if err := json.Unmarshal(stdout.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
		return list
	}
	list := cliStories()
	if len(list) != 2 {
		t.Fatalf("CLI grouped %d stories, want the strike and the launch: %+v", len(list), list)
	}
	merged := cliStories("merge", itoa64(list[0].ID), itoa64(list[1].ID))
	if len(merged) != 1 || len(merged[0].Members) != 3 {
		t.Fatalf("after merge: %+v", merged)
	}

	store, err := openStore(ctx, e, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv := httptest.NewServer(slanthttp.NewServer(slanthttp.Options{Store: store, Context: ctx, Regroup: serveRegroup(store)}))
	defer srv.Close()
	type apiStory struct {
		ID       int64    `json:"id"`
		Articles int      `json:"articles"`
		Voices   []string `json:"voices"`
	}
	apiStories := func() []apiStory {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/v1/stories")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var page struct {
			Stories []apiStory `json:"stories"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /api/v1/stories: %d %v", resp.StatusCode, err)
		}
		return page.Stories
	}
	got := apiStories()
	if len(got) != 1 || got[0].ID != merged[0].ID || got[0].Articles != 3 {
		t.Fatalf("API stories %+v, want the CLI's merged story %d with 3 articles", got, merged[0].ID)
	}
	for _, path := range []string{"/api/v1/stories/" + itoa64(got[0].ID), "/api/v1/stories/" + itoa64(got[0].ID) + "/compare"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}

	// A third outlet on the strike: the server regroups the whole store
	// with the pins, so the launch stays merged into the strike story.
	for _, a := range storyArticles {
		if a.file == "strike-state.txt" {
			ingest(a.file, a.outlet, a.text)
		}
	}
	got = apiStories()
	if len(got) != 1 || got[0].Articles != 4 || len(got[0].Voices) != 4 {
		t.Fatalf("after a new article the API shows %+v, want one pinned story of 4 outlets", got)
	}
	stored, err := store.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].ID != got[0].ID || len(stored[0].Articles) != 4 || !stored[0].Pinned {
		t.Errorf("the server's regrouping was not stored as the CLI's: %+v", stored)
	}
	// compare reads the same stored story.
	stdout.Reset()
	if err := run(ctx, []string{"compare", "--db", db, itoa64(got[0].ID)}, e); err != nil {
		t.Errorf("slant compare %d: %v", got[0].ID, err)
	}
}
