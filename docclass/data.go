package docclass

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/slant-news/slant"
)

// Doc is one training article of SemEval-2023 Task 3 with its genre
// (subtask 1) or frames (subtask 2).
type Doc struct {
	ID     string
	Text   string
	Genre  string
	Frames []string
}

// LoadGenre reads subtask 1 from dir (the semeval2023-task3 folder).
func LoadGenre(dir string) ([]Doc, error) {
	return load(dir, "train-labels-subtask-1.txt", "train-articles-subtask-1", func(d *Doc, col string) { d.Genre = col })
}

// LoadFrames reads subtask 2 from dir (the semeval2023-task3 folder).
func LoadFrames(dir string) ([]Doc, error) {
	return load(dir, "train-labels-subtask-2.txt", "train-articles-subtask-2", func(d *Doc, col string) {
		for _, f := range strings.Split(col, ",") {
			if f = strings.TrimSpace(f); f != "" {
				d.Frames = append(d.Frames, f)
			}
		}
	})
}

func load(dir, labels, articles string, set func(*Doc, string)) ([]Doc, error) {
	path := filepath.Join(dir, labels)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	var docs []Doc
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r\n ")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.SplitN(line, "\t", 2)
		d := Doc{ID: strings.TrimSpace(cols[0])}
		if len(cols) == 2 {
			set(&d, strings.TrimSpace(cols[1]))
		}
		b, err := os.ReadFile(filepath.Join(dir, articles, "article"+d.ID+".txt"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		d.Text = string(b)
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(docs) == 0 {
		return nil, slant.Errorf(slant.EINVALID, "%s has no labels", path)
	}
	return docs, nil
}
