package ingest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"b.txt":            "B\n\nb.\n",
		"a.txt":            "A\n\na.\n",
		"article10.txt":    "x",
		"article9.txt":     "x",
		"Z.TXT":            "x",
		"noext":            "x",
		"notes.md":         "x",
		"page.htm":         "x",
		"sub/c.html":       "x",
		"sub/deeper/d.txt": "x",
		"sub/.hidden.txt":  "x",
		".git/config.txt":  "x",
		"img.png":          "x",
		"data.json":        "x",
		"labels.tsv":       "x",
		// A folder's README or LICENSE is no article (examples/README.md
		// used to be analysed as one).
		"README.md":         "x",
		"sub/LICENSE":       "x",
		"sub/Changelog.txt": "x",
	})
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "img.png")
	srcs, errs := Expand([]string{dir, filepath.Join(dir, "missing.txt"), "-", single, filepath.Join(dir, "nodir") + "/"})
	var got []string
	for _, s := range srcs {
		name := s.Name
		if rel, err := filepath.Rel(dir, s.Name); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		got = append(got, s.Kind+":"+name)
	}
	want := []string{
		"file:Z.TXT", "file:a.txt", "file:article10.txt", "file:article9.txt", "file:b.txt",
		"file:link.txt", "file:noext", "file:notes.md", "file:page.htm",
		"file:sub/c.html", "file:sub/deeper/d.txt",
		"stdin:-",
		"file:img.png", // named explicitly, so taken whatever its extension
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Expand order:\n got %v\nwant %v", got, want)
	}
	if len(errs) != 2 {
		t.Fatalf("errs = %v, want 2 (missing file, missing dir)", errs)
	}
	for _, err := range errs {
		if slant.ErrorCode(err) != slant.ENOTFOUND || !strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("err %q code %s", err, slant.ErrorCode(err))
		}
	}

	// Same input, same order: the order does not depend on the run.
	again, _ := Expand([]string{dir})
	for i := range again {
		if again[i] != srcs[i] {
			t.Fatalf("second Expand differs at %d: %v vs %v", i, again[i], srcs[i])
		}
	}

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"x.png": "x", ".h.txt": "x"})
	if s, errs := Expand([]string{empty}); len(s) != 0 || len(errs) != 1 {
		t.Errorf("empty dir: %v %v", s, errs)
	}
}

// TestExpandOtherScheme is the regression test for "slant analyze
// ftp://host/a.txt" saying "no such file or directory".
func TestExpandOtherScheme(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"ftp://example.org/a.txt", "file:///etc/hostname", "gopher://x/y"} {
		srcs, errs := Expand([]string{arg})
		if len(srcs) != 0 || len(errs) != 1 || slant.ErrorCode(errs[0]) != slant.EUNSUPPORTED ||
			!strings.Contains(errs[0].Error(), "only http:// and https:// URLs") {
			t.Errorf("%s: sources %v, errors %v", arg, srcs, errs)
		}
	}
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"article77.txt": "Fishermen block port\r\n\r\nBoats blocked the port on Monday.\r\n",
		"saved.html":    string(page),
		"saved-page":    string(page), // no extension: sniffed as HTML
		"notes.txt":     string(page), // .txt is always text, even if it holds markup
		"blob.txt":      "GIF89a\x00\x01\x00\x01",
	})
	ctx := context.Background()
	tests := []struct {
		file, id, title string
		html            bool
	}{
		{"article77.txt", "77", "Fishermen block port", false},
		{"saved.html", "saved", "Lighthouse keepers strike over night shifts", true},
		{"saved-page", "saved-page", "Lighthouse keepers strike over night shifts", true},
		{"notes.txt", "notes", "<!DOCTYPE html>", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, tt.file)
			a, err := Load(ctx, Source{Name: p, Kind: KindFile}, nil, Options{Outlet: "ledger"})
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != tt.id || a.Title != tt.title || a.Source != p || a.Outlet != "ledger" {
				t.Errorf("got ID %q Title %q Source %q Outlet %q", a.ID, a.Title, a.Source, a.Outlet)
			}
			raw, _ := os.ReadFile(p)
			if !tt.html && a.Text != string(raw) {
				t.Errorf("text file altered")
			}
			if tt.html && strings.Contains(a.Text, "<") {
				t.Errorf("HTML markup left in text")
			}
		})
	}

	for name, want := range map[string]string{
		"blob.txt":    "binary file, not an article",
		"missing.txt": "no such file",
		"":            "no such file",
	} {
		p := filepath.Join(dir, name)
		if name == "" {
			p = dir
			want = "is a directory"
		}
		_, err := Load(ctx, Source{Name: p, Kind: KindFile}, nil, Options{})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
	}
}

// countingReader yields 'a' forever and counts what it handed out.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestLoadOversized(t *testing.T) {
	t.Parallel()
	// A sparse 50 MB file is rejected from its size, before any read.
	p := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(context.Background(), Source{Name: p, Kind: KindFile}, nil, Options{})
	if err == nil || err.Error() != p+": 52428800 bytes is larger than the 10485760-byte limit per article" {
		t.Errorf("err = %v", err)
	}

	// An endless stream is read up to the cap plus one byte, no further.
	r := &countingReader{}
	_, err = Load(context.Background(), Source{Name: "-", Kind: KindStdin}, r, Options{MaxBytes: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "larger than the 1048576-byte limit") {
		t.Errorf("err = %v", err)
	}
	if r.n != 1<<20+1 {
		t.Errorf("read %d bytes of an endless stream, want %d", r.n, 1<<20+1)
	}
}

func TestLoadStdin(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    io.Reader
		title string
		err   string
	}{
		{"text", strings.NewReader("Storm closes ferry route\n\nNo boats ran.\n"), "Storm closes ferry route", ""},
		{"html sniffed", strings.NewReader("\n  " + string(page)), "Lighthouse keepers strike over night shifts", ""},
		{"nil stdin", nil, "", "no standard input"},
		{"empty", strings.NewReader(""), "", "empty, no text"},
		{"blank", strings.NewReader(" \n\n\t\n"), "", "empty, no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := Load(context.Background(), Source{Name: "-", Kind: KindStdin}, tt.in, Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.title || a.ID != "stdin" || a.Source != "-" {
				t.Errorf("Title %q ID %q Source %q", a.Title, a.ID, a.Source)
			}
		})
	}
}

func TestLoadUnknownKind(t *testing.T) {
	t.Parallel()
	_, err := Load(context.Background(), Source{Name: "x", Kind: "ftp"}, nil, Options{})
	if slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("err = %v", err)
	}
}

// BenchmarkLoadDir measures the whole path for a directory of SemEval-style
// files: expand, open, read, decode, find the title.
func BenchmarkLoadDir(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "article1001.txt"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	const n = 200
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, "article"+strings.Repeat("0", 3)+string(rune('a'+i%26))+string(rune('a'+i/26))+".txt"), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(n * len(data)))
	ctx := context.Background()
	for b.Loop() {
		srcs, errs := Expand([]string{dir})
		if len(errs) > 0 || len(srcs) != n {
			b.Fatal(errs, len(srcs))
		}
		for _, s := range srcs {
			if _, err := Load(ctx, s, nil, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestLoadHTMLErrorNamesFile is the regression test for "slant: skipped: no
// article text found in the HTML page", which did not say which file: the
// name was wrapped around a *slant.Error with %w and the message shown to
// the user (slant.ErrorMessage) dropped it.
func TestLoadHTMLErrorNamesFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"empty.html": "<html><body><script>var x;</script></body></html>"})
	p := filepath.Join(dir, "empty.html")
	_, err := Load(context.Background(), Source{Name: p}, nil, Options{})
	if msg := slant.ErrorMessage(err); !strings.HasPrefix(msg, p+": ") || slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("message %q (code %s), want it to start with %q", msg, slant.ErrorCode(err), p+": ")
	}
}

// TestLoadFeedFileRefused is the regression test for "slant analyze
// feed.xml" analysing the feed's XML markup as if it were an article's text.
func TestLoadFeedFileRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"rss.xml":   "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<rss version=\"2.0\"><channel><title>T</title></channel></rss>\n",
		"atom":      "\xEF\xBB\xBF<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title></feed>",
		"notes.txt": "<rss> is a tag.\n\nA note about feeds.\n",
		"feedback":  "<feedback> was the word\n\nIt is not a feed.\n",
	})
	for name, want := range map[string]string{"rss.xml": "is a news feed", "atom": "is a news feed", "notes.txt": "", "feedback": ""} {
		_, err := Load(context.Background(), Source{Name: filepath.Join(dir, name)}, nil, Options{})
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v, want it read as text", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || slant.ErrorCode(err) != slant.EUNSUPPORTED):
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
	}
}
