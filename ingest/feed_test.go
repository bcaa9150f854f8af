package ingest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

func TestParseFeed(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := ParseFeed(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	it := items[0]
	if it.Title != "Lighthouse keepers strike over night shifts" ||
		it.Link != "https://www.coastal-ledger.example/news/lighthouse-strike" ||
		it.GUID != "ledger-1042" || it.Author != "Ines Marlow" || it.Outlet != "coastal-ledger.example" ||
		!it.Published.Equal(time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("item 0 = %+v", it)
	}
	if !strings.Contains(it.Content, "<p>Keepers at the four staffed") {
		t.Errorf("content:encoded not preferred over description: %q", it.Content)
	}
	if items[1].Content != "The winter timetable starts on Monday." || items[1].GUID != "" {
		t.Errorf("item 1 = %+v", items[1])
	}

	a := it.Article()
	want := "Lighthouse keepers strike over night shifts\n\nKeepers at the four staffed lighthouses walked out on Friday.\n“The lamps are automated,” said Tomas Reyl.\n"
	if a.Text != want {
		t.Errorf("Article().Text = %q, want %q", a.Text, want)
	}
	if a.TitleSpan.Text(a.Text) != a.Title || a.URL != it.Link || a.ID != urlID(it.Link) || a.Outlet != "coastal-ledger.example" {
		t.Errorf("Article() = %+v", a)
	}
}

func TestLoadFeed(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "feed.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(data)
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, src := range []Source{
		{Name: path, Kind: KindFile},
		{Name: "-", Kind: KindStdin},
		{Name: srv.URL + "/feed", Kind: KindURL},
	} {
		items, err := LoadFeed(ctx, src, bytes.NewReader(data), Options{AllowPrivate: true})
		if err != nil || len(items) != 2 || items[0].GUID != "ledger-1042" {
			t.Errorf("%s: %d items, err %v", src.Kind, len(items), err)
		}
	}
	if _, err := LoadFeed(ctx, Source{Name: path, Kind: KindFile}, nil, Options{MaxBytes: 100}); err == nil || !strings.Contains(err.Error(), "100-byte limit") {
		t.Errorf("size cap: err = %v", err)
	}
	if _, err := LoadFeed(ctx, Source{Name: filepath.Join("testdata", "page.html"), Kind: KindFile}, nil, Options{}); err == nil || !strings.HasPrefix(err.Error(), "testdata/page.html: invalid feed") {
		t.Errorf("HTML as feed: err = %v", err)
	}
	if _, err := LoadFeed(ctx, Source{Name: "testdata/none.xml", Kind: KindFile}, nil, Options{}); slant.ErrorCode(err) != slant.ENOTFOUND {
		t.Errorf("missing feed: err = %v", err)
	}
}

func TestParseFeedAtom(t *testing.T) {
	t.Parallel()
	const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valmora Daily</title>
  <link href="https://valmora-daily.example/"/>
  <entry>
    <title>Bridge opens after 17 years</title>
    <link href="https://valmora-daily.example/bridge"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2026-02-01T12:00:00Z</updated>
    <author><name>Pia Norr</name></author>
    <summary>The Tessin bridge opened.</summary>
  </entry>
</feed>`
	items, err := ParseFeed([]byte(atomFeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].GUID != "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a" ||
		items[0].Author != "Pia Norr" || items[0].Published.Year() != 2026 || items[0].Content != "The Tessin bridge opened." {
		t.Errorf("items = %+v", items)
	}
}

func TestParseFeedErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "not a feed", "<html><body>page</body></html>", "<rss><channel><item>"} {
		_, err := ParseFeed([]byte(in))
		if err == nil {
			continue // gofeed accepts some truncated feeds; only errors are checked
		}
		if slant.ErrorCode(err) != slant.EINVALID || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: err %q", in, err)
		}
	}
	if _, err := ParseFeed([]byte("not a feed")); err == nil {
		t.Error("plain text accepted as a feed")
	}
}

func FuzzParseFeed(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "feed.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","content_html":"<p>x</p>"}]}`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ParseFeed(data)
		if err != nil {
			return
		}
		for _, it := range items {
			a := it.Article()
			if a.Title != "" && a.TitleSpan.Text(a.Text) != a.Title {
				t.Fatalf("title %q span %+v", a.Title, a.TitleSpan)
			}
			if utf8.ValidString(it.Content) && !utf8.ValidString(a.Text) && utf8.ValidString(it.Title) {
				t.Fatalf("invalid UTF-8 text from valid input")
			}
		}
	})
}
