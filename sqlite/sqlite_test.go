package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/storetest"
)

// clock is the fixed ingest time of test stores.
var clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB) *DB {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "slant.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return clock }
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t testing.TB, s *DB, r *slant.Report) (string, bool) {
	t.Helper()
	id, created, err := s.PutReport(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return id, created
}

func TestPutReportDedup(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := storetest.Article{Title: "Ferry strike ends", Body: "Crews at Port Oskar returned on Monday.", URL: "https://a.example/ferry"}
	id1, c1 := put(t, s, a.Report())
	// The same text from another outlet and URL is still the same
	// content: no new row, same id.
	b := a
	b.URL, b.Outlet, b.Source = "https://b.example/copy", "b.example", "copy.txt"
	id2, c2 := put(t, s, b.Report())
	if !c1 || c2 || id1 != id2 {
		t.Fatalf("put twice = (%s,%v), (%s,%v); want same id, created then not", id1, c1, id2, c2)
	}
	if id, found, err := s.LookupText(context.Background(), b.Report().Article.Text); err != nil || !found || id != id1 {
		t.Fatalf("LookupText(stored text) = %q, %v, %v; want %q", id, found, err, id1)
	}
	if _, found, err := s.LookupText(context.Background(), "never stored"); err != nil || found {
		t.Fatalf("LookupText(new text) = %v, %v; want not found", found, err)
	}
	n := count(t, s, "SELECT count(*) FROM articles")
	if n != 1 {
		t.Fatalf("%d articles stored, want 1", n)
	}
	if n := count(t, s, "SELECT count(*) FROM article_techniques"); n != 0 {
		t.Fatalf("%d technique rows for an article with none", n)
	}
}

func TestFTSQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"tram line", `"tram" "line"`},
		{"kilo*", `"kilo"*`},
		{`say "hi"`, `"say" """hi"""`},
		{"OR NEAR", `"OR" "NEAR"`},
		{"*** -- ...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FTSQuery(tt.in); got != tt.want {
			t.Errorf("FTSQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzArticlesQuery checks that no search string a user types is an SQL or
// FTS5 error: it either runs or is rejected as having no words.
func FuzzArticlesQuery(f *testing.F) {
	for _, s := range []string{"tram", `"`, "a OR b", "title:x", "NEAR(a b)", "x*", "^a", "(", "-a", "é*", "a AND", "\x00"} {
		f.Add(s)
	}
	s := openTest(f)
	put(f, s, storetest.Article{Title: "Tram news", Body: "A tram in Tervola."}.Report())
	f.Fuzz(func(t *testing.T, q string) {
		_, err := s.Articles(context.Background(), slant.ArticleFilter{Query: q})
		if err != nil && slant.ErrorCode(err) != slant.EINVALID {
			t.Fatalf("Articles(Query: %q): %v", q, err)
		}
		if err != nil && FTSQuery(q) != "" {
			t.Fatalf("Articles(Query: %q) rejected a query with words: %v", q, err)
		}
	})
}

func TestResolveID(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	id, _ := put(t, s, storetest.Article{Title: "A", Body: "alpha"}.Report())
	for _, in := range []string{id, id[:6], strings.ToUpper(id[:8])} {
		got, err := s.ResolveID(ctx, in)
		if err != nil || got != id {
			t.Errorf("ResolveID(%q) = %q, %v; want %q", in, got, err, id)
		}
	}
	for _, in := range []string{"", "zz", "%", "ffffffffffffffff"} {
		if got, err := s.ResolveID(ctx, in); slant.ErrorCode(err) != slant.ENOTFOUND {
			t.Errorf("ResolveID(%q) = %q, %v; want ENOTFOUND", in, got, err)
		}
	}
	// Store articles until two ids share a first digit: an ambiguous
	// prefix must be refused, not resolved to either.
	seen := map[byte]string{id[0]: id}
	for i := 0; ; i++ {
		id2, _ := put(t, s, storetest.Article{Title: "B", Body: fmt.Sprint("beta ", i)}.Report())
		if prev, ok := seen[id2[0]]; ok && prev != id2 {
			if _, err := s.ResolveID(ctx, id2[:1]); slant.ErrorCode(err) != slant.EINVALID {
				t.Errorf("ResolveID(ambiguous %q) err = %v, want EINVALID", id2[:1], err)
			}
			break
		}
		seen[id2[0]] = id2
	}
}

func TestIDClash(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	r := storetest.Article{Title: "Clash", Body: "x"}.Report()
	hash := slant.TextHash(r.Article.Text)
	// Plant another article whose id is this text's 16-digit prefix.
	if _, err := s.db.Exec(`INSERT INTO articles (id, hash, ingested, version, bytes, text)
		VALUES (?, 'other-hash', 0, 1, 0, '')`, hash[:idLen]); err != nil {
		t.Fatal(err)
	}
	id, created := put(t, s, r)
	if !created || id != hash[:idLen+4] {
		t.Fatalf("PutReport on a clashing id = %q, %v; want %q", id, created, hash[:idLen+4])
	}
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "shared.db")
	ctx := context.Background()
	// Two handles on one file stand for two slant processes ingesting
	// the same inputs at once.
	var stores []*DB
	for range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				r := storetest.Article{Title: "Wire", Body: fmt.Sprint("item ", i), URL: fmt.Sprint("https://wire.example/", i%10)}.Report()
				if _, _, err := stores[w%2].PutReport(ctx, r); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := stores[0]
	if got := count(t, s, "SELECT count(*) FROM articles"); got != n {
		t.Fatalf("%d articles, want %d", got, n)
	}
	// Each URL got 4 texts, so versions 1..4 exactly once each.
	if got := count(t, s, "SELECT count(*) FROM (SELECT url_norm FROM articles GROUP BY url_norm HAVING max(version) = 4 AND count(DISTINCT version) = 4)"); got != 10 {
		t.Fatalf("%d URLs with versions 1..4, want 10", got)
	}
}

func TestMigrateFromOlderVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// Build a database as the first release left it: schema version 1,
	// no full-text index, no stories.
	raw, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{db: raw, path: path, now: func() time.Time { return clock }}
	if err := old.migrate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	id, _ := put(t, old, storetest.Article{Title: "Old bridge", Body: "Stored before search existed.", URL: "https://x.example/1"}.Report())
	if v, _ := old.SchemaVersion(ctx); v != 1 {
		t.Fatalf("schema version %d, want 1", v)
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("after Open schema version %d, want %d", v, len(migrations))
	}
	// The FTS migration must index what was stored before it.
	got, err := s.Articles(ctx, slant.ArticleFilter{Query: "search"})
	if err != nil || len(got) != 1 || got[0].ID != id {
		t.Fatalf("search after migration = %v, %v; want the old article", got, err)
	}
	// And later writes keep the index in step.
	put(t, s, storetest.Article{Title: "New bridge", Body: "Stored after.", URL: "https://x.example/1"}.Report())
	got, err = s.Articles(ctx, slant.ArticleFilter{Query: "bridge"})
	if err != nil || len(got) != 2 || got[0].Version != 2 {
		t.Fatalf("search after new write = %+v, %v; want 2 versions, newest first", got, err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("INSERT INTO stories (title, pinned) VALUES ('x', 1)"); err != nil {
		t.Fatalf("stories table missing after migration: %v", err)
	}
	// Opening again is a no-op.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "future.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path)
	if slant.ErrorCode(err) != slant.EUNSUPPORTED || !strings.Contains(err.Error(), "upgrade slant") {
		t.Fatalf("Open(newer schema) err = %v, want EUNSUPPORTED asking to upgrade", err)
	}
}

func TestOpenPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	// Missing directories are created; '?', '#' and '%' are file name
	// characters, not URI syntax.
	path := filepath.Join(dir, "a", "b", "we?ird #name%20.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, storetest.Article{Title: "x", Body: "y"}.Report())
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	if _, err := Open(ctx, dir); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("Open(directory) err = %v, want EINVALID", err)
	}
	if _, err := Open(ctx, ""); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("Open(\"\") err = %v, want EINVALID", err)
	}
	// A file that is not a database gives an error, not a panic.
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not sqlite ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, junk); err == nil {
		s.Close()
		t.Errorf("Open(junk file) succeeded")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want string
		err  bool
	}{
		{map[string]string{"SLANT_DB": "/x/s.db", "XDG_DATA_HOME": "/d", "HOME": "/h"}, "/x/s.db", false},
		{map[string]string{"XDG_DATA_HOME": "/d", "HOME": "/h"}, "/d/slant/slant.db", false},
		{map[string]string{"XDG_DATA_HOME": "relative", "HOME": "/h"}, "/h/.local/share/slant/slant.db", false},
		{map[string]string{"HOME": "/h"}, "/h/.local/share/slant/slant.db", false},
		{map[string]string{}, "", true},
	}
	for _, tt := range tests {
		got, err := DefaultPath(func(k string) string { return tt.env[k] })
		if got != filepath.FromSlash(tt.want) || (err != nil) != tt.err {
			t.Errorf("DefaultPath(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}

func TestPutReportUnencodable(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	r := storetest.Article{Title: "x", Body: "y", Techniques: []string{"Doubt"}}.Report()
	r.Techniques[0].Score = math.NaN()
	if _, _, err := s.PutReport(context.Background(), r); slant.ErrorCode(err) != slant.EINVALID {
		t.Fatalf("PutReport with a NaN score: err = %v, want EINVALID", err)
	}
	if n := count(t, s, "SELECT count(*) FROM articles"); n != 0 {
		t.Fatalf("%d articles after a failed put", n)
	}
}

func TestCancelledPutLeavesNothing(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := s.PutReport(ctx, storetest.Article{Title: "x", Body: "y"}.Report())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PutReport(cancelled) err = %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM articles"); n != 0 {
		t.Fatalf("%d articles after a cancelled put", n)
	}
}

func count(t testing.TB, s *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func BenchmarkPutReport(b *testing.B) {
	s := openTest(b)
	body := strings.Repeat("The council of Vellmar met again on Tuesday to discuss the bridge. ", 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := storetest.Article{Title: "Bridge", Body: fmt.Sprint(body, i), URL: fmt.Sprint("https://b.example/", i%100),
			Techniques: []string{"Loaded_Language", "Doubt"}, Narratives: [][2]string{{"N", "N: S"}}}.Report()
		if _, _, err := s.PutReport(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArticlesQuery(b *testing.B) {
	s := openTest(b)
	words := []string{"bridge", "tram", "ferry", "council", "strike", "harbour"}
	for i := range 2000 {
		put(b, s, storetest.Article{Title: words[i%len(words)], Body: fmt.Sprint("item ", i, " ", words[(i/7)%len(words)])}.Report())
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Articles(context.Background(), slant.ArticleFilter{Query: "tram council", Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUpdateReport(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	first := storetest.Article{Title: "Bridge vote", Body: "The vote is a disgrace.", URL: "https://u.example/v", Outlet: "u.example",
		Techniques: []string{"Doubt"}}
	id, _ := put(t, s, first.Report())

	// A later analysis of the same text finds other things; the metadata
	// given with it (another outlet) must not replace the stored one.
	again := first
	again.Outlet, again.Techniques = "other.example", []string{"Loaded_Language", "Loaded_Language"}
	again.Narratives = [][2]string{{"N", "N: S"}}
	if err := s.UpdateReport(ctx, id, again.Report()); err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Techniques) != 2 || r.Techniques[0].Technique != "Loaded_Language" || r.Article.Outlet != "u.example" || r.Article.ID != id {
		t.Errorf("after update: techniques %v, outlet %q, id %q", r.Techniques, r.Article.Outlet, r.Article.ID)
	}
	for _, tt := range []struct {
		f    slant.ArticleFilter
		want int
	}{
		{slant.ArticleFilter{Technique: "Doubt"}, 0},
		{slant.ArticleFilter{Technique: "Loaded_Language"}, 1},
		{slant.ArticleFilter{Narrative: "N: S"}, 1},
	} {
		if got, err := s.Articles(ctx, tt.f); err != nil || len(got) != tt.want {
			t.Errorf("Articles(%+v) after update = %d, %v; want %d", tt.f, len(got), err, tt.want)
		}
	}

	other := storetest.Article{Title: "Other", Body: "text"}.Report()
	if err := s.UpdateReport(ctx, id, other); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("UpdateReport with another text: err = %v, want EINVALID", err)
	}
	if err := s.UpdateReport(ctx, "0000000000000000", other); slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Errorf("UpdateReport of a missing id: err = %v, want ENOTFOUND", err)
	}
}

// TestQueryPlans guards the lookups every ingest makes against falling back
// to a scan of the articles table, which would make ingest slow down as the
// store grows.
func TestQueryPlans(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	tests := []struct{ query, want string }{
		{"SELECT id FROM articles WHERE hash = ?", "USING INDEX"},
		{"SELECT max(version) FROM articles WHERE url_norm = ? AND url_norm <> ''", "USING COVERING INDEX articles_version"},
		{"SELECT 1 FROM articles WHERE id = ?", "USING COVERING INDEX"},
		{"SELECT r.json, a.text FROM articles a JOIN reports r ON r.article_id = a.id WHERE a.id = ?", "USING INDEX"},
	}
	for _, tt := range tests {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+tt.query, "x")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(plan[0], tt.want) {
			t.Errorf("%s: plan %q, want %q", tt.query, plan, tt.want)
		}
	}
}

// TestOpenWhileWriting checks that opening a current store does not wait
// for another process's write transaction (slant list during an ingest).
func TestOpenWhileWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	writer := openTest(t)
	tx, err := writer.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO stories (title) VALUES ('in progress')"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	reader, err := Open(ctx, writer.Path())
	if err != nil {
		t.Fatalf("Open during a write transaction: %v", err)
	}
	defer reader.Close()
	if _, err := reader.Articles(ctx, slant.ArticleFilter{}); err != nil {
		t.Fatalf("Articles during a write transaction: %v", err)
	}
	// The busy timeout is 10 s; an Open that queued for the lock would
	// take that long and then fail.
	if d := time.Since(start); d > busyTimeout/2 {
		t.Errorf("Open and Articles took %v during a write transaction", d)
	}
}

func TestPutReportsInvalidBatchWritesNothing(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	bad := storetest.Article{Title: "bad", Body: "nan", Techniques: []string{"Doubt"}}.Report()
	bad.Techniques[0].Score = math.NaN()
	rs := []*slant.Report{storetest.Article{Title: "ok", Body: "fine"}.Report(), bad, storetest.Article{Title: "ok2", Body: "fine too"}.Report()}
	if _, err := s.PutReports(context.Background(), rs); slant.ErrorCode(err) != slant.EINVALID {
		t.Fatalf("PutReports with an unencodable report: err = %v, want EINVALID", err)
	}
	if _, err := s.PutReports(context.Background(), []*slant.Report{rs[0], nil}); slant.ErrorCode(err) != slant.EINVALID {
		t.Fatalf("PutReports with a nil report: err = %v, want EINVALID", err)
	}
	if n := count(t, s, "SELECT count(*) FROM articles"); n != 0 {
		t.Fatalf("%d articles after refused batches, want 0", n)
	}
}

func BenchmarkPutReports50(b *testing.B) {
	s := openTest(b)
	body := strings.Repeat("The council of Vellmar met again on Tuesday to discuss the bridge. ", 60)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rs := make([]*slant.Report, 50)
		for j := range rs {
			rs[j] = storetest.Article{Title: "Bridge", Body: fmt.Sprint(body, i, "-", j), URL: fmt.Sprint("https://b.example/", j),
				Techniques: []string{"Loaded_Language", "Doubt"}, Narratives: [][2]string{{"N", "N: S"}}}.Report()
		}
		if _, err := s.PutReports(context.Background(), rs); err != nil {
			b.Fatal(err)
		}
	}
}
