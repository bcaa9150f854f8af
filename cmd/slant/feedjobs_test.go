package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

func TestFeedJobs(t *testing.T) {
	t.Parallel()
	srv, hits := watchSite(t)
	dir := t.TempDir()
	feedFile := filepath.Join(dir, "local.rss")
	if err := os.WriteFile(feedFile, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Notes</title>
<item><title>Lodva bakery wins regional prize</title><guid>n1</guid>
<description>A family bakery in Lodva won the regional bread prize on Sunday, beating 40 other entries.</description></item>
</channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain.txt")
	if err := os.WriteFile(plain, []byte("Upper Sel road closed for repairs\n\nThe road to Upper Sel will be closed for two weeks from Monday.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, errs := ingest.Expand([]string{plain, feedFile, srv.URL + "/feed.xml", srv.URL + "/broken.xml"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var stderr bytes.Buffer
	jobs, skipped := feedJobs(context.Background(), &stderr, srcs, nil, ingest.Options{AllowPrivate: true})
	if skipped != 1 || !strings.Contains(stderr.String(), "slant: skipped: "+srv.URL+"/broken.xml: HTTP 500") {
		t.Fatalf("skipped %d, stderr %q: want the broken feed skipped", skipped, stderr.String())
	}
	if len(jobs) != 4 {
		t.Fatalf("%d jobs, want 4 (a file, a feed file item, two feed URL items)", len(jobs))
	}
	var titles []string
	err := pipeline.Run(context.Background(), []slant.Analyzer{wordCountAnalyzer{}}, jobs, 2, func(r pipeline.Result) error {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Name, r.Err)
			return nil
		}
		titles = append(titles, r.Report.Article.Title)
		if r.Report.Article.Title == "Lodva bakery wins regional prize" && r.Report.Article.Source != feedFile {
			t.Errorf("feed file item source %q, want %q", r.Report.Article.Source, feedFile)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(titles)
	want := []string{"Corvanne orchestra cancels winter season", "Lodva bakery wins regional prize",
		"Mirelo council approves new tram line", "Upper Sel road closed for repairs"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles %q, want %q", titles, want)
	}
	if hits("/tram") != 1 || hits("/orchestra") != 1 {
		t.Errorf("item pages fetched %d and %d times, want once each", hits("/tram"), hits("/orchestra"))
	}
}
