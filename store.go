package slant

import (
	"context"
	"time"
)

// StoredArticle is the summary of a stored article version.
type StoredArticle struct {
	// ID is the store's id of this version.
	ID string `json:"id"`
	// Hash is the hex SHA-256 of the article text, which makes re-ingesting
	// the same content a no-op.
	Hash      string    `json:"hash"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Outlet    string    `json:"outlet,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Ingested  time.Time `json:"ingested"`
	// Version counts the versions stored for the same URL (1 for the first).
	Version int `json:"version"`
	// Bytes is the length of the article text.
	Bytes int `json:"bytes"`
}

// ArticleFilter selects stored articles. Zero fields select everything.
type ArticleFilter struct {
	Outlet string
	// Query is a full-text search over title and text.
	Query     string
	Since     time.Time
	Until     time.Time
	Technique string
	Narrative string
	Limit     int
	Offset    int
}

// Store keeps articles and their analysis reports.
type Store interface {
	// PutReport stores a report. When an article with the same text hash is
	// already stored it returns that article's id and created=false and
	// changes nothing. A new text at a URL already stored becomes a new
	// version of it.
	PutReport(ctx context.Context, r *Report) (id string, created bool, err error)
	// Report returns the stored report of an article version; ENOTFOUND when
	// there is none.
	Report(ctx context.Context, id string) (*Report, error)
	// Articles lists stored article versions matching f, newest first.
	Articles(ctx context.Context, f ArticleFilter) ([]StoredArticle, error)
	// Close releases the store.
	Close() error
}
