package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScaleIngestGroup is the issue 6 item 7 benchmark: generate N short
// articles (gen-corpus, HTML), then `slant ingest` them into a fresh store
// (read, boilerplate removal, every analyzer, store) and `slant stories`
// (group them all), in process, and print articles/s, wall time per phase
// and peak RSS (VmHWM). It is far too slow for the normal test run, so it
// runs only with SLANT_BENCH_SCALE=1:
//
//	SLANT_BENCH_SCALE=1 SLANT_BENCH_N=20000 go test -run TestScaleIngestGroup -v -timeout 2h ./cmd/slant
func TestScaleIngestGroup(t *testing.T) {
	if os.Getenv("SLANT_BENCH_SCALE") != "1" {
		t.Skip("scale benchmark: set SLANT_BENCH_SCALE=1 (and SLANT_BENCH_N, default 20000) to run it")
	}
	n := 20000
	if s := os.Getenv("SLANT_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("SLANT_BENCH_N=%q: want a positive integer", s)
		}
		n = v
	}
	ctx := context.Background()
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	db := filepath.Join(dir, "slant.db")

	start := time.Now()
	textBytes, err := writeCorpus(ctx, corpus, n, 1, "html")
	if err != nil {
		t.Fatal(err)
	}
	genTime := time.Since(start)

	var stderr bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	cpu0, _ := cpuTime()
	start = time.Now()
	if err := run(ctx, []string{"ingest", "--db", db, corpus}, e); err != nil {
		t.Fatalf("ingest: %v\n%s", err, tail(stderr.String(), 2000))
	}
	ingestTime := time.Since(start)
	cpu1, _ := cpuTime()
	if !strings.Contains(stderr.String(), fmt.Sprintf("ingest: %d stored, 0 unchanged, 0 skipped", n)) {
		t.Fatalf("ingest did not store all %d articles:\n%s", n, tail(stderr.String(), 2000))
	}
	rssIngest, src := peakRSS()

	var out bytes.Buffer
	e.Stdout = &out
	start = time.Now()
	if err := run(ctx, []string{"stories", "--db", db, "--format", "json"}, e); err != nil {
		t.Fatalf("stories: %v\n%s", err, tail(stderr.String(), 2000))
	}
	groupTime := time.Since(start)
	cpu2, _ := cpuTime()
	rss, _ := peakRSS()
	nStories := strings.Count(out.String(), "\n  {")
	if nStories == 0 {
		t.Fatalf("stories printed no story")
	}
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}

	total := ingestTime + groupTime
	t.Logf("articles   %d generated HTML articles, %s of text, generated in %s", n, humanBytes(textBytes), genTime.Round(time.Millisecond))
	t.Logf("ingest     %s wall, %s cpu: %.1f articles/s", ingestTime.Round(time.Millisecond), (cpu1 - cpu0).Round(time.Millisecond), float64(n)/ingestTime.Seconds())
	t.Logf("group      %s wall, %s cpu: %.1f articles/s, %d stories", groupTime.Round(time.Millisecond), (cpu2 - cpu1).Round(time.Millisecond), float64(n)/groupTime.Seconds(), nStories)
	t.Logf("total      %s wall: %.1f articles/s", total.Round(time.Millisecond), float64(n)/total.Seconds())
	t.Logf("peak RSS   %s after ingest, %s after grouping (%s)", humanBytes(int(rssIngest)), humanBytes(int(rss)), src)
	t.Logf("store      %s (%.0f bytes/article)", humanBytes(int(fi.Size())), float64(fi.Size())/float64(n))
	t.Logf("host       %d CPUs, GOMAXPROCS %d, load average %s", runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
