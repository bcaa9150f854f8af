package narratives

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// defaultModel is the model trained by `slant train narratives` on the
// SemEval-2025 Task 10 English training set (see README.md).
//
//go:embed narratives.model
var defaultModel []byte

var (
	defaultOnce sync.Once
	defaultM    *Model
	defaultErr  error
)

// Default returns the embedded model, reading it on first use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultM, defaultErr = ReadModel(bytes.NewReader(defaultModel))
		if defaultErr != nil {
			defaultErr = fmt.Errorf("embedded narratives model: %w", defaultErr)
		}
	})
	return defaultM, defaultErr
}

// Analyzer fills Report.Narratives.
type Analyzer struct{ m *Model }

// New returns an analyzer using m, or the embedded model when m is nil.
func New(m *Model) (*Analyzer, error) {
	if m == nil {
		var err error
		if m, err = Default(); err != nil {
			return nil, err
		}
	}
	m.prepare()
	return &Analyzer{m: m}, nil
}

// Name implements slant.Analyzer.
func (a *Analyzer) Name() string { return "narratives" }

// Analyze implements slant.Analyzer: it sets r.Narratives to the article's
// narratives with their evidence sentences (none when the article pushes no
// known narrative).
func (a *Analyzer) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sents := r.Sentences
	if sents == nil {
		sents = text.Sentences(r.Article.Text)
	}
	r.Narratives = a.m.Narratives(r.Article.Text, sents)
	return nil
}

// Model returns the analyzer's model.
func (a *Analyzer) Model() *Model { return a.m }
