package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser: $SLANT_CHROMIUM, else Debian's path, else
// the usual names on $PATH.
func chromium() string {
	if p := os.Getenv("SLANT_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// server is a running `slant serve`.
type server struct {
	URL    string
	stderr *bytes.Buffer
}

// startServer builds cmd/slant and runs `slant serve` on 127.0.0.1:0 with
// a fresh store, returning once it says where it listens.
func startServer(t *testing.T, extra ...string) *server {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "slant")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.Command(gobin, "build", "-o", bin, "../cmd/slant")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/slant: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "slant.db")}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "SLANT_TOKEN=")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
	})
	s := &server{stderr: &bytes.Buffer{}}
	addr := make(chan string, 1)
	var mu sync.Mutex
	go func() {
		re := regexp.MustCompile(`serving (http://[^/ ]+)/`)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case u, ok := <-addr:
		if !ok {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("slant serve exited:\n%s", s.stderr)
		}
		s.URL = u
	case <-time.After(60 * time.Second):
		t.Fatal("slant serve did not start within 60 s")
	}
	return s
}

// post sends JSON to the API and decodes the answer.
func (s *server) post(t *testing.T, path string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(s.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatal(err)
		}
	}
}

// browser is a headless Chromium tab. Dialogs (alert, confirm) opened by
// the page are recorded and dismissed; uncaught exceptions are recorded.
type browser struct {
	ctx        context.Context
	mu         sync.Mutex
	dialogs    []string
	exceptions []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	if os.Getenv("SLANT_E2E") != "1" {
		t.Skip("browser tests run with SLANT_E2E=1 (.ci/run sets it after installing chromium)")
	}
	path := chromium()
	if path == "" {
		t.Skip("no Chromium found (looked at $SLANT_CHROMIUM, /usr/bin/chromium and $PATH): install it with apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	b := &browser{ctx: ctx}
	// The first Run starts the browser; it must not run under a timeout,
	// which would stop the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			// A command may not run inside the listener: dismiss later.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *cdpruntime.EventExceptionThrown:
			b.mu.Lock()
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.exceptions = append(b.exceptions, msg)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// do runs steps with a time limit, failing the test on error.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one action that returns a value.
func get[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func screenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	png := get(t, b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("out", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/%s", path)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exampleOutlets names the outlets of the example articles
// (examples/README.md), in file order so the store sees them in the same
// order every run.
var exampleOutlets = [][2]string{
	{"01-wire-meridian.txt", "meridianwire.example"},
	{"02-opinion-patriot.txt", "velorianpatriot.example"},
	{"03-state-vnt.txt", "vnt.example"},
	{"04-republished-truthbeacon.txt", "truthbeacon.example"},
	{"05-satire-sluice.txt", "thesluice.example"},
	{"06-local-orna-courier.txt", "ornacourier.example"},
}

func TestAnalysePage(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	article := readFile(t, "../examples/02-opinion-patriot.txt")

	b.do(t, "analyse an example",
		chromedp.Navigate(srv.URL+"/#/analyse"),
		chromedp.WaitVisible(chromedp.CSS("#input-text")),
		chromedp.SetValue(chromedp.CSS("#input-text"), article),
		chromedp.Click(chromedp.CSS("#analyse-button")),
		chromedp.WaitVisible(chromedp.CSS("#article-text mark")),
	)
	marks := get(t, b, "count highlights", chromedp.Evaluate[int](`document.querySelectorAll('#article-text mark').length`))
	analyzers := get(t, b, "analyzers", chromedp.Text(chromedp.CSS(".analyzers")))
	if marks == 0 {
		t.Fatalf("no highlighted spans after analysing %d bytes (%s)", len(article), analyzers)
	}
	t.Logf("%d highlighted spans; %s", marks, analyzers)

	// Hovering or clicking a span shows what it is.
	label := get(t, b, "label", chromedp.AttributeValue(chromedp.CSS("#article-text mark"), "data-label")).Value
	kind := get(t, b, "kind", chromedp.AttributeValue(chromedp.CSS("#article-text mark"), "data-kind")).Value
	b.do(t, "click a span",
		chromedp.ScrollIntoView(chromedp.CSS("#article-text mark")),
		chromedp.Click(chromedp.CSS("#article-text mark")),
		chromedp.WaitVisible(chromedp.CSS("#tip")))
	tip := get(t, b, "tip", chromedp.Text(chromedp.CSS("#tip")))
	if label == "" || !strings.Contains(tip, label) {
		t.Errorf("the tip of a %s span says %q, not its label %q", kind, tip, label)
	}
	if kind == "technique" && !strings.Contains(tip, "confidence") {
		t.Errorf("technique tip without confidence: %q", tip)
	}
	t.Logf("clicked %s span %q: tip %q", kind, label, tip)
	screenshot(t, b, "analyse.png")

	// Each filter shows one kind of annotation only.
	for _, k := range []string{"entity", "quote", "technique"} {
		b.do(t, "filter "+k, chromedp.Click(chromedp.CSS(`.kinds button[data-kind="`+k+`"]`)))
		kinds := get(t, b, "kinds shown", chromedp.Evaluate[[]string](
			`Array.from(new Set(Array.from(document.querySelectorAll('#article-text mark')).map(m => m.dataset.kind)))`))
		if len(kinds) > 1 || (len(kinds) == 1 && kinds[0] != k) {
			t.Errorf("filter %s shows %v", k, kinds)
		}
	}

	// The page is small: the document and its assets under 300 KB.
	weight := get(t, b, "page weight", chromedp.Evaluate[float64](`(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		let n = nav.encodedBodySize || 0;
		for (const r of performance.getEntriesByType('resource')) if (!r.name.includes('/api/')) n += r.encodedBodySize || 0;
		return n; })()`))
	if weight <= 0 || weight > 300<<10 {
		t.Errorf("page weight %.0f bytes, want (0, 300 KB]", weight)
	}
	t.Logf("page weight: %.0f bytes", weight)
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.exceptions) > 0 {
		t.Errorf("script errors: %v", b.exceptions)
	}
}

// TestXSS pastes an article whose title and text are script and
// event-handler markup: nothing may run, no element may be created from
// it, and the markup must show as text.
func TestXSS(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	xss := readFile(t, "testdata/xss.txt")
	// Store it too, so the library and article views show it.
	srv.post(t, "/api/v1/analyze", map[string]any{"text": xss, "store": true, "outlet": "<img src=x onerror=alert(3)>"}, nil)

	check := func(where string) {
		t.Helper()
		injected := get(t, b, "injected", chromedp.Evaluate[int](`document.querySelectorAll('main img, main script, main b, #tip img').length`))
		scripts := get(t, b, "scripts", chromedp.Evaluate[int](`document.scripts.length`))
		title := get(t, b, "title", chromedp.Title())
		if injected != 0 || scripts != 1 || strings.Contains(title, "owned") {
			t.Errorf("%s: %d injected elements, %d scripts, title %q", where, injected, scripts, title)
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.dialogs) > 0 {
			t.Errorf("%s: a dialog opened: %v", where, b.dialogs)
		}
	}

	b.do(t, "analyse the markup",
		chromedp.Navigate(srv.URL+"/#/analyse"),
		chromedp.WaitVisible(chromedp.CSS("#input-text")),
		chromedp.SetValue(chromedp.CSS("#input-text"), xss),
		chromedp.Click(chromedp.CSS("#analyse-button")),
		chromedp.WaitVisible(chromedp.CSS("#article-text")))
	shown := get(t, b, "title", chromedp.Text(chromedp.CSS("#analyse-report .title")))
	if !strings.Contains(shown, `<script>alert("title")</script>`) {
		t.Errorf("title shown as %q, want the markup as text", shown)
	}
	body := get(t, b, "text", chromedp.Text(chromedp.CSS("#article-text")))
	if !strings.Contains(body, "<img src=x onerror=alert(2)>") {
		t.Errorf("article text shown as %q", body)
	}
	if n := get(t, b, "marks", chromedp.Evaluate[int](`document.querySelectorAll('#article-text mark').length`)); n > 0 {
		b.do(t, "click a span", chromedp.Click(chromedp.CSS("#article-text mark")), chromedp.WaitVisible(chromedp.CSS("#tip")))
	}
	check("analyse view")

	b.do(t, "library",
		chromedp.Navigate(srv.URL+"/#/library"),
		chromedp.WaitVisible(chromedp.CSS("#library-rows a")))
	check("library")
	b.do(t, "stored article",
		chromedp.Click(chromedp.CSS("#library-rows td:last-child a")),
		chromedp.WaitVisible(chromedp.CSS("#article-report .title")))
	check("stored article")
	b.do(t, "outlet", chromedp.Navigate(srv.URL+"/#/outlet/"+url.PathEscape("<img src=x onerror=alert(3)>")),
		chromedp.WaitVisible(chromedp.CSS("#outlet h1")))
	check("outlet")
	screenshot(t, b, "xss.png")
}

// TestStoryView stores the example articles with their outlets and opens
// the side-by-side view of the story they form, then the trends.
func TestStoryView(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	for _, ex := range exampleOutlets {
		srv.post(t, "/api/v1/analyze", map[string]any{"text": readFile(t, filepath.Join("..", "examples", ex[0])), "outlet": ex[1], "store": true}, nil)
	}
	b.do(t, "open the story",
		chromedp.Navigate(srv.URL+"/#/stories"),
		chromedp.WaitVisible(chromedp.CSS("#stories-list a")),
		chromedp.Click(chromedp.CSS("#stories-list a")),
		chromedp.WaitVisible(chromedp.CSS(".outlet-col")))
	cols := get(t, b, "columns", chromedp.Evaluate[int](`document.querySelectorAll('.outlet-col').length`))
	heading := get(t, b, "heading", chromedp.Text(chromedp.CSS("#story h1")))
	if cols < 2 {
		t.Errorf("story %q shows %d outlets side by side, want at least 2", heading, cols)
	}
	t.Logf("story %q: %d outlet columns", heading, cols)
	screenshot(t, b, "story.png")

	b.do(t, "trends",
		chromedp.Navigate(srv.URL+"/#/trends"),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	charts := get(t, b, "charts", chromedp.Evaluate[int](`document.querySelectorAll('svg.chart').length`))
	csvHref := get(t, b, "csv link", chromedp.AttributeValue(chromedp.CSS(".trend a.button"), "href")).Value
	if charts == 0 || !strings.Contains(csvHref, "format=csv") {
		t.Errorf("%d charts, CSV link %q", charts, csvHref)
	}
	screenshot(t, b, "trends.png")
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.exceptions) > 0 {
		t.Errorf("script errors: %v", b.exceptions)
	}
}

// TestLogin starts a server with a token: the page must ask for it, and
// logging in through the form must open the API to the page.
func TestLogin(t *testing.T) {
	b := newBrowser(t)
	const token = "e2e-token-123"
	srv := startServer(t, "--token", token)
	b.do(t, "log in",
		chromedp.Navigate(srv.URL+"/#/library"),
		chromedp.WaitVisible(chromedp.CSS("#view-login input[name=token]")),
		chromedp.SendKeys(chromedp.CSS("#view-login input[name=token]"), token),
		chromedp.Submit(chromedp.CSS("#view-login form")),
		chromedp.WaitVisible(chromedp.CSS("#view-analyse")),
		chromedp.Navigate(srv.URL+"/#/library"),
		chromedp.WaitVisible(chromedp.CSS("#library-rows td")))
	if status := get(t, b, "status", chromedp.Text(chromedp.CSS("#status"))); status != "" {
		t.Errorf("after login the library says %q", status)
	}
}

// TestAnalyseSources analyses an uploaded file and a URL through the page.
// The URL is served on loopback, so the server runs with --allow-private.
func TestAnalyseSources(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "--allow-private")
	page := httptest.NewServer(http.FileServer(http.Dir("../examples")))
	defer page.Close()
	upload, err := filepath.Abs("../examples/06-local-orna-courier.txt")
	if err != nil {
		t.Fatal(err)
	}

	b.do(t, "upload a file",
		chromedp.Navigate(srv.URL+"/#/analyse"),
		chromedp.Click(chromedp.CSS(`.tabs [data-source="file"]`)),
		chromedp.WaitVisible(chromedp.CSS("#input-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#input-file"), []string{upload}),
		chromedp.Click(chromedp.CSS("#analyse-button")),
		chromedp.WaitVisible(chromedp.CSS("#analyse-report .title")))
	if title := get(t, b, "title", chromedp.Text(chromedp.CSS("#analyse-report .title"))); !strings.Contains(title, "Lodva") {
		t.Errorf("uploaded article titled %q", title)
	}

	// Several files go as one batch job, polled until done.
	var files []string
	for _, n := range []string{"01-wire-meridian.txt", "03-state-vnt.txt", "05-satire-sluice.txt"} {
		p, _ := filepath.Abs(filepath.Join("..", "examples", n))
		files = append(files, p)
	}
	b.do(t, "upload a batch",
		chromedp.SetUploadFiles(chromedp.CSS("#input-file"), files),
		chromedp.Click(chromedp.CSS("#analyse-button")),
		chromedp.WaitVisible(chromedp.CSS("ol.batch li:nth-child(3)")),
		chromedp.Click(chromedp.CSS("ol.batch li:nth-child(2) button")),
		chromedp.WaitVisible(chromedp.CSS("#analyse-report .title")))
	if title := get(t, b, "title", chromedp.Text(chromedp.CSS("#analyse-report .title"))); !strings.Contains(title, "Government mobilises") {
		t.Errorf("second file of the batch shows %q", title)
	}

	b.do(t, "analyse a URL",
		chromedp.Click(chromedp.CSS(`.tabs [data-source="url"]`)),
		chromedp.WaitVisible(chromedp.CSS("#input-url")),
		chromedp.SetValue(chromedp.CSS("#input-url"), page.URL+"/05-satire-sluice.txt"),
		chromedp.Click(chromedp.CSS("#analyse-button")),
		chromedp.WaitVisible(chromedp.CSS(`#analyse-report .meta a[href^="http"]`)))
	if title := get(t, b, "title", chromedp.Text(chromedp.CSS("#analyse-report .title"))); !strings.Contains(title, "Minister assures") {
		t.Errorf("fetched article titled %q", title)
	}
	if status := get(t, b, "status", chromedp.Text(chromedp.CSS("#status"))); !strings.HasPrefix(status, "Analysed") {
		t.Errorf("status %q", status)
	}
}
