package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/techniques"
	"github.com/slant-news/slant/text"
)

// defaultTechniquesModel is where `slant train techniques` writes the model
// that the techniques package embeds.
const defaultTechniquesModel = "techniques/model.bin"

func init() {
	registerTrainer("techniques", trainTechniques, cvTechniques)
	registerTask(&task{name: "techniques", predict: predictTechniques})
	registerTask(&task{name: "spans", predict: predictSpans})
}

// detectTechniques runs the techniques detector alone over each document
// and hands each report to emit.
func detectTechniques(ctx context.Context, docs []semeval.Document, emit func(*slant.Report) error) error {
	det, err := techniques.New(nil)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := &slant.Report{Article: slant.Article{ID: d.ID, Text: d.Text}}
		r.Paragraphs = text.Paragraphs(d.Text)
		r.Sentences = text.Sentences(d.Text)
		if err := det.Analyze(ctx, r); err != nil {
			return fmt.Errorf("%s: %w", d.FileName, err)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// predictTechniques writes "ID \t paragraph \t tech,tech" for every
// paragraph of every article, the label field empty when none. Paragraphs
// are the article's lines numbered from 1; blank lines are not paragraphs
// and get no line, as in the organisers' template files (an article with
// no text at all still gets its line 1, so that every article appears).
func predictTechniques(ctx context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	var recs []semeval.ParagraphLabels
	err := detectTechniques(ctx, docs, func(r *slant.Report) error {
		n := len(recs)
		for _, p := range r.ParagraphLabels {
			if strings.TrimSpace(p.Span.Text(r.Article.Text)) == "" {
				continue
			}
			recs = append(recs, semeval.ParagraphLabels{ID: r.Article.ID, Paragraph: p.Paragraph, Techniques: p.Techniques})
		}
		if len(recs) == n {
			recs = append(recs, semeval.ParagraphLabels{ID: r.Article.ID, Paragraph: 1})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return semeval.WriteTechniques(w, recs)
}

// predictSpans writes "ID \t technique \t start \t end" in code points, end
// exclusive, for every span found.
func predictSpans(ctx context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	var recs []semeval.Span
	err := detectTechniques(ctx, docs, func(r *slant.Report) error {
		ix := text.NewIndex(r.Article.Text)
		for _, s := range r.Techniques {
			recs = append(recs, semeval.Span{ID: r.Article.ID, Technique: s.Technique, Start: ix.CodePoint(s.Start), End: ix.CodePoint(s.End)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return semeval.WriteSpans(w, recs)
}

func techniquesOptions(o trainOptions) techniques.TrainOptions {
	return techniques.TrainOptions{Folds: o.Folds, Seed: o.Seed, Log: o.Stderr}
}

func trainTechniques(ctx context.Context, o trainOptions) error {
	c, err := techniques.LoadCorpus(o.Data)
	if err != nil {
		return err
	}
	m, rep, err := techniques.Train(ctx, c, techniquesOptions(o))
	if err != nil {
		return err
	}
	// Training cross-validates to tune thresholds; print those figures so
	// one run gives both the model and its score.
	if err := rep.Print(o.Stdout); err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = defaultTechniquesModel
	}
	if err := m.Save(out); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "techniques: model written to %s\n", out)
	return nil
}

func cvTechniques(ctx context.Context, o trainOptions) error {
	c, err := techniques.LoadCorpus(o.Data)
	if err != nil {
		return err
	}
	rep, err := techniques.CrossValidate(ctx, c, techniquesOptions(o))
	if err != nil {
		return err
	}
	return rep.Print(o.Stdout)
}
