// Package storetest is the conformance suite every slant.Store backend must
// pass: the embedded SQLite store and the PostgreSQL store run the same
// tests, so that switching --db between them changes where articles live,
// not what slant does with them.
//
// The suite talks to a store only through slant.Store (and, when the store
// has it, the optional batch method PutReports), so it checks behaviour a
// user can see: ids, dedup, versions, filters, search and concurrency.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slant-news/slant"
)

// Batcher is the optional batch write of a store: it behaves exactly like
// calling PutReport on each report in order, in one transaction.
type Batcher interface {
	PutReports(ctx context.Context, rs []*slant.Report) ([]Put, error)
}

// Put is the outcome of one report of a batch, as PutReport would return it.
type Put struct {
	ID      string
	Created bool
}

// Open opens a fresh, empty store for one test. It registers the store's
// cleanup (Close, dropping a throw-away database) with t.Cleanup itself.
type Open func(t *testing.T) slant.Store

// Run runs the whole suite against the stores open makes. batch, when not
// nil, adapts the store's batch write so the suite can check it too.
func Run(t *testing.T, open Open, batch func(slant.Store) Batcher) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s slant.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"Dedup", testDedup},
		{"Versions", testVersions},
		{"Filters", testFilters},
		{"QueryWithoutWords", testQueryWithoutWords},
		{"ConcurrentSameArticle", testConcurrentSame},
		{"ConcurrentVersions", testConcurrentVersions},
		{"CancelledPutLeavesNothing", testCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
	if batch != nil {
		t.Run("Batch", func(t *testing.T) {
			t.Parallel()
			s := open(t)
			testBatch(t, s, batch(s))
		})
	}
}

// Article is a short invented article for the tests.
type Article struct {
	Title, Body, URL, Outlet, Source string
	Published                        time.Time
	Techniques                       []string // one span each
	ParaTechniques                   []string // paragraph labels only
	Narratives                       [][2]string
}

// Report builds the report of a, with segmentation and annotations whose
// offsets point into its text.
func (a Article) Report() *slant.Report {
	text := a.Title + "\n\n" + a.Body + "\n"
	r := &slant.Report{Article: slant.Article{
		ID: "input-id", Title: a.Title, TitleSpan: slant.Span{Start: 0, End: len(a.Title)},
		Text: text, URL: a.URL, Outlet: a.Outlet, Source: a.Source, Published: a.Published,
		Byline: "Staff reporter",
	}}
	body := slant.Span{Start: len(a.Title) + 2, End: len(text) - 1}
	r.Paragraphs = []slant.Span{{Start: 0, End: len(a.Title)}, {Start: len(a.Title) + 1, End: len(a.Title) + 1}, body}
	r.Sentences = []slant.Span{{Start: 0, End: len(a.Title)}, body}
	for _, t := range a.Techniques {
		r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: body, Technique: t, Score: 0.8})
	}
	if len(a.ParaTechniques) > 0 {
		r.ParagraphLabels = append(r.ParagraphLabels, slant.ParagraphLabels{Span: body, Paragraph: 3, Techniques: a.ParaTechniques})
	}
	for _, n := range a.Narratives {
		r.Narratives = append(r.Narratives, slant.Narrative{Narrative: n[0], Subnarrative: n[1], Score: 0.7, Evidence: []slant.Span{body}})
	}
	r.Genre = &slant.Label{Label: "reporting", Score: 0.9}
	r.Analyzers = []string{"techniques", "narratives", "genre"}
	r.FillCodePoints()
	return r
}

func put(t *testing.T, s slant.Store, r *slant.Report) (string, bool) {
	t.Helper()
	id, created, err := s.PutReport(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return id, created
}

// all lists every stored article.
func all(t *testing.T, s slant.Store) []slant.StoredArticle {
	t.Helper()
	list, err := s.Articles(context.Background(), slant.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func testRoundTrip(t *testing.T, s slant.Store) {
	ctx := context.Background()
	in := Article{
		Title: "Harbour “bridge” vote — delayed again 🚧", Body: "The council of Vellmar said the vote was off.",
		URL: "https://news.example/vellmar/bridge", Outlet: "news.example",
		Published:  time.Date(2026, 2, 27, 8, 30, 0, 0, time.UTC),
		Techniques: []string{"Loaded_Language", "Loaded_Language", "Doubt"},
		Narratives: [][2]string{{"URW: Blaming the war on others", "URW: Blaming the war on others: Other"}},
	}.Report()
	before := time.Now().Add(-time.Second)
	id, created := put(t, s, in)
	after := time.Now().Add(time.Second)
	if !created || len(id) != 16 || !strings.HasPrefix(slant.TextHash(in.Article.Text), id) {
		t.Fatalf("PutReport = %q, %v; want a new 16-digit id that prefixes the text hash", id, created)
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
	list := all(t, s)
	if len(list) != 1 {
		t.Fatalf("Articles = %d, want 1", len(list))
	}
	sa := list[0]
	if sa.ID != id || sa.Hash != slant.TextHash(in.Article.Text) || sa.Title != in.Article.Title || sa.Outlet != "news.example" ||
		sa.URL != in.Article.URL || !sa.Published.Equal(in.Article.Published) || sa.Published.Location() != time.UTC ||
		sa.Version != 1 || sa.Bytes != len(in.Article.Text) {
		t.Errorf("Articles()[0] = %+v", sa)
	}
	if sa.Ingested.Before(before) || sa.Ingested.After(after) || sa.Ingested.Location() != time.UTC {
		t.Errorf("Ingested = %v, want a UTC time between %v and %v", sa.Ingested, before, after)
	}
}

func testNotFound(t *testing.T, s slant.Store) {
	_, err := s.Report(context.Background(), "0123456789abcdef")
	if slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Fatalf("Report(missing) error = %v (code %q), want %s", err, slant.ErrorCode(err), slant.ENOTFOUND)
	}
}

func testDedup(t *testing.T, s slant.Store) {
	a := Article{Title: "Ferry strike ends", Body: "Crews at Port Oskar returned on Monday.", URL: "https://a.example/ferry",
		Techniques: []string{"Doubt"}}
	id1, c1 := put(t, s, a.Report())
	// The same text from another outlet and URL, analysed differently,
	// is still the same content: no new row, same id, first report kept.
	b := a
	b.URL, b.Outlet, b.Source, b.Techniques = "https://b.example/copy", "b.example", "copy.txt", []string{"Flag_Waving"}
	id2, c2 := put(t, s, b.Report())
	if !c1 || c2 || id1 != id2 {
		t.Fatalf("put twice = (%s,%v), (%s,%v); want same id, created then not", id1, c1, id2, c2)
	}
	if n := len(all(t, s)); n != 1 {
		t.Fatalf("%d articles stored, want 1", n)
	}
	r, err := s.Report(context.Background(), id1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Article.URL != a.URL || len(r.Techniques) != 1 || r.Techniques[0].Technique != "Doubt" {
		t.Errorf("stored report after a duplicate = %s %+v; want the first one kept", r.Article.URL, r.Techniques)
	}
	for _, tech := range []string{"Flag_Waving", "Doubt"} {
		got, err := s.Articles(context.Background(), slant.ArticleFilter{Technique: tech})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"Doubt": 1}[tech]; len(got) != want {
			t.Errorf("technique %s after a duplicate: %d articles, want %d", tech, len(got), want)
		}
	}
}

func testVersions(t *testing.T, s slant.Store) {
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
		id, _ := put(t, s, Article{Title: "Dam report", Body: st.body, URL: st.url, Source: st.source}.Report())
		v := -1
		for _, a := range all(t, s) {
			if a.ID == id {
				v = a.Version
			}
		}
		if v != st.wantVersion {
			t.Errorf("%s: version %d, want %d", st.name, v, st.wantVersion)
		}
	}
}

func testFilters(t *testing.T, s slant.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 1, d, 9, 0, 0, 0, time.UTC) }
	fixtures := []Article{
		{Title: "Mayor of Tervola opens the new tram line", Body: "Residents cheered as the first tram left.",
			Outlet: "north.example", Published: day(3), Techniques: []string{"Flag_Waving"},
			Narratives: [][2]string{{"CC: Praise of climate action", ""}}},
		{Title: "Tram fiasco: Tervola wastes millions", Body: "Critics call the café-lined route a disaster.",
			Outlet: "south.example", Published: day(5), Techniques: []string{"Loaded_Language", "Exaggeration-Minimisation"},
			Narratives: [][2]string{{"CC: Criticism of climate policies", "CC: Criticism of climate policies: Climate policies are only for profit"}}},
		{Title: "Tervola tram: what we know", Body: "The line runs nine kilometres.",
			Outlet: "North.Example", Published: day(7), ParaTechniques: []string{"Doubt"}},
		// Undated: it sorts by its ingest time (now), so it comes first.
		{Title: "Undated wire copy about trams", Body: "No date was given.", Outlet: "wire.example"},
	}
	ids := map[string]string{}
	for i, a := range fixtures {
		id, _ := put(t, s, a.Report())
		ids[id] = fmt.Sprint(i)
	}
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
		{"query accented word", slant.ArticleFilter{Query: "Café"}, "1"},
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
		{"sql in a query is words", slant.ArticleFilter{Query: `'); DROP TABLE articles; --`}, ""},
	}
	for _, tt := range tests {
		got, err := s.Articles(ctx, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var order string
		for _, a := range got {
			order += ids[a.ID]
		}
		if order != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, order, tt.want)
		}
	}
	if n := len(all(t, s)); n != len(fixtures) {
		t.Errorf("%d articles after the queries, want %d", n, len(fixtures))
	}
}

func testQueryWithoutWords(t *testing.T, s slant.Store) {
	put(t, s, Article{Title: "Tram news", Body: "A tram in Tervola."}.Report())
	for _, q := range []string{`"*" --`, "***", "( )"} {
		if _, err := s.Articles(context.Background(), slant.ArticleFilter{Query: q}); slant.ErrorCode(err) != slant.EINVALID {
			t.Errorf("query %q without words: err = %v, want EINVALID", q, err)
		}
	}
}

// testConcurrentSame stores one article from many goroutines at once, as
// redelivered queue messages on several workers do: it must be stored once,
// and exactly one writer is told it created it.
func testConcurrentSame(t *testing.T, s slant.Store) {
	const n = 16
	r := Article{Title: "Wire", Body: "One story, many writers.", URL: "https://wire.example/one",
		Techniques: []string{"Doubt"}}.Report()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ids     = map[string]int{}
		created int
		errs    []error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, c, err := s.PutReport(context.Background(), r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			ids[id]++
			if c {
				created++
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		t.Fatal(err)
	}
	if len(ids) != 1 || created != 1 {
		t.Fatalf("%d writers: ids %v, created %d times; want one id, created once", n, ids, created)
	}
	list := all(t, s)
	if len(list) != 1 || list[0].Version != 1 {
		t.Fatalf("stored %+v, want one article at version 1", list)
	}
	got, err := s.Articles(context.Background(), slant.ArticleFilter{Technique: "Doubt"})
	if err != nil || len(got) != 1 {
		t.Fatalf("technique index after concurrent writes: %d, %v; want 1", len(got), err)
	}
}

// testConcurrentVersions stores different texts of the same URLs from many
// goroutines: each URL must get versions 1..k exactly once each.
func testConcurrentVersions(t *testing.T, s slant.Store) {
	const writers, per, urls = 4, 12, 3
	var wg sync.WaitGroup
	errs := make(chan error, writers*per)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				r := Article{Title: "Wire", Body: fmt.Sprint("item ", w, "-", i), URL: fmt.Sprint("https://wire.example/", i%urls)}.Report()
				if _, _, err := s.PutReport(context.Background(), r); err != nil {
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
	list := all(t, s)
	if len(list) != writers*per {
		t.Fatalf("%d articles, want %d", len(list), writers*per)
	}
	versions := map[string]map[int]bool{}
	for _, a := range list {
		if versions[a.URL] == nil {
			versions[a.URL] = map[int]bool{}
		}
		if versions[a.URL][a.Version] {
			t.Errorf("%s: version %d stored twice", a.URL, a.Version)
		}
		versions[a.URL][a.Version] = true
	}
	for u, vs := range versions {
		for v := 1; v <= writers*per/urls; v++ {
			if !vs[v] {
				t.Errorf("%s: version %d missing (have %v)", u, v, vs)
			}
		}
	}
}

func testCancelled(t *testing.T, s slant.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.PutReport(ctx, Article{Title: "x", Body: "y"}.Report()); err == nil {
		t.Fatal("PutReport with a cancelled context succeeded")
	}
	if n := len(all(t, s)); n != 0 {
		t.Fatalf("%d articles after a cancelled put", n)
	}
}

// testBatch checks that a batch write is PutReport on each report in
// order: new, duplicate within the batch, already stored, and versions.
func testBatch(t *testing.T, s slant.Store, b Batcher) {
	ctx := context.Background()
	first := Article{Title: "Bridge", Body: "v1", URL: "https://b.example/bridge", Techniques: []string{"Doubt"}}
	id0, _ := put(t, s, first.Report())
	rs := []*slant.Report{
		Article{Title: "Bridge", Body: "v2", URL: "https://b.example/bridge"}.Report(),
		Article{Title: "Dam", Body: "dam", URL: "https://b.example/dam", Narratives: [][2]string{{"N", "N: S"}}}.Report(),
		Article{Title: "Dam", Body: "dam", URL: "https://b.example/dam-copy"}.Report(), // same text as the last
		first.Report(), // stored before the batch
		Article{Title: "Bridge", Body: "v3", URL: "https://www.b.example/bridge/"}.Report(),
	}
	puts, err := b.PutReports(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(puts) != len(rs) {
		t.Fatalf("PutReports returned %d results for %d reports", len(puts), len(rs))
	}
	wantCreated := []bool{true, true, false, false, true}
	for i, p := range puts {
		if p.Created != wantCreated[i] || !strings.HasPrefix(slant.TextHash(rs[i].Article.Text), p.ID) {
			t.Errorf("batch item %d = %+v, want created=%v and an id from its hash", i, p, wantCreated[i])
		}
	}
	if puts[2].ID != puts[1].ID || puts[3].ID != id0 {
		t.Errorf("duplicate ids in batch: %+v, first stored %s", puts, id0)
	}
	versions := map[string]int{}
	for _, a := range all(t, s) {
		versions[a.ID] = a.Version
	}
	if versions[id0] != 1 || versions[puts[0].ID] != 2 || versions[puts[4].ID] != 3 || versions[puts[1].ID] != 1 || len(versions) != 4 {
		t.Errorf("versions after batch = %v", versions)
	}
	r, err := s.Report(ctx, puts[1].ID)
	if err != nil || len(r.Narratives) != 1 || r.Article.URL != "https://b.example/dam" {
		t.Errorf("batch report = %+v, %v", r, err)
	}
	got, err := s.Articles(ctx, slant.ArticleFilter{Narrative: "N: S"})
	if err != nil || len(got) != 1 {
		t.Errorf("narrative index after batch: %d, %v", len(got), err)
	}
	// The same batch again (a retried job) changes nothing.
	again, err := b.PutReports(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range again {
		if p.Created || p.ID != puts[i].ID {
			t.Errorf("retried batch item %d = %+v, want %s not created", i, p, puts[i].ID)
		}
	}
	if n := len(all(t, s)); n != 4 {
		t.Errorf("%d articles after a retried batch, want 4", n)
	}
}
