package nats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/slant-news/slant/nats/natstest"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/postgres"
	"github.com/slant-news/slant/postgres/pgtest"
	"github.com/slant-news/slant/sqlite"
)

func connect(t testing.TB, url string, cfg Config) *Queue {
	t.Helper()
	q, err := Connect(context.Background(), url, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.nc.Close() })
	return q
}

func openSQLite(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// item is a short invented article carried in the message.
func item(i int, body string) Item {
	return Item{Kind: KindArticle, Article: &slant.Article{
		Title: fmt.Sprintf("Council notice %d", i), Text: fmt.Sprintf("Council notice %d\n\n%s\n", i, body),
		URL: fmt.Sprintf("https://notices.example/%d", i), Outlet: "notices.example",
	}}
}

func publish(t testing.TB, q *Queue, items ...Item) {
	t.Helper()
	for _, it := range items {
		if _, err := q.Publish(context.Background(), it); err != nil {
			t.Fatal(err)
		}
	}
}

// analyze stands in for the real analyzers: it labels the genre, and fails
// on the words the tests plant.
func analyze(ctx context.Context, a slant.Article) (*slant.Report, error) {
	switch {
	case strings.Contains(a.Text, "POISON"):
		return nil, errors.New("analyzer crashed on this text")
	case strings.Contains(a.Text, "UNREADABLE"):
		return nil, slant.Errorf(slant.EINVALID, "%s: not an article", a.Title)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &slant.Report{Article: a, Genre: &slant.Label{Label: "reporting", Score: 1}, Analyzers: []string{"test"}}
	return r, nil
}

// eventually waits until cond holds, failing the test after a minute.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// start runs w until the test ends or its ctx is cancelled.
func start(t testing.TB, w *Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("worker %s: %v", w.Name, err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func newWorker(q *Queue, s slant.Store, name string) *Worker {
	return &Worker{Queue: q, Store: s, Analyze: analyze, Batch: 8, Jobs: 2, Name: name,
		RetryDelay: 10 * time.Millisecond, Metrics: NewMetrics()}
}

// stored counts the stored articles and fails on a text stored twice.
func stored(t testing.TB, s slant.Store) int {
	t.Helper()
	list, err := s.Articles(context.Background(), slant.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range list {
		if seen[a.Hash] {
			t.Fatalf("article %s stored twice", a.Hash)
		}
		seen[a.Hash] = true
	}
	return len(list)
}

func lag(t testing.TB, q *Queue) uint64 {
	t.Helper()
	st, err := q.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Lag()
}

func TestWorkersStoreEverythingOnce(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	q := connect(t, url, Config{})
	s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
	defer s.Close()
	const n = 40
	for i := range n {
		publish(t, q, item(i, "The harbour bridge vote was delayed again."))
	}
	// Publishing an item twice is absorbed by the stream's dedup window.
	if dup, err := q.Publish(context.Background(), item(0, "The harbour bridge vote was delayed again.")); err != nil || !dup {
		t.Fatalf("republish = dup %v, %v; want a duplicate", dup, err)
	}
	var ws []*Worker
	for i := range 2 {
		w := newWorker(connect(t, url, Config{}), s, fmt.Sprint("w", i))
		ws = append(ws, w)
		start(t, w)
	}
	eventually(t, "all articles stored and acknowledged", func() bool { return stored(t, s) == n && lag(t, q) == 0 })
	var processed, created uint64
	for _, w := range ws {
		processed += w.Metrics.Processed.Load()
		created += w.Metrics.Created.Load()
	}
	if processed != n || created != n {
		t.Errorf("processed %d, created %d; want %d each", processed, created, n)
	}
}

// TestKillWorkerMidBatch kills a worker after its second batch is committed
// to the store but before it is acknowledged — its connection closed, its
// context cancelled — and checks that after redelivery to another worker
// every article is stored exactly once.
func TestKillWorkerMidBatch(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	cfg := Config{AckWait: time.Second}
	q := connect(t, url, cfg)
	s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
	defer s.Close()
	const n = 48
	for i := range n {
		publish(t, q, item(i, "Ferry crews at Port Oskar walked out."))
	}
	victim := newWorker(connect(t, url, cfg), s, "victim")
	killed := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	victim.beforeAck = func(batch int) {
		if batch == 1 {
			victim.Queue.nc.Close() // no ack can leave now
			cancel()
			close(killed)
		}
	}
	done := make(chan error, 1)
	go func() { done <- victim.Run(ctx) }()
	<-killed
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := stored(t, s); got < 2*victim.Batch {
		t.Fatalf("%d stored before the kill, want at least the two batches (%d)", got, 2*victim.Batch)
	}
	if victim.Metrics.Processed.Load() != uint64(victim.Batch) {
		t.Fatalf("victim acknowledged %d items, want only its first batch (%d)", victim.Metrics.Processed.Load(), victim.Batch)
	}

	rescuer := newWorker(connect(t, url, cfg), s, "rescuer")
	start(t, rescuer)
	eventually(t, "the rest stored after redelivery", func() bool { return stored(t, s) == n && lag(t, q) == 0 })
	if got := victim.Metrics.Created.Load() + rescuer.Metrics.Created.Load(); got != n {
		t.Errorf("articles created %d times, want %d", got, n)
	}
	if rescuer.Metrics.Redeliveries.Load() < uint64(victim.Batch) {
		t.Errorf("rescuer saw %d redeliveries, want at least the unacknowledged batch (%d)", rescuer.Metrics.Redeliveries.Load(), victim.Batch)
	}
	if d := rescuer.Metrics.DeadLetters.Load(); d != 0 {
		t.Errorf("%d dead letters", d)
	}
}

// flakyStore is a store the test can take down and bring back, standing in
// for a database restart: while down every write fails.
type flakyStore struct {
	mu      sync.Mutex
	s       *sqlite.DB
	down    bool
	refused chan struct{} // closed at the first refused write
	once    sync.Once
}

func (f *flakyStore) PutReport(ctx context.Context, r *slant.Report) (string, bool, error) {
	f.mu.Lock()
	s, down := f.s, f.down
	f.mu.Unlock()
	if down {
		f.once.Do(func() { close(f.refused) })
		return "", false, errors.New("connection refused: store restarting")
	}
	return s.PutReport(ctx, r)
}

func (f *flakyStore) Report(ctx context.Context, id string) (*slant.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s.Report(ctx, id)
}

func (f *flakyStore) Articles(ctx context.Context, fl slant.ArticleFilter) ([]slant.StoredArticle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s.Articles(ctx, fl)
}

func (f *flakyStore) Close() error { return nil }

// TestStoreRestart takes the store down while workers run, closes and
// reopens its database, and checks the workers retried without using up
// the items' attempts: nothing lost, nothing twice, nothing dead-lettered.
func TestStoreRestart(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	q := connect(t, url, Config{MaxDeliver: 2})
	path := filepath.Join(t.TempDir(), "slant.db")
	fs := &flakyStore{s: openSQLite(t, path), down: true, refused: make(chan struct{})}
	const n = 30
	for i := range n {
		publish(t, q, item(i, "The dam inspection found cracks."))
	}
	w := newWorker(connect(t, url, Config{MaxDeliver: 2}), fs, "w")
	start(t, w)
	<-fs.refused
	fs.mu.Lock()
	if err := fs.s.Close(); err != nil {
		t.Fatal(err)
	}
	fs.s = openSQLite(t, path)
	fs.down = false
	fs.mu.Unlock()
	defer fs.s.Close()
	eventually(t, "all stored after the restart", func() bool { return stored(t, fs) == n && lag(t, q) == 0 })
	m := w.Metrics
	if m.StoreRetries.Load() == 0 || m.Failures.Load() != 0 || m.DeadLetters.Load() != 0 || m.Created.Load() != n {
		t.Errorf("store retries %d, failures %d, dead letters %d, created %d; want >0, 0, 0, %d",
			m.StoreRetries.Load(), m.Failures.Load(), m.DeadLetters.Load(), m.Created.Load(), n)
	}
}

// TestPoisonMessage checks that an item that always fails goes to the
// dead-letter subject after MaxDeliver attempts, one that can never work
// (EINVALID) at once, and that neither blocks the others.
func TestPoisonMessage(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	cfg := Config{MaxDeliver: 3}
	q := connect(t, url, cfg)
	s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
	defer s.Close()
	publish(t, q, item(0, "POISON in the text"), item(1, "UNREADABLE input"))
	for i := 2; i < 12; i++ {
		publish(t, q, item(i, "Ordinary news."))
	}
	w := newWorker(connect(t, url, cfg), s, "w")
	start(t, w)
	eventually(t, "good items stored and poison dead-lettered", func() bool {
		st, err := q.Stats(context.Background())
		return err == nil && st.Lag() == 0 && st.Dead == 2 && stored(t, s) == 10
	})
	dead, err := q.DeadLetters(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]DeadLetter{}
	for _, d := range dead {
		got[d.Item.Article.Title] = d
	}
	if d := got["Council notice 0"]; d.Attempts != 3 || !strings.Contains(d.Error, "analyzer crashed") || d.Worker != "w" {
		t.Errorf("poison dead letter = %+v; want 3 attempts and the error", d)
	}
	if d := got["Council notice 1"]; d.Attempts != 1 || !strings.Contains(d.Error, "not an article") {
		t.Errorf("invalid dead letter = %+v; want 1 attempt", d)
	}
	if f := w.Metrics.Failures.Load(); f != 4 {
		t.Errorf("%d failures counted, want 4 (3 poison attempts, 1 invalid)", f)
	}
}

// TestGracefulShutdown stops a worker in the middle of an analysis: with
// enough grace the item is finished and acknowledged, with too little it is
// handed back to the queue, never lost.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		grace  time.Duration
		finish bool
	}{
		{"finishes in-flight work", time.Minute, true},
		{"hands back unfinished work", time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := natstest.Start(t)
			q := connect(t, url, Config{})
			s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
			defer s.Close()
			publish(t, q, item(0, "Slow article."))
			began, release := make(chan struct{}), make(chan struct{})
			w := newWorker(connect(t, url, Config{}), s, "w")
			w.Grace = tt.grace
			w.Analyze = func(ctx context.Context, a slant.Article) (*slant.Report, error) {
				close(began)
				select {
				case <-release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				return analyze(ctx, a)
			}
			stop := start(t, w)
			<-began
			stopped := make(chan struct{})
			go func() { stop(); close(stopped) }()
			if tt.finish {
				close(release)
			}
			<-stopped
			if got := stored(t, s); got != map[bool]int{true: 1, false: 0}[tt.finish] {
				t.Fatalf("%d stored after shutdown", got)
			}
			if tt.finish {
				eventually(t, "queue empty", func() bool { return lag(t, q) == 0 })
			} else if w.Metrics.Naks.Load() != 1 || w.Metrics.Failures.Load() != 0 {
				t.Fatalf("naks %d, failures %d; want the item handed back, not failed", w.Metrics.Naks.Load(), w.Metrics.Failures.Load())
			}
		})
	}
}

// TestPostgresConnectionsKilled runs workers into PostgreSQL and has the
// server kill every connection of the database mid-run (as a restart does):
// the workers retry and every article is stored once.
func TestPostgresConnectionsKilled(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DB(t)
	ctx := context.Background()
	pg, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	url := natstest.Start(t)
	q := connect(t, url, Config{})
	const n = 64
	for i := range n {
		publish(t, q, item(i, "The tram line opened on time."))
	}
	var killedOnce atomic.Bool
	var ws []*Worker
	for i := range 2 {
		w := newWorker(connect(t, url, Config{}), pg, fmt.Sprint("pg", i))
		w.PutBatch = func(ctx context.Context, rs []*slant.Report) ([]Stored, error) {
			if killedOnce.CompareAndSwap(false, true) {
				killConnections(t, dsn)
			}
			puts, err := pg.PutReports(ctx, rs)
			out := make([]Stored, len(puts))
			for i, p := range puts {
				out[i] = Stored{ID: p.ID, Created: p.Created}
			}
			return out, err
		}
		ws = append(ws, w)
		start(t, w)
	}
	eventually(t, "all stored in PostgreSQL", func() bool {
		// The test's own pooled connections were killed too: a failed
		// read here is not the workers' problem, ask again.
		list, err := pg.Articles(ctx, slant.ArticleFilter{})
		return err == nil && len(list) == n && lag(t, q) == 0
	})
	if got := stored(t, pg); got != n {
		t.Fatalf("%d stored, want %d", got, n)
	}
	var created, retries, dead uint64
	for _, w := range ws {
		created += w.Metrics.Created.Load()
		retries += w.Metrics.StoreRetries.Load()
		dead += w.Metrics.DeadLetters.Load()
	}
	if created != n || dead != 0 {
		t.Errorf("created %d, dead letters %d; want %d, 0", created, dead, n)
	}
	t.Logf("store retries after the connections were killed: %d", retries)
}

// killConnections terminates every server connection to dsn's database.
func killConnections(t testing.TB, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Error(err)
	}
}

func TestMetricsExposition(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	m.Processed.Add(3)
	m.Pending.Store(7)
	m.AckPending.Store(2)
	for _, d := range []time.Duration{time.Millisecond, 30 * time.Millisecond, 2 * time.Minute} {
		m.Observe(d)
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# TYPE slant_worker_articles_processed_total counter\nslant_worker_articles_processed_total 3\n",
		"slant_queue_lag 9\n",
		`slant_worker_latency_seconds_bucket{le="0.005"} 1` + "\n",
		`slant_worker_latency_seconds_bucket{le="0.05"} 2` + "\n",
		`slant_worker_latency_seconds_bucket{le="60"} 2` + "\n",
		`slant_worker_latency_seconds_bucket{le="+Inf"} 3` + "\n",
		"slant_worker_latency_seconds_count 3\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
	for _, tt := range []struct {
		health error
		code   int
	}{{nil, 200}, {errors.New("queue CLOSED"), 503}} {
		srv := httptest.NewServer(Handler(m, func() error { return tt.health }))
		resp, err := srv.Client().Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != tt.code {
			t.Errorf("healthz with %v = %d, want %d", tt.health, resp.StatusCode, tt.code)
		}
	}
}

func TestPublishRejects(t *testing.T) {
	t.Parallel()
	q := connect(t, natstest.Start(t), Config{})
	big := item(0, strings.Repeat("x", int(q.nc.MaxPayload())))
	for name, it := range map[string]Item{
		"no URL":       {Kind: KindURL},
		"no article":   {Kind: KindArticle},
		"unknown kind": {Kind: "carrier pigeon"},
		"too large":    big,
	} {
		if _, err := q.Publish(context.Background(), it); slant.ErrorCode(err) != slant.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
		}
	}
}

// TestLogs checks the worker's structured logs name the worker and item.
func TestLogs(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	q := connect(t, url, Config{MaxDeliver: 1})
	s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
	defer s.Close()
	publish(t, q, item(0, "POISON"))
	var buf natstest.Buffer
	w := newWorker(connect(t, url, Config{MaxDeliver: 1}), s, "logger")
	w.Log = slog.New(slog.NewJSONHandler(&buf, nil))
	start(t, w)
	eventually(t, "dead letter logged", func() bool { return strings.Contains(buf.String(), `"msg":"item dead-lettered"`) })
	if out := buf.String(); !strings.Contains(out, `"worker":"logger"`) || !strings.Contains(out, `"item":"https://notices.example/0"`) {
		t.Errorf("log lacks worker or item:\n%s", out)
	}
}

// TestCrashLoopDeadLettered checks that an item that kills its worker on
// every attempt (so no worker ever reports it failed) still ends on the
// dead-letter subject: on the delivery after MaxDeliver attempts it is
// dead-lettered without running again.
func TestCrashLoopDeadLettered(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	cfg := Config{MaxDeliver: 2, AckWait: 300 * time.Millisecond}
	q := connect(t, url, cfg)
	s := openSQLite(t, filepath.Join(t.TempDir(), "slant.db"))
	defer s.Close()
	publish(t, q, item(0, "CRASH the worker"))
	var runs atomic.Int32
	for attempt := 1; ; attempt++ {
		if attempt > 5 {
			t.Fatal("the crashing item was never dead-lettered")
		}
		w := newWorker(connect(t, url, cfg), s, fmt.Sprint("crash", attempt))
		ctx, cancel := context.WithCancel(context.Background())
		w.Analyze = func(context.Context, slant.Article) (*slant.Report, error) {
			// Die: no ack, no nak, connection gone.
			runs.Add(1)
			w.Queue.nc.Close()
			cancel()
			return nil, context.Canceled
		}
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		var dead bool
		eventually(t, "the worker to die or dead-letter the item", func() bool {
			dead = w.Metrics.DeadLetters.Load() == 1
			return dead || ctx.Err() != nil
		})
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if dead {
			break
		}
	}
	if got := runs.Load(); got != int32(cfg.MaxDeliver) {
		t.Errorf("the item ran %d times, want %d (then dead-lettered unrun)", got, cfg.MaxDeliver)
	}
	dl, err := q.DeadLetters(context.Background(), 5)
	if err != nil || len(dl) != 1 || dl[0].Attempts != 3 || !strings.Contains(dl[0].Error, "no worker finished it") {
		t.Fatalf("dead letters = %+v, %v", dl, err)
	}
	eventually(t, "queue empty", func() bool { return lag(t, q) == 0 })
}
