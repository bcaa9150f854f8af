package http

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestXSSArticle sends an article whose title and text carry script and
// event-handler markup. The API must hand it back as JSON data (never as
// something a browser would render), and the page must have no way of
// turning it into markup: no inline script or handler in the HTML, and no
// HTML-parsing sink in the script. The browser test (e2e/) checks the same
// article in Chromium.
func TestXSSArticle(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	xss := fixture(t, "xss.txt")

	var res analyzeResponse
	resp := do(t, srv, "POST", "/api/v1/analyze?store=1", "text/plain", strings.NewReader(xss), &res)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("a browser could sniff the answer as HTML: %v", resp.Header)
	}
	if res.Report.Article.Text != xss || !strings.Contains(res.Report.Article.Title, "<script>") {
		t.Errorf("the text was altered: %q", res.Report.Article.Title)
	}
	// The stored copy and the listing come back as data too.
	var page articlesPage
	do(t, srv, "GET", "/api/v1/articles?q=minister", "", nil, &page)
	if len(page.Articles) != 1 || !strings.Contains(page.Articles[0].Title, "onerror") {
		t.Errorf("listing %+v", page.Articles)
	}

	t.Run("page has no inline script or handlers", func(t *testing.T) {
		resp, err := srv.Client().Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *html.Node)
		scripts := 0
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" ||
						strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
						t.Errorf("<%s %s=%q>: inline code or style breaks the CSP", n.Data, a.Key, a.Val)
					}
				}
				if n.Data == "script" {
					scripts++
					src := ""
					for _, a := range n.Attr {
						if a.Key == "src" {
							src = a.Val
						}
					}
					if src == "" || n.FirstChild != nil {
						t.Errorf("inline <script> in the page")
					}
					if strings.Contains(src, "//") {
						t.Errorf("script from another origin: %s", src)
					}
				}
				if n.Data == "style" || (n.Data == "link" && strings.Contains(attr(n, "href"), "//")) {
					t.Errorf("inline style or remote stylesheet: <%s>", n.Data)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if scripts != 1 {
			t.Errorf("%d scripts, want the one app.js", scripts)
		}
	})

	t.Run("script builds the DOM from text only", func(t *testing.T) {
		js, err := assets.ReadFile("assets/app.js")
		if err != nil {
			t.Fatal(err)
		}
		sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc|createContextualFragment|DOMParser`)
		for i, line := range strings.Split(string(js), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if m := sinks.FindString(code); m != "" {
				t.Errorf("app.js:%d uses %s, an HTML sink", i+1, m)
			}
		}
	})
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestCSVSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"rt.com": "rt.com", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "": "",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzAnalyzeBody sends arbitrary bodies under the accepted content types:
// the server must answer every one with JSON and never with a 5xx.
func FuzzAnalyzeBody(f *testing.F) {
	srv, _ := testServer(f, Options{MaxBodyBytes: 1 << 16})
	f.Add("application/json", []byte(`{"text":"The traitors closed the bridge."}`))
	f.Add("text/plain", []byte("Title\n\nThe cowards did it."))
	f.Add("text/html", []byte("<html><body><p>The traitors</p></body></html>"))
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello traitors\r\n--x--\r\n"))
	f.Add("application/json", []byte(`{"text":"\u0000\ud800","title":"<script>"}`))
	f.Add("text/plain; charset=utf-8", []byte("\xff\xfe\x00a"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		resp, err := srv.Client().Post(srv.URL+"/api/v1/analyze", ct, bytes.NewReader(body))
		if err != nil {
			// A content type net/http refuses to send is not the server's
			// concern.
			t.Skip(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q %q: %s", resp.StatusCode, ct, body, data)
		}
		if !json.Valid(data) {
			t.Fatalf("answer is not JSON: %s", data)
		}
	})
}
