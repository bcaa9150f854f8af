package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
)

// newTestServer serves the fixture page and the misbehaving endpoints the
// fetch tests need, on 127.0.0.1.
func newTestServer(t *testing.T) (*httptest.Server, *string) {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	var ua string
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Quay reopens after repairs\n\nThe quay reopened on Monday.\n")
	})
	mux.HandleFunc("/koi8", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=koi8-r")
		// "Мост открыт\n\nМост открыли." in KOI8-R.
		w.Write([]byte("\xed\xcf\xd3\xd4 \xcf\xd4\xcb\xd2\xd9\xd4\n\n\xed\xcf\xd3\xd4 \xcf\xd4\xcb\xd2\xd9\xcc\xc9.\n"))
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>x</title></channel></rss>`)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n <= 0 {
			http.Redirect(w, r, "/page", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/redirect/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5000")
		w.Write([]byte(strings.Repeat("a", 5000)))
	})
	mux.HandleFunc("/bigchunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for range 50 {
			w.Write([]byte(strings.Repeat("b", 100)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		// Never answers: the client's timeout must end the request.
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		// Sends headers and half a page, then stalls.
		w.Header().Set("Content-Type", "text/html")
		w.Write(page[:len(page)/2])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/toprivate", func(w http.ResponseWriter, r *http.Request) {
		// Redirect to another loopback address on the same port; the
		// test's address policy refuses it.
		_, port, _ := strings.Cut(r.Host, ":")
		http.Redirect(w, r, "http://127.0.0.2:"+port+"/page", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(done); srv.Close() })
	return srv, &ua
}

func TestLoadURL(t *testing.T) {
	t.Parallel()
	srv, ua := newTestServer(t)
	ctx := context.Background()
	opt := Options{AllowPrivate: true}

	a, err := Load(ctx, Source{Name: srv.URL + "/page", Kind: KindURL}, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Lighthouse keepers strike over night shifts" || a.TitleSpan.Text(a.Text) != a.Title {
		t.Errorf("Title %q span %+v", a.Title, a.TitleSpan)
	}
	if a.Source != srv.URL+"/page" || a.URL != "https://www.coastal-ledger.example/news/lighthouse-strike" {
		t.Errorf("Source %q URL %q", a.Source, a.URL)
	}
	if a.Outlet != "127.0.0.1" || a.ID != urlID(a.URL) {
		t.Errorf("Outlet %q ID %q", a.Outlet, a.ID)
	}
	if *ua != UserAgent {
		t.Errorf("User-Agent %q", *ua)
	}

	p, err := Load(ctx, Source{Name: srv.URL + "/plain", Kind: KindURL}, nil, Options{AllowPrivate: true, Outlet: "quay.example"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Quay reopens after repairs" || p.Text != "Quay reopens after repairs\n\nThe quay reopened on Monday.\n" || p.Outlet != "quay.example" {
		t.Errorf("plain: %+v", p)
	}

	k, err := Load(ctx, Source{Name: srv.URL + "/koi8", Kind: KindURL}, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if k.Text != "Мост открыт\n\nМост открыли.\n" || k.Title != "Мост открыт" {
		t.Errorf("koi8-r: %q", k.Text)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Load(cancelled, Source{Name: srv.URL + "/page", Kind: KindURL}, nil, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestLoadURLErrors(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	tests := []struct {
		name, path string
		opt        Options
		code, msg  string
	}{
		{"five redirects", "/redirect/4", Options{}, "", ""}, // 4 hops + the final one to /page
		{"six redirects", "/redirect/5", Options{}, slant.EINVALID, "more than 5 redirects"},
		{"not found", "/nothing", Options{}, slant.ENOTFOUND, "HTTP 404"},
		{"feed", "/feed", Options{}, slant.EUNSUPPORTED, "is a news feed (application/rss+xml)"},
		{"content type", "/image", Options{}, slant.EUNSUPPORTED, `content type "image/png"`},
		{"content-length over cap", "/big", Options{MaxBytes: 1000}, slant.EINVALID, "5000 bytes is larger than the 1000-byte limit"},
		{"chunked body over cap", "/bigchunked", Options{MaxBytes: 1000}, slant.EINVALID, "larger than the 1000-byte limit"},
		{"body at cap", "/bigchunked", Options{MaxBytes: 5000}, "", ""},
		{"timeout in body", "/stall", Options{Timeout: 200 * time.Millisecond}, slant.EINVALID, "no complete answer within 200ms"},
		{"timeout", "/slow", Options{Timeout: 200 * time.Millisecond}, slant.EINVALID, "no complete answer within 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opt.AllowPrivate = true
			_, err := Load(context.Background(), Source{Name: srv.URL + tt.path, Kind: KindURL}, nil, tt.opt)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if slant.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q (code %s), want code %s containing %q", err, slant.ErrorCode(err), tt.code, tt.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
		})
	}
}

func TestFetchRefusesPrivate(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	for _, u := range []string{
		srv.URL + "/page", // a live server: refused before connecting
		"http://localhost:" + port + "/page",
		"http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::1]:" + port + "/page",
		"http://[::ffff:127.0.0.1]:" + port + "/page",
		"http://0.0.0.0:" + port + "/page",
		"https://192.168.1.1/",
	} {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			_, err := Load(context.Background(), Source{Name: u, Kind: KindURL}, nil, Options{})
			if err == nil || !strings.Contains(err.Error(), "refusing to connect") {
				t.Fatalf("err = %v, want a refusal", err)
			}
			// The message must name the way out: an earlier one said
			// "allow them explicitly" without naming the flag.
			if !strings.Contains(err.Error(), "--allow-private") {
				t.Errorf("err = %v, want it to name --allow-private", err)
			}
			if slant.ErrorCode(err) != slant.EINVALID {
				t.Errorf("code %s", slant.ErrorCode(err))
			}
		})
	}
}

// TestFetchRefusesRedirectToPrivate shows that the check is made on the
// address dialled, so a redirect cannot lead around it: the policy here
// allows the test server on 127.0.0.1 and refuses 127.0.0.2.
func TestFetchRefusesRedirectToPrivate(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	only2 := func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.2") }
	opt := Options{}
	opt.Client = newClient(opt, only2)
	if _, err := Load(context.Background(), Source{Name: srv.URL + "/page", Kind: KindURL}, nil, opt); err != nil {
		t.Fatalf("allowed address refused: %v", err)
	}
	_, err := Load(context.Background(), Source{Name: srv.URL + "/toprivate", Kind: KindURL}, nil, opt)
	if err == nil || !strings.Contains(err.Error(), "refusing to connect to non-public address 127.0.0.2") {
		t.Fatalf("err = %v, want a refusal of 127.0.0.2", err)
	}
}

func TestRefusedAddr(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"127.0.0.1": true, "127.9.9.9": true, "10.0.0.1": true, "172.16.0.1": true, "172.31.255.255": true,
		"192.168.0.10": true, "169.254.169.254": true, "0.0.0.0": true, "0.1.2.3": true, "100.64.0.1": true,
		"100.127.255.255": true, "224.0.0.1": true, "255.255.255.255": true,
		"::1": true, "::": true, "fc00::1": true, "fd12:3456::1": true, "fe80::1": true, "ff02::1": true,
		"::ffff:10.0.0.1": true, "::ffff:127.0.0.1": true,
		"8.8.8.8": false, "172.32.0.1": false, "100.128.0.1": false, "93.184.216.34": false,
		"2606:4700::1111": false, "::ffff:8.8.8.8": false,
	}
	for s, want := range tests {
		if got := refusedAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("refusedAddr(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestExpandURL(t *testing.T) {
	t.Parallel()
	srcs, errs := Expand([]string{"https://example.com/a", "HTTP://Example.com/b", "http://", "https:///nohost"})
	if len(srcs) != 2 || srcs[0].Kind != KindURL || srcs[1].Kind != KindURL {
		t.Errorf("srcs = %+v", srcs)
	}
	if len(errs) != 2 {
		t.Errorf("errs = %v", errs)
	}
}
