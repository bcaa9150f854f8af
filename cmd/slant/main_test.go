package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestUsageErrorsAreOneLine is the regression test for flag mistakes that
// printed the flag package's message and the whole flag list before slant's
// own line, for "slant help nope" exiting 0 with the general help, and for
// -h exiting 2 with "help requested". A mistake must give exactly one line on
// stderr, nothing on stdout, and exit status 2; asking for help must print
// the usage and flags and exit 0.
func TestUsageErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		code       int
		stderrLine string // the one stderr line, for failures
		stdoutHas  string // for help
	}{
		{args: []string{"analyze", "--bogus", "x"}, code: 2, stderrLine: "slant: analyze: flag provided but not defined: -bogus (run 'slant help analyze' for its flags)"},
		{args: []string{"analyze", "--jobs", "abc", "x"}, code: 2, stderrLine: `slant: analyze: invalid value "abc" for flag -jobs: parse error (run 'slant help analyze' for its flags)`},
		{args: []string{"list", "--limit"}, code: 2, stderrLine: "slant: list: flag needs an argument: -limit (run 'slant help list' for its flags)"},
		{args: []string{"help", "nope"}, code: 2, stderrLine: `slant: unknown command "nope" (run 'slant help' for the list)`},
		{args: []string{"help", "analyze", "extra"}, code: 2, stderrLine: "slant: help takes one command name, got 2"},
		{args: []string{"nope"}, code: 2, stderrLine: `slant: unknown command "nope" (run 'slant help' for the list)`},
		{args: []string{"help", "analyze"}, code: 0, stdoutHas: "-format string"},
		{args: []string{"help", "predict"}, code: 0, stdoutHas: "usage: slant predict TASK DOCS_DIR"},
		{args: []string{"help", "export"}, code: 0, stdoutHas: "-db string"},
		{args: []string{"help"}, code: 0, stdoutHas: "commands:"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			e, stdout, stderr := testEnv("")
			code := exitCode(run(context.Background(), tt.args, e), e.Stderr)
			if code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if tt.stderrLine != "" {
				if got := stderr.String(); got != tt.stderrLine+"\n" {
					t.Errorf("stderr = %q, want the one line %q", got, tt.stderrLine)
				}
				if stdout.Len() != 0 {
					t.Errorf("stdout = %q, want nothing", stdout)
				}
				return
			}
			if !strings.Contains(stdout.String(), tt.stdoutHas) || stderr.Len() != 0 {
				t.Errorf("stdout = %q (want %q in it), stderr = %q (want empty)", stdout, tt.stdoutHas, stderr)
			}
		})
	}
}

// TestDashHPrintsHelp checks that "slant COMMAND -h" prints the command's
// usage and flags and exits 0, for every command that has flags.
func TestDashHPrintsHelp(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"analyze", "ingest", "list", "show", "export", "predict", "eval"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, stdout, stderr := testEnv("")
			code := exitCode(run(context.Background(), []string{name, "-h"}, e), e.Stderr)
			if code != 0 || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "usage: slant "+name) ||
				strings.Contains(stderr.String(), "help requested") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestInterruptedSaidOnce is the regression test for "slant analyze" printing
// "interrupted after N of M articles" and then main adding a second line
// "slant: interrupted".
func TestInterruptedSaidOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		printed string // what the command already printed
		want    string
	}{
		{"command said it", "slant: interrupted after 3 of 9 articles\n", "slant: interrupted after 3 of 9 articles\n"},
		{"command said nothing", "", "slant: interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w := &stderrWatch{w: &buf}
			fmt.Fprint(w, tt.printed)
			if code := exitCode(fmt.Errorf("analyse: %w", context.Canceled), w); code != 130 {
				t.Errorf("exit status %d, want 130", code)
			}
			if buf.String() != tt.want {
				t.Errorf("stderr = %q, want %q", buf.String(), tt.want)
			}
		})
	}
}
