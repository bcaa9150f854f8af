package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/slant-news/slant"
	slanthttp "github.com/slant-news/slant/http"
	"github.com/slant-news/slant/pipeline"
	"github.com/slant-news/slant/sources"
	"github.com/slant-news/slant/stories"
)

func init() {
	register(&command{
		name:    "serve",
		usage:   "slant serve [--addr HOST:PORT] [--db FILE] [--token TOKEN] [--only a,b] [--allow-private] [--max-body BYTES] [--outlets FILE]",
		summary: "serve the web page and the HTTP API (default http://127.0.0.1:8080)",
		run: func(ctx context.Context, e *Env, args []string) error {
			return runServe(ctx, e, args, analyzers, nil)
		},
	})
}

// serveConfig is what runServe reads from its flags and the environment.
type serveConfig struct {
	addr, db, token, only, outlets string
	allowPrivate                   bool
	maxBody                        int64
}

func parseServeFlags(e *Env, args []string) (serveConfig, error) {
	fs := newFlags("serve", e.Stderr)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on; any address that is not loopback needs a token")
	db := dbFlag(fs)
	fs.StringVar(&c.token, "token", "", "access token the API and page require (default: $SLANT_TOKEN); required when --addr is not loopback")
	fs.StringVar(&c.only, "only", "", "comma-separated analyzers to run on analysed articles (default: all that load)")
	fs.BoolVar(&c.allowPrivate, "allow-private", false, "let URL analysis fetch loopback, private and link-local addresses")
	fs.Int64Var(&c.maxBody, "max-body", slanthttp.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	fs.StringVar(&c.outlets, "outlets", "", "CSV of outlet profiles (domain,name,factuality,bias,reliability) that add to or override the built-in ones")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return c, err
	}
	if len(pos) > 0 {
		return c, usageErrorf("serve takes no arguments, got %q", pos[0])
	}
	if c.maxBody < 1 {
		return c, usageErrorf("--max-body must be at least 1, got %d", c.maxBody)
	}
	c.db = *db
	if c.token == "" {
		c.token = e.getenv("SLANT_TOKEN")
	}
	if !slanthttp.IsLoopback(c.addr) && c.token == "" {
		return c, usageErrorf("--addr %s is reachable from other machines: set --token or SLANT_TOKEN (or listen on 127.0.0.1)", c.addr)
	}
	return c, nil
}

// runServe serves until ctx is cancelled. ready, when not nil, receives the
// address actually listened on (tests listen on port 0).
func runServe(ctx context.Context, e *Env, args []string, reg *pipeline.Registry, ready func(addr string)) error {
	c, err := parseServeFlags(e, args)
	if err != nil {
		return err
	}
	as, _, err := loadAnalyzers(reg, c.only, e.Stderr)
	if err != nil {
		return err
	}
	var outlets *sources.Table
	if c.outlets != "" {
		f, err := os.Open(c.outlets)
		if err != nil {
			return fmt.Errorf("--outlets: %w", err)
		}
		outlets, err = sources.LoadOverrides(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--outlets %s: %w", c.outlets, err)
		}
	}
	store, err := openStore(ctx, e, c.db)
	if err != nil {
		return err
	}
	defer store.Close()

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "listen on %s: %v", c.addr, err)
	}
	logger := slog.New(slog.NewTextHandler(e.Stderr, nil))
	h := slanthttp.NewServer(slanthttp.Options{
		Analyzers: as, Store: store, Token: c.token, AllowPrivate: c.allowPrivate,
		MaxBodyBytes: c.maxBody, Logger: logger, Context: ctx, Outlets: outlets,
		Regroup: serveRegroup(store),
	})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// URL analysis fetches a page (30 s at most) and then analyses it.
		WriteTimeout: 90 * time.Second,
		IdleTimeout:  120 * time.Second,
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	fmt.Fprintf(e.Stderr, "slant: serving http://%s/ (store %s, analyzers: %s)\n", addr, store.Path(), analyzerNames(as))
	if ready != nil {
		ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Let requests in flight finish, briefly.
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	fmt.Fprintln(e.Stderr, "slant: server stopped")
	return nil
}

// serveRegroup is the server's regrouping: the one `slant stories` runs,
// with its default window and threshold, so the page shows the same
// stories, ids and pins as the CLI.
func serveRegroup(store fullStore) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := regroup(ctx, store, stories.Options{Window: 7 * 24 * time.Hour})
		return err
	}
}

func analyzerNames(as []slant.Analyzer) string {
	if len(as) == 0 {
		return "none"
	}
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ","
		}
		s += a.Name()
	}
	return s
}
