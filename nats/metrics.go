package nats

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics are a worker's counters, written in Prometheus' text exposition
// format by hand: a handful of counters and one histogram do not justify a
// client library.
type Metrics struct {
	Processed    atomic.Uint64 // items stored (new or unchanged)
	Created      atomic.Uint64 // articles this worker stored first
	Failures     atomic.Uint64 // failed attempts (load, analysis, invalid report)
	Redeliveries atomic.Uint64 // items received more than once
	DeadLetters  atomic.Uint64 // items sent to the dead-letter subject
	StoreRetries atomic.Uint64 // store writes retried (store down or restarting)
	Naks         atomic.Uint64 // items handed back (shutdown, retry later)
	InFlight     atomic.Int64  // items being worked on now

	// Queue state, refreshed from the server by the worker.
	Pending    atomic.Uint64
	AckPending atomic.Int64

	mu      sync.Mutex
	buckets []float64 // upper bounds in seconds
	counts  []uint64  // per bucket, not cumulative
	sum     float64
	n       uint64
}

// latencyBuckets span a cached no-op (milliseconds) to a slow fetch and
// analysis of a long page (a minute).
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// NewMetrics returns zeroed metrics.
func NewMetrics() *Metrics {
	return &Metrics{buckets: latencyBuckets, counts: make([]uint64, len(latencyBuckets)+1)}
}

// Observe records the time one item took from receipt to acknowledgement.
func (m *Metrics) Observe(d time.Duration) {
	s := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	i := 0
	for i < len(m.buckets) && s > m.buckets[i] {
		i++
	}
	m.counts[i]++
	m.sum += s
	m.n++
}

// WriteTo writes the metrics in the Prometheus text format (version 0.0.4).
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(cw, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	gauge := func(name, help string, v int64) {
		fmt.Fprintf(cw, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
	}
	counter("slant_worker_articles_processed_total", "Work items stored and acknowledged.", m.Processed.Load())
	counter("slant_worker_articles_created_total", "Articles this worker stored first (the rest were already stored).", m.Created.Load())
	counter("slant_worker_failures_total", "Failed attempts at a work item (load, analysis or an invalid report).", m.Failures.Load())
	counter("slant_worker_redeliveries_total", "Work items received more than once.", m.Redeliveries.Load())
	counter("slant_worker_dead_letters_total", "Work items sent to the dead-letter subject.", m.DeadLetters.Load())
	counter("slant_worker_store_retries_total", "Store writes retried because the store was unavailable.", m.StoreRetries.Load())
	counter("slant_worker_naks_total", "Work items handed back to the queue unfinished.", m.Naks.Load())
	gauge("slant_worker_in_flight", "Work items being processed now.", m.InFlight.Load())
	gauge("slant_queue_pending", "Work items waiting in the queue, not yet delivered.", int64(m.Pending.Load()))
	gauge("slant_queue_ack_pending", "Work items delivered and not yet acknowledged, across all workers.", m.AckPending.Load())
	gauge("slant_queue_lag", "Work still to do: items waiting plus items in flight.", int64(m.Pending.Load())+m.AckPending.Load())

	m.mu.Lock()
	const h = "slant_worker_latency_seconds"
	fmt.Fprintf(cw, "# HELP %s Time from receiving a work item to acknowledging it.\n# TYPE %s histogram\n", h, h)
	var cum uint64
	for i, b := range m.buckets {
		cum += m.counts[i]
		fmt.Fprintf(cw, "%s_bucket{le=%q} %d\n", h, strconv.FormatFloat(b, 'g', -1, 64), cum)
	}
	cum += m.counts[len(m.buckets)]
	fmt.Fprintf(cw, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %s\n%s_count %d\n", h, cum, h, formatFloat(m.sum), h, m.n)
	m.mu.Unlock()
	return cw.n, cw.err
}

func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// Handler serves /metrics and /healthz. healthy reports whether the worker
// can work (queue connected, store reachable); nil means always.
func Handler(m *Metrics, healthy func() error) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.WriteTo(w)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if healthy != nil {
			if err := healthy(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "unhealthy: %v\n", err)
				return
			}
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}
