package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

// benchTarget is how long an automatic benchmark run lasts by default:
// long enough that start-up and timer resolution do not matter.
const benchTarget = 2 * time.Second

func init() {
	register(&command{
		name:    "bench",
		usage:   "slant bench [--jobs N] [--only a,b] [--repeat K | --time D] [DIR|PATH...]",
		summary: "measure analysis speed (articles/s, MB/s) and peak memory on a corpus (default examples/*.txt)",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runBench(ctx, e, args, analyzers)
		},
	})
}

func runBench(ctx context.Context, e *Env, args []string, reg *pipeline.Registry) error {
	fs := newFlags("bench", e.Stderr)
	var af analyzeFlags
	fs.StringVar(&af.only, "only", "", "comma-separated analyzers to run (default: all of "+namesOrNone(reg)+")")
	fs.IntVar(&af.jobs, "jobs", runtime.NumCPU(), "articles analysed at once")
	repeat := fs.Int("repeat", 0, "analyse the corpus K times (default: as many times as fit in --time)")
	target := fs.Duration("time", benchTarget, "how long to run when --repeat is not given")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if af.jobs < 1 {
		return usageErrorf("--jobs must be at least 1, got %d", af.jobs)
	}
	if *repeat < 0 {
		return usageErrorf("--repeat must not be negative, got %d", *repeat)
	}
	if *target <= 0 {
		return usageErrorf("--time must be positive, got %s", *target)
	}
	where := strings.Join(pos, " ")
	if len(pos) > 3 {
		where = fmt.Sprintf("%s … (%d paths)", strings.Join(pos[:2], " "), len(pos))
	}
	if len(pos) == 0 {
		// The example articles, not the directory: it also holds their
		// README.
		pos, _ = filepath.Glob(filepath.Join("examples", "*.txt"))
		if len(pos) == 0 {
			return slant.Errorf(slant.ENOTFOUND, "no corpus given and no examples/*.txt here: run from the repository root or give DIR")
		}
		where = filepath.Join("examples", "*.txt")
	}
	as, degraded, err := loadAnalyzers(reg, af.only, e.Stderr)
	if err != nil {
		return err
	}

	// Read the corpus once, up front, so the timed part measures analysis
	// and not the disk.
	loadStart := time.Now()
	srcs, errs := ingest.Expand(pos)
	skipped := len(errs)
	if degraded {
		skipped++
	}
	for _, err := range errs {
		printSkip(e.Stderr, err)
	}
	var corpus []slant.Article
	size := 0
	for _, src := range srcs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a, err := ingest.Load(ctx, src, e.Stdin, af.ingestOptions())
		if err != nil {
			printSkip(e.Stderr, err)
			skipped++
			continue
		}
		corpus = append(corpus, a)
		size += len(a.Text)
	}
	loadTime := time.Since(loadStart)
	if len(corpus) == 0 {
		return slant.Errorf(slant.EINVALID, "no readable articles in %s", strings.Join(pos, " "))
	}

	rounds := *repeat
	if rounds == 0 {
		// Calibrate: double the rounds until a pass lasts a tenth of the
		// target, then scale to the target. The first pass also loads lazy
		// models, which keeps their load time out of the measurement.
		for rounds = 1; ; rounds *= 2 {
			elapsed, _, err := benchRun(ctx, as, corpus, rounds, af.jobs)
			if err != nil {
				return err
			}
			if elapsed >= *target/10 || rounds >= 1<<16 {
				rounds = max(1, int(float64(rounds)*float64(*target)/float64(max(elapsed, time.Microsecond))))
				break
			}
		}
	}
	cpu0, cpuOK := cpuTime()
	elapsed, failed, err := benchRun(ctx, as, corpus, rounds, af.jobs)
	if err != nil {
		return err
	}
	cpu1, _ := cpuTime()
	n := rounds * len(corpus)
	secs := elapsed.Seconds()
	rss, rssSource := peakRSS()

	w := bufio.NewWriter(e.Stdout)
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name()
	}
	fmt.Fprintf(w, "corpus     %s: %d articles, %s, read in %s\n", where, len(corpus), humanBytes(size), loadTime.Round(time.Microsecond))
	fmt.Fprintf(w, "analyzers  %s\n", orNoneList(names))
	fmt.Fprintf(w, "run        %d rounds × %d articles = %d articles, %s, %d jobs, GOMAXPROCS %d\n",
		rounds, len(corpus), n, humanBytes(rounds*size), af.jobs, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "time       %s\n", elapsed.Round(time.Microsecond))
	fmt.Fprintf(w, "speed      %.1f articles/s, %.2f MB/s\n", float64(n)/secs, float64(rounds*size)/1e6/secs)
	if cpu := cpu1 - cpu0; cpuOK && cpu > 0 {
		// Per CPU-second figures hold up better than wall-clock ones when
		// other processes compete for the CPUs.
		fmt.Fprintf(w, "cpu        %s user+sys: %.1f articles and %.2f MB per CPU-second\n",
			cpu.Round(time.Millisecond), float64(n)/cpu.Seconds(), float64(rounds*size)/1e6/cpu.Seconds())
	}
	fmt.Fprintf(w, "peak RSS   %s (%s)\n", humanBytes(int(rss)), rssSource)
	if load := loadAverage(); load != "" {
		// Other processes skew the figures; say how busy the machine was.
		fmt.Fprintf(w, "host       %d CPUs, load average %s\n", runtime.NumCPU(), load)
	}
	if failed > 0 {
		fmt.Fprintf(w, "failed     %d analyses (errors from analyzers)\n", failed)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if skipped > 0 {
		return errPartial
	}
	return nil
}

// benchRun analyses the corpus `rounds` times through the pipeline and
// returns the wall time and the number of failed analyses. Rounds go
// through the pool in batches of about a thousand articles so the job list
// itself stays small and does not weigh on the peak memory measured.
func benchRun(ctx context.Context, as []slant.Analyzer, corpus []slant.Article, rounds, workers int) (time.Duration, int, error) {
	batch := max(1, min(rounds, 1000/len(corpus)))
	jobs := make([]pipeline.Job, 0, batch*len(corpus))
	for r := 0; r < batch; r++ {
		for _, a := range corpus {
			jobs = append(jobs, pipeline.Job{Name: a.Source, Load: func(context.Context) (slant.Article, error) { return a, nil }})
		}
	}
	failed := 0
	emit := func(res pipeline.Result) error {
		if res.Err != nil {
			failed++
		}
		return nil
	}
	start := time.Now()
	for done := 0; done < rounds; done += batch {
		n := min(batch, rounds-done)
		if err := pipeline.Run(ctx, as, jobs[:n*len(corpus)], workers, emit); err != nil {
			return time.Since(start), failed, err
		}
	}
	return time.Since(start), failed, nil
}

// peakRSS returns the process's peak resident set size in bytes. On Linux
// it is VmHWM from /proc/self/status; elsewhere the Go runtime's total
// memory obtained from the OS, which bounds the heap's peak from above.
func peakRSS() (bytes uint64, source string) {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		if kb, ok := parseVmHWM(f); ok {
			return kb * 1024, "VmHWM"
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys, "Go runtime Sys"
}

// parseVmHWM reads the "VmHWM:  1234 kB" line of a /proc/PID/status file.
func parseVmHWM(r io.Reader) (kb uint64, ok bool) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !found {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		return n, err == nil
	}
	return 0, false
}

// humanBytes prints a byte count in decimal units, as MB/s is.
func humanBytes(n int) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func orNoneList(s []string) string {
	if len(s) == 0 {
		return "none (segmentation only)"
	}
	return strings.Join(s, ", ")
}

// loadAverage returns the 1, 5 and 15 minute load averages on Linux, "" elsewhere.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
