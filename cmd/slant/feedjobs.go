package main

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/feeds"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

// feedJobs is sourceJobs for commands that also take feeds (ingest): a
// source that names a feed (feeds.LooksLikeFeed: .rss .atom .xml .json
// files, /feed and /rss URLs) is read now and replaced by one job per item,
// which reads the item's page and falls back to the feed's own content; a
// feed that cannot be read is reported on stderr and counted in skipped.
// Other sources become jobs as in sourceJobs.
func feedJobs(ctx context.Context, stderr io.Writer, srcs []ingest.Source, stdin io.Reader, opt ingest.Options) (jobs []pipeline.Job, skipped int) {
	// Jobs run on several workers and may all log at once.
	log := &lockedWriter{w: stderr}
	var plain []ingest.Source
	flush := func() {
		jobs = append(jobs, sourceJobs(plain, stdin, opt)...)
		plain = nil
	}
	for _, src := range srcs {
		if src.Kind == ingest.KindStdin || !feeds.LooksLikeFeed(src.Name) {
			plain = append(plain, src)
			continue
		}
		flush()
		if opt.Client == nil {
			// One client for every item page: shared connections, the
			// same address policy.
			opt.Client = ingest.NewClient(opt)
		}
		items, err := ingest.LoadFeed(ctx, src, stdin, opt)
		if err != nil {
			printSkip(log, err)
			skipped++
			continue
		}
		for _, it := range items {
			name := it.Link
			if name == "" {
				name = fmt.Sprintf("%s: %q", src.Name, it.Title)
			}
			jobs = append(jobs, pipeline.Job{Name: name, Load: func(ctx context.Context) (slant.Article, error) {
				a, _, err := feeds.ItemArticle(ctx, it, opt, func(msg string) { fmt.Fprintf(log, "slant: %s\n", msg) })
				if err == nil && a.Source == "" {
					a.Source = src.Name
				}
				return a, err
			}})
		}
	}
	flush()
	return jobs, skipped
}

// lockedWriter serialises writes from concurrent jobs.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
