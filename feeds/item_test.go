package feeds

import (
	"context"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
)

func TestLooksLikeFeed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"news.rss", true},
		{"dir/Feed.XML", true},
		{"items.json", true},
		{"article.html", false},
		{"notes.txt", false},
		{"https://example.test/feed/", true},
		{"https://example.test/world/rss", true},
		{"https://example.test/atom.xml", true},
		{"https://example.test/?feed=rss2", true},
		{"https://example.test/news?format=RSS", true},
		{"https://example.test/2025/03/feed-the-hungry", false},
		{"https://example.test/story.html", false},
	}
	for _, tt := range tests {
		if got := LooksLikeFeed(tt.name); got != tt.want {
			t.Errorf("LooksLikeFeed(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestItemArticleFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		it       ingest.FeedItem
		wantText string
		wantLog  bool
		wantErr  bool
	}{
		{"no link: content", ingest.FeedItem{Title: "Tram vote", Content: "<p>The council voted 31 to 12.</p>"}, "The council voted 31 to 12.", false, false},
		{"refused page: content", ingest.FeedItem{Title: "Tram vote", Link: "http://127.0.0.1:1/x", Content: "The council voted."}, "The council voted.", true, false},
		{"no page, no content", ingest.FeedItem{Title: "Tram vote", Link: "http://127.0.0.1:1/x"}, "", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs []string
			a, fromFeed, err := ItemArticle(ctx, tt.it, ingest.Options{}, func(s string) { logs = append(logs, s) })
			if (err != nil) != tt.wantErr || (len(logs) == 1) != tt.wantLog || len(logs) > 1 {
				t.Fatalf("err %v, logs %q", err, logs)
			}
			if err != nil {
				if slant.ErrorCode(err) != slant.EINVALID {
					t.Errorf("error code of %v", err)
				}
				return
			}
			if !fromFeed || !strings.Contains(a.Text, tt.wantText) || a.Title != "Tram vote" {
				t.Errorf("fromFeed %v, article %q / %q", fromFeed, a.Title, a.Text)
			}
		})
	}
}
