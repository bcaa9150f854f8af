package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/slant-news/slant"
)

// wordCounter marks every occurrence of a word as a technique span, so tests
// can see that analyzers ran, in order, on the right text.
type wordCounter struct {
	name, word string
	calls      atomic.Int64
}

func (w *wordCounter) Name() string { return w.name }

func (w *wordCounter) Analyze(ctx context.Context, r *slant.Report) error {
	w.calls.Add(1)
	if strings.Contains(r.Article.Text, "PANIC") {
		panic("analyzer bug")
	}
	t := r.Article.Text
	for i := 0; ; {
		j := strings.Index(t[i:], w.word)
		if j < 0 {
			break
		}
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: slant.Span{Start: i + j, End: i + j + len(w.word)}, Technique: w.name})
		i += j + len(w.word)
	}
	return nil
}

func TestRegistryOrderAndLazyLoad(t *testing.T) {
	t.Parallel()
	reg := NewRegistry()
	built := 0
	reg.Register("quotes", 20, func() (slant.Analyzer, error) { built++; return &wordCounter{name: "quotes", word: "said"}, nil })
	reg.Register("entities", 10, func() (slant.Analyzer, error) { built++; return &wordCounter{name: "entities", word: "NATO"}, nil })
	reg.Register("broken", 30, func() (slant.Analyzer, error) { return nil, errors.New("model file corrupt") })
	if got := strings.Join(reg.Names(), ","); got != "entities,quotes,broken" {
		t.Fatalf("Names = %s", got)
	}
	as, err := reg.Analyzers([]string{"quotes", "entities"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Name() != "entities" || as[1].Name() != "quotes" {
		t.Fatalf("analyzers not in run order: %v", as)
	}
	if _, err := reg.Analyzers([]string{"quotes"}); err != nil || built != 2 {
		t.Fatalf("factories must run once each: built=%d err=%v", built, err)
	}
	if _, err := reg.Analyzers([]string{"nope"}); slant.ErrorCode(err) != slant.EINVALID || !strings.Contains(err.Error(), "entities") {
		t.Fatalf("unknown analyzer error = %v", err)
	}
	if _, err := reg.Analyzers(nil); err == nil || !strings.Contains(err.Error(), "model file corrupt") {
		t.Fatalf("a failing factory must surface its error, got %v", err)
	}
}

func TestAnalyzeFillsSegmentsAndCodePoints(t *testing.T) {
	t.Parallel()
	a := slant.Article{ID: "x", Text: "“NATO” said — twice.\nNATO again 🙂 NATO."}
	r, err := Analyze(context.Background(), []slant.Analyzer{&wordCounter{name: "n", word: "NATO"}}, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Paragraphs) != 2 || len(r.Sentences) != 2 {
		t.Fatalf("paragraphs=%d sentences=%d", len(r.Paragraphs), len(r.Sentences))
	}
	if len(r.Techniques) != 3 {
		t.Fatalf("spans = %d", len(r.Techniques))
	}
	runes := []rune(a.Text)
	for _, sp := range r.Techniques {
		if got := string(runes[sp.CPStart:sp.CPEnd]); got != "NATO" {
			t.Errorf("code points [%d,%d) = %q, want NATO", sp.CPStart, sp.CPEnd, got)
		}
		if got := a.Text[sp.Start:sp.End]; got != "NATO" {
			t.Errorf("bytes [%d,%d) = %q", sp.Start, sp.End, got)
		}
	}
	if strings.Join(r.Analyzers, ",") != "n" {
		t.Errorf("Analyzers = %v", r.Analyzers)
	}
}

func jobsOf(texts ...string) []Job {
	var js []Job
	for i, t := range texts {
		t := t
		name := fmt.Sprintf("doc%d", i)
		js = append(js, Job{Name: name, Load: func(context.Context) (slant.Article, error) {
			if t == "UNREADABLE" {
				return slant.Article{}, slant.Errorf(slant.EINVALID, "%s: cannot read", name)
			}
			return slant.Article{ID: name, Text: t}, nil
		}})
	}
	return js
}

func TestRunKeepsOrderAndIsolatesFailures(t *testing.T) {
	t.Parallel()
	var texts []string
	for i := 0; i < 200; i++ {
		switch i {
		case 17:
			texts = append(texts, "UNREADABLE")
		case 99:
			texts = append(texts, "PANIC here")
		default:
			texts = append(texts, strings.Repeat("NATO ", i%7))
		}
	}
	wc := &wordCounter{name: "n", word: "NATO"}
	var got []Result
	err := Run(context.Background(), []slant.Analyzer{wc}, jobsOf(texts...), 4, func(r Result) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200 {
		t.Fatalf("results = %d, want 200", len(got))
	}
	for i, r := range got {
		if r.Index != i {
			t.Fatalf("result %d has index %d: order lost", i, r.Index)
		}
		switch i {
		case 17, 99:
			if r.Err == nil {
				t.Errorf("job %d should fail", i)
			}
		default:
			if r.Err != nil || len(r.Report.Techniques) != i%7 {
				t.Errorf("job %d: err=%v", i, r.Err)
			}
		}
	}
}

func TestRunCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	texts := make([]string, 1000)
	n := 0
	err := Run(ctx, nil, jobsOf(texts...), 2, func(Result) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n >= 1000 {
		t.Fatalf("cancel did not stop the run")
	}
}

func TestRunEmitError(t *testing.T) {
	t.Parallel()
	stop := errors.New("disk full")
	err := Run(context.Background(), nil, jobsOf("a", "b", "c"), 2, func(Result) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v", err)
	}
}
