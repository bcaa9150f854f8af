package feeds

import (
	"context"
	"net/url"
	"path"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
)

// ItemArticle reads a feed item's article: the page at its link through
// ingest.Load (so opt's address policy and limits hold), with the date,
// byline and outlet the feed gives filled in where the page lacks them.
// When the item has no http(s) link or its page cannot be read, the
// article is built from the feed's own content (fromFeed is true) and logf,
// when not nil, is told why in one line. An item with neither a readable
// page nor any content is an EINVALID error.
func ItemArticle(ctx context.Context, it ingest.FeedItem, opt ingest.Options, logf func(string)) (a slant.Article, fromFeed bool, err error) {
	if isURL(it.Link) {
		a, err := ingest.Load(ctx, ingest.Source{Name: it.Link, Kind: ingest.KindURL}, nil, opt)
		if err == nil {
			// The feed often knows what the page does not say in its
			// markup.
			if a.Published.IsZero() {
				a.Published = it.Published
			}
			if a.Byline == "" {
				a.Byline = it.Author
			}
			if a.Outlet == "" {
				a.Outlet = it.Outlet
			}
			return a, false, nil
		}
		if ctx.Err() != nil {
			return a, false, ctx.Err()
		}
		if logf != nil {
			logf("page " + it.Link + ": " + strings.TrimPrefix(oneLine(err), it.Link+": ") + "; using the feed's content")
		}
	}
	a = it.Article()
	if opt.Outlet != "" {
		a.Outlet = opt.Outlet
	}
	if strings.TrimSpace(a.Text[a.TitleSpan.End:]) == "" {
		return a, true, slant.Errorf(slant.EINVALID, "%s: no readable page and no content in the feed", itemName(it))
	}
	return a, true, nil
}

// feedExts are the file name extensions of feeds.
var feedExts = map[string]bool{".xml": true, ".rss": true, ".atom": true, ".json": true, ".rdf": true}

// feedSegments are last URL path segments that name a feed by convention
// (WordPress /feed/, /rss, /atom.xml is caught by its extension).
var feedSegments = map[string]bool{"feed": true, "feeds": true, "rss": true, "atom": true}

// LooksLikeFeed reports whether a file path or URL names a feed by its
// form: a path ending in .xml .rss .atom .json or .rdf, or a URL whose last
// path segment is feed, feeds, rss or atom, or that has a feed/format
// query (?feed=rss2, ?format=rss). It cannot tell a feed served under an
// article-like URL; ingest.Load says "is a news feed" for those.
func LooksLikeFeed(name string) bool {
	p := name
	if isURL(name) {
		u, err := url.Parse(name)
		if err != nil {
			return false
		}
		q := u.Query()
		if q.Get("feed") != "" || strings.Contains(strings.ToLower(q.Get("format")), "rss") || strings.Contains(strings.ToLower(q.Get("format")), "atom") {
			return true
		}
		p = strings.TrimRight(u.Path, "/")
		if feedSegments[strings.ToLower(path.Base(p))] {
			return true
		}
	}
	return feedExts[strings.ToLower(path.Ext(p))]
}
