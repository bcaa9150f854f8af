package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
)

func TestBench(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	size := 0
	for name, text := range map[string]string{
		"a.txt": "Bench headline\n\nThe Karsk dam — again. “Karsk,” she said 🙂.\n",
		"b.txt": "Second headline\n\nNothing about Karsk here, only Karsk.\n",
	} {
		size += len(text)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := pipeline.NewRegistry()
	reg.Register("marker", 10, func() (slant.Analyzer, error) { return wordMarker{"Karsk", "Repetition"}, nil })
	e, out, errb := testEnv("")
	if err := runBench(context.Background(), e, []string{"--repeat", "3", "--jobs", "2", dir}, reg); err != nil {
		t.Fatalf("%v; stderr %s", err, errb)
	}
	wants := []string{
		fmt.Sprintf("2 articles, %d B", size), "analyzers  marker",
		fmt.Sprintf("3 rounds × 2 articles = 6 articles, %d B, 2 jobs", 3*size),
		" articles/s, ", " MB/s\n", "peak RSS   ",
	}
	if runtime.GOOS == "linux" {
		wants = append(wants, " MB per CPU-second\n", "(VmHWM)")
	}
	for _, want := range wants {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchExamplesAutoRepeat(t *testing.T) {
	t.Parallel()
	paths, _ := exampleFiles(t)
	_, broken := loadable(t)
	e, out, errb := testEnv("")
	err := run(context.Background(), append([]string{"bench", "--time", "100ms"}, paths...), e)
	wantRun(t, err, errb.String(), broken, 0)
	if !strings.Contains(out.String(), " rounds × 6 articles") {
		t.Errorf("output:\n%s", out)
	}
}

func TestBenchBadInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bin := filepath.Join(dir, "bin.txt")
	for p, s := range map[string]string{good: "Headline\n\nBody.\n", bin: "\x00\x00\x00\x01binary"} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	e, out, errb := testEnv("")
	err := runBench(context.Background(), e, []string{"--repeat", "1", dir}, pipeline.NewRegistry())
	if !errors.Is(err, errPartial) || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), bin) {
		t.Fatalf("err = %v, stderr %q", err, errb)
	}
	if !strings.Contains(out.String(), "1 rounds × 1 articles = 1 articles") {
		t.Errorf("the good article was not measured:\n%s", out)
	}

	e, _, _ = testEnv("")
	err = runBench(context.Background(), e, []string{"--repeat", "1", bin}, pipeline.NewRegistry())
	if err == nil || errors.Is(err, errPartial) {
		t.Errorf("a corpus with nothing readable: err = %v, want a plain failure", err)
	}
	for _, args := range [][]string{{"--repeat", "-1", dir}, {"--jobs", "0", dir}, {"--time", "0s", dir}} {
		var u errUsage
		if err := runBench(context.Background(), e, args, pipeline.NewRegistry()); !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want usage error", args, err)
		}
	}
}

func TestParseVmHWM(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		kb   uint64
		okay bool
	}{
		{"Name:\tslant\nVmPeak:\t  99 kB\nVmHWM:\t   20480 kB\nVmRSS:\t 100 kB\n", 20480, true},
		{"Name:\tslant\n", 0, false},
		{"VmHWM:\t 12 MB\n", 0, false},
		{"VmHWM:\t x kB\n", 0, false},
	}
	for _, tt := range tests {
		kb, ok := parseVmHWM(strings.NewReader(tt.in))
		if kb != tt.kb || ok != tt.okay {
			t.Errorf("parseVmHWM(%q) = %d, %v; want %d, %v", tt.in, kb, ok, tt.kb, tt.okay)
		}
	}
	if b, src := peakRSS(); b == 0 || src == "" {
		t.Errorf("peakRSS() = %d, %q", b, src)
	}
}
