// Package sqlite is slant's embedded default store: articles, their
// analysis reports and the label indexes the library filters on, kept in one
// SQLite file through modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode with foreign keys on and a busy timeout, so
// several slant processes (an ingest and a server, say) can share one file.
// Every article is written in one transaction: a process killed at any
// moment leaves either the whole article or none of it.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/slant-news/slant"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// DB is a slant store in one SQLite file. It implements slant.Store and is
// safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
	// now returns the ingest time; tests replace it for stable output.
	now func() time.Time
}

var _ slant.Store = (*DB)(nil)

// busyTimeout is how long a writer waits for another process's write
// transaction before giving up with "database is locked".
const busyTimeout = 10 * time.Second

// DefaultPath returns where the store lives when neither --db nor SLANT_DB
// says: $XDG_DATA_HOME/slant/slant.db, else ~/.local/share/slant/slant.db.
// getenv reads the environment (os.Getenv, or a map in tests).
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv("SLANT_DB"); p != "" {
		return p, nil
	}
	// The XDG spec says a relative XDG_DATA_HOME is invalid and must be
	// ignored.
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "slant", "slant.db"), nil
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "slant", "slant.db"), nil
	}
	return "", slant.Errorf(slant.EINVALID, "no place for the database: HOME is not set; pass --db FILE or set SLANT_DB")
}

// Open opens the store at path, creating the file and its directories when
// missing, and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, slant.Errorf(slant.EINVALID, "open store: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return nil, slant.Errorf(slant.EINVALID, "open store %s: is a directory", path)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &DB{db: db, path: abs, now: time.Now}
	if err := s.migrate(ctx, len(migrations)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// dsn builds the driver's connection string. Every pooled connection gets
// the same pragmas; _txlock=immediate makes each write transaction take the
// write lock at BEGIN, so two writers queue on busy_timeout instead of
// deadlocking when both try to upgrade a read lock.
func dsn(path string) string {
	// A "file:" URI keeps '?' and '#' in a path from being read as the
	// start of the query; SQLite decodes the %-escapes.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + esc +
		"?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout.Milliseconds()) + ")" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)" +
		// NORMAL is durable against a crashed or killed process in WAL
		// mode; only a power cut can lose the last commits, never
		// consistency.
		"&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate"
}

// Path returns the absolute path of the database file.
func (s *DB) Path() string { return s.path }

// Close implements slant.Store.
func (s *DB) Close() error { return s.db.Close() }

// Check runs SQLite's integrity and foreign key checks and the full-text
// index's own check, and returns an error describing the first problem.
func (s *DB) Check(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return slant.Errorf(slant.EINTERNAL, "integrity check: %s", res)
	}
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return slant.Errorf(slant.EINTERNAL, "foreign key check: dangling references")
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"); err != nil {
		return fmt.Errorf("full-text index check: %w", err)
	}
	return nil
}

// migrations are the schema changes in order; migration i brings the
// database from user_version i to i+1. Never edit one that has shipped:
// append a new one.
var migrations = []string{
	// 1: articles, their reports and the label indexes.
	`
CREATE TABLE articles (
	seq       INTEGER PRIMARY KEY,  -- stable rowid for the full-text index
	id        TEXT NOT NULL UNIQUE, -- first 16 hex digits of hash (longer on a clash)
	hash      TEXT NOT NULL UNIQUE, -- hex SHA-256 of text
	url       TEXT NOT NULL DEFAULT '',
	url_norm  TEXT NOT NULL DEFAULT '', -- version key: normalised URL, else source path
	outlet    TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	byline    TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	published INTEGER,              -- Unix milliseconds, NULL when unknown
	ingested  INTEGER NOT NULL,     -- Unix milliseconds
	version   INTEGER NOT NULL,
	bytes     INTEGER NOT NULL,
	text      TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_version ON articles(url_norm, version) WHERE url_norm <> '';
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_date ON articles(coalesce(published, ingested));

CREATE TABLE reports (
	article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	json       TEXT NOT NULL -- the slant.Report with article text left out
);

CREATE TABLE article_techniques (
	article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	technique  TEXT NOT NULL,
	count      INTEGER NOT NULL,
	PRIMARY KEY (article_id, technique)
) WITHOUT ROWID;
CREATE INDEX article_techniques_technique ON article_techniques(technique, article_id);

CREATE TABLE article_narratives (
	article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	narrative    TEXT NOT NULL,
	subnarrative TEXT NOT NULL DEFAULT '',
	score        REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, narrative, subnarrative)
) WITHOUT ROWID;
CREATE INDEX article_narratives_narrative ON article_narratives(narrative, article_id);
CREATE INDEX article_narratives_subnarrative ON article_narratives(subnarrative, article_id);
`,
	// 2: full-text search over title and text. The index reads the text
	// from articles (external content) so it is not stored twice; the
	// triggers keep the two in step and the rebuild fills it for articles
	// stored before this migration.
	`
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
	INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
	INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
`,
	// 3: stories (groups of articles about one event). pinned marks what
	// an analyst set by hand, which automatic regrouping must keep.
	`
CREATE TABLE stories (
	id      INTEGER PRIMARY KEY,
	title   TEXT NOT NULL DEFAULT '',
	reason  TEXT NOT NULL DEFAULT '',
	first   INTEGER,  -- Unix milliseconds of the earliest member
	last    INTEGER,  -- Unix milliseconds of the latest member
	pinned  INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE story_articles (
	story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	pinned     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (story_id, article_id)
) WITHOUT ROWID;
CREATE INDEX story_articles_article ON story_articles(article_id);
`,
	// 4: the grouping's full record of each story (members with the
	// reasons they joined, related stories) kept as JSON, and analysts'
	// pins (article id to pin label), which survive regrouping.
	`
ALTER TABLE stories ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE TABLE story_pins (
	article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	label      TEXT NOT NULL
) WITHOUT ROWID;
`,
}

// SchemaVersion returns the schema version of the open database.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// migrate applies migrations until the schema is at version upto. Each
// migration and its version bump commit together, so a crash mid-way leaves
// the database at the previous version, and the next Open resumes.
func (s *DB) migrate(ctx context.Context, upto int) error {
	// Most opens find the schema current: check without taking the write
	// lock, so that reading commands do not queue behind a running ingest
	// and work on a database they cannot write.
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return slant.Errorf(slant.EUNSUPPORTED,
			"database schema version %d is newer than this slant understands (%d); upgrade slant", v, len(migrations))
	}
	if v >= upto {
		return nil
	}
	for {
		done, err := s.migrateOne(ctx, upto)
		if err != nil || done {
			return err
		}
	}
}

func (s *DB) migrateOne(ctx context.Context, upto int) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	// Read the version inside the write transaction: another process may
	// have migrated while this one waited for the lock.
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("migrate: read schema version: %w", err)
	}
	if v > len(migrations) {
		return false, slant.Errorf(slant.EUNSUPPORTED,
			"database schema version %d is newer than this slant understands (%d); upgrade slant", v, len(migrations))
	}
	if v >= upto {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	// PRAGMA does not take parameters; v+1 is an int, not user input.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	return false, nil
}

// isNotFound reports whether err is database/sql's "no rows".
func isNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }
