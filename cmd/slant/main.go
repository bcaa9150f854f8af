// Command slant reads news articles and shows how they persuade: techniques,
// narratives, entity roles, quotes, genre and frames, and how outlets differ
// on the same story.
//
// main only wires the process to run; every subcommand lives in its own file
// and registers itself in commands.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/slant-news/slant"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stderr := &stderrWatch{w: os.Stderr}
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: stderr, Getenv: os.Getenv,
		IsTerminal: func() bool { return term.IsTerminal(int(os.Stdout.Fd())) }}
	err := run(ctx, os.Args[1:], env)
	stop()
	os.Exit(exitCode(err, stderr))
}

// stderrWatch passes writes through to w and notes whether a command has
// already said that it was interrupted (analyze and ingest print "slant:
// interrupted after N of M articles"), so that exitCode does not add a
// second, vaguer "slant: interrupted" line.
type stderrWatch struct {
	w           io.Writer
	interrupted bool
}

func (s *stderrWatch) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("slant: interrupted")) {
		s.interrupted = true
	}
	return s.w.Write(p)
}

// Env is what a command may touch of the process: its streams and its
// environment. Tests pass buffers.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether Stdout is a terminal; nil means no.
	IsTerminal func() bool
}

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

func (e *Env) terminal() bool { return e.IsTerminal != nil && e.IsTerminal() }

// command is one subcommand of slant.
type command struct {
	name    string
	usage   string // e.g. "slant analyze [flags] PATH..."
	summary string // one line for the command list
	run     func(ctx context.Context, e *Env, args []string) error
}

// commands holds every subcommand by name; each command's file registers
// itself from an init function.
var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("slant: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errPartial reports that some inputs were skipped (each already reported on
// stderr) while the rest were processed; the exit status is 1 but no further
// message is printed.
var errPartial = errors.New("some inputs were skipped")

// errUsage wraps a usage error; the exit status is 2.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return errUsage{fmt.Sprintf(format, args...)}
}

func run(ctx context.Context, args []string, e *Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 2 {
			return usageErrorf("help takes one command name, got %d", len(args)-1)
		}
		if len(args) == 2 {
			return commandHelp(ctx, e, args[1])
		}
		printUsage(e.Stdout)
		if len(args) == 0 {
			return usageErrorf("no command given")
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usageErrorf("unknown command %q (run 'slant help' for the list)", args[0])
	}
	if err := c.run(ctx, e, args[1:]); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

// commandHelp prints the usage, summary and flags of the command name on
// stdout. The flags are only known to the command itself, so it is run with
// -h and its help redirected to stdout.
func commandHelp(ctx context.Context, e *Env, name string) error {
	c, ok := commands[name]
	if !ok {
		return usageErrorf("unknown command %q (run 'slant help' for the list)", name)
	}
	var buf strings.Builder
	he := *e
	he.Stdin = strings.NewReader("")
	he.Stdout = io.Discard
	he.Stderr = &buf
	if err := c.run(ctx, &he, []string{"-h"}); errors.Is(err, errHelp) {
		io.WriteString(e.Stdout, buf.String())
		return nil
	}
	// The command does not parse its flags with parseFlags: its usage line
	// is all there is to show.
	fmt.Fprintf(e.Stdout, "usage: %s\n%s\n", c.usage, c.summary)
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "slant reads news articles and shows how they persuade.")
	fmt.Fprintln(w, "\nusage: slant COMMAND [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'slant help COMMAND' for a command's flags.")
}

// exitCode prints err as one line on stderr and returns the exit status:
// 0 success, 1 failure or partial failure, 2 usage error, 130 interrupted.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, errPartial) {
		return 1
	}
	if errors.Is(err, context.Canceled) {
		if w, ok := stderr.(*stderrWatch); !ok || !w.interrupted {
			fmt.Fprintln(stderr, "slant: interrupted")
		}
		return 130
	}
	msg := strings.TrimSpace(slant.ErrorMessage(err))
	msg = strings.ReplaceAll(msg, "\n", " ")
	fmt.Fprintf(stderr, "slant: %s\n", msg)
	var u errUsage
	if errors.As(err, &u) {
		return 2
	}
	return 1
}
