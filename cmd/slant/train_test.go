package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveDataDir(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "nope")
	cases := []struct {
		name, flag, env, want string
		fail                  bool
	}{
		{name: "flag wins", flag: tmp, env: missing, want: tmp},
		{name: "env when no flag", env: tmp, want: tmp},
		{name: "missing flag dir", flag: missing, fail: true},
		{name: "missing env dir", env: missing, fail: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &Env{Getenv: func(k string) string {
				if k == "SLANT_DATA" {
					return c.env
				}
				return ""
			}}
			got, err := resolveDataDir(e, c.flag)
			if c.fail {
				if err == nil || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("want a one-line error naming %s, got %v", missing, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestTrainCommandDispatch(t *testing.T) {
	tmp := t.TempDir()
	var gotTrain, gotCV trainOptions
	registerTrainer("test-dispatch", func(_ context.Context, o trainOptions) error {
		gotTrain = o
		return nil
	}, func(_ context.Context, o trainOptions) error {
		gotCV = o
		return nil
	})
	defer delete(trainers, "test-dispatch")
	var out, errb bytes.Buffer
	e := &Env{Stdout: &out, Stderr: &errb, Getenv: os.Getenv}
	if err := run(context.Background(), []string{"train", "test-dispatch", "--data", tmp, "--out", "m.bin", "--seed", "9"}, e); err != nil {
		t.Fatal(err)
	}
	if gotTrain.Data != tmp || gotTrain.Out != "m.bin" || gotTrain.Seed != 9 || gotTrain.Folds != 5 {
		t.Fatalf("train options %+v", gotTrain)
	}
	if err := run(context.Background(), []string{"cv", "test-dispatch", "--data", tmp, "--folds", "3"}, e); err != nil {
		t.Fatal(err)
	}
	if gotCV.Folds != 3 || gotCV.Data != tmp {
		t.Fatalf("cv options %+v", gotCV)
	}
	for _, args := range [][]string{{"train"}, {"train", "no-such-task", "--data", tmp}, {"cv", "test-dispatch", "--folds", "1", "--data", tmp}} {
		err := run(context.Background(), args, e)
		var u errUsage
		if !errors.As(err, &u) {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
}
