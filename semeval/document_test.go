package semeval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/slant-news/slant"
)

func TestNamingDocumentID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    Naming
		name string
		id   string
		ok   bool
	}{
		{ArticlePrefix, "article111.txt", "111", true},
		{ArticlePrefix, "article.txt", "", false},
		{ArticlePrefix, "111.txt", "", false},
		{ArticlePrefix, "article111-labels.txt.template", "", false},
		{FileNameID, "EN_UA_1.txt", "EN_UA_1.txt", true},
		{FileNameID, ".hidden.txt", "", false},
		{FileNameID, "notes.md", "", false},
	}
	for _, tt := range tests {
		id, ok := tt.n.DocumentID(tt.name)
		if id != tt.id || ok != tt.ok {
			t.Errorf("%v.DocumentID(%q) = %q, %v; want %q, %v", tt.n, tt.name, id, ok, tt.id, tt.ok)
		}
	}
}

func TestReadDocuments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Exact bytes: CRLF, no final newline, a curly quote, trailing space.
	texts := map[string]string{
		"article2.txt": "Title\r\n\r\n“Quoted” body ",
		"article1.txt": "Only a title",
	}
	for n, s := range texts {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// An article file that cannot be read (a dangling link) and files that
	// are not articles.
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "article3.txt")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "labels.tsv"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "article9.txt"), 0o755)

	docs, skipped, err := ReadDocuments(dir, ArticlePrefix)
	if err != nil {
		t.Fatal(err)
	}
	want := []Document{{"1", "article1.txt", "Only a title"}, {"2", "article2.txt", texts["article2.txt"]}}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("docs %#v, want %#v", docs, want)
	}
	if len(skipped) != 1 || skipped[0].ID != "3" || strings.Contains(skipped[0].Error(), "\n") {
		t.Errorf("skipped %v, want article3.txt with a one-line error", skipped)
	}

	one, _, err := ReadDocuments(filepath.Join(dir, "article1.txt"), ArticlePrefix)
	if err != nil || len(one) != 1 || one[0].ID != "1" {
		t.Errorf("single file: %v, %v", one, err)
	}
	if _, _, err := ReadDocuments(dir, FileNameID); err != nil {
		t.Errorf("every .txt is an article under FileNameID: %v", err)
	}
	empty := t.TempDir()
	if _, _, err := ReadDocuments(empty, ArticlePrefix); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("empty dir: error %v, want EINVALID", err)
	}
	if _, _, err := ReadDocuments(filepath.Join(dir, "nope"), ArticlePrefix); slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("missing dir: error %v, want EINVALID", err)
	}
}

// TestReadDocumentsMissingDir is the regression test for "read X: stat X: no
// such file or directory", which named the path twice.
func TestReadDocumentsMissingDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nope")
	_, _, err := ReadDocuments(dir, ArticlePrefix)
	if err == nil || err.Error() != dir+": no such directory" || slant.ErrorCode(err) != slant.EINVALID {
		t.Errorf("err = %v, want %q", err, dir+": no such directory")
	}
}
