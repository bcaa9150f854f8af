package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/sqlite"
)

// fakeSite serves feeds and pages on 127.0.0.1 and counts requests per
// path, remembering the validators the last feed request sent.
type fakeSite struct {
	srv *httptest.Server

	mu       sync.Mutex
	hits     map[string]int
	inm, ims map[string]string // If-None-Match, If-Modified-Since last sent per path
	// ignoreValidators makes the feeds answer 200 even to a matching
	// conditional request, as many servers do.
	ignoreValidators bool
	// healed makes /broken.xml serve the RSS feed.
	healed bool
}

const (
	rssETag     = `"rss-v1"`
	atomLastMod = "Mon, 03 Mar 2025 10:00:00 GMT"
	rssLastMod  = "Mon, 03 Mar 2025 09:00:00 GMT"
)

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	s := &fakeSite{hits: map[string]int{}, inm: map[string]string{}, ims: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *fakeSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *fakeSite) sent(path string) (inm, ims string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inm[path], s.ims[path]
}

func (s *fakeSite) url(path string) string { return s.srv.URL + path }

func (s *fakeSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.inm[r.URL.Path] = r.Header.Get("If-None-Match")
	s.ims[r.URL.Path] = r.Header.Get("If-Modified-Since")
	ignore, healed := s.ignoreValidators, s.healed
	s.mu.Unlock()
	base := s.srv.URL
	switch r.URL.Path {
	case "/rss.xml":
		w.Header().Set("ETag", rssETag)
		w.Header().Set("Last-Modified", rssLastMod)
		if !ignore && r.Header.Get("If-None-Match") == rssETag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, rssFeed, base)
	case "/atom.xml":
		// Last-Modified only: the poller must fall back to
		// If-Modified-Since.
		w.Header().Set("Last-Modified", atomLastMod)
		if !ignore && r.Header.Get("If-Modified-Since") == atomLastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, atomFeed, base)
	case "/broken.xml":
		if healed {
			fmt.Fprintf(w, rssFeed, base)
			return
		}
		http.Error(w, "upstream exploded", http.StatusInternalServerError)
	case "/garbage.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<<<this is <not a feed & never was")
	case "/p/dam":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Karsk dam inspectors find cracks in spillway", damParas))
	case "/p/strike":
		// The page is down: the item's own content must be stored.
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	case "/p/bridge":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Gravemoor bridge reopens to light traffic", bridgeParas))
	default:
		http.NotFound(w, r)
	}
}

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Orna Courier</title><link>%[1]s/</link><description>News</description>
<item><title>Karsk dam inspectors find cracks in spillway</title><link>%[1]s/p/dam?utm_source=rss</link>
<guid>orna-dam-1</guid><pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate>
<description>Inspectors found cracks.</description></item>
<item><title>Dock workers in Port Avis walk out over night shifts</title><link>%[1]s/p/strike</link>
<guid>orna-strike-1</guid><pubDate>Mon, 03 Mar 2025 08:30:00 GMT</pubDate>
<description>&lt;p&gt;About 300 dock workers in Port Avis stopped work at midnight on Sunday, demanding an end to unpaid night shifts.&lt;/p&gt;&lt;p&gt;&#8220;We will stay out until the port authority signs,&#8221; said union steward Pavel Rask.&lt;/p&gt;</description></item>
</channel></rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Dunhallow Ledger</title><link href="%[1]s/"/><id>urn:ledger</id><updated>2025-03-03T10:00:00Z</updated>
<entry><title>Gravemoor bridge reopens to light traffic</title><link href="%[1]s/p/bridge"/>
<id>urn:ledger:bridge</id><updated>2025-03-03T09:00:00Z</updated>
<summary>The bridge reopened.</summary></entry>
</feed>`

var damParas = []string{
	"Engineers inspecting the Karsk dam on the Orna River found three cracks in the concrete spillway on Monday, the Water Authority said in a statement.",
	"The authority said the cracks posed no immediate danger but that the reservoir would be lowered by two metres as a precaution while repairs are planned.",
	"\u201cWe are not taking any chances with a structure of this age,\u201d said chief engineer Marta Ferrand, adding that the dam was last inspected in 2019.",
	"Residents of Bresnik and Lodva downstream were told they did not need to leave their homes, and the regional council opened a telephone line for questions.",
}

var bridgeParas = []string{
	"The Gravemoor bridge reopened to cars and bicycles on Monday after eight months of repairs, though lorries heavier than 7.5 tonnes remain banned.",
	"The Transport Ministry said the repairs cost 14 million crowns, two million more than planned, because corroded cables had to be replaced.",
	"\u201cThis is a relief for everyone who has spent the winter on the ferry,\u201d said shop owner Clara Varga, whose bakery stands at the foot of the bridge.",
	"A full reopening is planned for the summer once the last load tests are done, the ministry said.",
}

func page(title string, paras []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><title>%s</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>%s</h1>", title, title)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString("</article><footer>Contact us</footer></body></html>")
	return b.String()
}

// testPoller returns a poller over feeds with a fresh store and state in
// a temporary directory, allowed to fetch from 127.0.0.1, logging to log.
func testPoller(t *testing.T, dir string, feeds []string, log *bytes.Buffer) (*Poller, *sqlite.DB, *State) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "slant.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	state, err := OpenState(ctx, StatePath(store.Path()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { state.Close() })
	now := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	return &Poller{
		Feeds:   feeds,
		Store:   store,
		State:   state,
		Options: ingest.Options{AllowPrivate: true, Timeout: 10 * time.Second},
		Backoff: NewBackoff(time.Minute, time.Hour, 7),
		Log:     log,
		Now:     func() time.Time { return now },
	}, store, state
}

func TestPollerConditionalGetAndSeen(t *testing.T) {
	t.Parallel()
	site := newFakeSite(t)
	var log bytes.Buffer
	dir := t.TempDir()
	p, store, _ := testPoller(t, dir, []string{site.url("/rss.xml"), site.url("/atom.xml")}, &log)
	var got []Stored
	p.OnStored = func(s Stored) { got = append(got, s) }
	ctx := context.Background()

	s, err := p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Feeds: 2, Items: 3, Stored: 3, FromFeed: 1}
	if s != want {
		t.Fatalf("first round: got %+v, want %+v\nlog:\n%s", s, want, log.String())
	}
	if len(got) != 3 {
		t.Fatalf("OnStored called %d times, want 3", len(got))
	}
	// The page that failed is logged once, and its item is stored from the
	// feed's content.
	if !strings.Contains(log.String(), "/p/strike") || strings.Count(log.String(), "\n") != 1 {
		t.Errorf("want one log line about /p/strike, got:\n%s", log.String())
	}
	for _, st := range got {
		r, err := store.Report(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(st.URL, "/p/strike"):
			if !st.FromFeed || !strings.Contains(r.Article.Text, "unpaid night shifts") || !strings.Contains(r.Article.Text, "Pavel Rask") {
				t.Errorf("fallback article: FromFeed=%v text %q", st.FromFeed, r.Article.Text)
			}
		case strings.Contains(st.URL, "/p/dam"):
			if st.FromFeed || !strings.Contains(r.Article.Text, "three cracks in the concrete spillway") {
				t.Errorf("dam article not from its page: %q", r.Article.Text)
			}
			// The page has no date; the feed's is kept.
			if !r.Article.Published.Equal(time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("dam article published %v, want the feed's date", r.Article.Published)
			}
		}
	}

	// Second round: both feeds send their validators and get 304; no page
	// is fetched again.
	log.Reset()
	s, err = p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 2, NotModified: 2}); s != want {
		t.Fatalf("second round: got %+v, want %+v", s, want)
	}
	if inm, _ := site.sent("/rss.xml"); inm != rssETag {
		t.Errorf("rss If-None-Match = %q, want %q", inm, rssETag)
	}
	if _, ims := site.sent("/atom.xml"); ims != atomLastMod {
		t.Errorf("atom If-Modified-Since = %q, want %q", ims, atomLastMod)
	}
	for path, n := range map[string]int{"/rss.xml": 2, "/atom.xml": 2, "/p/dam": 1, "/p/strike": 1, "/p/bridge": 1} {
		if c := site.count(path); c != n {
			t.Errorf("%s requested %d times, want %d", path, c, n)
		}
	}

	// A server that ignores validators sends the whole feed again; the
	// items are known (by normalised link and GUID) and their pages are
	// not fetched.
	site.mu.Lock()
	site.ignoreValidators = true
	site.mu.Unlock()
	s, err = p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 2, Items: 3, Seen: 3}); s != want {
		t.Fatalf("third round: got %+v, want %+v", s, want)
	}
	if c := site.count("/p/dam") + site.count("/p/strike") + site.count("/p/bridge"); c != 3 {
		t.Errorf("pages fetched %d times in all, want 3", c)
	}
	if l, err := store.Articles(ctx, slant.ArticleFilter{}); err != nil || len(l) != 3 {
		t.Errorf("store holds %d articles (err %v), want 3", len(l), err)
	}
}

func TestPollerStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	site := newFakeSite(t)
	dir := t.TempDir()
	ctx := context.Background()
	var log bytes.Buffer
	p, store, state := testPoller(t, dir, []string{site.url("/rss.xml")}, &log)
	if _, err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	state.Close()
	store.Close()

	// A new process: same files, a new poller.
	p2, _, _ := testPoller(t, dir, []string{site.url("/rss.xml")}, &log)
	s, err := p2.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 1, NotModified: 1}); s != want {
		t.Fatalf("after restart: got %+v, want %+v", s, want)
	}
	if c := site.count("/p/dam"); c != 1 {
		t.Errorf("/p/dam fetched %d times, want 1", c)
	}
}

func TestPollerBrokenFeedsDoNotStopOthers(t *testing.T) {
	t.Parallel()
	site := newFakeSite(t)
	var log bytes.Buffer
	feeds := []string{site.url("/broken.xml"), site.url("/garbage.xml"), site.url("/gone.xml"),
		filepath.Join("testdata", "missing.rss"), site.url("/atom.xml")}
	p, _, state := testPoller(t, t.TempDir(), feeds, &log)
	ctx := context.Background()
	s, err := p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 5, Failed: 4, Items: 1, Stored: 1}); s != want {
		t.Fatalf("got %+v, want %+v\nlog:\n%s", s, want, log.String())
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("want one log line per broken feed, got:\n%s", log.String())
	}
	for i, want := range []string{"HTTP 500", "invalid feed", "HTTP 404", "missing.rss"} {
		if !strings.Contains(lines[i], want) || !strings.HasPrefix(lines[i], "feeds: skipped feed ") {
			t.Errorf("log line %d = %q, want it to mention %q", i, lines[i], want)
		}
	}
	st, err := state.Feed(ctx, site.url("/broken.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Failures != 1 || st.NextTry.IsZero() || !strings.Contains(st.LastError, "500") {
		t.Errorf("broken feed state = %+v", st)
	}
	// At the same instant the broken feeds are backing off: only the good
	// one is polled (and answers 304).
	s, err = p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 1, NotModified: 1, Waiting: 4}); s != want {
		t.Fatalf("second round: got %+v, want %+v", s, want)
	}
	if c := site.count("/broken.xml"); c != 1 {
		t.Errorf("broken feed requested %d times while backing off, want 1", c)
	}
}

func TestPollerFailuresGrowBackoff(t *testing.T) {
	t.Parallel()
	site := newFakeSite(t)
	var log bytes.Buffer
	p, _, state := testPoller(t, t.TempDir(), []string{site.url("/broken.xml")}, &log)
	ctx := context.Background()
	now := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	p.Now = func() time.Time { return now }
	ref := NewBackoff(time.Minute, time.Hour, 7) // the same seed as the poller's
	for n := 1; n <= 8; n++ {
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
		st, err := state.Feed(ctx, site.url("/broken.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantDelay := ref.Delay(n).Truncate(time.Second)
		if st.Failures != n || st.NextTry.Sub(now) != wantDelay {
			t.Fatalf("failure %d: state %+v, want next try %s later", n, st, wantDelay)
		}
		now = st.NextTry // the clock moves to when the feed is due
	}
	// A success resets the count and the wait.
	site.mu.Lock()
	site.healed = true
	site.mu.Unlock()
	if _, err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := state.Feed(ctx, site.url("/broken.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Failures != 0 || !st.NextTry.IsZero() || st.LastError != "" {
		t.Errorf("after a success: %+v", st)
	}
}

func TestPollerRefusesPrivateAddressByDefault(t *testing.T) {
	t.Parallel()
	site := newFakeSite(t)
	var log bytes.Buffer
	p, _, _ := testPoller(t, t.TempDir(), []string{site.url("/rss.xml")}, &log)
	p.Options.AllowPrivate = false
	s, err := p.PollOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Failed != 1 || s.Stored != 0 || !strings.Contains(log.String(), "--allow-private") {
		t.Fatalf("stats %+v, log %q: want the feed refused with a hint", s, log.String())
	}
	if c := site.count("/rss.xml"); c != 0 {
		t.Errorf("the server got %d requests, want none", c)
	}
}

func TestPollerLocalFeedFile(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	p, store, _ := testPoller(t, t.TempDir(), []string{filepath.Join("testdata", "local.rss")}, &log)
	ctx := context.Background()
	var got []Stored
	p.OnStored = func(s Stored) { got = append(got, s) }
	s, err := p.PollOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Feeds: 1, Items: 2, Stored: 2, FromFeed: 2}); s != want {
		t.Fatalf("got %+v, want %+v\nlog:\n%s", s, want, log.String())
	}
	r, err := store.Report(ctx, got[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Article.Title != "Port Avis ferry service resumes after storm repairs" || !strings.Contains(r.Article.Text, "Ruth Tennant") {
		t.Errorf("stored article %q / %q", r.Article.Title, r.Article.Text)
	}
	// Items without links are known by their GUID the next time.
	if s, err = p.PollOnce(ctx); err != nil || s != (Stats{Feeds: 1, Items: 2, Seen: 2}) {
		t.Fatalf("second round: %+v, %v", s, err)
	}
}

func TestItemKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b ingest.FeedItem
		same bool
	}{
		{"tracking params and www dropped",
			ingest.FeedItem{Link: "https://www.example.test/a/1?utm_source=rss#top"},
			ingest.FeedItem{Link: "http://example.test/a/1/"}, true},
		{"same guid, new link",
			ingest.FeedItem{Link: "https://example.test/a/1", GUID: "g1"},
			ingest.FeedItem{Link: "https://example.test/a/1-updated", GUID: "g1"}, true},
		{"different pages",
			ingest.FeedItem{Link: "https://example.test/a/1"},
			ingest.FeedItem{Link: "https://example.test/a/2"}, false},
		{"title only when nothing else",
			ingest.FeedItem{Title: "Same headline"},
			ingest.FeedItem{Title: "Same headline"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := ItemKeys("f", tt.a), ItemKeys("f", tt.b)
			shared := false
			for _, x := range ka {
				for _, y := range kb {
					shared = shared || x == y
				}
			}
			if shared != tt.same {
				t.Errorf("keys %q and %q: shared=%v, want %v", ka, kb, shared, tt.same)
			}
		})
	}
	if k := ItemKeys("f", ingest.FeedItem{}); len(k) != 0 {
		t.Errorf("empty item has keys %q", k)
	}
}
