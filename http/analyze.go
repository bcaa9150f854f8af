package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

// articleRequest is one article to analyse as the API receives it: its
// text, or a URL to fetch, with optional metadata.
type articleRequest struct {
	Text string `json:"text"`
	// HTML is a whole web page to extract the article from, for clients
	// that send pages (a batch of uploaded .html files) rather than text.
	HTML      string    `json:"html,omitempty"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Outlet    string    `json:"outlet"`
	Published time.Time `json:"published"`
	// Store asks for the report to be kept in the store (the library).
	Store bool `json:"store"`
}

// analyzeResponse is the answer to POST /api/v1/analyze and one result of
// a batch job.
type analyzeResponse struct {
	// ID is the store's id when the report was stored, else the id the
	// article was given for this analysis.
	ID     string        `json:"id"`
	Stored bool          `json:"stored"`
	Report *slant.Report `json:"report"`
}

func (s *server) handleAnalyze() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
		req, err := s.readArticleRequest(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		res, err := s.analyzeOne(r.Context(), req)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
}

// readArticleRequest reads the article of an analyse request from a JSON
// body, a plain-text or HTML body (metadata in the query), or a multipart
// form with a "file" upload or a "text" field.
func (s *server) readArticleRequest(r *http.Request) (articleRequest, error) {
	q := r.URL.Query()
	req := articleRequest{Title: q.Get("title"), URL: q.Get("url"), Outlet: q.Get("outlet"), Store: isTrue(q.Get("store"))}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json", "":
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return req, bodyError("JSON body", err)
		}
		return req, nil
	case "text/plain":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return req, bodyError("text body", err)
		}
		if err := checkCharset(params); err != nil {
			return req, err
		}
		req.Text = string(data)
		return req, nil
	case "text/html":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return req, bodyError("HTML body", err)
		}
		return htmlRequest(req, data)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(s.opt.MaxBodyBytes); err != nil {
			return req, bodyError("form", err)
		}
		defer r.MultipartForm.RemoveAll()
		for _, k := range []string{"title", "url", "outlet", "text"} {
			if v := r.FormValue(k); v != "" {
				switch k {
				case "title":
					req.Title = v
				case "url":
					req.URL = v
				case "outlet":
					req.Outlet = v
				case "text":
					req.Text = v
				}
			}
		}
		if v := r.FormValue("store"); v != "" {
			req.Store = isTrue(v)
		}
		f, fh, err := r.FormFile("file")
		if errors.Is(err, http.ErrMissingFile) {
			return req, nil
		}
		if err != nil {
			return req, bodyError("upload", err)
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return req, bodyError("upload", err)
		}
		name := strings.ToLower(fh.Filename)
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm") ||
			strings.HasPrefix(fh.Header.Get("Content-Type"), "text/html") {
			return htmlRequest(req, data)
		}
		req.Text = string(data)
		return req, nil
	default:
		return req, slant.Errorf(slant.EUNSUPPORTED,
			"content type %q is not accepted (send application/json, text/plain, text/html or multipart/form-data)", ct)
	}
}

// htmlRequest extracts the article of an HTML page sent in the body.
func htmlRequest(req articleRequest, data []byte) (articleRequest, error) {
	a, err := ingest.ParseHTML(data, req.URL)
	if err != nil {
		return req, err
	}
	req.Text = a.Text
	if req.Title == "" {
		req.Title = a.Title
	}
	if req.URL == "" {
		req.URL = a.URL
	}
	if req.Outlet == "" {
		req.Outlet = a.Outlet
	}
	if req.Published.IsZero() {
		req.Published = a.Published
	}
	return req, nil
}

func checkCharset(params map[string]string) error {
	cs := strings.ToLower(params["charset"])
	if cs != "" && cs != "utf-8" && cs != "utf8" && cs != "us-ascii" {
		return slant.Errorf(slant.EUNSUPPORTED, "charset %q is not accepted; send UTF-8", cs)
	}
	return nil
}

// bodyError turns a body read failure into an error with a code: an
// oversized body keeps its *http.MaxBytesError so it maps to 413.
func bodyError(what string, err error) error {
	var tl *http.MaxBytesError
	if errors.As(err, &tl) {
		return err
	}
	if errors.Is(err, io.EOF) {
		return slant.Errorf(slant.EINVALID, "read %s: the body is empty", what)
	}
	return slant.Errorf(slant.EINVALID, "read %s: %v", what, err)
}

func isTrue(v string) bool {
	b, err := strconv.ParseBool(v)
	return err == nil && b
}

// article turns a request into an article: the text as sent, or the page
// at the URL fetched through ingest (which refuses private addresses unless
// the server allows them).
func (s *server) article(ctx context.Context, req articleRequest) (slant.Article, error) {
	var a slant.Article
	if req.HTML != "" && req.Text == "" {
		var err error
		if req, err = htmlRequest(req, []byte(req.HTML)); err != nil {
			return a, err
		}
	}
	switch {
	case req.Text != "":
		var err error
		if a, err = ingest.ParseText("-", []byte(req.Text)); err != nil {
			return a, err
		}
		a.Source = ""
		if req.URL != "" {
			a.URL = req.URL
			a.Outlet = ingest.Outlet(req.URL)
			a.Source = req.URL
		}
	case req.URL != "":
		opt := ingest.Options{AllowPrivate: s.opt.AllowPrivate, Timeout: s.opt.FetchTimeout, MaxBytes: s.opt.MaxBodyBytes}
		var err error
		if a, err = ingest.Load(ctx, ingest.Source{Name: req.URL, Kind: ingest.KindURL}, nil, opt); err != nil {
			return a, err
		}
	default:
		return a, slant.Errorf(slant.EINVALID, "nothing to analyse: send the article's text or a url")
	}
	if strings.TrimSpace(a.Text) == "" {
		return a, slant.Errorf(slant.EINVALID, "the article text is empty")
	}
	if req.Title != "" && req.Title != a.Title {
		// A title given apart from the text is metadata; it has no span
		// in the text.
		a.Title, a.TitleSpan = req.Title, slant.Span{}
	}
	if req.Outlet != "" {
		a.Outlet = req.Outlet
	}
	if !req.Published.IsZero() {
		a.Published = req.Published
	}
	sum := sha256.Sum256([]byte(a.Text))
	a.ID = hex.EncodeToString(sum[:8])
	return a, nil
}

// analyzeOne builds, analyses and (when asked) stores one article.
func (s *server) analyzeOne(ctx context.Context, req articleRequest) (*analyzeResponse, error) {
	a, err := s.article(ctx, req)
	if err != nil {
		return nil, err
	}
	// Analysis is CPU-bound: running more at once than there are CPUs only
	// makes every request finish late, and holds every article in memory.
	// Waiting in line lets the first ones finish first.
	select {
	case s.analyzing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	rep, err := pipeline.Analyze(ctx, s.opt.Analyzers, a)
	<-s.analyzing
	if err != nil {
		return nil, err
	}
	res := &analyzeResponse{ID: a.ID, Report: rep}
	if req.Store {
		if s.opt.Store == nil {
			return nil, slant.Errorf(slant.EUNSUPPORTED, "this server has no store; analyse without store")
		}
		id, _, err := s.opt.Store.PutReport(ctx, rep)
		if err != nil {
			return nil, err
		}
		res.ID, res.Stored = id, true
		rep.Article.ID = id
	}
	return res, nil
}
