package nats

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/slant-news/slant/nats/natstest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/postgres"
	"github.com/slant-news/slant/postgres/pgtest"
)

// TestScaleBenchmark pushes generated short articles through 1, 2 and 4
// workers into PostgreSQL and reports articles/s and queue lag. It is not
// part of the normal test run:
//
//	SLANT_BENCH_SCALE=1 SLANT_BENCH_N=100000 SLANT_TEST_POSTGRES=postgres://... \
//	  go test -run TestScaleBenchmark -v -timeout 2h ./nats/
//
// Each worker has its own NATS connection and its own PostgreSQL pool, as
// workers on separate machines would. Analysis is the pipeline's
// segmentation only (no models): the figure is the queue and store path,
// which is what scaling out changes; see docs/BENCHMARKS.md.
func TestScaleBenchmark(t *testing.T) {
	if os.Getenv("SLANT_BENCH_SCALE") != "1" {
		t.Skip("scale benchmark: set SLANT_BENCH_SCALE=1 (and SLANT_TEST_POSTGRES) to run it")
	}
	n := 100000
	if s := os.Getenv("SLANT_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("SLANT_BENCH_N=%q is not a positive number", s)
		}
	}
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			benchScale(t, n, workers)
		})
	}
}

func benchScale(t *testing.T, n, workers int) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	url := natstest.Start(t)
	cfg := Config{MaxAckPending: 1024}
	q := connect(t, url, cfg)
	var stores []*postgres.DB
	for range workers {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	var ws []*Worker
	for i := range workers {
		pg := stores[i]
		w := &Worker{Queue: connect(t, url, cfg), Store: pg, Batch: 64, Jobs: 2, Name: fmt.Sprint("bench", i),
			Analyze: func(ctx context.Context, a slant.Article) (*slant.Report, error) {
				return pipeline.Analyze(ctx, nil, a)
			},
			PutBatch: func(ctx context.Context, rs []*slant.Report) ([]Stored, error) {
				puts, err := pg.PutReports(ctx, rs)
				out := make([]Stored, len(puts))
				for i, p := range puts {
					out[i] = Stored{ID: p.ID, Created: p.Created}
				}
				return out, err
			}}
		ws = append(ws, w)
	}
	begin := time.Now()
	for _, w := range ws {
		start(t, w)
	}
	// Publish while the workers run, as a feed poller would, as fast as
	// JetStream takes it.
	var published atomic.Int64
	pubDone := make(chan time.Duration, 1)
	go func() {
		p0 := time.Now()
		for i := range n {
			it := Item{Kind: KindArticle, Article: &slant.Article{
				Title: fmt.Sprintf("Bulletin %d", i),
				Text: fmt.Sprintf("Bulletin %d\n\nThe council of district %d met on day %d. Residents asked about the tram, the dam and the ferry.\nA second paragraph says the vote was %d to %d.\n",
					i, i%97, i%365, i%13, i%7),
				URL: fmt.Sprintf("https://bulletins.example/%d", i%5000), Outlet: "bulletins.example",
			}}
			data, _ := json.Marshal(it)
			if _, err := q.js.PublishAsync(q.cfg.Subject, data, jetstream.WithMsgID(it.key())); err != nil {
				t.Error(err)
				break
			}
			published.Add(1)
			if i%1000 == 999 {
				<-q.js.PublishAsyncComplete()
			}
		}
		<-q.js.PublishAsyncComplete()
		pubDone <- time.Since(p0)
	}()
	var maxLag uint64
	var lags []string
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var pubTime time.Duration
	nextSample := time.Duration(0)
	for {
		select {
		case pubTime = <-pubDone:
		case <-tick.C:
		}
		st, err := q.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		maxLag = max(maxLag, st.Lag())
		if since := time.Since(begin); since >= nextSample {
			lags = append(lags, fmt.Sprintf("%ds:%d", int(since.Seconds()), st.Lag()))
			nextSample += 10 * time.Second
		}
		var done uint64
		for _, w := range ws {
			done += w.Metrics.Processed.Load()
		}
		if pubTime > 0 && done >= uint64(n) && st.Lag() == 0 {
			break
		}
	}
	elapsed := time.Since(begin)
	var created uint64
	for _, w := range ws {
		created += w.Metrics.Created.Load()
	}
	list, err := stores[0].Articles(ctx, slant.ArticleFilter{Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no articles stored: %v", err)
	}
	if created != uint64(n) {
		t.Errorf("created %d, want %d", created, n)
	}
	t.Logf("workers=%d articles=%d elapsed=%s articles/s=%.0f published_in=%s (%.0f/s) max_queue_lag=%d lag_samples=%v",
		workers, n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), pubTime.Round(time.Millisecond),
		float64(n)/pubTime.Seconds(), maxLag, lags)
}
