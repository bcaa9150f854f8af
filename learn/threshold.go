package learn

import "sort"

// F1 returns the F1 score of tp, fp, fn counts (0 when undefined).
func F1(tp, fp, fn float64) float64 {
	if tp == 0 {
		return 0
	}
	return 2 * tp / (2*tp + fp + fn)
}

// TuneThresholds picks, for each label, the probability threshold that
// maximises that label's F1 on out-of-fold predictions, then shrinks it
// toward the single global threshold that maximises micro-F1 over all labels.
// Shrinking (weight `shrink` in [0,1] on the global value) keeps rare labels,
// whose per-label optimum rests on a handful of examples, from getting
// thresholds that only fit the training folds. Thresholds never go below
// `floor`.
func TuneThresholds(probs [][]float64, data []Example, nLabels int, shrink, floor float64) (per []float32, global float64) {
	global = bestGlobal(probs, data, nLabels, floor)
	per = make([]float32, nLabels)
	for k := 0; k < nLabels; k++ {
		type sc struct {
			p   float64
			pos bool
		}
		var xs []sc
		total := 0.0
		for i, e := range data {
			pos := hasLabel(e.Y, k)
			if pos {
				total++
			}
			xs = append(xs, sc{probs[i][k], pos})
		}
		t := global
		if total > 0 {
			sort.Slice(xs, func(i, j int) bool { return xs[i].p > xs[j].p })
			best, bestF := global, -1.0
			tp, fp := 0.0, 0.0
			for i, x := range xs {
				if x.pos {
					tp++
				} else {
					fp++
				}
				// Only consider cut points between distinct scores.
				if i+1 < len(xs) && xs[i+1].p == x.p {
					continue
				}
				f := F1(tp, fp, total-tp)
				if f > bestF && x.p >= floor {
					bestF = f
					if i+1 < len(xs) {
						best = (x.p + xs[i+1].p) / 2
					} else {
						best = x.p
					}
				}
			}
			t = shrink*global + (1-shrink)*best
		}
		if t < floor {
			t = floor
		}
		per[k] = float32(t)
	}
	return per, global
}

// bestGlobal returns the single threshold maximising micro-F1.
func bestGlobal(probs [][]float64, data []Example, nLabels int, floor float64) float64 {
	type sc struct {
		p   float64
		pos bool
	}
	var xs []sc
	total := 0.0
	for i, e := range data {
		for k := 0; k < nLabels; k++ {
			pos := hasLabel(e.Y, k)
			if pos {
				total++
			}
			xs = append(xs, sc{probs[i][k], pos})
		}
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].p > xs[j].p })
	best, bestF := 0.5, -1.0
	tp, fp := 0.0, 0.0
	for i, x := range xs {
		if x.pos {
			tp++
		} else {
			fp++
		}
		if i+1 < len(xs) && xs[i+1].p == x.p {
			continue
		}
		if f := F1(tp, fp, total-tp); f > bestF && x.p >= floor {
			bestF = f
			if i+1 < len(xs) {
				best = (x.p + xs[i+1].p) / 2
			} else {
				best = x.p
			}
		}
	}
	return best
}

func hasLabel(ys []int, k int) bool {
	for _, y := range ys {
		if y == k {
			return true
		}
	}
	return false
}
