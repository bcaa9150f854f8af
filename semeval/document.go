package semeval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/slant-news/slant"
)

// Document is one article file of a SemEval article folder.
type Document struct {
	// ID is the article's id in the task's label files.
	ID string
	// FileName is the file's base name.
	FileName string
	// Text is the file's content, byte for byte: offsets point into it.
	Text string
}

// Naming is how a task names its article files.
type Naming int

const (
	// ArticlePrefix is SemEval-2023 Task 3: "article<ID>.txt" holds the
	// article with id <ID>.
	ArticlePrefix Naming = iota
	// FileNameID is SemEval-2025 Task 10: "<ID>.txt" holds the article with
	// id "<ID>.txt" (the id keeps the extension).
	FileNameID
)

// String returns the file name pattern of the naming.
func (n Naming) String() string {
	if n == FileNameID {
		return "<ID>.txt"
	}
	return "article<ID>.txt"
}

// DocumentID returns the article id that a file with base name name holds,
// and false when such a file is not an article file under this naming.
func (n Naming) DocumentID(name string) (string, bool) {
	if !strings.HasSuffix(name, ".txt") || strings.HasPrefix(name, ".") {
		return "", false
	}
	if n == FileNameID {
		if name == ".txt" {
			return "", false
		}
		return name, true
	}
	id, ok := strings.CutPrefix(strings.TrimSuffix(name, ".txt"), "article")
	if !ok || id == "" {
		return "", false
	}
	return id, true
}

// Skipped is an article file that could not be read.
type Skipped struct {
	ID   string
	Path string
	Err  error
}

// Error implements the error interface as one line.
func (s *Skipped) Error() string { return fmt.Sprintf("read %s: %v", s.Path, s.Err) }

// Unwrap returns the underlying error.
func (s *Skipped) Unwrap() error { return s.Err }

// ReadDocuments reads the article files of dir (a directory, or one article
// file) under naming n, in file name order. Files that cannot be read are
// left out of docs and listed in skipped; other files (labels, templates,
// subdirectories) are ignored. err is an EINVALID *slant.Error when dir
// cannot be listed or holds no article file.
func ReadDocuments(dir string, n Naming) (docs []Document, skipped []*Skipped, err error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// Not "read X: stat X: no such file or directory", which names
		// the path twice.
		return nil, nil, slant.Errorf(slant.EINVALID, "%s: no such directory", dir)
	}
	if err != nil {
		return nil, nil, slant.Errorf(slant.EINVALID, "read %s: %v", dir, err)
	}
	var paths []string
	if st.IsDir() {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, slant.Errorf(slant.EINVALID, "read %s: %v", dir, err)
		}
		for _, e := range entries {
			if _, ok := n.DocumentID(e.Name()); ok && !e.IsDir() {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	} else if _, ok := n.DocumentID(filepath.Base(dir)); ok {
		paths = []string{dir}
	}
	if len(paths) == 0 {
		return nil, nil, slant.Errorf(slant.EINVALID, "%s holds no article file named %s", dir, n)
	}
	sort.Strings(paths)
	for _, p := range paths {
		name := filepath.Base(p)
		id, _ := n.DocumentID(name)
		b, err := os.ReadFile(p)
		if err != nil {
			// Unwrap the *PathError so the message names the path once.
			if pe, ok := err.(*os.PathError); ok {
				err = pe.Err
			}
			skipped = append(skipped, &Skipped{ID: id, Path: p, Err: err})
			continue
		}
		docs = append(docs, Document{ID: id, FileName: name, Text: string(b)})
	}
	return docs, skipped, nil
}
