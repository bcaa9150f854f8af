package semeval

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Figure is one named number of a Result.
type Figure struct {
	Name  string
	Value float64
	// Count marks a count (printed as an integer) rather than a score.
	Count bool
}

// Result is the outcome of scoring one task's predictions against gold.
type Result struct {
	// Task is the task name ("techniques", "narratives", ...).
	Task string
	// Metric names the task's headline figure (the official metric, or our
	// stand-in where the official one cannot be computed offline).
	Metric string
	// Figures are every figure computed, the headline one first.
	Figures []Figure
	// Notes say what was off in the predictions: missing or extra items,
	// labels outside the label list. Scoring went on regardless.
	Notes []string
}

// Value returns the figure called name, and false when there is none.
func (r *Result) Value(name string) (float64, bool) {
	for _, f := range r.Figures {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

// Score returns the headline figure (the one named by Metric).
func (r *Result) Score() float64 {
	v, _ := r.Value(r.Metric)
	return v
}

// Print writes a table of the figures, the notes, and a last line exactly
// "TASK METRIC VALUE" with the headline value to 4 decimals, for scripts.
func (r *Result) Print(w io.Writer) error {
	bw := bufio.NewWriter(w)
	width := len("figure")
	for _, f := range r.Figures {
		width = max(width, len(f.Name))
	}
	fmt.Fprintf(bw, "%-*s  %s\n", width, "figure", "value")
	for _, f := range r.Figures {
		if f.Count {
			fmt.Fprintf(bw, "%-*s  %d\n", width, f.Name, int(f.Value))
		} else {
			fmt.Fprintf(bw, "%-*s  %.4f\n", width, f.Name, f.Value)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "note: %s\n", strings.ReplaceAll(n, "\n", " "))
	}
	fmt.Fprintf(bw, "%s %s %.4f\n", r.Task, r.Metric, r.Score())
	return bw.Flush()
}

func (r *Result) add(name string, v float64) {
	r.Figures = append(r.Figures, Figure{Name: name, Value: v})
}

func (r *Result) count(name string, n int) {
	r.Figures = append(r.Figures, Figure{Name: name, Value: float64(n), Count: true})
}

func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// coverage records how the predictions covered the gold units (articles,
// mentions): the counts gold-, missing- and extra-UNITs, and a note for
// each of missing and extra; missingAs says how a missing unit was scored.
func (r *Result) coverage(unit string, gold, missing, extra int, missingAs string) {
	r.count("gold-"+unit+"s", gold)
	r.count("missing-"+unit+"s", missing)
	r.count("extra-"+unit+"s", extra)
	if missing > 0 {
		r.note("%d gold %ss have no prediction; %s", missing, unit, missingAs)
	}
	if extra > 0 {
		r.note("%d predicted %ss are not in the gold file; ignored", extra, unit)
	}
}

// extraKeys counts the keys of pred that gold does not have.
func extraKeys[K comparable, V, W any](pred map[K]V, gold map[K]W) int {
	n := 0
	for k := range pred {
		if _, ok := gold[k]; !ok {
			n++
		}
	}
	return n
}
