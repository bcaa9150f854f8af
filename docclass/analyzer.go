package docclass

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
)

// The default models, trained by `slant train genre` and `slant train
// frames` on SemEval-2023 Task 3 (see README.md).
var (
	//go:embed genre.model
	genreModel []byte
	//go:embed frames.model
	framesModel []byte
)

var (
	genreOnce, framesOnce sync.Once
	defGenre              *Genre
	defFrames             *Frames
	genreErr, framesErr   error
)

// DefaultGenre returns the embedded genre model, read on first use.
func DefaultGenre() (*Genre, error) {
	genreOnce.Do(func() {
		m, err := learn.ReadModel(bytes.NewReader(genreModel))
		if err != nil {
			genreErr = fmt.Errorf("embedded genre model: %w", err)
			return
		}
		defGenre = &Genre{M: m}
	})
	return defGenre, genreErr
}

// DefaultFrames returns the embedded frames model, read on first use.
func DefaultFrames() (*Frames, error) {
	framesOnce.Do(func() {
		m, err := learn.ReadModel(bytes.NewReader(framesModel))
		if err != nil {
			framesErr = fmt.Errorf("embedded frames model: %w", err)
			return
		}
		defFrames = &Frames{M: m}
	})
	return defFrames, framesErr
}

// Analyzer fills Report.Genre and Report.Frames.
type Analyzer struct {
	g *Genre
	f *Frames
}

// New returns an analyzer with the given models; nil ones are replaced by
// the embedded defaults.
func New(g *Genre, f *Frames) (*Analyzer, error) {
	var err error
	if g == nil {
		if g, err = DefaultGenre(); err != nil {
			return nil, err
		}
	}
	if f == nil {
		if f, err = DefaultFrames(); err != nil {
			return nil, err
		}
	}
	return &Analyzer{g: g, f: f}, nil
}

// Name implements slant.Analyzer.
func (a *Analyzer) Name() string { return "docclass" }

// Analyze implements slant.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The genre model weighs style over words, so it has its own vector;
	// both come from one builder.
	b := learn.NewBuilder(featureBits)
	g := a.g.predict(genreVector(b, r.Article.Text))
	x := vector(b, r.Article.Text)
	r.Genre = &g
	r.Frames = decodeFrames(a.f.M.Scores(x, nil), a.f.M)
	return nil
}
