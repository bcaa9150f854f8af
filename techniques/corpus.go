package techniques

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// Corpus is the SemEval-2023 Task 3 subtask 3 training data in memory:
// articles with their gold paragraph labels and technique spans.
type Corpus struct {
	Articles []*Article
	// Skipped counts gold labels outside the technique list (typos in the
	// released data) that were left out.
	Skipped int
}

// Article is one training article.
type Article struct {
	ID   string
	Text string
	// Gold paragraph labels: paragraph number (from 1) -> technique indices
	// into Labels. Only paragraphs listed in the label file are present.
	Paragraphs map[int][]int
	// Spans are the gold spans, code point offsets, end exclusive.
	Spans []semeval.Span

	d *doc
}

// Paths of the task's files under the data directory.
const (
	taskDir      = "semeval2023-task3"
	articlesDir  = "train-articles-subtask-3"
	labelsFile   = "train-labels-subtask-3.txt"
	spansDir     = "train-labels-subtask-3-spans"
	labelListRel = "label-lists/techniques_subtask3.txt"
)

// LoadCorpus reads the English training data of SemEval-2023 Task 3
// subtask 3 from dataDir (the directory holding semeval2023-task3/).
func LoadCorpus(dataDir string) (*Corpus, error) {
	root := filepath.Join(dataDir, taskDir)
	if _, err := os.Stat(filepath.Join(root, articlesDir)); err != nil {
		return nil, slant.Errorf(slant.ENOTFOUND, "techniques training data not found: no %s", filepath.Join(root, articlesDir))
	}
	docs, skipped, err := semeval.ReadDocuments(filepath.Join(root, articlesDir), semeval.ArticlePrefix)
	if err != nil {
		return nil, err
	}
	if len(skipped) > 0 {
		return nil, fmt.Errorf("read training articles: %w", skipped[0])
	}
	paras, err := semeval.ReadPath(filepath.Join(root, labelsFile), semeval.ReadTechniques)
	if err != nil {
		return nil, err
	}
	spans, err := semeval.ReadPath(filepath.Join(root, spansDir), semeval.ReadSpans)
	if err != nil {
		return nil, err
	}
	return NewCorpus(docs, paras, spans), nil
}

// NewCorpus builds a corpus from documents and their gold labels; labels
// outside the 23 techniques are counted in Skipped and left out.
func NewCorpus(docs []semeval.Document, paras []semeval.ParagraphLabels, spans []semeval.Span) *Corpus {
	c := &Corpus{}
	byID := map[string]*Article{}
	for _, d := range docs {
		a := &Article{ID: d.ID, Text: d.Text, Paragraphs: map[int][]int{}}
		c.Articles = append(c.Articles, a)
		byID[d.ID] = a
	}
	for _, p := range paras {
		a := byID[p.ID]
		if a == nil {
			continue
		}
		ys := []int{}
		for _, t := range p.Techniques {
			if k := labelIndex(t); k >= 0 {
				ys = append(ys, k)
			} else {
				c.Skipped++
			}
		}
		sort.Ints(ys)
		a.Paragraphs[p.Paragraph] = ys
	}
	for _, s := range spans {
		a := byID[s.ID]
		if a == nil {
			continue
		}
		if labelIndex(s.Technique) < 0 {
			c.Skipped++
			continue
		}
		a.Spans = append(a.Spans, s)
	}
	sort.Slice(c.Articles, func(i, j int) bool { return c.Articles[i].ID < c.Articles[j].ID })
	return c
}

// doc returns the article analysed for features (cached).
func (a *Article) doc() *doc {
	if a.d == nil {
		a.d = analyse(a.Text, nil, nil)
	}
	return a.d
}

// tokenLabels returns, for each token of the article, the techniques of
// the gold spans that overlap it.
func (a *Article) tokenLabels() [][]int {
	d := a.doc()
	ix := text.NewIndex(a.Text)
	out := make([][]int, len(d.toks))
	for _, s := range a.Spans {
		k := labelIndex(s.Technique)
		b0, b1 := ix.Byte(s.Start), ix.Byte(s.End)
		// Tokens are sorted by start: find the first that ends after b0.
		i := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].end > b0 })
		for ; i < len(d.toks) && d.toks[i].start < b1; i++ {
			if !contains(out[i], k) {
				out[i] = append(out[i], k)
			}
		}
	}
	for _, ys := range out {
		sort.Ints(ys)
	}
	return out
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
