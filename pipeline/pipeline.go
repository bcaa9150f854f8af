// Package pipeline runs analyzers over many articles: a registry of analyzers
// by name with lazy construction (models load only when an analyzer is
// used), and a bounded worker pool that analyses articles concurrently and
// delivers results in input order.
package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// Factory builds an analyzer; it is called at most once per Registry.
type Factory func() (slant.Analyzer, error)

type entry struct {
	name  string
	order int // run order: lower first, so later analyzers can read earlier annotations
	make  Factory

	once sync.Once
	a    slant.Analyzer
	err  error
}

// Registry knows the available analyzers by name.
type Registry struct {
	mu      sync.Mutex
	entries map[string]*entry
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{entries: map[string]*entry{}} }

// Register adds an analyzer factory. order sets where it runs relative to
// the others (entities before quotes before roles, say). Registering a name
// twice is a programming error and panics.
func (r *Registry) Register(name string, order int, f Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.entries[name]; dup {
		panic("pipeline: analyzer registered twice: " + name)
	}
	r.entries[name] = &entry{name: name, order: order, make: f}
}

// Names returns the registered analyzer names in run order.
func (r *Registry) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	es := make([]*entry, 0, len(r.entries))
	for _, e := range r.entries {
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].order != es[j].order {
			return es[i].order < es[j].order
		}
		return es[i].name < es[j].name
	})
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.name
	}
	return names
}

// Analyzers builds (once) and returns the named analyzers in run order; an
// empty list selects all registered ones. An unknown name is an EINVALID
// error listing the known ones.
func (r *Registry) Analyzers(names []string) ([]slant.Analyzer, error) {
	all := r.Names()
	want := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		r.mu.Lock()
		_, ok := r.entries[n]
		r.mu.Unlock()
		if !ok {
			return nil, slant.Errorf(slant.EINVALID, "unknown analyzer %q (known: %s)", n, strings.Join(all, ", "))
		}
		want[n] = true
	}
	var out []slant.Analyzer
	for _, n := range all {
		if len(want) > 0 && !want[n] {
			continue
		}
		r.mu.Lock()
		e := r.entries[n]
		r.mu.Unlock()
		e.once.Do(func() { e.a, e.err = e.make() })
		if e.err != nil {
			return nil, fmt.Errorf("load analyzer %s: %w", n, e.err)
		}
		out = append(out, e.a)
	}
	return out, nil
}

// Analyze segments one article and runs the analyzers over it in order.
// Code point offsets are filled on every span before it returns.
func Analyze(ctx context.Context, as []slant.Analyzer, a slant.Article) (*slant.Report, error) {
	r := &slant.Report{Article: a}
	r.Paragraphs = text.Paragraphs(a.Text)
	r.Sentences = text.Sentences(a.Text)
	for _, an := range as {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := an.Analyze(ctx, r); err != nil {
			return nil, fmt.Errorf("%s: %w", an.Name(), err)
		}
		r.Analyzers = append(r.Analyzers, an.Name())
	}
	r.FillCodePoints()
	return r, nil
}

// Job is one unit of work: something that yields an article (reading a
// file, fetching a URL) and is then analysed.
type Job struct {
	// Name identifies the input in error messages (a path or URL).
	Name string
	// Load produces the article; it runs on a worker.
	Load func(ctx context.Context) (slant.Article, error)
}

// Result is the outcome of one Job; exactly one of Report and Err is set.
type Result struct {
	Index  int // position of the job in the input
	Name   string
	Report *slant.Report
	Err    error
}

// Run analyses the jobs on `workers` goroutines (runtime.NumCPU when <= 0)
// and calls emit for each result in input order, from the calling
// goroutine. A job's failure is passed to emit and does not stop the rest.
// Run stops early, returning ctx.Err(), when ctx is cancelled, and returns
// the first error emit returns. At most about 2*workers results are held in
// memory at once, so the input can be arbitrarily long.
func Run(parent context.Context, as []slant.Analyzer, jobs []Job, workers int, emit func(Result) error) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	// Each job gets a one-slot channel; a bounded window of them keeps the
	// output ordered while workers run ahead by at most `window` jobs.
	window := 2 * workers
	slots := make(chan chan Result, window)
	todo := make(chan struct {
		i   int
		out chan Result
	})

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range todo {
				t.out <- runJob(ctx, as, jobs[t.i], t.i)
			}
		}()
	}
	go func() {
		defer close(slots)
		defer close(todo)
		for i := range jobs {
			out := make(chan Result, 1)
			select {
			case slots <- out:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- struct {
				i   int
				out chan Result
			}{i, out}:
			case <-ctx.Done():
				return
			}
		}
	}()

	var err error
	for out := range slots {
		var res Result
		select {
		case res = <-out:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if e := emit(res); e != nil {
			err = e
			break
		}
	}
	cancel()
	// Drain so the feeder and workers can finish.
	for range slots {
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return parent.Err()
}

func runJob(ctx context.Context, as []slant.Analyzer, j Job, i int) (res Result) {
	res = Result{Index: i, Name: j.Name}
	defer func() {
		// An analyzer bug on one article must not take down a run over a
		// thousand: report it as that article's error.
		if p := recover(); p != nil {
			res.Report, res.Err = nil, slant.Errorf(slant.EINTERNAL, "%s: internal error while analysing: %v", j.Name, p)
		}
	}()
	a, err := j.Load(ctx)
	if err != nil {
		res.Err = err
		return res
	}
	res.Report, res.Err = Analyze(ctx, as, a)
	return res
}
