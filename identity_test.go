package slant

import (
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://www.Example.com/news/story-1/", "https://example.com/news/story-1"},
		{"HTTP://EXAMPLE.COM/news/story-1?utm_source=rss&utm_medium=feed#comments", "https://example.com/news/story-1"},
		{"https://m.example.com/a?id=7&fbclid=xyz&gclid=1&ref=home", "https://example.com/a?id=7"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://amp.example.com/a/amp", "https://example.com/a"},
		{"http://example.com:80/x?b=2&a=1&utm_campaign=z#frag", "https://example.com/x?a=1&b=2"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8080/a", "https://example.com:8080/a"},
		{"https://[::1]:8080/p", "https://[::1]:8080/p"},
		{"  https://example.com  ", "https://example.com"},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "example.com/a", "ftp://example.com/a", "https://", "http://%zz"} {
		if got, err := CanonicalURL(bad); ErrorCode(err) != EINVALID {
			t.Errorf("CanonicalURL(%q) = %q, %v; want an EINVALID error", bad, got, err)
		}
	}
}

func TestVersionKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a    Article
		want string
	}{
		{Article{URL: "http://www.example.com/a/?utm_source=x", Source: "a.html"}, "https://example.com/a"},
		{Article{URL: "not a url", Source: "a.html"}, "url:not a url"},
		{Article{Source: "dir/a.txt"}, "source:dir/a.txt"},
		{Article{Source: "-"}, ""},
		{Article{}, ""},
	}
	for _, tt := range tests {
		if got := tt.a.VersionKey(); got != tt.want {
			t.Errorf("%+v.VersionKey() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// FuzzCanonicalURL checks that the canonical form is stable (canonical of
// canonical is itself, so versions never split on a second normalisation)
// and that tracking parameters never change it.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://www.example.com/a/?utm_x=1#f", "http://x.org", "https://[::1]:8080/p?q=1", "https://ex.com/%41", "http://h/?a=1&a=2", "https://user:pw@Host.example:443/%7Ex"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CanonicalURL(s)
		if err != nil {
			return
		}
		again, err := CanonicalURL(c)
		if err != nil || again != c {
			t.Fatalf("CanonicalURL(%q) = %q, but CanonicalURL of that = %q, %v", s, c, again, err)
		}
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return
		}
		u.RawQuery = u.Query().Encode()
		plain, err1 := CanonicalURL(u.String())
		u.RawQuery += "&utm_campaign=x&fbclid=y"
		with, err2 := CanonicalURL(u.String())
		if err1 == nil && err2 == nil && plain != with {
			t.Fatalf("tracking parameters change the canonical form of %q: %q vs %q", u.String(), plain, with)
		}
	})
}

func TestReportTechniqueCountsAndNarratives(t *testing.T) {
	t.Parallel()
	r := &Report{
		Techniques: []TechniqueSpan{{Technique: "Doubt"}, {Technique: "Doubt"}, {Technique: "Loaded_Language"}},
		ParagraphLabels: []ParagraphLabels{
			{Paragraph: 1, Techniques: []string{"Doubt", "Flag_Waving"}},
			{Paragraph: 2, Techniques: []string{"Flag_Waving"}},
		},
		Narratives: []Narrative{
			{Narrative: "URW: Discrediting the West", Subnarrative: "URW: Discrediting the West: Other", Score: 0.4},
			{Narrative: "URW: Discrediting the West", Subnarrative: "URW: Discrediting the West: Other", Score: 0.7},
			{Narrative: "", Score: 0.9},
		},
	}
	got := r.TechniqueCounts()
	want := map[string]int{"Doubt": 2, "Loaded_Language": 1, "Flag_Waving": 2}
	if len(got) != len(want) {
		t.Fatalf("TechniqueCounts = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("TechniqueCounts[%s] = %d, want %d (spans win; labels count only without spans)", k, got[k], v)
		}
	}
	ns := r.DistinctNarratives()
	if len(ns) != 1 || ns[0].Score != 0.7 {
		t.Fatalf("DistinctNarratives = %+v, want one entry with the best score 0.7", ns)
	}
}
