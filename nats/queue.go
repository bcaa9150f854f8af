// Package nats is slant's work queue on NATS JetStream, for feeds bigger
// than one machine: publishers (slant enqueue) put work items — URLs to
// fetch, articles already read — on a durable stream, and any number of
// workers (slant worker) on any number of machines take them, analyse them
// and store the reports.
//
// Delivery is at-least-once: a worker acknowledges an item only after the
// store has committed its report, so a worker that dies mid-batch leaves its
// items unacknowledged and JetStream redelivers them after AckWait. The
// stores' writes are idempotent (the article id is its text hash), so a
// redelivered item is stored once: effectively exactly once. An item that
// keeps failing goes to a dead-letter subject after MaxDeliver attempts
// instead of blocking the queue, and MaxAckPending bounds the items a
// consumer holds at once (back-pressure).
package nats

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/slant-news/slant"
)

// Item kinds.
const (
	// KindURL is a page the worker fetches.
	KindURL = "url"
	// KindArticle is an article the publisher already read (a file, a
	// feed item with its content), carried in the message.
	KindArticle = "article"
)

// Item is one unit of work on the queue.
type Item struct {
	Kind string `json:"kind"`
	// URL is the page to fetch (KindURL).
	URL string `json:"url,omitempty"`
	// Article is the article to analyse (KindArticle).
	Article *slant.Article `json:"article,omitempty"`
	// Outlet, when set, overrides the outlet of the loaded article.
	Outlet string `json:"outlet,omitempty"`
}

// Name says which input the item is, for logs and errors.
func (it Item) Name() string {
	switch {
	case it.URL != "":
		return it.URL
	case it.Article != nil && it.Article.Source != "":
		return it.Article.Source
	case it.Article != nil && it.Article.URL != "":
		return it.Article.URL
	case it.Article != nil && it.Article.Title != "":
		return fmt.Sprintf("%q", it.Article.Title)
	}
	return "item"
}

// key is the item's JetStream message id: publishing the same item twice
// within the stream's duplicate window stores it once.
func (it Item) key() string {
	h := sha256.New()
	h.Write([]byte(it.Kind + "\x00" + it.URL + "\x00" + it.Outlet + "\x00"))
	if it.Article != nil {
		h.Write([]byte(it.Article.Text))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Config names the stream, subjects and consumer, and sets the delivery
// policy. The zero value of a field means its default.
type Config struct {
	// Stream is the work stream (default "SLANT").
	Stream string
	// Subject is where work items are published (default "slant.work").
	Subject string
	// DeadStream and DeadSubject hold items that failed MaxDeliver times
	// (default "SLANT_DEAD" and "slant.dead"); the stream keeps them for
	// inspection and replay.
	DeadStream  string
	DeadSubject string
	// Consumer is the durable consumer all workers share (default
	// "slant-workers"): each item goes to one of them.
	Consumer string
	// AckWait is how long an item may go unacknowledged before JetStream
	// redelivers it (default 2 minutes); a worker still busy on an item
	// extends it.
	AckWait time.Duration
	// MaxDeliver is how many times an item is tried before it goes to the
	// dead-letter subject (default 5).
	MaxDeliver int
	// MaxAckPending bounds the items handed out and not yet acknowledged,
	// across all workers (default 256): the back-pressure that keeps a slow
	// store from being buried.
	MaxAckPending int
	// Replicas is the stream replication factor in a NATS cluster
	// (default 1).
	Replicas int
}

func (c Config) withDefaults() Config {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Stream, "SLANT")
	def(&c.Subject, "slant.work")
	def(&c.DeadStream, "SLANT_DEAD")
	def(&c.DeadSubject, "slant.dead")
	def(&c.Consumer, "slant-workers")
	if c.AckWait <= 0 {
		c.AckWait = 2 * time.Minute
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 5
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = 256
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	return c
}

// Queue is a connection to the work queue.
type Queue struct {
	nc  *natsgo.Conn
	js  jetstream.JetStream
	cfg Config
}

// Connect connects to the NATS server at url (nats://host:4222, or several
// comma-separated for a cluster) and creates the streams and the consumer
// when missing, or updates them to cfg.
func Connect(ctx context.Context, url string, cfg Config, opts ...natsgo.Option) (*Queue, error) {
	cfg = cfg.withDefaults()
	// Keep reconnecting forever: a worker outlives a NATS restart.
	opts = append([]natsgo.Option{natsgo.Name("slant"), natsgo.MaxReconnects(-1)}, opts...)
	nc, err := natsgo.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to queue %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("connect to queue %s: %w", url, err)
	}
	q := &Queue{nc: nc, js: js, cfg: cfg}
	if err := q.setup(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("set up queue on %s: %w", url, err)
	}
	return q, nil
}

func (q *Queue) setup(ctx context.Context) error {
	c := q.cfg
	if _, err := q.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     c.Stream,
		Subjects: []string{c.Subject},
		// Work-queue retention deletes an item once acknowledged: the
		// stream is the backlog, not an archive.
		Retention:  jetstream.WorkQueuePolicy,
		Storage:    jetstream.FileStorage,
		Duplicates: 10 * time.Minute,
		Replicas:   c.Replicas,
	}); err != nil {
		return fmt.Errorf("stream %s: %w", c.Stream, err)
	}
	if _, err := q.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     c.DeadStream,
		Subjects: []string{c.DeadSubject},
		Storage:  jetstream.FileStorage,
		MaxAge:   30 * 24 * time.Hour,
		Replicas: c.Replicas,
	}); err != nil {
		return fmt.Errorf("stream %s: %w", c.DeadStream, err)
	}
	if _, err := q.js.CreateOrUpdateConsumer(ctx, c.Stream, jetstream.ConsumerConfig{
		Durable:   c.Consumer,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   c.AckWait,
		// One delivery more than the worker's own limit: an item whose
		// worker died on its last try arrives once more, and the worker
		// dead-letters it without running it again.
		MaxDeliver:    c.MaxDeliver + 1,
		MaxAckPending: c.MaxAckPending,
		FilterSubject: c.Subject,
	}); err != nil {
		return fmt.Errorf("consumer %s: %w", c.Consumer, err)
	}
	return nil
}

// Config returns the queue's configuration with defaults filled in.
func (q *Queue) Config() Config { return q.cfg }

// Conn returns the NATS connection.
func (q *Queue) Conn() *natsgo.Conn { return q.nc }

// Close closes the connection, after flushing what was published.
func (q *Queue) Close() {
	q.nc.Drain()
	q.nc.Close()
}

// ErrTooLarge is the reason Publish gives for an item over the server's
// maximum message size.
var ErrTooLarge = errors.New("item too large for the queue")

// Publish puts an item on the queue and waits for the stream to store it.
// Publishing the same item again within ten minutes is a no-op
// (dup=true).
func (q *Queue) Publish(ctx context.Context, it Item) (dup bool, err error) {
	switch it.Kind {
	case KindURL:
		if it.URL == "" {
			return false, slant.Errorf(slant.EINVALID, "enqueue: url item without a URL")
		}
	case KindArticle:
		if it.Article == nil {
			return false, slant.Errorf(slant.EINVALID, "enqueue: article item without an article")
		}
	default:
		return false, slant.Errorf(slant.EINVALID, "enqueue: unknown item kind %q", it.Kind)
	}
	data, err := json.Marshal(it)
	if err != nil {
		return false, slant.Errorf(slant.EINVALID, "enqueue %s: %v", it.Name(), err)
	}
	if max := q.nc.MaxPayload(); int64(len(data)) > max-1024 {
		return false, slant.Errorf(slant.EINVALID, "enqueue %s: %v (%d bytes, server limit %d): ingest it directly", it.Name(), ErrTooLarge, len(data), max)
	}
	ack, err := q.js.Publish(ctx, q.cfg.Subject, data, jetstream.WithMsgID(it.key()))
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", it.Name(), err)
	}
	return ack.Duplicate, nil
}

// Stats is the state of the shared consumer.
type Stats struct {
	// Pending is the number of items not yet handed to any worker.
	Pending uint64
	// AckPending is the number handed out and not yet acknowledged.
	AckPending int
	// Redelivered is the number being delivered again.
	Redelivered int
	// Dead is the number of items in the dead-letter stream.
	Dead uint64
}

// Lag is the work still to do: items waiting plus items in flight.
func (s Stats) Lag() uint64 { return s.Pending + uint64(s.AckPending) }

// Stats asks the server for the consumer's state.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	c, err := q.js.Consumer(ctx, q.cfg.Stream, q.cfg.Consumer)
	if err != nil {
		return Stats{}, fmt.Errorf("queue stats: %w", err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("queue stats: %w", err)
	}
	st := Stats{Pending: info.NumPending, AckPending: info.NumAckPending, Redelivered: info.NumRedelivered}
	if ds, err := q.js.Stream(ctx, q.cfg.DeadStream); err == nil {
		if di, err := ds.Info(ctx); err == nil {
			st.Dead = di.State.Msgs
		}
	}
	return st, nil
}

// DeadLetter is an item that failed every attempt, as kept on the
// dead-letter subject.
type DeadLetter struct {
	Item      Item      `json:"item"`
	Error     string    `json:"error"`
	Attempts  uint64    `json:"attempts"`
	Worker    string    `json:"worker,omitempty"`
	Failed    time.Time `json:"failed"`
	StreamSeq uint64    `json:"stream_seq"`
}

// DeadLetters returns up to max items from the dead-letter stream, oldest
// first, without removing them.
func (q *Queue) DeadLetters(ctx context.Context, max int) ([]DeadLetter, error) {
	cons, err := q.js.OrderedConsumer(ctx, q.cfg.DeadStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, fmt.Errorf("read dead letters: %w", err)
	}
	var out []DeadLetter
	for len(out) < max {
		batch, err := cons.FetchNoWait(max - len(out))
		if err != nil {
			return out, fmt.Errorf("read dead letters: %w", err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			var d DeadLetter
			if err := json.Unmarshal(m.Data(), &d); err != nil {
				return out, fmt.Errorf("read dead letters: %w", err)
			}
			out = append(out, d)
		}
		if n == 0 {
			break
		}
	}
	return out, nil
}
