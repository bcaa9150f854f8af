// Package postgres is slant's store on PostgreSQL, for when one process and
// one SQLite file are not enough: many workers on many machines write to one
// database (see nats/ for the queue that feeds them).
//
// It mirrors the embedded store (sqlite/) exactly: the same ids (the first 16
// hex digits of the text's SHA-256), the same dedup, the same URL versions,
// the same filters and the same search semantics, checked by the shared
// conformance suite in storetest/. Every write is idempotent (unique keys
// and ON CONFLICT DO NOTHING), so a retried queue job never duplicates an
// article.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/slant-news/slant"
)

// DB is a slant store in a PostgreSQL database. It implements slant.Store
// and is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
	dsn  string // with the password removed, for messages
	// now returns the ingest time; tests replace it.
	now func() time.Time
}

var _ slant.Store = (*DB)(nil)

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsDSN(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Redact returns dsn with any password replaced, for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Open connects to the database named by dsn (postgres://user:pass@host/db,
// or any libpq connection string) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, slant.Errorf(slant.EINVALID, "open store %s: %v", Redact(dsn), err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", Redact(dsn), err)
	}
	s := &DB{pool: pool, dsn: Redact(dsn), now: time.Now}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", s.dsn, err)
	}
	return s, nil
}

// Path returns the database's address without its password.
func (s *DB) Path() string { return s.dsn }

// Close implements slant.Store.
func (s *DB) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// ftsChars caps how much of an article's text the search index reads:
// PostgreSQL refuses a tsvector over 1 MB, and an article whose index would
// be refused could not be stored at all.
const ftsChars = 500000

// migrations are the schema changes in order; migration i brings the
// database from version i to i+1, recorded in slant_schema. Never edit one
// that has shipped: append a new one. {{unaccent}} is replaced by the
// schema-qualified unaccent function of the unaccent extension.
var migrations = []string{
	// 1: articles, reports, label indexes and full-text search, as in the
	// SQLite store. The search column is generated from title and text with
	// diacritics removed and the 'simple' configuration (no stemming, no
	// stop words), which is what SQLite's unicode61 tokenizer does.
	`
CREATE FUNCTION slant_unaccent(text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT {{unaccent}} $$;

CREATE TABLE articles (
	seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id        text NOT NULL UNIQUE,      -- first 16 hex digits of hash (longer on a clash)
	hash      text NOT NULL UNIQUE,      -- hex SHA-256 of text
	url       text NOT NULL DEFAULT '',
	url_norm  text NOT NULL DEFAULT '',  -- version key: normalised URL, else source path
	outlet    text NOT NULL DEFAULT '',
	title     text NOT NULL DEFAULT '',
	byline    text NOT NULL DEFAULT '',
	source    text NOT NULL DEFAULT '',
	published timestamptz,
	ingested  timestamptz NOT NULL,
	version   integer NOT NULL,
	bytes     integer NOT NULL,
	text      text NOT NULL,
	fts       tsvector GENERATED ALWAYS AS (
		to_tsvector('simple', slant_unaccent(title) || ' ' || slant_unaccent(left(text, ` + fmt.Sprint(ftsChars) + `)))
	) STORED
);
CREATE UNIQUE INDEX articles_version ON articles (url_norm, version) WHERE url_norm <> '';
CREATE INDEX articles_outlet ON articles (lower(outlet));
CREATE INDEX articles_date ON articles ((coalesce(published, ingested)) DESC, seq DESC);
CREATE INDEX articles_fts ON articles USING gin (fts);

CREATE TABLE reports (
	article_id text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	json       json NOT NULL -- the slant.Report with article text and id left out
);

CREATE TABLE article_techniques (
	article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	technique  text NOT NULL,
	count      integer NOT NULL,
	PRIMARY KEY (article_id, technique)
);
CREATE INDEX article_techniques_technique ON article_techniques (lower(technique), article_id);

CREATE TABLE article_narratives (
	article_id   text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	narrative    text NOT NULL,
	subnarrative text NOT NULL DEFAULT '',
	score        double precision NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, narrative, subnarrative)
);
CREATE INDEX article_narratives_narrative ON article_narratives (lower(narrative), article_id);
CREATE INDEX article_narratives_subnarrative ON article_narratives (lower(subnarrative), article_id);
`,
	// 2: stories, their members, the grouping's detail and analysts' pins
	// (the SQLite store's migrations 3 and 4 in one).
	`
CREATE TABLE stories (
	id      bigint PRIMARY KEY,
	title   text NOT NULL DEFAULT '',
	reason  text NOT NULL DEFAULT '',
	first   timestamptz,
	last    timestamptz,
	pinned  boolean NOT NULL DEFAULT false,
	updated timestamptz NOT NULL DEFAULT now(),
	detail  text NOT NULL DEFAULT ''
);
CREATE TABLE story_articles (
	story_id   bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
	article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	pinned     boolean NOT NULL DEFAULT false,
	PRIMARY KEY (story_id, article_id)
);
CREATE INDEX story_articles_article ON story_articles (article_id);
CREATE TABLE story_pins (
	article_id text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	label      text NOT NULL
);
`,
}

// migrateLock is the advisory lock key that serialises migrations between
// workers starting at once against a new database.
const migrateLock = 0x736c616e74 // "slant"

// SchemaVersion returns the schema version of the database.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM slant_schema").Scan(&v)
	return v, err
}

// migrate applies the missing migrations, each in its own transaction
// together with its version row, under an advisory lock so that many
// workers starting against a new database migrate it once.
func (s *DB) migrate(ctx context.Context) error {
	if v, err := s.SchemaVersion(ctx); err == nil && v == len(migrations) {
		return nil // the common case: no lock, no DDL
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrateLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS slant_schema (
		version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var v int
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM slant_schema").Scan(&v); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if v > len(migrations) {
		return slant.Errorf(slant.EUNSUPPORTED,
			"database schema version %d is newer than this slant understands (%d); upgrade slant", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if err := s.migrateOne(ctx, conn.Conn(), v); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
		}
	}
	return nil
}

func (s *DB) migrateOne(ctx context.Context, conn *pgx.Conn, v int) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	// unaccent ships with PostgreSQL (contrib) and is a trusted extension,
	// so a database owner may create it without being a superuser.
	if _, err := tx.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS unaccent"); err != nil {
		return fmt.Errorf("create extension unaccent (PostgreSQL's contrib package is needed): %w", err)
	}
	// Qualify the function by the extension's schema: a generated column
	// must not depend on the search_path of whoever inserts.
	var schema string
	if err := tx.QueryRow(ctx, "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'").Scan(&schema); err != nil {
		return fmt.Errorf("find extension unaccent: %w", err)
	}
	q := strings.ReplaceAll(schema, "'", "''")
	fn := fmt.Sprintf("%s.unaccent('%s.unaccent'::regdictionary, $1)", schema, q)
	if _, err := tx.Exec(ctx, strings.ReplaceAll(migrations[v], "{{unaccent}}", fn)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO slant_schema (version) VALUES ($1)", v+1); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// retryable reports whether a transaction failed only because of another
// one (serialization failure, deadlock, a unique key taken meanwhile) and is
// worth running again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "23505":
			return true
		}
	}
	return false
}

// Transient reports whether err is the database being unreachable or
// restarting (connection refused or reset, server shutting down) rather
// than something wrong with the data: a queue worker retries those.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	if retryable(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exception; 57P01-57P03: admin shutdown,
		// crash shutdown, cannot connect now (starting up).
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "EOF", "conn closed", "failed to connect"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
