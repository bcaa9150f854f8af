package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sqlite"
)

// wordAnalyzer is a small deterministic analyzer for tests: it marks every
// occurrence of a few loaded words as Name_Calling-Labeling, "Whitlow" and
// "Brandt" as person entities, and text in curly quotes as direct quotes.
type wordAnalyzer struct{}

func (wordAnalyzer) Name() string { return "words" }

func (wordAnalyzer) Analyze(ctx context.Context, r *slant.Report) error {
	text := r.Article.Text
	for _, w := range []string{"traitors", "cowards"} {
		for off := 0; ; {
			i := strings.Index(text[off:], w)
			if i < 0 {
				break
			}
			s := off + i
			r.Techniques = append(r.Techniques, slant.TechniqueSpan{Span: slant.Span{Start: s, End: s + len(w)}, Technique: "Name_Calling-Labeling", Score: 0.9})
			off = s + len(w)
		}
	}
	for id, name := range []string{"Whitlow", "Brandt"} {
		if i := strings.Index(text, name); i >= 0 {
			r.Entities = append(r.Entities, slant.Entity{ID: id + 1, Name: name, Kind: slant.KindPerson,
				Mentions: []slant.Mention{{Span: slant.Span{Start: i, End: i + len(name)}, Text: name}},
				Role:     &slant.Role{Main: slant.Protagonist, Score: 0.7}})
		}
	}
	if i := strings.Index(text, "“"); i >= 0 {
		if j := strings.Index(text[i:], "”"); j > 0 {
			end := i + j + len("”")
			r.Quotes = append(r.Quotes, slant.Quote{Span: slant.Span{Start: i, End: end}, Kind: slant.QuoteDirect, Text: text[i:end], Resolved: true})
		}
	}
	return nil
}

// testServer starts the real handler over a fresh store in a temp dir.
func testServer(t testing.TB, opt Options) (*httptest.Server, *sqlite.DB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "slant.db"))
	if err != nil {
		t.Fatal(err)
	}
	if opt.Analyzers == nil {
		opt.Analyzers = []slant.Analyzer{wordAnalyzer{}}
	}
	if opt.Store == nil {
		opt.Store = store
		if opt.Regroup == nil {
			opt.Regroup = testRegroup(store)
		}
	}
	opt.Context = ctx
	srv := httptest.NewServer(NewServer(opt))
	t.Cleanup(func() {
		srv.Close()
		cancel()
		store.Close()
	})
	return srv, store
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// do sends a request and decodes a JSON answer into out (when not nil).
func do(t *testing.T, srv *httptest.Server, method, path, contentType string, body io.Reader, out any, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d, body not JSON: %v\n%s", method, path, resp.StatusCode, err, data)
		}
	}
	return resp
}

func jsonBody(t *testing.T, v any) io.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// storeArticle analyses and stores a fixture through the API.
func storeArticle(t *testing.T, srv *httptest.Server, name, outlet string, published time.Time) string {
	t.Helper()
	var res analyzeResponse
	resp := do(t, srv, "POST", "/api/v1/analyze", "application/json",
		jsonBody(t, articleRequest{Text: fixture(t, name), Outlet: outlet, Published: published, Store: true}), &res)
	if resp.StatusCode != 200 || !res.Stored {
		t.Fatalf("store %s: %d %+v", name, resp.StatusCode, res)
	}
	return res.ID
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{MaxBodyBytes: 64 << 10})
	voice := fixture(t, "bridge-voice.txt")

	multipartBody := func(field, filename, content string, extra map[string]string) (string, io.Reader) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range extra {
			mw.WriteField(k, v)
		}
		if field != "" {
			fw, _ := mw.CreateFormFile(field, filename)
			fw.Write([]byte(content))
		}
		mw.Close()
		return mw.FormDataContentType(), &buf
	}
	upCT, upBody := multipartBody("file", "voice.txt", voice, map[string]string{"outlet": "voice.example"})
	htmlCT, htmlBody := multipartBody("file", "page.html", "<html><head><title>Bridge shut</title></head><body><article><h1>Bridge shut</h1><p>The cowards closed the bridge on Tuesday after inspectors found cracks in three cables that hold the deck.</p><p>Ferries will run until the repairs are done, the city said on Tuesday evening.</p></article></body></html>", nil)
	fieldCT, fieldBody := multipartBody("", "", "", map[string]string{"text": voice})

	tests := []struct {
		name       string
		path, ct   string
		body       io.Reader
		wantStatus int
		wantCode   string
		wantTechs  int
		wantOutlet string
	}{
		{"json", "/api/v1/analyze", "application/json", jsonBody(t, map[string]any{"text": voice, "url": "https://www.voice.example/a/1"}), 200, "", 2, "voice.example"},
		{"plain text", "/api/v1/analyze?outlet=v.example", "text/plain; charset=utf-8", strings.NewReader(voice), 200, "", 2, "v.example"},
		{"upload", "/api/v1/analyze", upCT, upBody, 200, "", 2, "voice.example"},
		{"html upload", "/api/v1/analyze", htmlCT, htmlBody, 200, "", 1, ""},
		{"form text", "/api/v1/analyze", fieldCT, fieldBody, 200, "", 2, ""},
		{"html body", "/api/v1/analyze", "text/html", strings.NewReader("<html><body><article><h1>Shut</h1><p>The traitors shut the bridge on Tuesday after inspectors found the cables cracked in three places.</p><p>Repairs take six weeks.</p></article></body></html>"), 200, "", 1, ""},
		{"empty json", "/api/v1/analyze", "application/json", strings.NewReader("{}"), 400, "invalid", 0, ""},
		{"blank text", "/api/v1/analyze", "application/json", strings.NewReader(`{"text":"  \n "}`), 400, "invalid", 0, ""},
		{"bad json", "/api/v1/analyze", "application/json", strings.NewReader(`{"text":`), 400, "invalid", 0, ""},
		{"unknown field", "/api/v1/analyze", "application/json", strings.NewReader(`{"txt":"a"}`), 400, "invalid", 0, ""},
		{"empty body", "/api/v1/analyze", "application/json", strings.NewReader(""), 400, "invalid", 0, ""},
		{"binary text", "/api/v1/analyze", "text/plain", strings.NewReader("\x00\x01\x02\x03binary\x00"), 400, "invalid", 0, ""},
		{"bad charset", "/api/v1/analyze", "text/plain; charset=latin1", strings.NewReader("x"), 422, "unsupported", 0, ""},
		{"unsupported type", "/api/v1/analyze", "image/png", strings.NewReader("x"), 422, "unsupported", 0, ""},
		{"too large json", "/api/v1/analyze", "application/json", jsonBody(t, map[string]string{"text": strings.Repeat("word ", 20000)}), 413, "too_large", 0, ""},
		{"too large text", "/api/v1/analyze", "text/plain", strings.NewReader(strings.Repeat("x", 65<<10)), 413, "too_large", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw map[string]json.RawMessage
			resp := do(t, srv, "POST", tt.path, tt.ct, tt.body, &raw)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, raw["error"])
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.wantStatus != 200 {
				var e errorBody
				json.Unmarshal(raw["error"], &e.Error)
				if e.Error.Code != tt.wantCode || e.Error.Message == "" {
					t.Errorf("error %+v, want code %q and a message", e.Error, tt.wantCode)
				}
				return
			}
			var rep slant.Report
			if err := json.Unmarshal(raw["report"], &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Techniques) != tt.wantTechs {
				t.Errorf("%d technique spans, want %d", len(rep.Techniques), tt.wantTechs)
			}
			for _, s := range rep.Techniques {
				if got := s.Span.Text(rep.Article.Text); got != "traitors" && got != "cowards" {
					t.Errorf("span %+v covers %q", s.Span, got)
				}
				if s.CPEnd <= s.CPStart {
					t.Errorf("span %+v has no code point offsets", s.Span)
				}
			}
			if rep.Article.Outlet != tt.wantOutlet {
				t.Errorf("outlet %q, want %q", rep.Article.Outlet, tt.wantOutlet)
			}
			if len(rep.Analyzers) != 1 || rep.Analyzers[0] != "words" {
				t.Errorf("analyzers %v", rep.Analyzers)
			}
		})
	}
}

// TestAnalyzeURL checks that URL analysis goes through ingest's address
// checks: a page on loopback is refused unless the server allows private
// addresses.
func TestAnalyzeURL(t *testing.T) {
	t.Parallel()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, fixture(t, "bridge-voice.txt"))
	}))
	defer page.Close()

	for _, allow := range []bool{false, true} {
		srv, _ := testServer(t, Options{AllowPrivate: allow})
		var raw map[string]json.RawMessage
		resp := do(t, srv, "POST", "/api/v1/analyze", "application/json", jsonBody(t, map[string]string{"url": page.URL + "/story"}), &raw)
		switch {
		case !allow && resp.StatusCode != 400:
			t.Errorf("private fetch: status %d, want 400 (%s)", resp.StatusCode, raw["error"])
		case !allow && !strings.Contains(string(raw["error"]), "private"):
			t.Errorf("private fetch error does not say why: %s", raw["error"])
		case allow && resp.StatusCode != 200:
			t.Errorf("allowed fetch: status %d (%s)", resp.StatusCode, raw["error"])
		}
	}
}

func TestArticles(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	day := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	ids := map[string]string{}
	for i, f := range []string{"bridge-herald.txt", "bridge-voice.txt", "bridge-gazette.txt"} {
		outlet := strings.TrimSuffix(strings.TrimPrefix(f, "bridge-"), ".txt") + ".example"
		ids[f] = storeArticle(t, srv, f, outlet, day.AddDate(0, 0, i))
	}

	t.Run("get", func(t *testing.T) {
		var res analyzeResponse
		resp := do(t, srv, "GET", "/api/v1/articles/"+ids["bridge-voice.txt"], "", nil, &res)
		if resp.StatusCode != 200 || res.Report == nil || !strings.Contains(res.Report.Article.Text, "traitors") || len(res.Report.Techniques) != 2 {
			t.Fatalf("%d %+v", resp.StatusCode, res)
		}
		var e errorBody
		if resp := do(t, srv, "GET", "/api/v1/articles/0000000000000000", "", nil, &e); resp.StatusCode != 404 || e.Error.Code != "not_found" {
			t.Errorf("missing article: %d %+v", resp.StatusCode, e)
		}
	})

	filters := []struct {
		query  string
		status int
		want   []string
	}{
		{"", 200, []string{"bridge-gazette.txt", "bridge-voice.txt", "bridge-herald.txt"}},
		{"q=ferries", 200, []string{"bridge-gazette.txt", "bridge-herald.txt"}},
		{"q=mayor+vigilance", 200, []string{"bridge-gazette.txt"}},
		{"outlet=voice.example", 200, []string{"bridge-voice.txt"}},
		{"technique=Name_Calling-Labeling", 200, []string{"bridge-voice.txt"}},
		{"since=2026-03-04", 200, []string{"bridge-gazette.txt", "bridge-voice.txt"}},
		{"until=2026-03-04", 200, []string{"bridge-voice.txt", "bridge-herald.txt"}},
		{"narrative=Nothing", 200, nil},
		{"since=yesterday", 400, nil},
		{"limit=0", 400, nil},
		{"limit=501", 400, nil},
		{"offset=-1", 400, nil},
	}
	for _, f := range filters {
		t.Run("filter "+f.query, func(t *testing.T) {
			var page articlesPage
			resp := do(t, srv, "GET", "/api/v1/articles?"+f.query, "", nil, &page)
			if resp.StatusCode != f.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, f.status)
			}
			if f.status != 200 {
				return
			}
			if page.Articles == nil {
				t.Error("articles is null, want a list")
			}
			var got []string
			for _, a := range page.Articles {
				got = append(got, a.ID)
			}
			var want []string
			for _, n := range f.want {
				want = append(want, ids[n])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}

	t.Run("pagination", func(t *testing.T) {
		next, seen := "/api/v1/articles?limit=2", []string{}
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("pagination does not end")
			}
			var page articlesPage
			if resp := do(t, srv, "GET", next, "", nil, &page); resp.StatusCode != 200 {
				t.Fatalf("%s: %d", next, resp.StatusCode)
			}
			if len(page.Articles) > 2 {
				t.Errorf("page of %d articles with limit 2", len(page.Articles))
			}
			for _, a := range page.Articles {
				seen = append(seen, a.ID)
			}
			next = page.Next
		}
		if len(seen) != 3 {
			t.Errorf("paged through %d articles, want 3", len(seen))
		}
	})
}

func TestJobs(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	req := map[string]any{"articles": []map[string]any{
		{"text": fixture(t, "bridge-herald.txt")},
		{"text": ""},
		{"text": fixture(t, "bridge-voice.txt"), "outlet": "voice.example"},
		{"html": "<html><head><title>Ferry fares waived</title></head><body><article><h1>Ferry fares waived</h1><p>The city waived ferry fares on Wednesday while the Pellmark bridge stays closed for repairs to its cables.</p><p>Officials expect the repairs to last six weeks.</p></article></body></html>"},
	}, "store": true}
	var raw map[string]json.RawMessage
	resp := do(t, srv, "POST", "/api/v1/jobs", "application/json", jsonBody(t, req), &raw)
	if string(raw["results"]) == "null" {
		t.Error("a new job lists its results as null, want []")
	}
	var j job
	if err := json.Unmarshal(mustJSON(t, raw), &j); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 202 || j.ID == "" || j.Total != 4 {
		t.Fatalf("create: %d %+v", resp.StatusCode, j)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/jobs/"+j.ID {
		t.Errorf("Location %q", loc)
	}
	// Poll as a client would, until the job finishes or the test's time
	// runs out.
	deadline := time.Now().Add(20 * time.Second)
	for j.Status != jobDone {
		if time.Now().After(deadline) {
			t.Fatalf("job not done: %+v", j)
		}
		time.Sleep(10 * time.Millisecond)
		if resp := do(t, srv, "GET", "/api/v1/jobs/"+j.ID, "", nil, &j); resp.StatusCode != 200 {
			t.Fatalf("poll: %d", resp.StatusCode)
		}
	}
	if j.Done != 4 || j.Failed != 1 || len(j.Results) != 4 || j.Finished == nil {
		t.Fatalf("finished job %+v", j)
	}
	for i, r := range j.Results {
		if r.Index != i {
			t.Errorf("result %d has index %d", i, r.Index)
		}
		if i == 1 {
			if r.Error == nil || r.Error.Code != "invalid" || r.Report != nil {
				t.Errorf("empty article: %+v", r)
			}
			continue
		}
		if r.Error != nil || !r.Stored || r.Report == nil {
			t.Errorf("article %d: %+v", i, r)
		}
		if i == 3 && (r.Report.Article.Title != "Ferry fares waived" || strings.Contains(r.Report.Article.Text, "<p>")) {
			t.Errorf("page not extracted: %+v", r.Report.Article)
		}
	}
	var page articlesPage
	do(t, srv, "GET", "/api/v1/articles", "", nil, &page)
	if len(page.Articles) != 3 {
		t.Errorf("%d articles stored by the job, want 3", len(page.Articles))
	}

	bad := []struct {
		name, body string
		status     int
	}{
		{"no articles", `{"articles":[]}`, 400},
		{"not json", `articles`, 400},
		{"too many", `{"articles":[` + strings.Repeat(`{"text":"a"},`, MaxJobArticles) + `{"text":"a"}]}`, 400},
	}
	for _, b := range bad {
		var e errorBody
		if resp := do(t, srv, "POST", "/api/v1/jobs", "application/json", strings.NewReader(b.body), &e); resp.StatusCode != b.status || e.Error.Message == "" {
			t.Errorf("%s: %d %+v", b.name, resp.StatusCode, e)
		}
	}
	var e errorBody
	if resp := do(t, srv, "GET", "/api/v1/jobs/nope", "", nil, &e); resp.StatusCode != 404 || e.Error.Code != "not_found" {
		t.Errorf("missing job: %d %+v", resp.StatusCode, e)
	}
}

func TestJobQueueEvictsFinished(t *testing.T) {
	t.Parallel()
	q := newJobQueue(context.Background(), 2)
	a, _ := q.add(1)
	if _, err := q.add(1); err != nil {
		t.Fatal(err)
	}
	if _, err := q.add(1); slant.ErrorCode(err) != slant.ECONFLICT {
		t.Fatalf("third unfinished job: %v, want a conflict", err)
	}
	q.update(a, func(j *job) { j.Status = jobDone })
	if _, err := q.add(1); err != nil {
		t.Fatalf("after one finished: %v", err)
	}
	if _, ok := q.snapshot(a.ID); ok {
		t.Error("the finished job was not forgotten")
	}
}

func TestStoriesCompareTrendsOutlets(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	day := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	for i, f := range []string{"bridge-herald.txt", "bridge-voice.txt", "bridge-gazette.txt"} {
		outlet := strings.TrimSuffix(strings.TrimPrefix(f, "bridge-"), ".txt") + ".example"
		storeArticle(t, srv, f, outlet, day.Add(time.Duration(i)*time.Hour))
	}

	// A later republication of the voice article (the same words, laid out
	// differently) is its copy, not a voice.
	var cp analyzeResponse
	do(t, srv, "POST", "/api/v1/analyze", "application/json", jsonBody(t, articleRequest{
		Text: fixture(t, "bridge-voice.txt") + "\n\n", Outlet: "copy.example",
		Published: day.Add(5 * time.Hour), Store: true}), &cp)

	var list storiesPage
	if resp := do(t, srv, "GET", "/api/v1/stories", "", nil, &list); resp.StatusCode != 200 || len(list.Stories) == 0 {
		t.Fatalf("stories: %d %+v", resp.StatusCode, list)
	}
	top := list.Stories[0]
	if top.Articles < 2 || len(top.Voices) < 2 {
		t.Fatalf("the bridge articles were not grouped: %+v", list.Stories)
	}

	var d map[string]json.RawMessage
	if resp := do(t, srv, "GET", "/api/v1/stories/"+itoa64(top.ID), "", nil, &d); resp.StatusCode != 200 {
		t.Fatalf("story: %d", resp.StatusCode)
	}
	var members []struct {
		ID     string `json:"id"`
		Outlet string `json:"outlet"`
		CopyOf string `json:"copy_of"`
	}
	json.Unmarshal(d["members"], &members)
	copies := 0
	for _, m := range members {
		if m.CopyOf != "" {
			copies++
			if m.ID != cp.ID || m.Outlet != "copy.example" {
				t.Errorf("copy %+v, want the later republication %s", m, cp.ID)
			}
		}
	}
	if copies != 1 {
		t.Errorf("%d copies among %+v, want 1", copies, members)
	}
	for _, k := range []string{"id", "title", "members", "voices", "articles", "outlets"} {
		if _, ok := d[k]; !ok {
			t.Errorf("story has no %q", k)
		}
	}

	var cmp comparison
	if resp := do(t, srv, "GET", "/api/v1/stories/"+itoa64(top.ID)+"/compare", "", nil, &cmp); resp.StatusCode != 200 {
		t.Fatalf("compare: %d", resp.StatusCode)
	}
	if len(cmp.Articles) != top.Articles {
		t.Errorf("%d articles listed, the story has %d", len(cmp.Articles), top.Articles)
	}
	if len(top.Voices) != top.Articles-1 || len(cmp.Outlets) != len(top.Voices) {
		t.Errorf("voices %v, %d outlet columns, %d articles: the copy must not count", top.Voices, len(cmp.Outlets), top.Articles)
	}
	for _, a := range cmp.Articles {
		if (a.CopyOf != "") != (a.Outlet == "copy.example") || a.Reason == "" {
			t.Errorf("article %+v", a)
		}
	}
	for _, o := range cmp.Outlets {
		if o.Words == 0 || len(o.Articles) == 0 || o.Outlet == "copy.example" {
			t.Errorf("outlet %s: %+v", o.Outlet, o)
		}
		if o.Outlet == "voice.example" {
			if len(o.Techniques) != 1 || o.Techniques[0].Count != 2 || o.Techniques[0].Per1000 <= 0 || len(o.TopSpans) != 2 {
				t.Errorf("voice techniques: %+v %+v", o.Techniques, o.TopSpans)
			}
		} else if len(o.Techniques) != 0 {
			t.Errorf("%s has techniques %+v", o.Outlet, o.Techniques)
		}
	}
	only := 0
	for _, q := range cmp.Quotes {
		if q.Only == "gazette.example" {
			only++
		}
	}
	if only != 1 {
		t.Errorf("quotes only the gazette used: %d in %+v", only, cmp.Quotes)
	}

	for _, bad := range []struct {
		path   string
		status int
	}{
		{"/api/v1/stories/999", 404}, {"/api/v1/stories/x", 400}, {"/api/v1/stories/999/compare", 404},
		{"/api/v1/stories?limit=abc", 400},
	} {
		var e errorBody
		if resp := do(t, srv, "GET", bad.path, "", nil, &e); resp.StatusCode != bad.status || e.Error.Code == "" {
			t.Errorf("%s: %d %+v", bad.path, resp.StatusCode, e)
		}
	}

	var tr trends
	if resp := do(t, srv, "GET", "/api/v1/trends", "", nil, &tr); resp.StatusCode != 200 {
		t.Fatalf("trends: %d", resp.StatusCode)
	}
	if len(tr.Weeks) != 1 || tr.Weeks[0] != "2026-W10" || len(tr.Outlets) != 2 || tr.Articles != 4 {
		t.Errorf("trends %+v", tr)
	}
	found := false
	for _, p := range tr.Points {
		if p.Outlet == "voice.example" && p.Label == "Name_Calling-Labeling" {
			found = p.Prevalence == 1 && p.Articles == 1 && p.Total == 1
		}
	}
	if !found {
		t.Errorf("no full-prevalence point for voice.example: %+v", tr.Points)
	}
	resp, err := srv.Client().Get(srv.URL + "/api/v1/trends?format=csv&kind=technique")
	if err != nil {
		t.Fatal(err)
	}
	csvData, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("csv headers %v", resp.Header)
	}
	// Trends count what each outlet published, copies included.
	if want := "kind,label,outlet,week,articles,total,prevalence\n" +
		"technique,Name_Calling-Labeling,copy.example,2026-W10,1,1,1.0000\n" +
		"technique,Name_Calling-Labeling,voice.example,2026-W10,1,1,1.0000\n"; string(csvData) != want {
		t.Errorf("csv:\n%s\nwant:\n%s", csvData, want)
	}
	for _, q := range []string{"kind=genre", "format=xml", "since=never"} {
		if resp := do(t, srv, "GET", "/api/v1/trends?"+q, "", nil, &errorBody{}); resp.StatusCode != 400 {
			t.Errorf("trends?%s: %d, want 400", q, resp.StatusCode)
		}
	}

	var op outletProfile
	if resp := do(t, srv, "GET", "/api/v1/outlets/voice.example", "", nil, &op); resp.StatusCode != 200 || op.Articles != 1 ||
		len(op.Recent) != 1 || len(op.Techniques) != 1 || op.Techniques[0].Label != "Name_Calling-Labeling" {
		t.Errorf("outlet: %d %+v", resp.StatusCode, op)
	}
	if resp := do(t, srv, "GET", "/api/v1/outlets/nothing-here.invalid", "", nil, &errorBody{}); resp.StatusCode != 404 {
		t.Errorf("unknown outlet: %d, want 404", resp.StatusCode)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestToken(t *testing.T) {
	t.Parallel()
	const tok = "s3cret-token"
	srv, _ := testServer(t, Options{Token: tok})
	noRedirect := *srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	tests := []struct {
		name   string
		method string
		path   string
		hdr    []string
		status int
	}{
		{"no token", "GET", "/api/v1/articles", nil, 401},
		{"wrong token", "GET", "/api/v1/articles", []string{"Authorization", "Bearer nope"}, 401},
		{"not bearer", "GET", "/api/v1/articles", []string{"Authorization", "Basic " + tok}, 401},
		{"bearer", "GET", "/api/v1/articles", []string{"Authorization", "Bearer " + tok}, 200},
		{"wrong cookie", "GET", "/api/v1/taxonomy", []string{"Cookie", tokenCookie + "=nope"}, 401},
		{"cookie", "GET", "/api/v1/taxonomy", []string{"Cookie", tokenCookie + "=" + tok}, 200},
		{"analyze needs it", "POST", "/api/v1/analyze", nil, 401},
		{"openapi is public", "GET", "/api/v1/openapi.json", nil, 200},
		{"page is public", "GET", "/", nil, 200},
		{"script is public", "GET", "/static/app.js", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, srv, tt.method, tt.path, "", nil, nil, tt.hdr...)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}

	t.Run("token link sets the cookie", func(t *testing.T) {
		resp, err := noRedirect.Get(srv.URL + "/?token=" + url.QueryEscape(tok))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("%d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == tokenCookie {
				c = k
			}
		}
		if c == nil || c.Value != tok || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %+v", c)
		}
	})
	t.Run("login form", func(t *testing.T) {
		for _, tc := range []struct {
			token, location string
			cookie          bool
		}{{tok, "/", true}, {"wrong", "/?login=failed#/login", false}} {
			resp, err := noRedirect.PostForm(srv.URL+"/login", url.Values{"token": {tc.token}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.location || (len(resp.Cookies()) > 0) != tc.cookie {
				t.Errorf("login %q: %d to %q, cookies %v", tc.token, resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
			}
		}
	})
}

func TestNoRoute(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	tests := []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "/api/v1/nothing", 404, "not_found", ""},
		{"POST", "/api/v1/articles", 405, "method_not_allowed", "GET"},
		{"GET", "/api/v1/analyze", 405, "method_not_allowed", "POST"},
		{"DELETE", "/api/v1/jobs/x", 405, "method_not_allowed", "GET"},
	}
	for _, tt := range tests {
		var e errorBody
		resp := do(t, srv, tt.method, tt.path, "", nil, &e)
		if resp.StatusCode != tt.status || e.Error.Code != tt.code || resp.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %+v Allow %q", tt.method, tt.path, resp.StatusCode, e, resp.Header.Get("Allow"))
		}
	}
}

func TestErrorStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{slant.Errorf(slant.EINVALID, "x"), 400, "invalid"},
		{slant.Errorf(slant.ENOTFOUND, "x"), 404, "not_found"},
		{slant.Errorf(slant.EUNSUPPORTED, "x"), 422, "unsupported"},
		{slant.Errorf(slant.ECONFLICT, "x"), 409, "conflict"},
		{io.ErrUnexpectedEOF, 500, "internal"},
		{&http.MaxBytesError{Limit: 5}, 413, "too_large"},
		{context.DeadlineExceeded, 504, "internal"},
	}
	for _, tt := range tests {
		if s, c := errorStatus(tt.err); s != tt.status || c != tt.code {
			t.Errorf("%v: %d %s, want %d %s", tt.err, s, c, tt.status, tt.code)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true, "127.1.2.3:0": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.5:8080": false, "example.com:80": false, "[::]:8080": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestOpenAPICoversRoutes checks that the document is valid JSON of
// OpenAPI 3.1 and describes every route with its method.
func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if resp := do(t, srv, "GET", "/api/v1/openapi.json", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	for _, r := range apiRoutes {
		method, path, _ := strings.Cut(r.pattern, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", r.pattern)
		}
	}
	if len(doc.Paths) != len(apiRoutes)+1 {
		t.Errorf("openapi.json has %d paths, the server %d routes (+ openapi.json)", len(doc.Paths), len(apiRoutes))
	}
}

// TestSecurityHeaders checks the CSP and friends on the page, the assets
// and the API.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	for _, p := range []string{"/", "/static/app.js", "/static/app.css", "/api/v1/taxonomy", "/api/v1/nothing"} {
		resp := do(t, srv, "GET", p, "", nil, nil)
		if got := resp.Header.Get("Content-Security-Policy"); got != CSP {
			t.Errorf("%s: CSP %q", p, got)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p, resp.Header)
		}
	}
	if !strings.Contains(CSP, "script-src 'self'") || strings.Contains(CSP, "unsafe") {
		t.Errorf("CSP allows inline script: %s", CSP)
	}
}

// TestPageWeight keeps the page (document, script, style) under 300 KB.
func TestPageWeight(t *testing.T) {
	t.Parallel()
	srv, _ := testServer(t, Options{})
	total := 0
	for _, p := range []string{"/", "/static/app.js", "/static/app.css"} {
		resp, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) == 0 {
			t.Fatalf("%s: %d, %d bytes", p, resp.StatusCode, len(b))
		}
		total += len(b)
	}
	if total > 300<<10 {
		t.Errorf("page weighs %d bytes, want at most 300 KB", total)
	}
}
