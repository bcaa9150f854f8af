package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/postgres/pgtest"
	"github.com/slant-news/slant/storetest"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	s, err := Open(context.Background(), pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// batcher adapts PutReports to the suite's batch interface.
type batcher struct{ s *DB }

func (b batcher) PutReports(ctx context.Context, rs []*slant.Report) ([]storetest.Put, error) {
	puts, err := b.s.PutReports(ctx, rs)
	out := make([]storetest.Put, len(puts))
	for i, p := range puts {
		out[i] = storetest.Put{ID: p.ID, Created: p.Created}
	}
	return out, err
}

// TestStoreConformance runs the suite the SQLite store passes too.
func TestStoreConformance(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, func(t *testing.T) slant.Store { return openTest(t) },
		func(s slant.Store) storetest.Batcher { return batcher{s.(*DB)} })
}

func TestIDClash(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	r := storetest.Article{Title: "Clash", Body: "x"}.Report()
	hash := slant.TextHash(r.Article.Text)
	// Plant another text whose id is this text's 16-digit prefix.
	if _, err := s.pool.Exec(ctx, `INSERT INTO articles (id, hash, ingested, version, bytes, text)
		VALUES ($1, 'other-hash', now(), 1, 0, '')`, hash[:idLen]); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		id, created, err := s.PutReport(ctx, r)
		if err != nil || id != hash[:idLen+4] {
			t.Fatalf("PutReport on a clashing id = %q, %v, %v; want %q", id, created, err, hash[:idLen+4])
		}
	}
}

func TestOpenConcurrentMigrates(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DB(t)
	ctx := context.Background()
	// Workers starting together against a new database migrate it once.
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migrations))
	}
	if _, err := s.pool.Exec(ctx, "INSERT INTO slant_schema (version) VALUES ($1)", len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dsn); slant.ErrorCode(err) != slant.EUNSUPPORTED {
		t.Fatalf("Open(newer schema) err = %v, want EUNSUPPORTED", err)
	}
}

func TestLookupResolveEach(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	r := storetest.Article{Title: "Tram", Body: "A tram in Tervola.", Techniques: []string{"Doubt"}}.Report()
	id, _, err := s.PutReport(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.LookupText(ctx, r.Article.Text); err != nil || !found || got != id {
		t.Errorf("LookupText(stored) = %q, %v, %v", got, found, err)
	}
	if _, found, err := s.LookupText(ctx, "never stored"); err != nil || found {
		t.Errorf("LookupText(new) = %v, %v", found, err)
	}
	for _, in := range []string{id, id[:5], strings.ToUpper(id[:7])} {
		if got, err := s.ResolveID(ctx, in); err != nil || got != id {
			t.Errorf("ResolveID(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "zz", "%", "ffffffffffffffff"} {
		if _, err := s.ResolveID(ctx, in); slant.ErrorCode(err) != slant.ENOTFOUND {
			t.Errorf("ResolveID(%q) err = %v, want ENOTFOUND", in, err)
		}
	}
	n := 0
	err = s.EachReport(ctx, slant.ArticleFilter{Query: "tervola"}, func(a slant.StoredArticle, rep *slant.Report) error {
		n++
		if a.ID != id || rep.Article.Text != r.Article.Text || len(rep.Techniques) != 1 {
			t.Errorf("EachReport gave %+v", a)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Errorf("EachReport: %d reports, %v", n, err)
	}
}

func TestPrepareRejects(t *testing.T) {
	t.Parallel()
	nan := storetest.Article{Title: "x", Body: "y", Techniques: []string{"Doubt"}}.Report()
	nan.Techniques[0].Score = math.NaN()
	nul := storetest.Article{Title: "x", Body: "a\x00b"}.Report()
	for name, r := range map[string]*slant.Report{"nil": nil, "NaN score": nan, "NUL byte": nul} {
		if _, err := prepare(r); slant.ErrorCode(err) != slant.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
		}
	}
}

func TestSearchWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // tsquery of prefix words, plain text otherwise
	}{
		{"tram line", []string{"tram", "line"}},
		{"Kilo*", []string{"'kilo':*"}},
		{"café-li*", []string{"'café' <-> 'li':*"}},
		{`it's*`, []string{"'it' <-> 's':*"}},
		{"*** -- ... \x00", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, w := range searchWords(tt.in) {
			if w.prefix {
				got = append(got, w.tsquery())
			} else {
				got = append(got, w.text)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("searchWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzArticlesQuery checks that no search a user types is an SQL or
// tsquery error: it runs, or is refused as having no words.
func FuzzArticlesQuery(f *testing.F) {
	for _, q := range []string{"tram", `"`, "a OR b", "a & b", "x*", "!a", "(", "a:*", "'", `\`, "é*", "a <-> b", "\x00"} {
		f.Add(q)
	}
	dsn := pgtest.DB(f)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.PutReport(context.Background(), storetest.Article{Title: "Tram news", Body: "A tram in Tervola."}.Report()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, err := s.Articles(context.Background(), slant.ArticleFilter{Query: q})
		if err != nil && slant.ErrorCode(err) != slant.EINVALID {
			t.Fatalf("Articles(Query: %q): %v", q, err)
		}
		if err != nil && len(searchWords(q)) > 0 {
			t.Fatalf("Articles(Query: %q) refused a query with words: %v", q, err)
		}
	})
}

func TestUpdateReport(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	a := storetest.Article{Title: "Dam", Body: "The dam holds.", URL: "https://d.example/dam", Techniques: []string{"Doubt"}}
	id, _, err := s.PutReport(ctx, a.Report())
	if err != nil {
		t.Fatal(err)
	}
	b := a
	b.URL, b.Techniques, b.Narratives = "https://elsewhere.example/", []string{"Flag_Waving"}, [][2]string{{"N", "N: S"}}
	if err := s.UpdateReport(ctx, id, b.Report()); err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Article.URL != a.URL || len(r.Techniques) != 1 || r.Techniques[0].Technique != "Flag_Waving" {
		t.Errorf("updated report: url %s techniques %+v; want the first article with the new analysis", r.Article.URL, r.Techniques)
	}
	for f, want := range map[string]int{"Doubt": 0, "Flag_Waving": 1} {
		if got, _ := s.Articles(ctx, slant.ArticleFilter{Technique: f}); len(got) != want {
			t.Errorf("technique %s after update: %d articles, want %d", f, len(got), want)
		}
	}
	if got, _ := s.Articles(ctx, slant.ArticleFilter{Narrative: "n: s"}); len(got) != 1 {
		t.Errorf("narrative after update: %d articles, want 1", len(got))
	}
	other := storetest.Article{Title: "Other", Body: "text"}.Report()
	if err := s.UpdateReport(ctx, id, other); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("update with another text: err = %v, want EINVALID", err)
	}
	if err := s.UpdateReport(ctx, "0000000000000000", b.Report()); slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Errorf("update of a missing id: err = %v, want ENOTFOUND", err)
	}
}
