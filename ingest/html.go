package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/net/publicsuffix"

	"github.com/slant-news/slant"
)

// ParseHTML extracts the article of an HTML page, dropping navigation,
// footers, ads and other boilerplate (with go-readability, a port of
// Firefox's Reader View). pageURL, when known, is the address the page was
// read from; it resolves relative links and gives the outlet.
//
// Text is built in the SemEval layout: the title on the first line, a blank
// line, then one paragraph per line ("\n"-separated, trimmed, no empty
// lines), and TitleSpan marks the title. Byline, Published, URL (the page's
// canonical URL, else pageURL) and Outlet (the registrable domain of the
// URL, e.g. "rt.com" for www.rt.com, else the page's site name) are filled
// when the page says. The encoding is taken from a byte order mark or a
// <meta charset>, else UTF-8 when valid, else Windows-1252. ID is a hash of
// URL when there is one; Load replaces it by the file name for files.
func ParseHTML(data []byte, pageURL string) (slant.Article, error) {
	return parseHTML(data, pageURL, "")
}

// parseHTML is ParseHTML with the Content-Type header of a fetched page,
// whose charset parameter wins over the page's own declaration.
func parseHTML(data []byte, pageURL, contentType string) (a slant.Article, err error) {
	if bytes.IndexByte(data, 0) >= 0 && !utf16BOM(data) {
		return slant.Article{}, slant.Errorf(slant.EINVALID, "binary file, not an HTML page")
	}
	enc, _, _ := charset.DetermineEncoding(data, contentType)
	decoded, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return slant.Article{}, slant.Errorf(slant.EINVALID, "undecodable HTML: %v", err)
	}
	// Drop a leading byte order mark: it is not part of the page's text and
	// the page's text is rebuilt from the DOM anyway.
	decoded = bytes.TrimPrefix(decoded, []byte("\xEF\xBB\xBF"))
	doc, err := html.Parse(bytes.NewReader(decoded))
	if err != nil {
		return slant.Article{}, slant.Errorf(slant.EINVALID, "invalid HTML: %v", err)
	}
	var base *url.URL
	if pageURL != "" {
		if u, err := url.Parse(pageURL); err == nil && u.Scheme != "" && u.Host != "" {
			base = u
		}
	}
	// Read the metadata readability does not expose before it rewrites the
	// tree.
	meta := headMeta(doc)
	h1 := firstH1(doc)

	ra, err := extract(doc, base)
	if err != nil {
		return slant.Article{}, err
	}

	title := oneLine(ra.Title)
	if title == "" {
		title = oneLine(meta.ogTitle)
	}
	title = dropSiteName(title, oneLine(meta.ogTitle), h1)
	paras := paragraphs(ra.TextContent)
	// Readability keeps a heading that repeats the title only sometimes;
	// the title line already says it.
	if len(paras) > 0 && title != "" && strings.EqualFold(paras[0], title) {
		paras = paras[1:]
	}
	a.Byline = oneLine(ra.Byline)
	// Readability leaves the byline line in the body when the byline came
	// from metadata; it is not article text.
	if len(paras) > 0 && a.Byline != "" && isBylineLine(paras[0], a.Byline) {
		paras = paras[1:]
	}
	if len(paras) == 0 {
		return slant.Article{}, slant.Errorf(slant.EINVALID, "no article text found in the HTML page")
	}
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteString("\n\n")
		a.Title = title
		a.TitleSpan = slant.Span{Start: 0, End: len(title)}
	}
	for i, p := range paras {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	b.WriteByte('\n')
	a.Text = b.String()
	if ra.PublishedTime != nil && !ra.PublishedTime.IsZero() {
		a.Published = ra.PublishedTime.UTC()
	} else if t, ok := parseTime(meta.published); ok {
		a.Published = t
	}

	canonical := resolve(base, meta.canonical)
	if canonical == "" {
		canonical = resolve(base, meta.ogURL)
	}
	switch {
	case canonical != "":
		a.URL = canonical
	case base != nil:
		a.URL = base.String()
	}
	// The outlet is where the page was read from when known: a canonical
	// URL is the page's own claim, the fetched address is a fact.
	switch {
	case base != nil:
		a.Outlet = Outlet(base.String())
	case a.URL != "":
		a.Outlet = Outlet(a.URL)
	}
	if a.Outlet == "" {
		a.Outlet = oneLine(ra.SiteName)
	}
	if a.URL != "" {
		a.ID = urlID(a.URL)
		a.Source = pageURL
	}
	return a, nil
}

// extract runs readability, turning a panic inside it into an error: the
// page is user input and must never take the process down.
func extract(doc *html.Node, base *url.URL) (ra readability.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = slant.Errorf(slant.EINVALID, "HTML extraction failed: %v", r)
		}
	}()
	p := readability.NewParser()
	ra, err = p.ParseAndMutate(doc, base)
	if err != nil {
		return ra, slant.Errorf(slant.EINVALID, "HTML extraction failed: %v", err)
	}
	return ra, nil
}

func utf16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// paragraphs splits readability's text rendering (blank lines between
// blocks, single newlines for <br> and <div>) into trimmed, non-empty lines.
func paragraphs(s string) []string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// dropSiteName returns the headline without the site name that <title>
// often adds ("Bridge opens - Valmora Daily"): when the og:title or the
// page's <h1> is the title minus a part set off by a separator, that
// shorter form is the headline. Readability does this only for titles of
// more than four words.
func dropSiteName(title string, candidates ...string) string {
	for _, c := range candidates {
		if c == "" || len(c) >= len(title) {
			continue
		}
		lt, lc := strings.ToLower(title), strings.ToLower(c)
		if len(lt) != len(title) || len(lc) != len(c) {
			// Lower-casing changed byte lengths; offsets would not line up.
			continue
		}
		var sep rune
		switch {
		case strings.HasPrefix(lt, lc):
			sep, _ = utf8.DecodeRuneInString(strings.TrimSpace(title[len(c):]))
		case strings.HasSuffix(lt, lc):
			sep, _ = utf8.DecodeLastRuneInString(strings.TrimSpace(title[:len(title)-len(c)]))
		default:
			continue
		}
		if strings.ContainsRune("|-–—:·•/\\»«", sep) {
			return c
		}
	}
	return title
}

// firstH1 returns the text of the page's first <h1>, on one line.
func firstH1(doc *html.Node) string {
	var h1 *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && h1 == nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.H1 {
				h1 = c
				return
			}
			find(c)
		}
	}
	find(doc)
	if h1 == nil {
		return ""
	}
	var b strings.Builder
	var text func(n *html.Node)
	text = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c)
		}
	}
	text(h1)
	return oneLine(b.String())
}

// isBylineLine reports whether line only names the author: "Jane Roe" or
// "By Jane Roe".
func isBylineLine(line, byline string) bool {
	l := strings.ToLower(line)
	l = strings.TrimPrefix(l, "by ")
	return l == strings.ToLower(strings.TrimPrefix(byline, "By "))
}

// oneLine collapses white space so that a metadata value fits on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// pageMeta is what ParseHTML reads from <head> itself.
type pageMeta struct {
	canonical, ogURL, ogTitle, published string
}

func headMeta(doc *html.Node) pageMeta {
	var m pageMeta
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					m.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Meta:
				key := strings.ToLower(attr(n, "property"))
				if key == "" {
					key = strings.ToLower(attr(n, "name"))
				}
				val := strings.TrimSpace(attr(n, "content"))
				switch key {
				case "og:url":
					if m.ogURL == "" {
						m.ogURL = val
					}
				case "og:title":
					if m.ogTitle == "" {
						m.ogTitle = val
					}
				case "article:published_time", "datepublished", "date", "pubdate":
					if m.published == "" {
						m.published = val
					}
				}
			case atom.Body:
				// Metadata lives in <head>; skipping the body keeps this
				// pass cheap on large pages.
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// resolve makes ref absolute against base and returns it when it is an
// http(s) URL, else "".
func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Outlet returns the registrable domain of an http(s) URL ("rt.com" for
// https://www.rt.com/news/1), the public suffix list deciding where the
// domain starts ("bbc.co.uk" for news.bbc.co.uk). It returns the bare host
// for IP addresses and hosts with no registrable part, and "" for anything
// that is not a URL with a host.
func Outlet(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return ""
	}
	if net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// urlID is the id of an article known by its URL: 16 hex digits of the
// SHA-256 of the URL, stable across runs.
func urlID(u string) string {
	h := sha256.Sum256([]byte(u))
	return hex.EncodeToString(h[:8])
}
