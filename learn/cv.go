package learn

import (
	"hash/fnv"
	"sort"
	"sync"
)

// Folds assigns each of n examples to one of k folds. Examples with the same
// group (e.g. paragraphs of one article) always share a fold, so no article
// is seen in training and testing at once. Assignment depends only on the
// group names and the seed: it is reproducible and stable when examples are
// added. A nil groups slice puts each example in its own group.
func Folds(groups []string, n, k int, seed uint64) []int {
	type g struct {
		name string
		h    uint64
	}
	names := map[string]bool{}
	for i := 0; i < n; i++ {
		names[groupOf(groups, i)] = true
	}
	gs := make([]g, 0, len(names))
	for name := range names {
		h := fnv.New64a()
		var s [8]byte
		for i := range s {
			s[i] = byte(seed >> (8 * i))
		}
		h.Write(s[:])
		h.Write([]byte(name))
		gs = append(gs, g{name, h.Sum64()})
	}
	// Deal groups round-robin in hash order: folds get equal numbers of
	// groups (a pure hash modulo can leave a fold much smaller).
	sort.Slice(gs, func(i, j int) bool {
		if gs[i].h != gs[j].h {
			return gs[i].h < gs[j].h
		}
		return gs[i].name < gs[j].name
	})
	fold := make(map[string]int, len(gs))
	for i, x := range gs {
		fold[x.name] = i % k
	}
	out := make([]int, n)
	for i := range out {
		out[i] = fold[groupOf(groups, i)]
	}
	return out
}

func groupOf(groups []string, i int) string {
	if groups == nil {
		return string(rune(i)) + "\x00" + itoa(i)
	}
	return groups[i]
}

func itoa(i int) string {
	var b [20]byte
	p := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

// CrossValidate trains k models, each on all folds but one, and returns the
// out-of-fold probabilities of every example (probs[i][label]). Folds train
// in parallel, up to `workers` at a time (at least 1).
func CrossValidate(labels []string, dim int, data []Example, folds []int, k int, opt Options, workers int) [][]float64 {
	probs := make([][]float64, len(data))
	if workers < 1 {
		workers = 1
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for f := 0; f < k; f++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(f int) {
			defer wg.Done()
			defer func() { <-sem }()
			var train []Example
			for i, e := range data {
				if folds[i] != f {
					train = append(train, e)
				}
			}
			m := Train(labels, dim, train, opt)
			for i, e := range data {
				if folds[i] == f {
					probs[i] = m.Scores(e.X, nil)
				}
			}
		}(f)
	}
	wg.Wait()
	return probs
}
