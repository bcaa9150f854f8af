package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/feeds"
	"github.com/slant-news/slant/ingest"
	slantnats "github.com/slant-news/slant/nats"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/postgres"
	"github.com/slant-news/slant/sqlite"
)

func init() {
	register(&command{
		name:    "watch",
		usage:   "slant watch [--db FILE] [--state FILE] [--interval 15m] [--once] [--only a,b] [--outlet NAME] [--allow-private] [--queue nats://HOST:4222] FEED...",
		summary: "poll RSS/Atom/JSON feeds (URLs or files) and store each new item's article (or queue it with --queue), until Ctrl-C",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runWatch(ctx, e, args, analyzers)
		},
	})
}

// minInterval keeps a typo ("--interval 15s" for 15m) from hammering
// publishers.
const minInterval = 10 * time.Second

func runWatch(ctx context.Context, e *Env, args []string, reg *pipeline.Registry) error {
	fs := newFlags("watch", e.Stderr)
	db := dbFlag(fs)
	interval := fs.String("interval", "15m", "time between polls of each feed (at least 10s; e.g. 15m, 2h, 1d)")
	once := fs.Bool("once", false, "poll every feed once and exit")
	only := fs.String("only", "", "comma-separated analyzers to run (default: all of "+namesOrNone(reg)+")")
	outlet := fs.String("outlet", "", "outlet name to record for every article (default: from the page or feed)")
	allowPrivate := fs.Bool("allow-private", false, "allow fetching feeds and pages on loopback, private and link-local addresses")
	statePath := fs.String("state", "", "feed state file: validators, backoff, items seen (default: the SQLite store's path + \".feeds\"; with PostgreSQL, feeds.db in the user's data directory)")
	var qf queueFlags
	qf.add(fs.StringVar)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErrorf("watch needs at least one FEED (an http(s) URL or a feed file)")
	}
	every, err := parseWindow(*interval)
	if err != nil {
		return usageErrorf("--interval: %v", err)
	}
	if every < minInterval {
		return usageErrorf("--interval: %s is shorter than %s", every, minInterval)
	}
	opt := ingest.Options{AllowPrivate: *allowPrivate, Outlet: *outlet}
	p := &feeds.Poller{
		Feeds:   pos,
		Options: opt,
		// The jitter only has to differ between processes polling the
		// same feeds; the time will do as a seed.
		Backoff: feeds.NewBackoff(every, 24*time.Hour, uint64(time.Now().UnixNano())),
		Log:     prefixWriter{w: e.Stderr, prefix: "slant: "},
		OnStored: func(s feeds.Stored) {
			verb := "stored"
			switch {
			case s.Queued:
				verb = "queued"
			case !s.Created:
				verb = "unchanged"
			}
			fmt.Fprintf(e.Stdout, "%s %s %s\n", verb, s.ID, lineOf(s.Title, s.URL))
		},
	}
	var where, storePath string
	if qf.url != "" {
		// --queue: publish each new item's link for 'slant worker' instead
		// of fetching and analysing it here.
		queueURL, err := qf.resolve(e)
		if err != nil {
			return err
		}
		q, err := slantnats.Connect(ctx, queueURL, slantnats.Config{})
		if err != nil {
			return err
		}
		defer q.Close()
		p.Publish = func(ctx context.Context, feed string, it ingest.FeedItem) error {
			if it.Link == "" {
				return slant.Errorf(slant.EINVALID, "an item of %s has no link for a worker to fetch", feed)
			}
			o := *outlet
			if o == "" {
				o = it.Outlet
			}
			_, err := q.Publish(ctx, slantnats.Item{Kind: slantnats.KindURL, URL: it.Link, Outlet: o})
			return err
		}
		where = "the work queue " + queueURL
	} else {
		as, err := selectAnalyzers(reg, *only)
		if err != nil {
			return err
		}
		store, err := openStore(ctx, e, *db)
		if err != nil {
			return err
		}
		defer store.Close()
		p.Analyzers, p.Store = as, store
		storePath = store.Path()
		where = storePath
		if postgres.IsDSN(where) {
			where = postgres.Redact(where)
		}
	}
	sp := *statePath
	switch {
	case sp != "":
	case storePath == "" || postgres.IsDSN(storePath):
		// Never derive a file name from a DSN (it may hold a password).
		def, err := sqlite.DefaultPath(func(k string) string {
			if k == "SLANT_DB" {
				return ""
			}
			return e.getenv(k)
		})
		if err != nil {
			return err
		}
		sp = filepath.Join(filepath.Dir(def), "feeds.db")
	default:
		sp = feeds.StatePath(storePath)
	}
	state, err := feeds.OpenState(ctx, sp)
	if err != nil {
		return err
	}
	defer state.Close()
	p.State = state
	round := func() (feeds.Stats, error) {
		s, err := p.PollOnce(ctx)
		if err == nil || ctx.Err() == nil {
			fmt.Fprintf(e.Stderr, "watch: %d feeds polled (%d not modified, %d failed, %d backing off), %d new items: %d stored, %d unchanged, %d from feed content, %d skipped\n",
				s.Feeds, s.NotModified, s.Failed, s.Waiting, s.Items-s.Seen, s.Stored, s.Unchanged, s.FromFeed, s.Skipped)
		}
		return s, err
	}
	if *once {
		s, err := round()
		if err != nil {
			return err
		}
		if s.Failed > 0 || s.Skipped > 0 {
			return errPartial
		}
		return nil
	}
	fmt.Fprintf(e.Stderr, "watch: polling %d feeds every %s into %s (feed state in %s); Ctrl-C to stop\n",
		len(pos), every, where, state.Path())
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// Ctrl-C is how a watch ends: not an error.
			fmt.Fprintln(e.Stderr, "watch: stopped")
			return nil
		case <-t.C:
		}
		if _, err := round(); err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(e.Stderr, "watch: stopped")
				return nil
			}
			return err
		}
		t.Reset(every)
	}
}

// prefixWriter prefixes each write (one log line of the poller) so that
// its lines read like the other commands' "slant: ..." messages.
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}
