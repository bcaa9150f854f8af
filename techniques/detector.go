// Package techniques finds the persuasion techniques of SemEval-2023 Task 3
// in an article: spans of text with the technique they use and a
// probability, and the set of techniques of each paragraph (subtask 3).
//
// Two linear models over hashed features do the work: a paragraph model
// (the paragraph's words, bigrams and lexicon counts, its neighbours, and the
// whole article) and a token model (each token's window and its sentence)
// whose runs of likely tokens become spans. Paragraph labels are backed by
// spans: a label without a confident span gets the best run of tokens of
// that technique in the paragraph. The default model is trained by
// `slant train techniques` and embedded; see README.md for its data and
// cross-validated scores.
package techniques

import (
	"bytes"
	"context"
	_ "embed"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

//go:embed model.bin
var embedded []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// DefaultModel returns the embedded model, read on first use.
func DefaultModel() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = ReadModel(bytes.NewReader(embedded))
		if defaultErr != nil {
			defaultErr = slant.Errorf(slant.EINTERNAL, "embedded techniques model: %v", defaultErr)
		}
	})
	return defaultModel, defaultErr
}

// Detector is the techniques analyzer. It is safe for concurrent use.
type Detector struct {
	model *Model
}

// New returns a detector using m, or the embedded model when m is nil.
func New(m *Model) (*Detector, error) {
	if m == nil {
		var err error
		if m, err = DefaultModel(); err != nil {
			return nil, err
		}
	}
	return &Detector{model: m}, nil
}

// Name implements slant.Analyzer.
func (*Detector) Name() string { return "techniques" }

// Analyze implements slant.Analyzer: it sets r.Techniques (spans, byte
// offsets, best first within each position) and r.ParagraphLabels (one
// entry per paragraph of r.Paragraphs, numbered from 1, possibly with no
// techniques). It segments the text itself when the pipeline did not.
func (dt *Detector) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	paras, sents := r.Paragraphs, r.Sentences
	if paras == nil {
		paras = text.Paragraphs(r.Article.Text)
	}
	if sents == nil {
		sents = text.Sentences(r.Article.Text)
	}
	d := analyse(r.Article.Text, paras, sents)
	s := dt.model.score(d)
	r.ParagraphLabels, r.Techniques = dt.model.decode(d, s, defaultDecode)
	return nil
}
