package stories

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// synthCorpus generates n synthetic articles about n/10 events spread over
// a year: each event has its own made-up names and key words, each article
// mixes them into text drawn from a shared Zipf-distributed vocabulary, so
// unrelated articles share common words the way real news does. About 5%
// of articles are republished copies with a footer. gold maps article id
// to event.
func synthCorpus(n int, seed uint64) (items []Item, gold map[string]string) {
	rng := rand.New(rand.NewPCG(seed, seed^0x5107))
	syll := []string{"ka", "lo", "mi", "ren", "tus", "va", "dor", "el", "shi", "pra", "gon", "ul", "bez", "tri", "no", "sa", "vek", "ar", "qui", "zo"}
	word := func(parts int) string {
		var b strings.Builder
		for i := 0; i < parts; i++ {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		return b.String()
	}
	vocab := make([]string, 6000)
	for i := range vocab {
		vocab[i] = word(2 + i%3)
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed+1, seed)), 1.1, 1, uint64(len(vocab)-1))
	capital := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
	type event struct {
		names, words []string
		start        time.Time
	}
	nEvents := max(1, n/10)
	events := make([]event, nEvents)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range events {
		e := &events[i]
		for j := 0; j < 4; j++ {
			e.names = append(e.names, capital(word(3))+" "+capital(word(2)))
		}
		for j := 0; j < 10; j++ {
			e.words = append(e.words, word(3))
		}
		e.start = base.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
	}
	gold = make(map[string]string, n)
	items = make([]Item, 0, n)
	var b strings.Builder
	for len(items) < n {
		ei := rng.IntN(nEvents)
		e := &events[ei]
		id := fmt.Sprintf("a%d", len(items))
		if len(items) > 0 && rng.IntN(20) == 0 {
			// A republished copy of a recent article.
			src := items[len(items)-1-rng.IntN(min(len(items), 50))]
			items = append(items, Item{ID: id, Text: src.Text + "\n\nSupport us: donate today.", Outlet: "copier.test", Published: src.Published.Add(6 * time.Hour)})
			gold[id] = gold[src.ID]
			continue
		}
		b.Reset()
		// Headline: two event words and a name.
		fmt.Fprintf(&b, "%s %s %s\n", e.names[rng.IntN(len(e.names))], e.words[rng.IntN(4)], e.words[rng.IntN(len(e.words))])
		words := 180 + rng.IntN(200)
		for w := 0; w < words; w++ {
			switch r := rng.IntN(100); {
			case r < 10:
				b.WriteString(e.words[rng.IntN(len(e.words))])
			case r < 14:
				b.WriteString(e.names[rng.IntN(len(e.names))])
			default:
				b.WriteString(vocab[zipf.Uint64()])
			}
			if w%18 == 17 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		items = append(items, Item{
			ID:        id,
			Text:      b.String(),
			Outlet:    fmt.Sprintf("outlet%d.test", rng.IntN(40)),
			Published: e.start.Add(time.Duration(rng.IntN(72)) * time.Hour),
		})
		gold[id] = fmt.Sprint(ei)
	}
	return items, gold
}

func groupQuality(g *Grouper, gold map[string]string) (f1, pp, pr float64) {
	pred := make(map[string]string, len(gold))
	for _, s := range g.Stories() {
		for _, m := range s.Members {
			pred[m.ID] = itoa(s.ID)
		}
	}
	_, _, f1, pp, pr = bcubed(pred, gold)
	return f1, pp, pr
}

func TestGroupSynthetic(t *testing.T) {
	t.Parallel()
	n := 2000
	if testing.Short() {
		n = 500
	}
	items, gold := synthCorpus(n, 1)
	g := NewGrouper(Options{})
	if _, err := g.Group(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	f1, pp, pr := groupQuality(g, gold)
	t.Logf("synthetic %d articles: %d stories (gold %d), B-cubed F1 %.3f, pairwise P %.3f R %.3f", n, len(g.Stories()), countDistinct(gold), f1, pp, pr)
	if f1 < 0.9 {
		t.Errorf("B-cubed F1 %.3f on synthetic events, want at least 0.9", f1)
	}
}

// BenchmarkGroup100k groups 100,000 synthetic articles (features extracted
// in parallel, assignment sequential). Run with
//
//	go test -bench BenchmarkGroup100k -run '^$' ./stories
func BenchmarkGroup100k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 100k corpus takes a while to generate")
	}
	items, gold := synthCorpus(100_000, 7)
	// Group's assignment loop runs on the calling goroutine: locked to
	// one thread, that thread's CPU time is the sequential part.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	cpu0, seq0 := cpuTime(), threadCPUTime()
	var g *Grouper
	for i := 0; i < b.N; i++ {
		g = NewGrouper(Options{})
		if _, err := g.Group(context.Background(), items); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// CPU seconds per run tell more than wall time on a shared machine:
	// on 2 idle cores the wall time is about max(seq-cpu-s, cpu-s/2).
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric((threadCPUTime()-seq0).Seconds()/float64(b.N), "seq-cpu-s/op")
	f1, pp, pr := groupQuality(g, gold)
	b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(f1, "bcubedF1")
	b.ReportMetric(pp, "pairP")
	b.ReportMetric(pr, "pairR")
}
