package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/slant-news/slant"
)

// trainOptions is what `slant train TASK` and `slant cv TASK` hand to a
// task's trainer. Data is already resolved and known to exist.
type trainOptions struct {
	// Data is the shared data directory (holding semeval2023-task3/, ...).
	Data string
	// Out is the model file to write; "" means the task's default.
	Out string
	// Folds is the number of cross-validation folds (grouped by article).
	Folds int
	// Seed fixes every random choice so that training is reproducible.
	Seed uint64
	// Stdout receives the figures; Stderr receives progress lines.
	Stdout, Stderr io.Writer
}

// trainFunc learns a task's model from o.Data and writes it to o.Out (or
// the task's default path).
type trainFunc func(ctx context.Context, o trainOptions) error

// cvFunc cross-validates a task's model on o.Data with o.Folds folds and
// prints the official metrics on o.Stdout, the last line being
// "TASK METRIC VALUE" as for eval.
type cvFunc func(ctx context.Context, o trainOptions) error

// trainer is one task that slant can learn: its train and cv functions.
type trainer struct {
	name  string
	train trainFunc
	cv    cvFunc // nil when the task has no cross-validation
}

// trainers holds every trainable task by name; each task registers itself
// from an init function in its own file.
var trainers = map[string]*trainer{}

// registerTrainer makes a task available to `slant train` and `slant cv`.
// cv may be nil.
func registerTrainer(name string, train trainFunc, cv cvFunc) {
	if _, dup := trainers[name]; dup {
		panic("slant: trainer registered twice: " + name)
	}
	trainers[name] = &trainer{name: name, train: train, cv: cv}
}

func trainerNames() string {
	names := make([]string, 0, len(trainers))
	for n := range trainers {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// defaultDataDir is where training data lives relative to the working
// directory (the repository root) when neither --data nor SLANT_DATA says.
const defaultDataDir = "../shared/data"

// resolveDataDir picks the data directory: the --data flag when given, else
// $SLANT_DATA, else ../shared/data; it fails with one line naming the place
// it looked when that is not a directory.
func resolveDataDir(e *Env, flagVal string) (string, error) {
	dir := flagVal
	from := "--data"
	if dir == "" {
		if v := e.getenv("SLANT_DATA"); v != "" {
			dir, from = v, "$SLANT_DATA"
		} else {
			dir, from = defaultDataDir, "default"
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return "", slant.Errorf(slant.ENOTFOUND, "training data not found at %s (%s); pass --data DIR or set SLANT_DATA", abs, from)
	}
	return dir, nil
}

func init() {
	for _, mode := range []string{"train", "cv"} {
		mode := mode
		c := &command{name: mode}
		if mode == "train" {
			c.usage = "slant train TASK [--data DIR] [--out FILE] [--folds 5] [--seed N]"
			c.summary = "learn a task's model from the training data (deterministic)"
		} else {
			c.usage = "slant cv TASK [--data DIR] [--folds 5] [--seed N]"
			c.summary = "cross-validate a task's model and print the official metrics"
		}
		c.run = func(ctx context.Context, e *Env, args []string) error {
			return runTrain(ctx, e, mode, c.usage, args)
		}
		register(c)
	}
}

func runTrain(ctx context.Context, e *Env, mode, usage string, args []string) error {
	fs := newFlags(mode, e.Stderr)
	data := fs.String("data", "", "training data directory (default $SLANT_DATA or "+defaultDataDir+")")
	folds := fs.Int("folds", 5, "cross-validation folds, grouped by article")
	seed := fs.Uint64("seed", 1, "random seed")
	var out *string
	if mode == "train" {
		out = fs.String("out", "", "model file to write (default: the task's embedded model path)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("usage: %s (tasks: %s)", usage, trainerNames())
	}
	t, ok := trainers[pos[0]]
	if !ok {
		return usageErrorf("unknown task %q for %s (tasks: %s)", pos[0], mode, trainerNames())
	}
	if *folds < 2 {
		return usageErrorf("--folds must be at least 2, got %d", *folds)
	}
	dir, err := resolveDataDir(e, *data)
	if err != nil {
		return err
	}
	o := trainOptions{Data: dir, Folds: *folds, Seed: *seed, Stdout: e.Stdout, Stderr: e.Stderr}
	if out != nil {
		o.Out = *out
	}
	if mode == "cv" {
		if t.cv == nil {
			return slant.Errorf(slant.EUNSUPPORTED, "task %s has no cross-validation", t.name)
		}
		if err := t.cv(ctx, o); err != nil {
			return fmt.Errorf("cv %s: %w", t.name, err)
		}
		return nil
	}
	if err := t.train(ctx, o); err != nil {
		return fmt.Errorf("train %s: %w", t.name, err)
	}
	return nil
}
