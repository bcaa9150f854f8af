package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/slant-news/slant"
)

// FeedItem is one entry of an RSS, Atom or JSON feed.
type FeedItem struct {
	// Title is the item's headline.
	Title string
	// Link is the article's URL.
	Link string
	// GUID is the item's unique id as the feed gives it ("" when absent).
	GUID string
	// Published is the publication time (else the update time), zero when
	// the feed does not say.
	Published time.Time
	// Author names the item's author(s), comma-separated.
	Author string
	// Content is the item's full content (HTML) when the feed carries it,
	// else its description (often a summary).
	Content string
	// Outlet is the feed's site: the registrable domain of the item link,
	// else of the feed's link.
	Outlet string
}

// ParseFeed reads an RSS, Atom or JSON feed and returns its items in feed
// order.
func ParseFeed(data []byte) (items []FeedItem, err error) {
	// gofeed is handed user input; a panic inside it must become an error.
	defer func() {
		if r := recover(); r != nil {
			items, err = nil, slant.Errorf(slant.EINVALID, "invalid feed: %v", r)
		}
	}()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, slant.Errorf(slant.EINVALID, "invalid feed: %s", oneLine(err.Error()))
	}
	site := Outlet(f.Link)
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		fi := FeedItem{
			Title:   oneLine(it.Title),
			Link:    strings.TrimSpace(it.Link),
			GUID:    strings.TrimSpace(it.GUID),
			Content: it.Content,
		}
		if fi.Content == "" {
			fi.Content = it.Description
		}
		switch {
		case it.PublishedParsed != nil:
			fi.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			fi.Published = it.UpdatedParsed.UTC()
		}
		var names []string
		for _, p := range it.Authors {
			if p != nil && strings.TrimSpace(p.Name) != "" {
				names = append(names, oneLine(p.Name))
			}
		}
		fi.Author = strings.Join(names, ", ")
		fi.Outlet = Outlet(fi.Link)
		if fi.Outlet == "" {
			fi.Outlet = site
		}
		items = append(items, fi)
	}
	return items, nil
}

// LoadFeed reads a feed from a source (a file, standard input or a URL)
// under the same limits as Load, and parses it with ParseFeed. Errors name
// the source.
func LoadFeed(ctx context.Context, src Source, stdin io.Reader, opt Options) ([]FeedItem, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	var data []byte
	switch src.Kind {
	case KindURL:
		p, err := Fetch(ctx, src.Name, opt)
		if err != nil {
			return nil, err
		}
		data = p.Body
	case KindStdin:
		if stdin == nil {
			return nil, slant.Errorf(slant.EINVALID, "-: no standard input")
		}
		b, err := readCapped(src.Name, stdin, -1, opt.maxBytes())
		if err != nil {
			return nil, err
		}
		data = b
	case KindFile, "":
		f, size, err := openFile(src.Name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if data, err = readCapped(src.Name, f, size, opt.maxBytes()); err != nil {
			return nil, err
		}
	default:
		return nil, slant.Errorf(slant.EINVALID, "%s: unknown source kind %q", src.Name, src.Kind)
	}
	items, err := ParseFeed(data)
	if err != nil {
		return nil, named(src.Name, err)
	}
	return items, nil
}

// Article turns the item into an article from the feed alone, without
// fetching the page: Text is the title line, a blank line and the item's
// content rendered one paragraph per line (in the layout of ParseHTML).
// Feeds often carry a summary only; fetch Link with Load for the full text.
// ID is a hash of the link (else the GUID, else the title).
func (it FeedItem) Article() slant.Article {
	a := slant.Article{
		URL:       it.Link,
		Outlet:    it.Outlet,
		Byline:    it.Author,
		Published: it.Published,
		Source:    it.Link,
	}
	var b strings.Builder
	if it.Title != "" {
		a.Title = it.Title
		a.TitleSpan = slant.Span{Start: 0, End: len(it.Title)}
		b.WriteString(it.Title)
		b.WriteString("\n\n")
	}
	for _, p := range fragmentParagraphs(it.Content) {
		if it.Title != "" && strings.EqualFold(p, it.Title) {
			continue
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	a.Text = b.String()
	key := it.Link
	if key == "" {
		key = it.GUID
	}
	if key == "" {
		key = it.Title
	}
	a.ID = urlID(key)
	return a
}

// fragmentParagraphs renders an HTML fragment (or plain text, which parses
// as one text node) to trimmed, non-empty lines, one per block element.
func fragmentParagraphs(s string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return paragraphs(s)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "iframe", "svg", "noscript":
				return
			case "br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
				"tr", "ul", "ol", "table", "section", "article", "figure", "figcaption", "pre", "hr":
				b.WriteByte('\n')
				defer b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	var out []string
	for _, line := range paragraphs(b.String()) {
		out = append(out, oneLine(line))
	}
	return out
}
