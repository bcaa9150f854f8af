package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	slantnats "github.com/slant-news/slant/nats"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/postgres"
	"github.com/slant-news/slant/sqlite"
)

// The scale-out commands: enqueue publishes work to a NATS JetStream queue,
// worker (any number of them, on any number of machines) takes it, analyses
// and stores it, in PostgreSQL (--db postgres://...) or a SQLite file.

func init() {
	register(&command{
		name:    "worker",
		usage:   "slant worker --queue nats://HOST:4222 [--db postgres://...|FILE] [--only a,b] [--jobs N] [--batch N] [--max-deliver N] [--max-pending N] [--ack-wait D] [--grace D] [--listen ADDR] [--log-format text|json] [--name NAME] [--allow-private]",
		summary: "take articles off a NATS JetStream queue, analyse them and store the reports",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runWorker(ctx, e, args, analyzers)
		},
	})
	register(&command{
		name:    "enqueue",
		usage:   "slant enqueue --queue nats://HOST:4222 [--feed] [--outlet NAME] [--allow-private] PATH...|URL...|-",
		summary: "put articles, URLs or the items of feeds on the work queue for slant worker",
		run:     runEnqueue,
	})
}

// queueFlags are the flags that name and shape the queue.
type queueFlags struct {
	url                 string
	maxDeliver, pending int
	ackWait             time.Duration
}

func (q *queueFlags) add(fsAdd func(p *string, name, value, usage string)) {
	fsAdd(&q.url, "queue", "", "NATS server of the work queue, nats://host:4222 (default: $SLANT_QUEUE); several comma-separated for a cluster")
}

func (q *queueFlags) resolve(e *Env) (string, error) {
	u := q.url
	if u == "" {
		u = e.getenv("SLANT_QUEUE")
	}
	if u == "" {
		return "", usageErrorf("--queue is required (nats://host:4222), or set SLANT_QUEUE")
	}
	for _, part := range strings.Split(u, ",") {
		l := strings.ToLower(strings.TrimSpace(part))
		if !strings.HasPrefix(l, "nats://") && !strings.HasPrefix(l, "tls://") {
			return "", usageErrorf("--queue: %q is not a nats:// or tls:// URL", part)
		}
	}
	return u, nil
}

func (q *queueFlags) config() slantnats.Config {
	return slantnats.Config{MaxDeliver: q.maxDeliver, MaxAckPending: q.pending, AckWait: q.ackWait}
}

// openAnyStore opens the store --db names (see openStore: a postgres:// URL
// is a PostgreSQL database, anything else a SQLite file).
func openAnyStore(ctx context.Context, e *Env, db string) (slant.Store, error) {
	return openStore(ctx, e, db)
}

func runWorker(ctx context.Context, e *Env, args []string, reg *pipeline.Registry) error {
	fs := newFlags("worker", e.Stderr)
	var qf queueFlags
	qf.add(fs.StringVar)
	db := fs.String("db", "", "store: postgres://user@host/db or a SQLite file (default: $SLANT_DB, else the user's data directory)")
	only := fs.String("only", "", "comma-separated analyzers to run (default: all of "+namesOrNone(reg)+")")
	jobs := fs.Int("jobs", runtime.NumCPU(), "articles analysed at once")
	batch := fs.Int("batch", 16, "articles fetched, stored in one transaction and acknowledged together")
	fs.IntVar(&qf.maxDeliver, "max-deliver", 5, "attempts before an article goes to the dead-letter subject slant.dead")
	fs.IntVar(&qf.pending, "max-pending", 256, "articles handed out and not yet acknowledged, across all workers (back-pressure)")
	fs.DurationVar(&qf.ackWait, "ack-wait", 2*time.Minute, "time without news from a worker after which its article goes to another")
	grace := fs.Duration("grace", 30*time.Second, "on SIGTERM, time to finish in-flight articles before handing them back")
	listen := fs.String("listen", "", "address for /healthz and /metrics (Prometheus), e.g. 127.0.0.1:9464; empty for none")
	logFormat := fs.String("log-format", "text", "log format on stderr: text or json")
	name := fs.String("name", "", "worker name in logs and dead letters (default: host name and process id)")
	allowPrivate := fs.Bool("allow-private", false, "allow fetching URLs on loopback, private and link-local addresses")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("worker takes no arguments, got %q (publish work with 'slant enqueue')", pos[0])
	}
	queueURL, err := qf.resolve(e)
	if err != nil {
		return err
	}
	if *jobs < 1 || *batch < 1 || qf.maxDeliver < 1 || qf.pending < 1 || qf.ackWait <= 0 || *grace < 0 {
		return usageErrorf("--jobs, --batch, --max-deliver, --max-pending and --ack-wait must be positive")
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(e.Stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(e.Stderr, nil)
	default:
		return usageErrorf("--log-format: unknown format %q (want text or json)", *logFormat)
	}
	log := slog.New(handler)
	if *name == "" {
		*name = defaultWorkerName()
	}
	as, err := selectAnalyzers(reg, *only)
	if err != nil {
		return err
	}
	store, err := openAnyStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	q, err := slantnats.Connect(ctx, queueURL, qf.config())
	if err != nil {
		return err
	}
	defer q.Close()

	w := &slantnats.Worker{Queue: q, Store: store, Analyzers: as, Batch: *batch, Jobs: *jobs, Grace: *grace,
		Name: *name, Log: log, Metrics: slantnats.NewMetrics(),
		LoadOptions: ingest.Options{AllowPrivate: *allowPrivate}}
	if pg, ok := store.(*postgres.DB); ok {
		w.PutBatch = func(ctx context.Context, rs []*slant.Report) ([]slantnats.Stored, error) {
			puts, err := pg.PutReports(ctx, rs)
			out := make([]slantnats.Stored, len(puts))
			for i, p := range puts {
				out[i] = slantnats.Stored{ID: p.ID, Created: p.Created}
			}
			return out, err
		}
	}
	if *listen != "" {
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return fmt.Errorf("--listen %s: %w", *listen, err)
		}
		srv := &http.Server{Handler: slantnats.Handler(w.Metrics, func() error {
			hctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			return w.Healthy(hctx)
		}), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		log.Info("serving /healthz and /metrics", "addr", ln.Addr().String())
	}
	var dbName string
	if p, ok := store.(interface{ Path() string }); ok {
		dbName = p.Path()
	}
	log.Info("store open", "db", dbName, "queue", postgres.Redact(queueURL))
	if err := w.Run(ctx); err != nil {
		return err
	}
	m := w.Metrics
	fmt.Fprintf(e.Stderr, "worker: %d processed (%d new), %d failed attempts, %d dead-lettered, %d handed back\n",
		m.Processed.Load(), m.Created.Load(), m.Failures.Load(), m.DeadLetters.Load(), m.Naks.Load())
	return nil
}

func defaultWorkerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

func runEnqueue(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("enqueue", e.Stderr)
	var qf queueFlags
	qf.add(fs.StringVar)
	feed := fs.Bool("feed", false, "the arguments are RSS/Atom/JSON feeds: queue the URL of every item")
	outlet := fs.String("outlet", "", "outlet name to record for every article (default: from the page or URL)")
	allowPrivate := fs.Bool("allow-private", false, "allow fetching feed URLs on loopback, private and link-local addresses")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("enqueue needs at least one PATH, URL or - (standard input)")
	}
	queueURL, err := qf.resolve(e)
	if err != nil {
		return err
	}
	q, err := slantnats.Connect(ctx, queueURL, slantnats.Config{})
	if err != nil {
		return err
	}
	defer q.Close()
	opt := ingest.Options{AllowPrivate: *allowPrivate, Outlet: *outlet}

	srcs, errs := ingest.Expand(pos)
	skipped := len(errs)
	for _, err := range errs {
		printSkip(e.Stderr, err)
	}
	queued, dups := 0, 0
	send := func(it slantnats.Item) error {
		dup, err := q.Publish(ctx, it)
		if slant.ErrorCode(err) == slant.EINVALID {
			printSkip(e.Stderr, err)
			skipped++
			return nil
		}
		if err != nil {
			return err // the queue itself failed: stop
		}
		verb := "queued"
		if dup {
			verb, dups = "duplicate", dups+1
		} else {
			queued++
		}
		fmt.Fprintf(e.Stdout, "%s %s\n", verb, it.Name())
		return nil
	}
	for _, src := range srcs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var items []slantnats.Item
		switch {
		case *feed:
			fi, err := ingest.LoadFeed(ctx, src, e.Stdin, opt)
			if err != nil {
				printSkip(e.Stderr, err)
				skipped++
				continue
			}
			for _, f := range fi {
				if f.Link == "" {
					continue // nothing a worker could fetch
				}
				o := *outlet
				if o == "" {
					o = f.Outlet
				}
				items = append(items, slantnats.Item{Kind: slantnats.KindURL, URL: f.Link, Outlet: o})
			}
		case src.Kind == ingest.KindURL:
			// The worker fetches it: the page may be large, and workers
			// spread the fetching too.
			items = append(items, slantnats.Item{Kind: slantnats.KindURL, URL: src.Name, Outlet: *outlet})
		default:
			// A file exists only on this machine: read it here and carry
			// the article in the message.
			a, err := ingest.Load(ctx, src, e.Stdin, opt)
			if err != nil {
				printSkip(e.Stderr, err)
				skipped++
				continue
			}
			items = append(items, slantnats.Item{Kind: slantnats.KindArticle, Article: &a})
		}
		for _, it := range items {
			if err := send(it); err != nil {
				fmt.Fprintf(e.Stderr, "enqueue: stopped: %d queued, %d already queued, %d skipped\n", queued, dups, skipped)
				return err
			}
		}
	}
	fmt.Fprintf(e.Stderr, "enqueue: %d queued, %d already queued, %d skipped\n", queued, dups, skipped)
	if skipped > 0 {
		return errPartial
	}
	return nil
}

// fullStore is what the store-backed commands (ingest, list, show, export,
// stories, serve, watch) use of *sqlite.DB. *postgres.DB provides all of it,
// which this assertion keeps true, so openStore can return either store.
type fullStore interface {
	slant.Store
	Path() string
	LookupText(ctx context.Context, text string) (string, bool, error)
	UpdateReport(ctx context.Context, id string, r *slant.Report) error
	ResolveID(ctx context.Context, id string) (string, error)
	EachReport(ctx context.Context, f slant.ArticleFilter, fn func(slant.StoredArticle, *slant.Report) error) error
	ReplaceStories(ctx context.Context, stories []sqlite.StoredStory) error
	Stories(ctx context.Context) ([]sqlite.StoredStory, error)
	StoryPins(ctx context.Context) (map[string]string, error)
	SetStoryPins(ctx context.Context, pins map[string]string) error
}

var (
	_ fullStore = (*sqlite.DB)(nil)
	_ fullStore = (*postgres.DB)(nil)
)
