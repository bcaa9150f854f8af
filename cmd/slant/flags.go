package main

import (
	"flag"
	"io"
	"strings"
)

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
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, errUsage{"help requested"}
			}
			return nil, errUsage{strings.TrimSpace(err.Error())}
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
