package ingest

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/slant-news/slant"
)

// maxRedirects is how many redirects one fetch follows.
const maxRedirects = 5

// connectTimeout bounds the TCP connect and the TLS handshake, within the
// total Options.Timeout.
const connectTimeout = 10 * time.Second

// Page is a fetched response body.
type Page struct {
	// URL is the address the body came from, after redirects.
	URL string
	// ContentType is the media type, lower case and without parameters
	// ("text/html").
	ContentType string
	// Header is the full Content-Type header, charset included.
	Header string
	// Body is the response body, at most Options.MaxBytes long.
	Body []byte
}

// refusedAddr reports whether a fetch must not connect to addr: loopback,
// private (RFC 1918, fc00::/7), carrier-grade NAT (100.64.0.0/10),
// link-local, unspecified, "this network" (0.0.0.0/8), broadcast and
// multicast addresses. IPv4-mapped IPv6 addresses are judged as IPv4.
func refusedAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	switch {
	case !addr.IsValid(),
		addr.IsLoopback(), addr.IsPrivate(), addr.IsUnspecified(),
		addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast(),
		addr.IsInterfaceLocalMulticast(), addr.IsMulticast():
		return true
	}
	if addr.Is4() {
		b := addr.As4()
		return b[0] == 0 || // 0.0.0.0/8
			(b[0] == 100 && b[1]&0xC0 == 64) || // 100.64.0.0/10
			addr == netip.AddrFrom4([4]byte{255, 255, 255, 255})
	}
	return false
}

// addrError is returned by the dialer for a refused address; loadURL turns
// it into a one-line slant.Error.
type addrError struct{ addr string }

func (e *addrError) Error() string {
	return "refusing to connect to non-public address " + e.addr
}

// NewClient returns the HTTP client Load and Fetch use: it follows at most 5
// redirects (http and https only), sends UserAgent, bounds the connect, the
// TLS handshake and the whole exchange by Options.Timeout, ignores proxy
// settings from the environment (a proxy would hide the address really
// dialled), and — unless opt.AllowPrivate — refuses at dial time, after DNS
// resolution, to connect to a loopback, private, link-local, unspecified or
// multicast address. Checking the dialled address, not the URL, covers DNS
// names that resolve to such addresses and redirects to them. Reuse one
// client for many fetches (set Options.Client) to share connections.
func NewClient(opt Options) *http.Client {
	refuse := refusedAddr
	if opt.AllowPrivate {
		refuse = nil
	}
	return newClient(opt, refuse)
}

// newClient builds the client with a given address policy (nil allows
// every address); tests use it to refuse one loopback address while
// serving on another.
func newClient(opt Options, refuse func(netip.Addr) bool) *http.Client {
	ct := min(connectTimeout, opt.timeout())
	d := &net.Dialer{Timeout: ct, KeepAlive: 30 * time.Second}
	if refuse != nil {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &addrError{addr: address}
			}
			if refuse(ap.Addr()) {
				return &addrError{addr: ap.Addr().Unmap().String()}
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   ct,
		ResponseHeaderTimeout: opt.timeout(),
		MaxIdleConns:          16,
		IdleConnTimeout:       60 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   opt.timeout(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return slant.Errorf(slant.EINVALID, "%s: more than %d redirects", via[0].URL, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return slant.Errorf(slant.EINVALID, "%s: redirect to a non-http(s) URL %s", via[0].URL, req.URL)
			}
			return nil
		},
	}
}

// Fetch GETs an http(s) URL under opt's limits: the timeout, the size cap
// (a larger Content-Length is refused before reading, a longer body is cut
// off at MaxBytes+1 bytes and refused) and, through NewClient, the redirect
// limit and the refusal of non-public addresses. Only 2xx responses are
// returned. It does not check the content type; Load does.
func Fetch(ctx context.Context, rawURL string, opt Options) (Page, error) {
	if err := checkURL(rawURL); err != nil {
		return Page{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, opt.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Page{}, slant.Errorf(slant.EINVALID, "%s: %v", rawURL, err)
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,application/rss+xml;q=0.8,application/atom+xml;q=0.8,*/*;q=0.5")
	c := opt.Client
	if c == nil {
		c = NewClient(opt)
		defer c.CloseIdleConnections()
	}
	resp, err := c.Do(req)
	if err != nil {
		return Page{}, fetchErr(rawURL, err, opt)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		code := slant.EINVALID
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
			code = slant.ENOTFOUND
		}
		return Page{}, slant.Errorf(code, "%s: HTTP %s", rawURL, resp.Status)
	}
	max := opt.maxBytes()
	if resp.ContentLength > max {
		return Page{}, tooLarge(rawURL, resp.ContentLength, max)
	}
	body, err := readCapped(rawURL, resp.Body, -1, max)
	if err != nil {
		var se *slant.Error
		switch {
		case errors.As(err, &se):
			return Page{}, err
		case ctx.Err() != nil:
			return Page{}, fetchErr(rawURL, ctx.Err(), opt)
		}
		return Page{}, fetchErr(rawURL, err, opt)
	}
	header := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(header)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	return Page{URL: resp.Request.URL.String(), ContentType: strings.ToLower(mt), Header: header, Body: body}, nil
}

// fetchErr turns a transport error into one line a user can act on.
func fetchErr(rawURL string, err error, opt Options) error {
	var ae *addrError
	var se *slant.Error
	switch {
	case errors.As(err, &ae):
		return slant.Errorf(slant.EINVALID, "%s: %s (refused by default; use --allow-private to fetch from your own network)", rawURL, ae.Error())
	case errors.As(err, &se):
		return se
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return slant.Errorf(slant.EINVALID, "%s: no complete answer within %s", rawURL, opt.timeout())
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("fetch %s: %w", rawURL, context.Canceled)
	}
	// url.Error repeats the method and URL; keep the cause only.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return slant.Errorf(slant.EINVALID, "%s: %v", rawURL, err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// loadURL fetches a page and reads it as HTML or plain text.
func loadURL(ctx context.Context, rawURL string, opt Options) (slant.Article, error) {
	p, err := Fetch(ctx, rawURL, opt)
	if err != nil {
		return slant.Article{}, err
	}
	switch p.ContentType {
	case "text/html", "application/xhtml+xml":
		a, err := parseHTML(p.Body, p.URL, p.Header)
		if err != nil {
			return slant.Article{}, named(rawURL, err)
		}
		a.Source = rawURL
		if a.URL == "" {
			a.URL = p.URL
		}
		a.ID = urlID(a.URL)
		return a, nil
	case "text/plain":
		a, err := ParseText(rawURL, declaredText(p.Body, p.Header))
		if err != nil {
			return slant.Article{}, err
		}
		a.URL = p.URL
		a.ID = urlID(p.URL)
		a.Outlet = Outlet(p.URL)
		return a, nil
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return slant.Article{}, slant.Errorf(slant.EUNSUPPORTED, "%s: is a news feed (%s), not an article", rawURL, p.ContentType)
	}
	return slant.Article{}, slant.Errorf(slant.EUNSUPPORTED, "%s: content type %q is not an HTML page or plain text", rawURL, p.ContentType)
}

// declaredText re-encodes a plain-text body as UTF-8 when it is not valid
// UTF-8 and the Content-Type header names its charset (KOI8-R, Shift_JIS,
// ...); otherwise ParseText's own detection applies. Valid UTF-8 is kept
// even when the header says otherwise: servers mislabel far more often than
// a legacy-encoded text happens to be valid UTF-8.
func declaredText(body []byte, header string) []byte {
	_, params, err := mime.ParseMediaType(header)
	if err != nil || params["charset"] == "" || utf8.Valid(body) || binary(body) {
		return body
	}
	enc, name := charset.Lookup(params["charset"])
	if enc == nil || name == "utf-8" {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(out) {
		return body
	}
	return out
}
