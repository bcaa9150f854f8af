// Package http serves slant over HTTP: a JSON API under /api/v1 (analyse one
// article or a batch, browse the store, stories, comparisons, trends and
// outlet profiles) and a web application embedded in the binary.
//
// The handler is built by NewServer from explicit dependencies, in the style
// of Mat Ryer's "How I write HTTP services": every route is a function that
// returns an http.Handler, and slant error codes are turned into HTTP
// statuses in one place, writeError.
//
// Article text and titles are untrusted. The API returns them as JSON; the
// page inserts them only as text nodes, and every response carries a
// Content-Security-Policy that forbids inline script.
package http

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sources"
)

//go:embed assets
var assets embed.FS

// DefaultMaxBodyBytes caps a request body at 5 MB.
const DefaultMaxBodyBytes int64 = 5 << 20

// CSP is the Content-Security-Policy of every response: no inline script or
// style, nothing loaded from elsewhere, no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// tokenCookie holds the access token in the browser once a user has logged
// in, so the page's requests carry it without script ever reading it.
const tokenCookie = "slant_token"

// Error codes of the HTTP layer that have no slant equivalent.
const (
	codeTooLarge         = "too_large"
	codeUnauthorized     = "unauthorized"
	codeMethodNotAllowed = "method_not_allowed"
)

// Options are the server's dependencies and settings.
type Options struct {
	// Analyzers run on every analysed article, in order.
	Analyzers []slant.Analyzer
	// Store keeps articles and reports; the library, stories and trends
	// read it, and analyses asked to be stored are written to it.
	Store slant.Store
	// Outlets profiles outlets; nil means sources.Default().
	Outlets *sources.Table
	// Token, when set, is required on every API request (Authorization:
	// Bearer, or the cookie set by the login form).
	Token string
	// AllowPrivate lets URL analysis fetch loopback and private addresses.
	AllowPrivate bool
	// MaxBodyBytes caps request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// FetchTimeout bounds a URL fetch; 0 means the ingest default.
	FetchTimeout time.Duration
	// Logger receives one line per failed request; nil discards.
	Logger *slog.Logger
	// Context bounds background batch jobs; nil means context.Background().
	Context context.Context
	// MaxJobs bounds the batch jobs kept in memory (default 64); the oldest
	// finished job is forgotten first.
	MaxJobs int
	// StoryLimit bounds how many of the newest stored articles the trends
	// count (default 5000), so one request cannot take minutes.
	StoryLimit int
	// Regroup groups every stored article into stories with the analyst's
	// pins and stores the result, as `slant stories` does (cmd/slant passes
	// its own regrouping). The story routes call it when the store holds an
	// article that no stored story has; nil serves the stored stories as
	// they are.
	Regroup func(ctx context.Context) error
	// MaxAnalyses bounds the synchronous analyses running at once (default
	// GOMAXPROCS); further requests wait their turn.
	MaxAnalyses int
}

// server holds what the handlers share.
type server struct {
	opt     Options
	log     *slog.Logger
	outlets *sources.Table
	jobs    *jobQueue
	stories *storyIndex
	// analyzing holds one token per analysis running; see MaxAnalyses.
	analyzing chan struct{}
}

// NewServer returns the handler of the whole application: the API, the
// web page and its assets, behind security headers and, when a token is
// configured, authentication.
func NewServer(opt Options) http.Handler {
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	if opt.MaxJobs <= 0 {
		opt.MaxJobs = 64
	}
	if opt.StoryLimit <= 0 {
		opt.StoryLimit = 5000
	}
	if opt.MaxAnalyses <= 0 {
		opt.MaxAnalyses = runtime.GOMAXPROCS(0)
	}
	s := &server{opt: opt, log: opt.Logger, outlets: opt.Outlets}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.outlets == nil {
		s.outlets = sources.Default()
	}
	s.jobs = newJobQueue(opt.Context, opt.MaxJobs)
	s.analyzing = make(chan struct{}, opt.MaxAnalyses)
	s.stories = &storyIndex{store: opt.Store, regroup: opt.Regroup}

	mux := http.NewServeMux()
	addRoutes(mux, s)
	return secureHeaders(mux)
}

// apiRoutes lists every authenticated API route; the OpenAPI document
// must describe each one (a test checks it).
var apiRoutes = []struct {
	pattern string
	handler func(s *server) http.Handler
}{
	{"POST /api/v1/analyze", (*server).handleAnalyze},
	{"POST /api/v1/jobs", (*server).handleJobCreate},
	{"GET /api/v1/jobs/{id}", (*server).handleJobGet},
	{"GET /api/v1/articles", (*server).handleArticles},
	{"GET /api/v1/articles/{id}", (*server).handleArticle},
	{"GET /api/v1/stories", (*server).handleStories},
	{"GET /api/v1/stories/{id}", (*server).handleStory},
	{"GET /api/v1/stories/{id}/compare", (*server).handleCompare},
	{"GET /api/v1/trends", (*server).handleTrends},
	{"GET /api/v1/outlets/{domain}", (*server).handleOutlet},
	{"GET /api/v1/taxonomy", (*server).handleTaxonomy},
}

// addRoutes maps every route of the application; the whole surface is in
// this function and apiRoutes.
func addRoutes(mux *http.ServeMux, s *server) {
	for _, r := range apiRoutes {
		mux.Handle(r.pattern, s.requireToken(r.handler(s)))
	}
	// The API description is public: it says nothing about the data.
	mux.Handle("GET /api/v1/openapi.json", handleAsset("assets/openapi.json", "application/json"))
	mux.Handle("/api/", s.handleNoRoute(mux))

	mux.Handle("POST /login", s.handleLogin())
	mux.Handle("GET /logout", handleLogout())
	mux.Handle("GET /{$}", s.handleIndex())
	mux.Handle("GET /static/app.js", handleAsset("assets/app.js", "text/javascript; charset=utf-8"))
	mux.Handle("GET /static/app.css", handleAsset("assets/app.css", "text/css; charset=utf-8"))
}

// secureHeaders sets the headers every response carries.
func secureHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// requireToken refuses API requests without the configured token. The
// token comes from an Authorization: Bearer header (programs) or from the
// HttpOnly, SameSite=Strict cookie the login form sets (the page); the
// cookie is not sent on cross-site requests, which is what keeps another
// site from posting to the API in the user's name.
func (s *server) requireToken(h http.Handler) http.Handler {
	if s.opt.Token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="slant"`)
			s.writeError(w, r, &slant.Error{Code: codeUnauthorized,
				Message: "this server needs a token: send Authorization: Bearer TOKEN, or log in on the page"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *server) authorized(r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		return ok && s.tokenOK(tok)
	}
	if c, err := r.Cookie(tokenCookie); err == nil {
		return s.tokenOK(c.Value)
	}
	return false
}

// tokenOK compares in constant time so response timing says nothing about
// how much of a guess was right.
func (s *server) tokenOK(tok string) bool {
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.opt.Token)) == 1
}

// handleLogin takes the token from the login form (or ?token= on a link the
// operator shares), sets the cookie and sends the browser to the page
// without the token in its address bar or history.
func (s *server) handleLogin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		tok := r.PostFormValue("token")
		if s.opt.Token == "" || !s.tokenOK(tok) {
			http.Redirect(w, r, "/?login=failed#/login", http.StatusSeeOther)
			return
		}
		setTokenCookie(w, r, tok)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

func setTokenCookie(w http.ResponseWriter, r *http.Request, tok string) {
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 30 * 24 * 3600})
}

func handleLogout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: "", Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, MaxAge: -1})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

// handleIndex serves the page. A ?token= that matches is turned into the
// cookie and dropped from the address by a redirect.
func (s *server) handleIndex() http.Handler {
	page, err := assets.ReadFile("assets/index.html")
	if err != nil {
		panic("http: embedded index.html missing: " + err.Error())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("token"); tok != "" {
			if s.opt.Token != "" && s.tokenOK(tok) {
				setTokenCookie(w, r, tok)
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, "/?login=failed#/login", http.StatusSeeOther)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(page)
	})
}

func handleAsset(name, contentType string) http.Handler {
	data, err := assets.ReadFile(name)
	if err != nil {
		panic("http: embedded asset missing: " + name)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(data)
	})
}

// handleNoRoute answers API paths no route matches with a JSON error: 405
// when the path exists for another method, else 404.
func (s *server) handleNoRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if m == r.Method {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, &slant.Error{Code: codeMethodNotAllowed,
				Message: fmt.Sprintf("%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", "))})
			return
		}
		s.writeError(w, r, slant.Errorf(slant.ENOTFOUND, "no API route %s %s (see /api/v1/openapi.json)", r.Method, r.URL.Path))
	})
}

// errorStatus maps an error to its HTTP status: the one place where slant
// error codes become statuses.
func errorStatus(err error) (status int, code string) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge, codeTooLarge
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout, slant.EINTERNAL
	}
	switch code := slant.ErrorCode(err); code {
	case slant.EINVALID:
		return http.StatusBadRequest, code
	case slant.ENOTFOUND:
		return http.StatusNotFound, code
	case slant.EUNSUPPORTED:
		return http.StatusUnprocessableEntity, code
	case slant.ECONFLICT:
		return http.StatusConflict, code
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge, code
	case codeUnauthorized:
		return http.StatusUnauthorized, code
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed, code
	default:
		return http.StatusInternalServerError, slant.EINTERNAL
	}
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// writeError writes err as a JSON error. Internal errors are logged and
// shown only as a generic message: their text may name files or queries.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := errorStatus(err)
	var body errorBody
	body.Error.Code = code
	switch {
	case status == http.StatusRequestEntityTooLarge:
		body.Error.Message = fmt.Sprintf("request body larger than %d bytes", s.opt.MaxBodyBytes)
		var tl *http.MaxBytesError
		if errors.As(err, &tl) {
			body.Error.Message = fmt.Sprintf("request body larger than %d bytes", tl.Limit)
		}
	case status >= 500:
		// A client that hung up is not a server failure worth a log line.
		if !errors.Is(err, context.Canceled) {
			s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		body.Error.Message = "internal error; the server log has the details"
		if status == http.StatusGatewayTimeout {
			body.Error.Message = "the request took too long"
		}
	default:
		body.Error.Message = slant.ErrorMessage(err)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v with the given status. Article text is not HTML-
// escaped in JSON ("<" stays "<"): the page inserts it as text and the
// Content-Type keeps browsers from reading it as HTML.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// IsLoopback reports whether a listen address (host:port) only accepts
// connections from this machine. An empty host listens on every interface
// and is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
