package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/slant-news/slant/docclass"
	"github.com/slant-news/slant/semeval"
)

func init() {
	registerTrainer("genre", trainDocclass("genre"), cvDocclass("genre"))
	registerTrainer("frames", trainDocclass("frames"), cvDocclass("frames"))
	registerTask(&task{name: "genre", predict: predictGenre})
	registerTask(&task{name: "frames", predict: predictFrames})
}

func docclassData(task string, o trainOptions) ([]docclass.Doc, error) {
	dir := filepath.Join(o.Data, "semeval2023-task3")
	if task == "genre" {
		return docclass.LoadGenre(dir)
	}
	return docclass.LoadFrames(dir)
}

func trainDocclass(task string) trainFunc {
	return func(ctx context.Context, o trainOptions) error {
		docs, err := docclassData(task, o)
		if err != nil {
			return err
		}
		opt := docclass.Options{Seed: o.Seed, Folds: o.Folds}
		out := o.Out
		if out == "" {
			out = filepath.Join("docclass", task+".model")
		}
		fmt.Fprintf(o.Stderr, "%s: training on %d articles (thresholds tuned by %d-fold CV)\n", task, len(docs), o.Folds)
		if task == "genre" {
			g, err := docclass.TrainGenre(ctx, docs, opt)
			if err != nil {
				return err
			}
			err = g.M.Save(out)
		} else {
			f, err := docclass.TrainFrames(ctx, docs, opt)
			if err != nil {
				return err
			}
			err = f.M.Save(out)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Stdout, "%s: model written to %s\n", task, out)
		return nil
	}
}

func cvDocclass(task string) cvFunc {
	return func(ctx context.Context, o trainOptions) error {
		docs, err := docclassData(task, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Stderr, "%s: %d-fold CV on %d articles, thresholds tuned inside each fold\n", task, o.Folds, len(docs))
		r, err := docclass.CrossValidate(ctx, task, docs, o.Folds, docclass.Options{Seed: o.Seed, Folds: o.Folds})
		if err != nil {
			return err
		}
		metric := "macro-F1"
		if task == "frames" {
			metric = "micro-F1"
		}
		fmt.Fprintf(o.Stdout, "%s %s %.4f\n", task, metric, r.Score)
		for _, l := range r.PerClass {
			fmt.Fprintf(o.Stdout, "  %s\n", l)
		}
		return nil
	}
}

// predictGenre writes "ID \t genre" for every article.
func predictGenre(ctx context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	g, err := docclass.DefaultGenre()
	if err != nil {
		return err
	}
	recs := make([]semeval.ArticleLabel, 0, len(docs))
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs = append(recs, semeval.ArticleLabel{ID: d.ID, Label: g.Predict(d.Text).Label})
	}
	return semeval.WriteGenres(w, recs)
}

// predictFrames writes "ID \t frame,frame" for every article.
func predictFrames(ctx context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	f, err := docclass.DefaultFrames()
	if err != nil {
		return err
	}
	recs := make([]semeval.ArticleLabels, 0, len(docs))
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var labels []string
		for _, l := range f.Predict(d.Text) {
			labels = append(labels, l.Label)
		}
		recs = append(recs, semeval.ArticleLabels{ID: d.ID, Labels: labels})
	}
	return semeval.WriteFrames(w, recs)
}
