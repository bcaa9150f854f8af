package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

// Stored is the outcome of storing one report.
type Stored struct {
	ID      string
	Created bool
}

// Worker takes items off the queue, analyses them and stores the reports.
// Set Queue, Store and Analyzers (or Analyze); the rest have defaults. Any
// number of workers may share one queue and one store.
type Worker struct {
	Queue *Queue
	Store slant.Store
	// PutBatch, when set, stores a batch of reports in one transaction
	// (postgres.DB.PutReports); otherwise Store.PutReport is called for
	// each.
	PutBatch func(ctx context.Context, rs []*slant.Report) ([]Stored, error)
	// Load turns an item into an article; nil means LoadItem with
	// LoadOptions.
	Load        func(ctx context.Context, it Item) (slant.Article, error)
	LoadOptions ingest.Options
	// Analyze analyses an article; nil means pipeline.Analyze with
	// Analyzers.
	Analyze   func(ctx context.Context, a slant.Article) (*slant.Report, error)
	Analyzers []slant.Analyzer
	// Batch is how many items are fetched, stored in one transaction and
	// acknowledged together (default 16).
	Batch int
	// Jobs is how many items of a batch are analysed at once (default
	// runtime.NumCPU()).
	Jobs int
	// Grace is how long in-flight items may take to finish after the
	// worker is told to stop; what is unfinished then is handed back to the
	// queue (default 30 s).
	Grace time.Duration
	// RetryDelay is the first delay before a failed item is tried again,
	// doubling with each attempt up to a minute (default 1 s); the store is
	// retried on the same schedule while it is down.
	RetryDelay time.Duration
	// Name identifies the worker in logs and dead letters.
	Name    string
	Log     *slog.Logger
	Metrics *Metrics

	// beforeAck, in tests, runs after a batch is committed to the store and
	// before it is acknowledged: the worst moment for a worker to die.
	beforeAck func(batch int)
}

func (w *Worker) defaults() {
	if w.Batch <= 0 {
		w.Batch = 16
	}
	if w.Jobs <= 0 {
		w.Jobs = runtime.NumCPU()
	}
	if w.Grace <= 0 {
		w.Grace = 30 * time.Second
	}
	if w.RetryDelay <= 0 {
		w.RetryDelay = time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Metrics == nil {
		w.Metrics = NewMetrics()
	}
	if w.Load == nil {
		opt := w.LoadOptions
		w.Load = func(ctx context.Context, it Item) (slant.Article, error) { return LoadItem(ctx, it, opt) }
	}
	if w.Analyze == nil {
		as := w.Analyzers
		w.Analyze = func(ctx context.Context, a slant.Article) (*slant.Report, error) {
			return pipeline.Analyze(ctx, as, a)
		}
	}
}

// LoadItem turns an item into an article: a URL is fetched under opt's
// limits, an article is taken as carried.
func LoadItem(ctx context.Context, it Item, opt ingest.Options) (slant.Article, error) {
	if it.Outlet != "" {
		opt.Outlet = it.Outlet
	}
	switch it.Kind {
	case KindURL:
		return ingest.Load(ctx, ingest.Source{Name: it.URL, Kind: ingest.KindURL}, nil, opt)
	case KindArticle:
		if it.Article == nil {
			return slant.Article{}, slant.Errorf(slant.EINVALID, "article item without an article")
		}
		a := *it.Article
		if opt.Outlet != "" {
			a.Outlet = opt.Outlet
		}
		return a, nil
	}
	return slant.Article{}, slant.Errorf(slant.EINVALID, "unknown item kind %q", it.Kind)
}

// Healthy reports whether the worker can work: the queue is connected and,
// when the store can say, the store answers.
func (w *Worker) Healthy(ctx context.Context) error {
	if st := w.Queue.nc.Status(); st != natsgo.CONNECTED {
		return fmt.Errorf("queue %s", st)
	}
	if p, ok := w.Store.(interface{ Ping(context.Context) error }); ok {
		if err := p.Ping(ctx); err != nil {
			return fmt.Errorf("store: %v", err)
		}
	}
	return nil
}

// Run works until ctx is cancelled, then finishes (or hands back) the
// batch in hand and returns nil. It returns an error only when the queue's
// consumer cannot be found.
func (w *Worker) Run(ctx context.Context) error {
	w.defaults()
	q := w.Queue
	cons, err := q.js.Consumer(ctx, q.cfg.Stream, q.cfg.Consumer)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("worker: consumer %s: %w", q.cfg.Consumer, err)
	}
	statsDone := make(chan struct{})
	go func() {
		defer close(statsDone)
		w.pollStats(ctx)
	}()
	defer func() { <-statsDone }()
	w.Log.Info("worker started", "worker", w.Name, "stream", q.cfg.Stream, "consumer", q.cfg.Consumer,
		"batch", w.Batch, "jobs", w.Jobs, "max_deliver", q.cfg.MaxDeliver, "max_ack_pending", q.cfg.MaxAckPending)
	fails := 0
	for batch := 0; ctx.Err() == nil; batch++ {
		// A short fetch wait keeps shutdown prompt: the loop sees a
		// cancelled ctx within a second even on an idle queue.
		mb, err := cons.Fetch(w.Batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			fails++
			w.Log.Warn("fetch failed", "worker", w.Name, "err", err)
			w.wait(ctx, fails)
			continue
		}
		var msgs []jetstream.Msg
		for m := range mb.Messages() {
			msgs = append(msgs, m)
		}
		if err := mb.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, natsgo.ErrTimeout) && len(msgs) == 0 {
			fails++
			w.Log.Warn("fetch failed", "worker", w.Name, "err", err)
			w.wait(ctx, fails)
			continue
		}
		fails = 0
		if len(msgs) > 0 {
			w.handle(ctx, msgs, batch)
		}
	}
	w.Log.Info("worker stopped", "worker", w.Name)
	return nil
}

// wait sleeps the backoff of the nth consecutive failure, or until ctx ends.
func (w *Worker) wait(ctx context.Context, n int) {
	t := time.NewTimer(w.backoff(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (w *Worker) backoff(n int) time.Duration {
	d := w.RetryDelay
	for i := 1; i < n && d < time.Minute; i++ {
		d *= 2
	}
	return min(d, time.Minute)
}

func (w *Worker) pollStats(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		if st, err := w.Queue.Stats(ctx); err == nil {
			w.Metrics.Pending.Store(st.Pending)
			w.Metrics.AckPending.Store(int64(st.AckPending))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// job is one message of a batch on its way through the worker.
type job struct {
	msg     jetstream.Msg
	item    Item
	attempt uint64
	start   time.Time
	report  *slant.Report
	id      string // when the text was already stored
	err     error
	stored  bool // written by an earlier try of the same batch
	dead    bool // sent to the dead-letter subject
}

func (w *Worker) handle(ctx context.Context, msgs []jetstream.Msg, batch int) {
	// In-flight work runs on its own context: a stop request gives it
	// Grace to finish before it is cancelled and handed back.
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		w.Log.Info("stopping: finishing in-flight items", "worker", w.Name, "items", len(msgs), "grace", w.Grace)
		time.AfterFunc(w.Grace, cancel)
	})
	defer stop()

	jobs := make([]*job, 0, len(msgs))
	for _, m := range msgs {
		j := &job{msg: m, start: time.Now(), attempt: 1}
		if md, err := m.Metadata(); err == nil {
			j.attempt = md.NumDelivered
		}
		if j.attempt > 1 {
			w.Metrics.Redeliveries.Add(1)
		}
		if err := json.Unmarshal(m.Data(), &j.item); err != nil {
			w.deadLetter(wctx, j, fmt.Errorf("undecodable work item: %v", err))
			continue
		}
		if j.attempt > uint64(w.Queue.cfg.MaxDeliver) {
			// The worker died on every attempt (the item crashes or hangs
			// it): do not run it again.
			w.deadLetter(wctx, j, fmt.Errorf("no worker finished it in %d attempts", w.Queue.cfg.MaxDeliver))
			continue
		}
		jobs = append(jobs, j)
	}
	w.Metrics.InFlight.Add(int64(len(jobs)))
	defer w.Metrics.InFlight.Add(-int64(len(jobs)))

	// Tell JetStream the batch is still being worked on, so a slow
	// analysis or a store outage does not get it redelivered elsewhere.
	keepDone := make(chan struct{})
	var keepWG sync.WaitGroup
	keepWG.Add(1)
	go func() {
		defer keepWG.Done()
		w.keepAlive(jobs, keepDone)
	}()
	defer func() { close(keepDone); keepWG.Wait() }()

	w.analyse(wctx, jobs)

	var ok []*job
	for _, j := range jobs {
		if j.err != nil {
			w.fail(wctx, j)
			continue
		}
		ok = append(ok, j)
	}
	if !w.store(wctx, ok) {
		return // handed back
	}
	if w.beforeAck != nil {
		w.beforeAck(batch)
	}
	for _, j := range ok {
		if j.dead {
			continue
		}
		// DoubleAck waits for the server to confirm: once it returns, the
		// item will not come back. A lost ack means a redelivery, which
		// the idempotent store absorbs.
		if err := j.msg.DoubleAck(wctx); err != nil {
			w.Log.Warn("ack failed; the item will be redelivered and found stored", "worker", w.Name, "item", j.item.Name(), "err", err)
			continue
		}
		w.Metrics.Processed.Add(1)
		w.Metrics.Observe(time.Since(j.start))
	}
}

func (w *Worker) keepAlive(jobs []*job, done <-chan struct{}) {
	t := time.NewTicker(max(w.Queue.cfg.AckWait/3, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			for _, j := range jobs {
				j.msg.InProgress()
			}
		}
	}
}

// analyse loads and analyses the jobs on w.Jobs goroutines. A text already
// stored is not analysed again.
func (w *Worker) analyse(ctx context.Context, jobs []*job) {
	lookup, _ := w.Store.(interface {
		LookupText(context.Context, string) (string, bool, error)
	})
	sem := make(chan struct{}, w.Jobs)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			a, err := w.Load(ctx, j.item)
			if err != nil {
				j.err = err
				return
			}
			if lookup != nil {
				// A failed lookup only costs an analysis: go on.
				if id, found, err := lookup.LookupText(ctx, a.Text); err == nil && found {
					j.id = id
					return
				}
			}
			j.report, j.err = w.Analyze(ctx, a)
		}()
	}
	wg.Wait()
}

// fail handles a job whose load or analysis failed: back to the queue for a
// later attempt, or to the dead-letter subject when the input can never
// work (EINVALID) or its attempts are used up.
func (w *Worker) fail(ctx context.Context, j *job) {
	if ctx.Err() != nil {
		w.nak(j, 0)
		return
	}
	w.Metrics.Failures.Add(1)
	if slant.ErrorCode(j.err) == slant.EINVALID || j.attempt >= uint64(w.Queue.cfg.MaxDeliver) {
		w.deadLetter(ctx, j, j.err)
		return
	}
	d := w.backoff(int(j.attempt))
	w.Log.Warn("item failed; will retry", "worker", w.Name, "item", j.item.Name(), "attempt", j.attempt, "retry_in", d, "err", j.err)
	w.nak(j, d)
}

func (w *Worker) nak(j *job, delay time.Duration) {
	w.Metrics.Naks.Add(1)
	var err error
	if delay > 0 {
		err = j.msg.NakWithDelay(delay)
	} else {
		err = j.msg.Nak()
	}
	if err != nil {
		w.Log.Warn("nak failed; the item comes back after the ack wait", "worker", w.Name, "item", j.item.Name(), "err", err)
	}
}

// deadLetter moves a job to the dead-letter subject and terminates its
// delivery. The dead letter is published (and confirmed) before the
// original is let go, so a crash in between duplicates it rather than
// losing it.
func (w *Worker) deadLetter(ctx context.Context, j *job, cause error) {
	d := DeadLetter{Item: j.item, Error: cause.Error(), Attempts: j.attempt, Worker: w.Name, Failed: time.Now().UTC()}
	if md, err := j.msg.Metadata(); err == nil {
		d.StreamSeq = md.Sequence.Stream
	}
	data, err := json.Marshal(d)
	if err == nil {
		_, err = w.Queue.js.Publish(ctx, w.Queue.cfg.DeadSubject, data,
			jetstream.WithMsgID("dead-"+strconv.FormatUint(d.StreamSeq, 10)))
	}
	if err != nil {
		w.Log.Error("dead-letter publish failed; item handed back", "worker", w.Name, "item", j.item.Name(), "err", err)
		w.nak(j, w.backoff(int(j.attempt)))
		return
	}
	w.Metrics.DeadLetters.Add(1)
	w.Log.Error("item dead-lettered", "worker", w.Name, "item", j.item.Name(), "attempts", j.attempt,
		"subject", w.Queue.cfg.DeadSubject, "err", cause)
	if err := j.msg.TermWithReason("dead-lettered"); err != nil {
		w.Log.Warn("term failed", "worker", w.Name, "item", j.item.Name(), "err", err)
	}
}

// store writes the reports of the jobs, retrying for as long as the store
// is unavailable (a down or restarting database is not the items' fault
// and must not use up their attempts). It returns false when the worker was
// stopped first and the jobs were handed back.
func (w *Worker) store(ctx context.Context, jobs []*job) bool {
	var todo []*job
	for _, j := range jobs {
		if j.report != nil {
			todo = append(todo, j)
		}
	}
	for n := 1; len(todo) > 0; n++ {
		err := w.put(ctx, todo)
		if err == nil {
			break
		}
		if slant.ErrorCode(err) == slant.EINVALID && len(todo) > 1 {
			// One bad report fails a batch: store them one by one to
			// find it.
			for _, j := range todo {
				if !w.store(ctx, []*job{j}) {
					return false
				}
			}
			return true
		}
		if slant.ErrorCode(err) == slant.EINVALID {
			w.Metrics.Failures.Add(1)
			w.deadLetter(ctx, todo[0], err)
			todo[0].dead = true // not acknowledged with the batch
			return true
		}
		if ctx.Err() != nil {
			for _, j := range jobs {
				w.nak(j, 0)
			}
			return false
		}
		w.Metrics.StoreRetries.Add(1)
		w.Log.Warn("store failed; retrying", "worker", w.Name, "items", len(todo), "attempt", n, "err", err)
		w.wait(ctx, n)
	}
	return true
}

func (w *Worker) put(ctx context.Context, jobs []*job) error {
	if w.PutBatch != nil {
		rs := make([]*slant.Report, len(jobs))
		for i, j := range jobs {
			rs[i] = j.report
		}
		puts, err := w.PutBatch(ctx, rs)
		if err != nil {
			return err
		}
		for i, p := range puts {
			jobs[i].id = p.ID
			if p.Created {
				w.Metrics.Created.Add(1)
			}
		}
		return nil
	}
	for _, j := range jobs {
		if j.stored {
			continue // stored by an earlier try of this loop
		}
		id, created, err := w.Store.PutReport(ctx, j.report)
		if err != nil {
			return err
		}
		j.id, j.stored = id, true
		if created {
			w.Metrics.Created.Add(1)
		}
	}
	return nil
}
