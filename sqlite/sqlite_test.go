package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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

func TestPutReportRoundTrip(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	in := storetest.Article{
		Title: "Harbour “bridge” vote — delayed again 🚧", Body: "The council of Vellmar said the vote was off.",
		URL: "https://news.example/vellmar/bridge", Outlet: "news.example",
		Published:  time.Date(2026, 2, 27, 8, 30, 0, 0, time.UTC),
		Techniques: []string{"Loaded_Language", "Loaded_Language", "Doubt"},
		Narratives: [][2]string{{"URW: Blaming the war on others", "URW: Blaming the war on others: Other"}},
	}.Report()
	id, created := put(t, s, in)
	if !created || len(id) != idLen || !strings.HasPrefix(slant.TextHash(in.Article.Text), id) {
		t.Fatalf("PutReport = %q, %v; want a new id that prefixes the text hash", id, created)
	}
	got, err := s.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Article.ID = id
	wj, _ := json.Marshal(&want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) {
		t.Fatalf("report round trip differs:\n got %s\nwant %s", gj, wj)
	}
	if in.Article.ID != "input-id" {
		t.Errorf("PutReport changed the caller's report: Article.ID = %q", in.Article.ID)
	}

	list, err := s.Articles(ctx, slant.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("Articles = %d, want 1", len(list))
	}
	sa := list[0]
	if sa.ID != id || sa.Hash != slant.TextHash(in.Article.Text) || sa.Title != in.Article.Title || sa.Outlet != "news.example" ||
		!sa.Published.Equal(in.Article.Published) || !sa.Ingested.Equal(clock) || sa.Version != 1 || sa.Bytes != len(in.Article.Text) {
		t.Errorf("Articles()[0] = %+v", sa)
	}
}

func TestReportNotFound(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	_, err := s.Report(context.Background(), "0123456789abcdef")
	if slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Fatalf("Report(missing) error = %v (code %q), want %s", err, slant.ErrorCode(err), slant.ENOTFOUND)
	}
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

func TestPutReportVersions(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	steps := []struct {
		name        string
		url, source string
		body        string
		wantVersion int
	}{
		{"first", "https://www.news.example/a/b/?utm_source=x", "", "one", 1},
		{"edited, same URL", "http://news.example/a/b#top", "", "two", 2},
		{"edited again, tracking params", "https://NEWS.example/a/b?fbclid=1&utm_medium=y", "", "three", 3},
		{"other URL", "https://news.example/a/c", "", "four", 1},
		{"query is part of the page", "https://news.example/a/b?page=2", "", "five", 1},
		{"file without URL", "", "dir/x.txt", "six", 1},
		{"edited file", "", "dir/x.txt", "seven", 2},
		{"stdin", "", "-", "eight", 1},
		{"stdin again", "", "-", "nine", 1},
		{"unchanged text keeps its version", "https://news.example/a/b", "", "two", 2},
	}
	for _, st := range steps {
		a := storetest.Article{Title: "Dam report", Body: st.body, URL: st.url, Source: st.source}
		id, _ := put(t, s, a.Report())
		r, err := s.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := s.db.QueryRow("SELECT version FROM articles WHERE id = ?", id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != st.wantVersion {
			t.Errorf("%s: version %d, want %d (url %q)", st.name, v, st.wantVersion, r.Article.URL)
		}
	}
}

func TestArticlesFilter(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 1, d, 9, 0, 0, 0, time.UTC) }
	fixtures := []storetest.Article{
		{Title: "Mayor of Tervola opens the new tram line", Body: "Residents cheered as the first tram left.",
			Outlet: "north.example", Published: day(3), Techniques: []string{"Flag_Waving"},
			Narratives: [][2]string{{"CC: Praise of climate action", ""}}},
		{Title: "Tram fiasco: Tervola wastes millions", Body: "Critics call the café-lined route a disaster.",
			Outlet: "south.example", Published: day(5), Techniques: []string{"Loaded_Language", "Exaggeration-Minimisation"},
			Narratives: [][2]string{{"CC: Criticism of climate policies", "CC: Criticism of climate policies: Climate policies are only for profit"}}},
		{Title: "Tervola tram: what we know", Body: "The line runs nine kilometres.",
			Outlet: "North.Example", Published: day(7), ParaTechniques: []string{"Doubt"}},
		{Title: "Undated wire copy about trams", Body: "No date was given.", Outlet: "wire.example"},
	}
	ids := map[string]string{}
	for i, a := range fixtures {
		id, _ := put(t, s, a.Report())
		ids[fmt.Sprint(i)] = id
	}
	// The undated article sorts by its ingest time (clock, in March),
	// so it comes first.
	tests := []struct {
		name string
		f    slant.ArticleFilter
		want string // fixture indexes in order
	}{
		{"all newest first", slant.ArticleFilter{}, "3210"},
		{"outlet ignores case", slant.ArticleFilter{Outlet: "NORTH.example"}, "20"},
		{"query whole words", slant.ArticleFilter{Query: "tram"}, "210"},
		{"query prefix matches plural", slant.ArticleFilter{Query: "TRAM*"}, "3210"},
		{"query all words", slant.ArticleFilter{Query: "Tervola millions"}, "1"},
		{"query diacritics", slant.ArticleFilter{Query: "cafe"}, "1"},
		{"query prefix", slant.ArticleFilter{Query: "kilo*"}, "2"},
		{"query title word", slant.ArticleFilter{Query: "fiasco"}, "1"},
		{"query no match", slant.ArticleFilter{Query: "submarine"}, ""},
		{"since inclusive", slant.ArticleFilter{Since: day(5)}, "321"},
		{"until exclusive", slant.ArticleFilter{Until: day(5)}, "0"},
		{"range", slant.ArticleFilter{Since: day(4), Until: day(8)}, "21"},
		{"technique span", slant.ArticleFilter{Technique: "loaded_language"}, "1"},
		{"technique from paragraph labels", slant.ArticleFilter{Technique: "Doubt"}, "2"},
		{"narrative", slant.ArticleFilter{Narrative: "CC: Criticism of climate policies"}, "1"},
		{"subnarrative", slant.ArticleFilter{Narrative: "CC: Criticism of climate policies: Climate policies are only for profit"}, "1"},
		{"combined", slant.ArticleFilter{Outlet: "north.example", Query: "tram", Technique: "Flag_Waving"}, "0"},
		{"limit", slant.ArticleFilter{Limit: 2}, "32"},
		{"offset", slant.ArticleFilter{Limit: 2, Offset: 1}, "21"},
		{"offset without limit", slant.ArticleFilter{Offset: 3}, "0"},
		{"hostile query is words", slant.ArticleFilter{Query: `tram" OR title:* NEAR(`}, ""},
	}
	for _, tt := range tests {
		got, err := s.Articles(ctx, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var order string
		for _, a := range got {
			for k, id := range ids {
				if id == a.ID {
					order += k
				}
			}
		}
		if order != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, order, tt.want)
		}
		// EachReport selects the same articles in the same order, each
		// with its whole report.
		i := 0
		err = s.EachReport(ctx, tt.f, func(a slant.StoredArticle, r *slant.Report) error {
			if i >= len(got) || a != got[i] || r.Article.ID != a.ID || slant.TextHash(r.Article.Text) != a.Hash || r.Genre == nil {
				t.Errorf("%s: EachReport item %d = %+v, want %+v with its report", tt.name, i, a, got)
			}
			i++
			return nil
		})
		if err != nil || i != len(got) {
			t.Errorf("%s: EachReport gave %d articles, %v; want %d", tt.name, i, err, len(got))
		}
	}
	stop := errors.New("stop")
	calls := 0
	if err := s.EachReport(ctx, slant.ArticleFilter{}, func(slant.StoredArticle, *slant.Report) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("EachReport with a failing fn: err %v after %d calls, want stop after 1", err, calls)
	}
	if _, err := s.Articles(ctx, slant.ArticleFilter{Query: `"*" --`}); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("query without words: err = %v, want EINVALID", err)
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
