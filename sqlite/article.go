package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/slant-news/slant"
)

// idLen is the length of an article id: the first 16 hex digits (64 bits)
// of the text's SHA-256. That is short enough to type and, for any corpus
// this store will hold, unique; on a clash the id grows by 4 digits.
const idLen = 16

// PutReport implements slant.Store. The article's id is the first 16 hex
// digits of the SHA-256 of its text. Identical text already stored is a
// no-op returning the stored id and created=false, whatever its URL. A new
// text whose version key (the normalised URL, else the source path) is
// already stored becomes the next version of it. The article, its report and
// its label index rows are written in one transaction.
func (s *DB) PutReport(ctx context.Context, r *slant.Report) (id string, created bool, err error) {
	puts, err := s.PutReports(ctx, []*slant.Report{r})
	if err != nil {
		return "", false, err
	}
	return puts[0].ID, puts[0].Created, nil
}

// Put is the outcome of storing one report: its id, and whether it was new.
type Put struct {
	ID      string
	Created bool
}

// PutReports stores many reports in one transaction, exactly as PutReport
// on each in order would: a text that appears twice is stored once, and URL
// versions follow the order of rs. An invalid report (nil, or one JSON
// cannot encode) fails the whole batch with EINVALID before anything is
// written. A retried batch changes nothing.
func (s *DB) PutReports(ctx context.Context, rs []*slant.Report) ([]Put, error) {
	ps := make([]*pending, len(rs))
	for i, r := range rs {
		p, err := prepare(r)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", describeBatch(rs), err)
	}
	defer tx.Rollback()
	out := make([]Put, len(ps))
	wrote := false
	for i, p := range ps {
		id, created, err := s.put(ctx, tx, p)
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", p.r.Article.Describe(), err)
		}
		out[i] = Put{id, created}
		wrote = wrote || created
	}
	if wrote {
		testHookPut("commit")
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store %s: %w", describeBatch(rs), err)
	}
	return out, nil
}

// pending is a report made ready to store, outside any transaction.
type pending struct {
	r         *slant.Report
	hash, key string
	json      []byte
}

func prepare(r *slant.Report) (*pending, error) {
	if r == nil {
		return nil, slant.Errorf(slant.EINVALID, "store report: nil report")
	}
	a := r.Article
	// The report is stored without the text, which lives once in
	// articles.text, and without an id, which reading fills in from the
	// row. Encoding it before the transaction keeps the write lock short.
	rep := *r
	rep.Article.ID = ""
	rep.Article.Text = ""
	js, err := json.Marshal(&rep)
	if err != nil {
		// A report that cannot be encoded (a NaN score from an analyzer
		// bug) is this article's problem, not the store's.
		return nil, slant.Errorf(slant.EINVALID, "store %s: encode report: %v", a.Describe(), err)
	}
	return &pending{r: r, hash: slant.TextHash(a.Text), key: a.VersionKey(), json: js}, nil
}

// put writes one report inside tx.
func (s *DB) put(ctx context.Context, tx *sql.Tx, p *pending) (id string, created bool, err error) {
	// The lookup runs inside the write transaction, so two processes
	// ingesting the same article cannot both insert it.
	err = tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE hash = ?", p.hash).Scan(&id)
	switch {
	case err == nil:
		return id, false, nil
	case !isNotFound(err):
		return "", false, err
	}
	version := 1
	if p.key != "" {
		var max sql.NullInt64
		// The url_norm <> '' term lets SQLite use the partial index on
		// (url_norm, version); without it every ingest scans the table.
		if err := tx.QueryRowContext(ctx, "SELECT max(version) FROM articles WHERE url_norm = ? AND url_norm <> ''", p.key).Scan(&max); err != nil {
			return "", false, err
		}
		version = int(max.Int64) + 1
	}
	if id, err = freeID(ctx, tx, p.hash); err != nil {
		return "", false, err
	}
	a := p.r.Article
	var published any
	if !a.Published.IsZero() {
		published = a.Published.UnixMilli()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO articles
		(id, hash, url, url_norm, outlet, title, byline, source, published, ingested, version, bytes, text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, p.hash, a.URL, p.key, a.Outlet, a.Title, a.Byline, a.Source, published, s.now().UnixMilli(),
		version, len(a.Text), a.Text); err != nil {
		return "", false, err
	}
	testHookPut("article")
	if _, err := tx.ExecContext(ctx, "INSERT INTO reports (article_id, json) VALUES (?, ?)", id, string(p.json)); err != nil {
		return "", false, err
	}
	if err := insertLabels(ctx, tx, id, p.r); err != nil {
		return "", false, err
	}
	return id, true, nil
}

func describeBatch(rs []*slant.Report) string {
	if len(rs) == 1 && rs[0] != nil {
		return rs[0].Article.Describe()
	}
	return fmt.Sprintf("%d articles", len(rs))
}

// UpdateReport replaces the analysis of the stored article id with r's, for
// when better analyzers come along: the report and the label index rows
// change, the article (text, metadata, id, version) does not. r must be an
// analysis of the same text (EINVALID otherwise); ENOTFOUND when id is not
// stored.
func (s *DB) UpdateReport(ctx context.Context, id string, r *slant.Report) error {
	if r == nil {
		return slant.Errorf(slant.EINVALID, "update report %s: nil report", id)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	defer tx.Rollback()
	var hash, old string
	err = tx.QueryRowContext(ctx, "SELECT a.hash, r.json FROM articles a JOIN reports r ON r.article_id = a.id WHERE a.id = ?", id).Scan(&hash, &old)
	if isNotFound(err) {
		return slant.Errorf(slant.ENOTFOUND, "no stored article %q", id)
	}
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if slant.TextHash(r.Article.Text) != hash {
		return slant.Errorf(slant.EINVALID, "update report %s: the report is of another text", id)
	}
	var prev slant.Report
	if err := json.Unmarshal([]byte(old), &prev); err != nil {
		return fmt.Errorf("update report %s: decode stored report: %w", id, err)
	}
	// The article as first stored stays the article: its metadata is what
	// the articles row and the other versions agree with.
	rep := *r
	rep.Article = prev.Article
	js, err := json.Marshal(&rep)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "update report %s: encode report: %v", id, err)
	}
	for _, q := range []string{
		"DELETE FROM article_techniques WHERE article_id = ?",
		"DELETE FROM article_narratives WHERE article_id = ?",
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("update report %s: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE reports SET json = ? WHERE article_id = ?", string(js), id); err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if err := insertLabels(ctx, tx, id, r); err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	return nil
}

// insertLabels writes the label index rows of report r of article id.
func insertLabels(ctx context.Context, tx *sql.Tx, id string, r *slant.Report) error {
	counts := r.TechniqueCounts()
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		if _, err := tx.ExecContext(ctx, "INSERT INTO article_techniques (article_id, technique, count) VALUES (?, ?, ?)",
			id, t, counts[t]); err != nil {
			return err
		}
	}
	for _, n := range r.DistinctNarratives() {
		if _, err := tx.ExecContext(ctx, "INSERT INTO article_narratives (article_id, narrative, subnarrative, score) VALUES (?, ?, ?, ?)",
			id, n.Narrative, n.Subnarrative, n.Score); err != nil {
			return err
		}
	}
	return nil
}

// testHookPut is called at points inside PutReport's transaction ("article"
// once the article row is written, "commit" just before the commit); the
// crash test replaces it to kill the process exactly there.
var testHookPut = func(stage string) {}

// freeID returns the shortest prefix of hash, from idLen digits up, that no
// stored article uses as its id. The caller has checked that hash itself is
// not stored.
func freeID(ctx context.Context, tx *sql.Tx, hash string) (string, error) {
	for n := idLen; n <= len(hash); n += 4 {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM articles WHERE id = ?", hash[:n]).Scan(&one)
		if isNotFound(err) {
			return hash[:n], nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", slant.Errorf(slant.ECONFLICT, "no free id for hash %s", hash)
}

// LookupText returns the id of the stored article whose text is text, and
// found=false when there is none. Ingest asks before analysing, so that
// re-running a job skips the analysis of what is already stored.
func (s *DB) LookupText(ctx context.Context, text string) (id string, found bool, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT id FROM articles WHERE hash = ?", slant.TextHash(text)).Scan(&id)
	switch {
	case isNotFound(err):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("look up article: %w", err)
	}
	return id, true, nil
}

// Report implements slant.Store. The returned report's Article.ID is the
// store's id.
func (s *DB) Report(ctx context.Context, id string) (*slant.Report, error) {
	var js, text string
	err := s.db.QueryRowContext(ctx, `SELECT r.json, a.text FROM articles a JOIN reports r ON r.article_id = a.id
		WHERE a.id = ?`, id).Scan(&js, &text)
	if isNotFound(err) {
		return nil, slant.Errorf(slant.ENOTFOUND, "no stored article %q (run 'slant list' to see the ids)", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read article %s: %w", id, err)
	}
	var r slant.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		return nil, fmt.Errorf("read article %s: decode report: %w", id, err)
	}
	r.Article.ID = id
	r.Article.Text = text
	return &r, nil
}

// ResolveID returns the id of the one stored article whose id is id or
// starts with it, so users can type a short prefix as with git. ENOTFOUND
// when none matches, EINVALID when several do.
func (s *DB) ResolveID(ctx context.Context, id string) (string, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" || strings.Trim(id, "0123456789abcdef") != "" {
		return "", slant.Errorf(slant.ENOTFOUND, "no stored article %q (ids are hex; run 'slant list' to see them)", id)
	}
	// Hex digits only, so the prefix cannot hold LIKE wildcards.
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
		id, id+"g")
	if err != nil {
		return "", fmt.Errorf("find article %s: %w", id, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			return "", fmt.Errorf("find article %s: %w", id, err)
		}
		if x == id {
			return x, nil
		}
		ids = append(ids, x)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("find article %s: %w", id, err)
	}
	switch len(ids) {
	case 0:
		return "", slant.Errorf(slant.ENOTFOUND, "no stored article %q (run 'slant list' to see the ids)", id)
	case 1:
		return ids[0], nil
	}
	return "", slant.Errorf(slant.EINVALID, "article id prefix %q is ambiguous; type more of it", id)
}

// Articles implements slant.Store. Articles are ordered by date (the
// publication time, else the ingest time), newest first. Since is
// inclusive and Until exclusive. Outlet and Technique match without regard
// to case; Narrative matches a narrative or a subnarrative label. Query is a
// full-text search over title and text: every word must occur (case and
// diacritics ignored), and a word ending in * matches as a prefix.
func (s *DB) Articles(ctx context.Context, f slant.ArticleFilter) ([]slant.StoredArticle, error) {
	q, args, err := selectArticles(f, "")
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	var out []slant.StoredArticle
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("list articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// articleColumns are the columns of a slant.StoredArticle, in scan order.
const articleColumns = "a.id, a.hash, a.title, a.url, a.outlet, a.source, a.published, a.ingested, a.version, a.bytes"

// selectArticles builds the query for the articles matching f, newest
// first, selecting articleColumns and then the extra columns.
func selectArticles(f slant.ArticleFilter, extra string) (string, []any, error) {
	var (
		where []string
		args  []any
	)
	if f.Outlet != "" {
		where = append(where, "a.outlet = ? COLLATE NOCASE")
		args = append(args, f.Outlet)
	}
	if strings.TrimSpace(f.Query) != "" {
		q := FTSQuery(f.Query)
		if q == "" {
			return "", nil, slant.Errorf(slant.EINVALID, "search %q has no words to look for", f.Query)
		}
		where = append(where, "a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
		args = append(args, q)
	}
	if !f.Since.IsZero() {
		where = append(where, "coalesce(a.published, a.ingested) >= ?")
		args = append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		where = append(where, "coalesce(a.published, a.ingested) < ?")
		args = append(args, f.Until.UnixMilli())
	}
	if f.Technique != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article_techniques t WHERE t.article_id = a.id AND t.technique = ? COLLATE NOCASE)")
		args = append(args, f.Technique)
	}
	if f.Narrative != "" {
		where = append(where, `EXISTS (SELECT 1 FROM article_narratives n WHERE n.article_id = a.id
			AND (n.narrative = ? COLLATE NOCASE OR n.subnarrative = ? COLLATE NOCASE))`)
		args = append(args, f.Narrative, f.Narrative)
	}
	q := "SELECT " + articleColumns + extra + " FROM articles a"
	if extra != "" {
		q += " JOIN reports r ON r.article_id = a.id"
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY coalesce(a.published, a.ingested) DESC, a.seq DESC"
	if f.Limit > 0 || f.Offset > 0 {
		// SQLite needs a LIMIT for an OFFSET; -1 means none.
		limit := -1
		if f.Limit > 0 {
			limit = f.Limit
		}
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(f.Offset, 0))
	}
	return q, args, nil
}

// scanArticle reads articleColumns and then extra destinations from rows.
func scanArticle(rows *sql.Rows, extra ...any) (slant.StoredArticle, error) {
	var (
		a         slant.StoredArticle
		published sql.NullInt64
		ingested  int64
	)
	dest := append([]any{&a.ID, &a.Hash, &a.Title, &a.URL, &a.Outlet, &a.Source, &published, &ingested,
		&a.Version, &a.Bytes}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return a, err
	}
	if published.Valid {
		a.Published = time.UnixMilli(published.Int64).UTC()
	}
	a.Ingested = time.UnixMilli(ingested).UTC()
	return a, nil
}

// EachReport calls fn with every stored article matching f and its report,
// newest first, reading them in one query rather than one per article. It
// stops at fn's first error and returns it.
func (s *DB) EachReport(ctx context.Context, f slant.ArticleFilter, fn func(slant.StoredArticle, *slant.Report) error) error {
	q, args, err := selectArticles(f, ", r.json, a.text")
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var js, text string
		a, err := scanArticle(rows, &js, &text)
		if err != nil {
			return fmt.Errorf("read reports: %w", err)
		}
		var r slant.Report
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			return fmt.Errorf("read article %s: decode report: %w", a.ID, err)
		}
		r.Article.ID, r.Article.Text = a.ID, text
		if err := fn(a, &r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read reports: %w", err)
	}
	return nil
}

// FTSQuery turns a user's search words into an FTS5 query that cannot be a
// syntax error: each word becomes a quoted phrase (so AND, OR, NEAR, column
// filters and stray quotes are plain words), all of them required, and a
// trailing * keeps its prefix meaning. It returns "" when there is no word.
func FTSQuery(q string) string {
	// FTS5 reads its query as a C string: a NUL would end it inside a
	// quoted phrase. Control characters are never part of a word anyway.
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	var terms []string
	for _, w := range strings.Fields(q) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		if !hasWordChar(w) {
			// FTS5 rejects a phrase with no token in it as the prefix
			// of a query ("" *), and such a word would match nothing.
			continue
		}
		t := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " ")
}

// hasWordChar reports whether s holds a character the unicode61 tokenizer
// keeps as part of a token: a letter, a number or a private-use rune.
func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) {
			return true
		}
	}
	return false
}
