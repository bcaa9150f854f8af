package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/slant-news/slant/nats/natstest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/postgres/pgtest"
)

// TestEnqueueAndWorker runs 'slant enqueue' on a directory and 'slant
// worker' against a real in-process NATS server, into a SQLite file and,
// when a server is available, PostgreSQL.
func TestEnqueueAndWorker(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			e, stdout, stderr, dir, db := storeEnv(t)
			if backend == "postgres" {
				db = pgtest.DB(t)
			}
			queue := natstest.Start(t)
			if err := runEnqueue(context.Background(), e, []string{"--queue", queue, dir}); err != nil {
				t.Fatalf("enqueue: %v\n%s", err, stderr)
			}
			if n := strings.Count(stdout.String(), "queued "); n != len(storeArticles) {
				t.Fatalf("enqueue printed %d queued lines, want %d:\n%s", n, len(storeArticles), stdout)
			}
			// Enqueuing the same files again is absorbed by the queue.
			stdout.Reset()
			if err := runEnqueue(context.Background(), e, []string{"--queue", queue, dir}); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(stdout.String(), "duplicate "); n != len(storeArticles) {
				t.Fatalf("re-enqueue printed %d duplicate lines, want %d:\n%s", n, len(storeArticles), stdout)
			}

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			werr := &natstest.Buffer{}
			we := &Env{Stdout: &bytes.Buffer{}, Stderr: werr, Getenv: e.Getenv}
			done := make(chan error, 1)
			go func() {
				done <- runWorker(ctx, we, []string{"--queue", queue, "--db", db, "--jobs", "2", "--log-format", "json"}, keywordRegistry())
			}()
			store, err := openAnyStore(context.Background(), e, db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			deadline := time.Now().Add(time.Minute)
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				list, err := store.Articles(context.Background(), slant.ArticleFilter{Technique: "Loaded_Language"})
				if err == nil && len(list) > 0 {
					all, _ := store.Articles(context.Background(), slant.ArticleFilter{})
					if len(all) == len(storeArticles) {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("worker did not store the articles:\n%s", werr.String())
				}
				<-tick.C
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("worker: %v", err)
			}
			log := werr.String()
			if !strings.Contains(log, `"msg":"worker started"`) || !strings.Contains(log, "3 processed (3 new)") {
				t.Errorf("worker log:\n%s", log)
			}
		})
	}
}

func TestWorkerUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"--queue", "http://example.com"},
		{"--queue", "nats://127.0.0.1:1", "--log-format", "xml"},
		{"--queue", "nats://127.0.0.1:1", "--batch", "0"},
		{"--queue", "nats://127.0.0.1:1", "stray"},
	} {
		e, _, _ := testEnv("")
		var u errUsage
		if err := runWorker(context.Background(), e, args, keywordRegistry()); !errors.As(err, &u) {
			t.Errorf("worker %q: err = %v, want a usage error", args, err)
		}
	}
	for _, args := range [][]string{{}, {"--queue", "nats://127.0.0.1:1"}, {"--queue", "redis://x", "a.txt"}} {
		e, _, _ := testEnv("")
		var u errUsage
		if err := runEnqueue(context.Background(), e, args); !errors.As(err, &u) {
			t.Errorf("enqueue %q: err = %v, want a usage error", args, err)
		}
	}
}

func TestEnqueueSkipsBadInput(t *testing.T) {
	t.Parallel()
	queue := natstest.Start(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	if err := os.WriteFile(good, []byte("Tram line opens\n\nThe Tervola tram ran on time.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, stdout, stderr := testEnv("")
	err := runEnqueue(context.Background(), e, []string{"--queue", queue, good, filepath.Join(dir, "missing.txt")})
	if !errors.Is(err, errPartial) || !strings.Contains(stdout.String(), "queued "+good) || !strings.Contains(stderr.String(), "skipped") {
		t.Fatalf("enqueue with a missing file: %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}
}

// TestIngestQueue: 'slant ingest --queue' puts files on the work queue as
// 'slant enqueue' does, and a feed as the links of its items, instead of
// analysing them here.
func TestIngestQueue(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, dir, _ := storeEnv(t)
	queue := natstest.Start(t)
	feed := filepath.Join(t.TempDir(), "news.rss")
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>Orna Courier</title>` +
		`<item><title>Dam inquiry opens</title><link>https://courier.example/inquiry</link></item></channel></rss>`
	if err := os.WriteFile(feed, []byte(rss), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"ingest", "--queue", queue, dir, feed}, e); err != nil {
		t.Fatalf("ingest --queue: %v\n%s", err, stderr)
	}
	if n := strings.Count(stdout.String(), "queued "); n != len(storeArticles)+1 {
		t.Fatalf("%d queued lines, want %d (articles and one feed item):\n%s", n, len(storeArticles)+1, stdout)
	}
	if !strings.Contains(stdout.String(), "https://courier.example/inquiry") {
		t.Errorf("the feed item's link was not queued:\n%s", stdout)
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"ingest", "--queue", "redis://x", dir}, e); err == nil {
		t.Error("a non-NATS queue URL was accepted")
	}
}

// TestWatchQueue: 'slant watch --queue' publishes each new feed item's link
// for the workers instead of fetching it, and remembers it, so the next
// round publishes nothing again.
func TestWatchQueue(t *testing.T) {
	t.Parallel()
	e, stdout, stderr, _, _ := storeEnv(t)
	queue := natstest.Start(t)
	dir := t.TempDir()
	feed := filepath.Join(dir, "news.rss")
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>Orna Courier</title>` +
		`<item><title>Dam inquiry opens</title><link>https://courier.example/inquiry</link></item>` +
		`<item><title>Ferries resume</title><link>https://courier.example/ferries</link></item></channel></rss>`
	if err := os.WriteFile(feed, []byte(rss), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"watch", "--once", "--queue", queue, "--state", filepath.Join(dir, "feeds.db"), feed}
	if err := run(context.Background(), args, e); err != nil {
		t.Fatalf("watch --queue: %v\n%s", err, stderr)
	}
	if n := strings.Count(stdout.String(), "queued "); n != 2 {
		t.Fatalf("%d queued lines, want 2:\n%s", n, stdout)
	}
	stdout.Reset()
	if err := run(context.Background(), args, e); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout.String(), "queued") {
		t.Errorf("second round queued seen items again:\n%s", stdout)
	}
	// The links really are on the queue: enqueuing one again (with the
	// outlet the feed gave it, part of the queue's duplicate key) is a
	// duplicate.
	stdout.Reset()
	if err := runEnqueue(context.Background(), e, []string{"--queue", queue, "--outlet", "courier.example", "https://courier.example/inquiry"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), "duplicate ") {
		t.Errorf("link not found on the queue: %s", stdout)
	}
}
