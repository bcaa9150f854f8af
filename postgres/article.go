package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/slant-news/slant"
)

// idLen is the length of an article id, as in the SQLite store: the first
// 16 hex digits of the text's SHA-256, longer by 4 digits on a clash.
const idLen = 16

// Put is the outcome of storing one report: its id, and whether this call
// stored it (false when the same text was already stored).
type Put struct {
	ID      string
	Created bool
}

// row is a report made ready for the INSERT: validated, encoded, keyed.
type row struct {
	r         *slant.Report
	hash, key string
	published *time.Time
	json      []byte
	techs     []string
	counts    []int32
	narrs     []string
	subs      []string
	scores    []float64
}

// prepare validates and encodes r outside any transaction, so that a bad
// report is an EINVALID error for that article alone and transactions stay
// short.
func prepare(r *slant.Report) (*row, error) {
	if r == nil {
		return nil, slant.Errorf(slant.EINVALID, "store report: nil report")
	}
	a := r.Article
	// PostgreSQL text cannot hold a NUL byte or invalid UTF-8; ingest never
	// produces either, but a report built by other code might.
	for _, f := range []string{a.Text, a.Title, a.URL, a.Outlet, a.Byline, a.Source} {
		if strings.IndexByte(f, 0) >= 0 || !utf8.ValidString(f) {
			return nil, slant.Errorf(slant.EINVALID, "store %s: text holds a NUL byte or invalid UTF-8", a.Describe())
		}
	}
	rep := *r
	rep.Article.ID = ""
	rep.Article.Text = ""
	js, err := json.Marshal(&rep)
	if err != nil {
		// A report that cannot be encoded (a NaN score from an analyzer
		// bug) is this article's problem, not the store's.
		return nil, slant.Errorf(slant.EINVALID, "store %s: encode report: %v", a.Describe(), err)
	}
	w := &row{r: r, hash: slant.TextHash(a.Text), key: a.VersionKey(), json: js}
	if !a.Published.IsZero() {
		// Milliseconds, as the SQLite store keeps them, so both backends
		// return the same times.
		p := time.UnixMilli(a.Published.UnixMilli()).UTC()
		w.published = &p
	}
	counts := r.TechniqueCounts()
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		w.techs = append(w.techs, t)
		w.counts = append(w.counts, int32(counts[t]))
	}
	for _, n := range r.DistinctNarratives() {
		w.narrs = append(w.narrs, n.Narrative)
		w.subs = append(w.subs, n.Subnarrative)
		w.scores = append(w.scores, n.Score)
	}
	return w, nil
}

// insertArticle inserts the article, its report and its label rows in one
// statement, and only if the article is new: the data-modifying CTEs write
// the report and labels from the row the INSERT returned, so a duplicate
// (ON CONFLICT DO NOTHING) writes nothing at all. The version is computed in
// the same statement; the caller holds the advisory lock of the version key,
// so no other writer can take the same version meanwhile.
const insertArticle = `
WITH ins AS (
	INSERT INTO articles (id, hash, url, url_norm, outlet, title, byline, source, published, ingested, version, bytes, text)
	SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz, $10::timestamptz,
		CASE WHEN $4::text = '' THEN 1
		ELSE coalesce((SELECT max(version) FROM articles WHERE url_norm = $4::text AND url_norm <> ''), 0) + 1 END,
		$11::int, $12::text
	ON CONFLICT DO NOTHING
	RETURNING id
), rep AS (
	INSERT INTO reports (article_id, json) SELECT id, $13::json FROM ins
), tech AS (
	INSERT INTO article_techniques (article_id, technique, count)
	SELECT ins.id, t.name, t.n FROM ins, unnest($14::text[], $15::int[]) AS t(name, n)
), narr AS (
	INSERT INTO article_narratives (article_id, narrative, subnarrative, score)
	SELECT ins.id, n.a, n.b, n.s FROM ins, unnest($16::text[], $17::text[], $18::float8[]) AS n(a, b, s)
)
SELECT id FROM ins`

func (w *row) args(id string, ingested time.Time) []any {
	a := w.r.Article
	return []any{id, w.hash, a.URL, w.key, a.Outlet, a.Title, a.Byline, a.Source, w.published, ingested,
		len(a.Text), a.Text, string(w.json), w.techs, w.counts, w.narrs, w.subs, w.scores}
}

// lockKey is the advisory lock that serialises writers of one version key.
func lockKey(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}

// PutReport implements slant.Store with the SQLite store's semantics: the
// id is the first 16 hex digits of the SHA-256 of the text; identical text
// already stored is a no-op returning its id and created=false; a new text
// at a stored version key (normalised URL, else source path) is the next
// version. The article, its report and its label rows commit together.
func (s *DB) PutReport(ctx context.Context, r *slant.Report) (id string, created bool, err error) {
	puts, err := s.PutReports(ctx, []*slant.Report{r})
	if err != nil {
		return "", false, err
	}
	return puts[0].ID, puts[0].Created, nil
}

// PutReports stores many reports in one transaction and one round trip (a
// pgx batch), exactly as PutReport on each in order would: a text that
// appears twice is stored once, and URL versions follow the order of rs.
// Any invalid report fails the whole batch with EINVALID before anything is
// written. A retried batch changes nothing.
func (s *DB) PutReports(ctx context.Context, rs []*slant.Report) ([]Put, error) {
	rows := make([]*row, len(rs))
	for i, r := range rs {
		w, err := prepare(r)
		if err != nil {
			return nil, err
		}
		rows[i] = w
	}
	var (
		out []Put
		err error
	)
	// A deadlock or a key taken by a concurrent writer aborts the
	// transaction; running it again sees the other's commit.
	for attempt := 0; attempt < 5; attempt++ {
		out, err = s.putRows(ctx, rows)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", describeBatch(rs), err)
	}
	return out, nil
}

func (s *DB) putRows(ctx context.Context, rows []*row) ([]Put, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)

	// Take every version key's lock up front in a fixed order, so two
	// batches sharing keys queue instead of deadlocking.
	var keys []int64
	seen := map[int64]bool{}
	for _, w := range rows {
		if w.key != "" && !seen[lockKey(w.key)] {
			seen[lockKey(w.key)] = true
			keys = append(keys, lockKey(w.key))
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	ingested := time.UnixMilli(s.now().UnixMilli()).UTC()

	b := &pgx.Batch{}
	for _, k := range keys {
		b.Queue("SELECT pg_advisory_xact_lock($1)", k)
	}
	for _, w := range rows {
		b.Queue(insertArticle, w.args(w.hash[:idLen], ingested)...)
	}
	br := tx.SendBatch(ctx, b)
	for range keys {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	out := make([]Put, len(rows))
	for i := range rows {
		var id string
		err := br.QueryRow().Scan(&id)
		switch {
		case err == nil:
			out[i] = Put{ID: id, Created: true}
		case errors.Is(err, pgx.ErrNoRows):
			// Resolved below, once the batch is read: the text is stored
			// already, or its 16-digit id is another text's.
		default:
			br.Close()
			return nil, err
		}
	}
	if err := br.Close(); err != nil {
		return nil, err
	}
	for i, w := range rows {
		if out[i].ID != "" {
			continue
		}
		if out[i], err = s.putSlow(ctx, tx, w, ingested); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// putSlow handles a report whose first insert did nothing: the same text
// is stored (return its id), or its id prefix is taken by another text (try
// a longer prefix, as the SQLite store does).
func (s *DB) putSlow(ctx context.Context, tx pgx.Tx, w *row, ingested time.Time) (Put, error) {
	for n := idLen; n <= len(w.hash); n += 4 {
		var id string
		err := tx.QueryRow(ctx, "SELECT id FROM articles WHERE hash = $1", w.hash).Scan(&id)
		if err == nil {
			return Put{ID: id}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return Put{}, err
		}
		var other string
		err = tx.QueryRow(ctx, "SELECT hash FROM articles WHERE id = $1", w.hash[:n]).Scan(&other)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			// Neither the text nor the id is taken, yet the insert did
			// nothing: a version number was taken by a writer that does
			// not hold the lock. Let the caller run the transaction again.
			return Put{}, slant.Errorf(slant.ECONFLICT, "version of %s taken concurrently", w.r.Article.Describe())
		case err != nil:
			return Put{}, err
		}
		if n+4 > len(w.hash) {
			break
		}
		err = tx.QueryRow(ctx, insertArticle, w.args(w.hash[:n+4], ingested)...).Scan(&id)
		if err == nil {
			return Put{ID: id, Created: true}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return Put{}, err
		}
	}
	return Put{}, slant.Errorf(slant.ECONFLICT, "no free id for hash %s", w.hash)
}

// LookupText returns the id of the stored article whose text is text, and
// found=false when there is none, so a worker can skip analysing what is
// already stored.
func (s *DB) LookupText(ctx context.Context, text string) (id string, found bool, err error) {
	err = s.pool.QueryRow(ctx, "SELECT id FROM articles WHERE hash = $1", slant.TextHash(text)).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("look up article: %w", err)
	}
	return id, true, nil
}

// Report implements slant.Store. The returned report's Article.ID is the
// store's id.
func (s *DB) Report(ctx context.Context, id string) (*slant.Report, error) {
	var (
		js   []byte
		text string
	)
	err := s.pool.QueryRow(ctx, `SELECT r.json::text, a.text FROM articles a JOIN reports r ON r.article_id = a.id
		WHERE a.id = $1`, id).Scan(&js, &text)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, slant.Errorf(slant.ENOTFOUND, "no stored article %q (run 'slant list' to see the ids)", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read article %s: %w", id, err)
	}
	var r slant.Report
	if err := json.Unmarshal(js, &r); err != nil {
		return nil, fmt.Errorf("read article %s: decode report: %w", id, err)
	}
	r.Article.ID = id
	r.Article.Text = text
	return &r, nil
}

// ResolveID returns the id of the one stored article whose id is id or
// starts with it. ENOTFOUND when none matches, EINVALID when several do.
func (s *DB) ResolveID(ctx context.Context, id string) (string, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" || strings.Trim(id, "0123456789abcdef") != "" {
		return "", slant.Errorf(slant.ENOTFOUND, "no stored article %q (ids are hex; run 'slant list' to see them)", id)
	}
	rows, err := s.pool.Query(ctx, `SELECT id FROM articles WHERE id COLLATE "C" >= $1 AND id COLLATE "C" < $2
		ORDER BY id COLLATE "C" LIMIT 2`, id, id+"g")
	if err != nil {
		return "", fmt.Errorf("find article %s: %w", id, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", fmt.Errorf("find article %s: %w", id, err)
	}
	for _, x := range ids {
		if x == id {
			return x, nil
		}
	}
	switch len(ids) {
	case 0:
		return "", slant.Errorf(slant.ENOTFOUND, "no stored article %q (run 'slant list' to see the ids)", id)
	case 1:
		return ids[0], nil
	}
	return "", slant.Errorf(slant.EINVALID, "article id prefix %q is ambiguous; type more of it", id)
}

// Articles implements slant.Store with the SQLite store's semantics:
// newest first by publication time (else ingest time); Since inclusive,
// Until exclusive; Outlet and Technique without regard to case; Narrative
// matches a narrative or a subnarrative; Query needs every word (case and
// diacritics ignored), a word ending in * matching as a prefix.
func (s *DB) Articles(ctx context.Context, f slant.ArticleFilter) ([]slant.StoredArticle, error) {
	q, args, err := selectArticles(f, "")
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, q, args...)
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

// EachReport calls fn with every stored article matching f and its report,
// newest first, in one query. It stops at fn's first error and returns it.
func (s *DB) EachReport(ctx context.Context, f slant.ArticleFilter, fn func(slant.StoredArticle, *slant.Report) error) error {
	q, args, err := selectArticles(f, ", r.json::text, a.text")
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			js   []byte
			text string
		)
		a, err := scanArticle(rows, &js, &text)
		if err != nil {
			return fmt.Errorf("read reports: %w", err)
		}
		var r slant.Report
		if err := json.Unmarshal(js, &r); err != nil {
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

const articleColumns = "a.id, a.hash, a.title, a.url, a.outlet, a.source, a.published, a.ingested, a.version, a.bytes"

// selectArticles builds the query for the articles matching f, newest
// first, selecting articleColumns and then the extra columns. Every value
// is a bind parameter; only their number shapes the SQL.
func selectArticles(f slant.ArticleFilter, extra string) (string, []any, error) {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Outlet != "" {
		where = append(where, "lower(a.outlet) = lower("+arg(f.Outlet)+")")
	}
	if strings.TrimSpace(f.Query) != "" {
		words := searchWords(f.Query)
		if len(words) == 0 {
			return "", nil, slant.Errorf(slant.EINVALID, "search %q has no words to look for", f.Query)
		}
		for _, w := range words {
			if w.prefix {
				where = append(where, "a.fts @@ to_tsquery('simple', slant_unaccent("+arg(w.tsquery())+"))")
			} else {
				// The document's own parser splits the word, so "café-lined"
				// or "3.5" match exactly as they were indexed.
				where = append(where, "a.fts @@ phraseto_tsquery('simple', slant_unaccent("+arg(w.text)+"))")
			}
		}
	}
	if !f.Since.IsZero() {
		where = append(where, "coalesce(a.published, a.ingested) >= "+arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "coalesce(a.published, a.ingested) < "+arg(f.Until))
	}
	if f.Technique != "" {
		where = append(where, "EXISTS (SELECT 1 FROM article_techniques t WHERE t.article_id = a.id AND lower(t.technique) = lower("+arg(f.Technique)+"))")
	}
	if f.Narrative != "" {
		p := arg(f.Narrative)
		where = append(where, "EXISTS (SELECT 1 FROM article_narratives n WHERE n.article_id = a.id AND (lower(n.narrative) = lower("+p+") OR lower(n.subnarrative) = lower("+p+")))")
	}
	q := "SELECT " + articleColumns + extra + " FROM articles a"
	if extra != "" {
		q += " JOIN reports r ON r.article_id = a.id"
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY coalesce(a.published, a.ingested) DESC, a.seq DESC"
	if f.Limit > 0 {
		q += " LIMIT " + arg(f.Limit)
	}
	if f.Offset > 0 {
		q += " OFFSET " + arg(f.Offset)
	}
	return q, args, nil
}

func scanArticle(rows pgx.Rows, extra ...any) (slant.StoredArticle, error) {
	var (
		a         slant.StoredArticle
		published *time.Time
		ingested  time.Time
	)
	dest := append([]any{&a.ID, &a.Hash, &a.Title, &a.URL, &a.Outlet, &a.Source, &published, &ingested,
		&a.Version, &a.Bytes}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return a, err
	}
	if published != nil {
		a.Published = published.UTC()
	}
	a.Ingested = ingested.UTC()
	return a, nil
}

// searchWord is one word of a user's search.
type searchWord struct {
	text   string
	prefix bool
}

// searchWords splits a search as the SQLite store's FTSQuery does: words
// separated by white space, each required, a trailing * for a prefix, and
// words without a letter or digit dropped.
func searchWords(q string) []searchWord {
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	var out []searchWord
	for _, w := range strings.Fields(q) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		if len(tokens(w)) == 0 {
			continue
		}
		out = append(out, searchWord{text: w, prefix: prefix})
	}
	return out
}

// tokens splits a word at every character that is not a letter, number or
// private-use rune, as SQLite's unicode61 tokenizer does.
func tokens(w string) []string {
	return strings.FieldsFunc(strings.ToLower(w), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r))
	})
}

// tsquery returns the word as a tsquery: its tokens in sequence, the last
// as a prefix. The tokens hold only letters and digits, and are quoted
// anyway, so no user input is read as a tsquery operator.
func (w searchWord) tsquery() string {
	ts := tokens(w.text)
	for i, t := range ts {
		ts[i] = "'" + strings.ReplaceAll(t, "'", "''") + "'"
	}
	return strings.Join(ts, " <-> ") + ":*"
}

func describeBatch(rs []*slant.Report) string {
	if len(rs) == 1 && rs[0] != nil {
		return rs[0].Article.Describe()
	}
	return fmt.Sprintf("%d articles", len(rs))
}

// UpdateReport replaces the analysis of the stored article id with r's
// (after new models ship): the report and label index rows change, the
// article does not. r must analyse the same text (EINVALID otherwise);
// ENOTFOUND when id is not stored. As in the SQLite store.
func (s *DB) UpdateReport(ctx context.Context, id string, r *slant.Report) error {
	if r == nil {
		return slant.Errorf(slant.EINVALID, "update report %s: nil report", id)
	}
	w, err := prepare(r)
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	defer tx.Rollback(ctx)
	var (
		hash string
		old  []byte
	)
	// FOR UPDATE: two re-analyses of one article apply one after the other.
	err = tx.QueryRow(ctx, `SELECT a.hash, r.json::text FROM articles a JOIN reports r ON r.article_id = a.id
		WHERE a.id = $1 FOR UPDATE OF r`, id).Scan(&hash, &old)
	if errors.Is(err, pgx.ErrNoRows) {
		return slant.Errorf(slant.ENOTFOUND, "no stored article %q", id)
	}
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if w.hash != hash {
		return slant.Errorf(slant.EINVALID, "update report %s: the report is of another text", id)
	}
	var prev slant.Report
	if err := json.Unmarshal(old, &prev); err != nil {
		return fmt.Errorf("update report %s: decode stored report: %w", id, err)
	}
	// The article as first stored stays the article.
	rep := *r
	rep.Article = prev.Article
	js, err := json.Marshal(&rep)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "update report %s: encode report: %v", id, err)
	}
	b := &pgx.Batch{}
	b.Queue("DELETE FROM article_techniques WHERE article_id = $1", id)
	b.Queue("DELETE FROM article_narratives WHERE article_id = $1", id)
	b.Queue("UPDATE reports SET json = $2::json WHERE article_id = $1", id, string(js))
	b.Queue(`INSERT INTO article_techniques (article_id, technique, count)
		SELECT $1, t.name, t.n FROM unnest($2::text[], $3::int[]) AS t(name, n)`, id, w.techs, w.counts)
	b.Queue(`INSERT INTO article_narratives (article_id, narrative, subnarrative, score)
		SELECT $1, n.a, n.b, n.s FROM unnest($2::text[], $3::text[], $4::float8[]) AS n(a, b, s)`, id, w.narrs, w.subs, w.scores)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	return nil
}
