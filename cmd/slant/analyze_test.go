package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
)

// exampleFiles returns the example articles and their titles (first lines).
func exampleFiles(t *testing.T) (paths, titles []string) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.txt"))
	if err != nil || len(paths) < 5 {
		t.Fatalf("examples/*.txt: %d files, %v", len(paths), err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		titles = append(titles, strings.SplitN(string(data), "\n", 2)[0])
	}
	return paths, titles
}

// loadable returns the registered analyzers that load, in run order, and
// how many fail to (a model not trained yet, say). analyze runs without the
// ones that fail, warns once for each on stderr and exits with errPartial;
// the end-to-end tests expect exactly that rather than depending on every
// other analyzer's model being in place.
func loadable(t *testing.T) (names []string, broken int) {
	t.Helper()
	for _, n := range analyzers.Names() {
		if _, err := analyzers.Analyzers([]string{n}); err != nil {
			broken++
			continue
		}
		names = append(names, n)
	}
	return names, broken
}

// wantRun checks a run's error and stderr given how many analyzers failed
// to load and how many inputs were bad, and returns stderr without the
// analyzer warnings.
func wantRun(t *testing.T, err error, stderr string, broken, bad int) string {
	t.Helper()
	if broken+bad == 0 && err != nil {
		t.Fatalf("err = %v; stderr: %s", err, stderr)
	}
	if broken+bad > 0 && !errors.Is(err, errPartial) {
		t.Fatalf("err = %v, want errPartial; stderr: %s", err, stderr)
	}
	var rest []string
	warnings := 0
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if strings.HasPrefix(l, "slant: warning: ") {
			warnings++
			continue
		}
		if l != "" {
			rest = append(rest, l)
		}
	}
	if warnings != broken {
		t.Errorf("%d analyzer warnings on stderr, want %d:\n%s", warnings, broken, stderr)
	}
	return strings.Join(rest, "")
}

func testEnv(stdin string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, &out, &errb
}

func TestAnalyzeExamples(t *testing.T) {
	t.Parallel()
	paths, titles := exampleFiles(t)
	tests := []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{"text", func(t *testing.T, out string) {
			for _, title := range titles {
				if !strings.Contains(out, title) {
					t.Errorf("text output lacks title %q", title)
				}
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("colour escapes when stdout is not a terminal")
			}
			if n := strings.Count(out, " sentences · "); n != len(paths) {
				t.Errorf("%d sentence counts, want %d", n, len(paths))
			}
		}},
		{"json", func(t *testing.T, out string) {
			var rs []slant.Report
			if err := json.Unmarshal([]byte(out), &rs); err != nil {
				t.Fatal(err)
			}
			checkReports(t, rs, titles)
		}},
		{"jsonl", func(t *testing.T, out string) {
			var rs []slant.Report
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r slant.Report
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("line %d: %v", len(rs)+1, err)
				}
				rs = append(rs, r)
			}
			checkReports(t, rs, titles)
		}},
		{"html", func(t *testing.T, out string) {
			if n := strings.Count(out, "<article "); n != len(paths) {
				t.Errorf("%d <article> elements, want %d", n, len(paths))
			}
			if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.HasSuffix(out, "</html>\n") {
				t.Errorf("not one whole page")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			_, broken := loadable(t)
			e, out, errb := testEnv("")
			args := append([]string{"analyze", "--format", tt.format, "--jobs", "2"}, paths...)
			err := run(context.Background(), args, e)
			if rest := wantRun(t, err, errb.String(), broken, 0); rest != "" {
				t.Errorf("stderr: %s", rest)
			}
			tt.check(t, out.String())
		})
	}
}

func checkReports(t *testing.T, rs []slant.Report, titles []string) {
	t.Helper()
	if len(rs) != len(titles) {
		t.Fatalf("%d reports, want %d", len(rs), len(titles))
	}
	for i, r := range rs {
		if r.Article.Title != titles[i] {
			t.Errorf("report %d: title %q, want %q (input order lost?)", i, r.Article.Title, titles[i])
		}
		if len(r.Sentences) < 5 || len(r.Paragraphs) < 5 {
			t.Errorf("report %d: %d sentences, %d paragraphs", i, len(r.Sentences), len(r.Paragraphs))
		}
		// The title span must select the title by bytes and by code points.
		ts := r.Article.TitleSpan
		if got := r.Article.Text[ts.Start:ts.End]; got != titles[i] {
			t.Errorf("report %d: title span selects %q", i, got)
		}
		if got := string([]rune(r.Article.Text)[ts.CPStart:ts.CPEnd]); got != titles[i] {
			t.Errorf("report %d: title code point span selects %q", i, got)
		}
		names, _ := loadable(t)
		if got, want := strings.Join(r.Analyzers, ","), strings.Join(names, ","); got != want {
			t.Errorf("report %d: analyzers %q, want every registered one that loads %q", i, got, want)
		}
	}
}

func TestAnalyzeSkipsBadInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good1 := write("a-good.txt", "First headline\n\nThe council met on Monday — briefly.\n")
	bad := write("b-binary.txt", "\x00\x01\x02\x03ELF\x00\x00\x00binary\x00")
	good2 := write("c-good.txt", "Second headline\n\n“We are ready,” she said.\n")
	missing := filepath.Join(dir, "nope.txt")

	_, broken := loadable(t)
	e, out, errb := testEnv("")
	err := run(context.Background(), []string{"analyze", "--format", "jsonl", good1, bad, missing, good2}, e)
	rest := wantRun(t, err, errb.String(), broken, 2)
	lines := strings.Split(strings.TrimRight(rest, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("stderr has %d lines, want one per bad input:\n%s", len(lines), errb)
	}
	for _, want := range []string{bad, missing} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr does not name %s:\n%s", want, errb)
		}
	}
	var titles []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r slant.Report
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		titles = append(titles, r.Article.Title)
	}
	if strings.Join(titles, "|") != "First headline|Second headline" {
		t.Errorf("good inputs analysed: %q", titles)
	}
}

// cancelWriter cancels a context after the first write: an interrupt that
// arrives while the run is under way.
type cancelWriter struct {
	bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	defer w.cancel()
	return w.Buffer.Write(p)
}

func TestAnalyzeInterrupted(t *testing.T) {
	t.Parallel()
	paths, _ := exampleFiles(t)
	t.Run("during the run", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		e, _, errb := testEnv("")
		out := &cancelWriter{cancel: cancel}
		e.Stdout = out
		err := run(ctx, append([]string{"analyze", "--format", "jsonl", "--jobs", "1"}, paths...), e)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		want := "interrupted after 1 of " + strconv.Itoa(len(paths)) + " articles"
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr %q lacks %q", errb, want)
		}
		if n := strings.Count(out.String(), "\n"); n != 1 {
			t.Errorf("%d reports written after the interrupt, want 1", n)
		}
	})
	t.Run("before the run", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		e, out, errb := testEnv("")
		err := run(ctx, append([]string{"analyze", "--format", "json"}, paths...), e)
		if !errors.Is(err, context.Canceled) || !strings.Contains(errb.String(), "interrupted after 0 of") {
			t.Fatalf("err = %v, stderr %q", err, errb)
		}
		// The JSON array is closed even when interrupted.
		var rs []slant.Report
		if err := json.Unmarshal(out.Bytes(), &rs); err != nil || len(rs) != 0 {
			t.Errorf("output %q: %v", out, err)
		}
	})
}

func TestAnalyzeUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no inputs", []string{"analyze"}, "at least one"},
		{"bad format", []string{"analyze", "--format", "yaml", "x.txt"}, "yaml"},
		{"bad jobs", []string{"analyze", "--jobs", "0", "x.txt"}, "--jobs"},
		{"unknown analyzer", []string{"analyze", "--only", "no-such-analyzer", "x.txt"}, "no-such-analyzer"},
		{"unknown flag", []string{"analyze", "--colour", "x.txt"}, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, out, _ := testEnv("")
			err := run(context.Background(), tt.args, e)
			var u errUsage
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a usage error mentioning %q", err, tt.want)
			}
			if out.Len() > 0 {
				t.Errorf("usage error wrote to stdout: %q", out)
			}
		})
	}
}

func TestAnalyzeStdin(t *testing.T) {
	t.Parallel()
	_, broken := loadable(t)
	e, out, errb := testEnv("Piped headline\n\nA “quoted” line — with an emoji 🙂.\n")
	err := run(context.Background(), []string{"analyze", "--format", "json", "--outlet", "Example Post", "-"}, e)
	wantRun(t, err, errb.String(), broken, 0)
	var rs []slant.Report
	if err := json.Unmarshal(out.Bytes(), &rs); err != nil || len(rs) != 1 {
		t.Fatalf("%d reports, %v", len(rs), err)
	}
	if a := rs[0].Article; a.Title != "Piped headline" || a.Outlet != "Example Post" {
		t.Errorf("article = %+v", a)
	}
}

// wordMarker marks a word as a technique; it stands for a real analyzer.
type wordMarker struct{ word, technique string }

func (w wordMarker) Name() string { return "marker" }

func (w wordMarker) Analyze(_ context.Context, r *slant.Report) error {
	t := r.Article.Text
	for i := 0; ; {
		j := strings.Index(t[i:], w.word)
		if j < 0 {
			return nil
		}
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: slant.Span{Start: i + j, End: i + j + len(w.word)}, Technique: w.technique, Score: 0.5})
		i += j + len(w.word)
	}
}

func TestAnalyzeRunsRegisteredAnalyzers(t *testing.T) {
	t.Parallel()
	reg := pipeline.NewRegistry()
	reg.Register("marker", 10, func() (slant.Analyzer, error) { return wordMarker{"Karsk", "Repetition"}, nil })
	paths, _ := exampleFiles(t)
	tests := []struct {
		name     string
		env      func(*Env)
		args     []string
		contains []string
		absent   []string
	}{
		{name: "plain markers", args: []string{"--only", "marker"},
			contains: []string{"[[Karsk]]{Repetition 0.50}", "analyzers: marker"}, absent: []string{"\x1b["}},
		{name: "colour on a terminal", env: func(e *Env) { e.IsTerminal = func() bool { return true } },
			contains: []string{"\x1b[", "Repetition"}},
		{name: "NO_COLOR", env: func(e *Env) {
			e.IsTerminal = func() bool { return true }
			e.Getenv = func(k string) string {
				if k == "NO_COLOR" {
					return "1"
				}
				return ""
			}
		}, contains: []string{"[[Karsk]]"}, absent: []string{"\x1b["}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, out, errb := testEnv("")
			if tt.env != nil {
				tt.env(e)
			}
			if err := runAnalyze(context.Background(), e, append(tt.args, paths[0]), reg); err != nil {
				t.Fatalf("%v; stderr %s", err, errb)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(out.String(), s) {
					t.Errorf("output has %q", s)
				}
			}
		})
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var nilBar *progress
	nilBar.step() // a nil bar is a no-op, so callers need not check
	nilBar.clear()

	var b bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(30 * time.Millisecond); return clock }
	p := newProgress(&b, 25, now)
	for i := 0; i < 25; i++ {
		p.step()
	}
	s := b.String()
	if !strings.Contains(s, "[##############################] 25/25 articles") {
		t.Errorf("last draw missing: %q", s)
	}
	// 30 ms a step and a redraw at most every 100 ms: about one in four.
	if n := strings.Count(s, "\r"); n < 5 || n > 10 {
		t.Errorf("%d redraws for 25 steps, want them throttled", n)
	}
	b.Reset()
	p.clear()
	if b.String() != "\r\x1b[K" {
		t.Errorf("clear wrote %q", b.String())
	}
}

func TestAnalyzeBrokenModel(t *testing.T) {
	t.Parallel()
	reg := pipeline.NewRegistry()
	reg.Register("marker", 10, func() (slant.Analyzer, error) { return wordMarker{"Karsk", "Repetition"}, nil })
	reg.Register("broken", 20, func() (slant.Analyzer, error) {
		return nil, slant.Errorf(slant.EINVALID, "broken model: bad header")
	})
	paths, _ := exampleFiles(t)

	// By default the run goes on without the broken analyzer, says so on
	// one line, and exits non-zero.
	e, out, errb := testEnv("")
	err := runAnalyze(context.Background(), e, []string{"--format", "json", paths[0]}, reg)
	if !errors.Is(err, errPartial) {
		t.Fatalf("err = %v, want errPartial", err)
	}
	if got := errb.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "bad header") {
		t.Errorf("stderr = %q, want one warning line", got)
	}
	var rs []slant.Report
	if err := json.Unmarshal(out.Bytes(), &rs); err != nil || len(rs) != 1 || strings.Join(rs[0].Analyzers, ",") != "marker" {
		t.Fatalf("reports = %+v, %v", rs, err)
	}

	// Asked for by name, it is an error and nothing is analysed.
	e, out, _ = testEnv("")
	err = runAnalyze(context.Background(), e, []string{"--only", "broken", paths[0]}, reg)
	var u errUsage
	if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), "bad header") || out.Len() > 0 {
		t.Errorf("--only broken: err = %v, output %d bytes", err, out.Len())
	}
}
