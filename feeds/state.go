// Package feeds polls RSS, Atom and JSON feeds and stores each new item's
// article: it follows the item link to the page (falling back to the
// feed's own content when the page cannot be read), analyses it and puts
// the report in a slant.Store.
//
// Polling is polite and cheap: each feed is fetched with a conditional GET
// (If-None-Match from its last ETag, If-Modified-Since from its last
// Last-Modified), so an unchanged feed costs a 304 and nothing else; a feed
// that fails is retried on an exponential backoff with jitter; and every
// item taken is remembered by its normalised link and its GUID, so its page
// is never fetched twice.
//
// That memory lives in a small SQLite file of its own (see OpenState;
// `slant watch` puts it next to the store as "<db>.feeds"), because the
// store does not expose its connection and its schema belongs to the
// sqlite package. Losing the file is harmless: the validators are re-learnt
// and the store's text hash keeps re-fetched articles from being stored
// twice.
package feeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/slant-news/slant"
)

// schema is created on open; IF NOT EXISTS makes opening an existing file a
// no-op, and the tables are this package's alone.
const schema = `
CREATE TABLE IF NOT EXISTS feed_state(
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	next_try      INTEGER NOT NULL DEFAULT 0, -- unix seconds; 0 = now
	last_error    TEXT NOT NULL DEFAULT '',
	last_polled   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_seen(
	key        TEXT PRIMARY KEY, -- "link:" + normalised URL, or "guid:" + feed URL + " " + GUID
	feed       TEXT NOT NULL,
	article_id TEXT NOT NULL DEFAULT '',
	seen       INTEGER NOT NULL
);`

// State is the poller's memory: per-feed validators and backoff, and the
// items already taken. It is safe for concurrent use.
type State struct {
	db   *sql.DB
	path string
}

// FeedState is what is remembered about one feed.
type FeedState struct {
	// URL is the feed's address (or file path) as given.
	URL string
	// ETag and LastModified are the validators of the last 200 response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag, LastModified string
	// Failures counts consecutive failed polls; 0 after a success.
	Failures int
	// NextTry is when the feed may be polled again after a failure; zero
	// means at once.
	NextTry time.Time
	// LastError is the last failure's one-line message.
	LastError string
	// LastPolled is when the feed was last polled, successfully or not.
	LastPolled time.Time
}

// StatePath returns where `slant watch` keeps the feed state of the store
// at dbPath: a separate file next to it.
func StatePath(dbPath string) string { return dbPath + ".feeds" }

// OpenState opens (creating when missing) the feed state file at path.
func OpenState(ctx context.Context, path string) (*State, error) {
	if path == "" {
		return nil, slant.Errorf(slant.EINVALID, "open feed state: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open feed state %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, slant.Errorf(slant.EINVALID, "open feed state %s: is a directory", path)
	}
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	db, err := sql.Open("sqlite", "file:"+esc+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open feed state %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open feed state %s: %w", path, err)
	}
	return &State{db: db, path: path}, nil
}

// Path returns the state file's path.
func (s *State) Path() string { return s.path }

// Close releases the state file.
func (s *State) Close() error { return s.db.Close() }

// Feed returns what is remembered about the feed url; a feed never seen
// has a zero FeedState with URL set.
func (s *State) Feed(ctx context.Context, url string) (FeedState, error) {
	f := FeedState{URL: url}
	var next, polled int64
	err := s.db.QueryRowContext(ctx,
		"SELECT etag, last_modified, failures, next_try, last_error, last_polled FROM feed_state WHERE url = ?", url).
		Scan(&f.ETag, &f.LastModified, &f.Failures, &next, &f.LastError, &polled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return f, nil
	case err != nil:
		return f, fmt.Errorf("feed state %s: %w", url, err)
	}
	f.NextTry = unixTime(next)
	f.LastPolled = unixTime(polled)
	return f, nil
}

// SaveFeed records f.
func (s *State) SaveFeed(ctx context.Context, f FeedState) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO feed_state(url, etag, last_modified, failures, next_try, last_error, last_polled)
		VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			failures = excluded.failures, next_try = excluded.next_try, last_error = excluded.last_error,
			last_polled = excluded.last_polled`,
		f.URL, f.ETag, f.LastModified, f.Failures, unixSeconds(f.NextTry), f.LastError, unixSeconds(f.LastPolled))
	if err != nil {
		return fmt.Errorf("save feed state %s: %w", f.URL, err)
	}
	return nil
}

// Seen reports whether any of keys was recorded by MarkSeen.
func (s *State) Seen(ctx context.Context, keys []string) (bool, error) {
	for _, k := range keys {
		var one int
		err := s.db.QueryRowContext(ctx, "SELECT 1 FROM feed_seen WHERE key = ?", k).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return false, fmt.Errorf("feed state: %w", err)
		}
		return true, nil
	}
	return false, nil
}

// MarkSeen records keys as taken from feed, stored as articleID, at now.
func (s *State) MarkSeen(ctx context.Context, feed, articleID string, now time.Time, keys []string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("feed state: %w", err)
	}
	defer tx.Rollback()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO feed_seen(key, feed, article_id, seen) VALUES(?, ?, ?, ?)",
			k, feed, articleID, now.Unix()); err != nil {
			return fmt.Errorf("feed state: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("feed state: %w", err)
	}
	return nil
}

func unixSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}
