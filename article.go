package slant

import (
	"time"
)

// Article is one news article as read from a file, a web page, a feed item
// or standard input. Text is exactly what was read (decoded to UTF-8); all
// annotation offsets point into it. Title, when the article has one, is
// normally also the first line of Text (TitleSpan says where).
type Article struct {
	// ID identifies the article within a run: the file's base name without
	// the SemEval "article" prefix and ".txt" suffix, a URL's hash, or the
	// store's id.
	ID string `json:"id"`
	// Title is the headline, or "" when the article has none.
	Title string `json:"title,omitempty"`
	// TitleSpan locates Title inside Text; zero when the title is not part of
	// Text (e.g. taken from HTML metadata) or there is none.
	TitleSpan Span `json:"title_span"`
	// Text is the canonical article text, never altered after reading.
	Text string `json:"text"`
	// URL is the canonical address of the article, when known.
	URL string `json:"url,omitempty"`
	// Outlet is the publisher's domain or name ("rt.com"), when known.
	Outlet string `json:"outlet,omitempty"`
	// Byline names the author(s), when known.
	Byline string `json:"byline,omitempty"`
	// Published is the publication time, zero when unknown.
	Published time.Time `json:"published,omitzero"`
	// Source says where the article was read from: a path, a URL or "-".
	Source string `json:"source,omitempty"`
}

// Document is the name the ingest stage uses for an Article that has not been
// analysed yet. It is the same type: ingest fills the metadata and Text,
// analysis adds annotations in a Report.
type Document = Article

// Span is a half-open byte range [Start, End) into an article's Text. CPStart
// and CPEnd are the same range in Unicode code points; they are filled by
// Report.FillCodePoints before output and are zero until then.
type Span struct {
	Start   int `json:"start"`
	End     int `json:"end"`
	CPStart int `json:"cp_start"`
	CPEnd   int `json:"cp_end"`
}

// Len returns the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// Overlaps reports whether s and o share at least one byte.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// Contains reports whether o lies entirely inside s.
func (s Span) Contains(o Span) bool { return s.Start <= o.Start && o.End <= s.End }

// Text returns the part of text the span covers, or "" when the span does
// not fit inside text.
func (s Span) Text(text string) string {
	if s.Start < 0 || s.End > len(text) || s.Start > s.End {
		return ""
	}
	return text[s.Start:s.End]
}
