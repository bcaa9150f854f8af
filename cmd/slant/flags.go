package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp reports that the user asked for a command's help with -h or
// --help; the help is already printed, and the exit status is 0.
var errHelp = errors.New("help requested")

// newFlags returns a flag set for a subcommand that reports errors instead of
// exiting, and prints its help to w.
func newFlags(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("slant "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args allowing flags and positional arguments in any
// order ("slant analyze dir --format json"), and returns the positional
// arguments. "--" ends flag parsing; "-" alone is a positional (stdin).
//
// A bad flag is one usage error line naming the command; -h or --help
// prints the command's usage and flags to the flag set's output and returns
// errHelp.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	// The flag package prints its error and the whole flag list on every
	// mistake; silence it so that a typo gives one line, and print the full
	// help only when it was asked for.
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	name := strings.TrimPrefix(fs.Name(), "slant ")
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandHelp(out, fs)
				return nil, errHelp
			}
			return nil, usageErrorf("%s: %s (run 'slant help %s' for its flags)", name, strings.TrimSpace(err.Error()), name)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return pos, nil
}

// printCommandHelp prints a command's usage line, summary and flags.
func printCommandHelp(w io.Writer, fs *flag.FlagSet) {
	if c, ok := commands[strings.TrimPrefix(fs.Name(), "slant ")]; ok {
		fmt.Fprintf(w, "usage: %s\n%s\n", c.usage, c.summary)
	} else {
		fmt.Fprintf(w, "usage: %s\n", fs.Name())
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}
