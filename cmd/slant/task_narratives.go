package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/narratives"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// defaultNarrativesModel is where `slant train narratives` writes the model
// that the narratives package embeds.
const defaultNarrativesModel = "narratives/narratives.model"

func init() {
	registerTrainer("narratives", trainNarratives, cvNarratives)
	registerTask(&task{name: "narratives", predict: predictNarratives})
	registerTask(&task{name: "explanations", predict: predictExplanations})
}

func narrativesData(o trainOptions) ([]narratives.Doc, error) {
	return narratives.LoadData(filepath.Join(o.Data, "semeval2025-task10", "train-EN"))
}

func trainNarratives(ctx context.Context, o trainOptions) error {
	docs, err := narrativesData(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stderr, "narratives: training on %d articles (thresholds tuned by %d-fold CV)\n", len(docs), o.Folds)
	m, err := narratives.Train(ctx, docs, narratives.TrainOptions{Seed: o.Seed, Folds: o.Folds})
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = defaultNarrativesModel
	}
	if err := m.Save(out); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "narratives: model written to %s\n", out)
	return nil
}

func cvNarratives(ctx context.Context, o trainOptions) error {
	docs, err := narrativesData(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stderr, "narratives: %d-fold CV on %d articles, thresholds tuned inside each fold\n", o.Folds, len(docs))
	r, err := narratives.CrossValidate(ctx, docs, o.Folds, narratives.TrainOptions{Seed: o.Seed, Folds: o.Folds})
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "explanations token-F1 %.4f (n=%d, dominant narrative given, out-of-fold models)\n", r.TokenF1, r.NExplanations)
	fmt.Fprintf(o.Stdout, "explanations ROUGE-L %.4f\n", r.RougeL)
	fmt.Fprintf(o.Stdout, "narratives samples-F1-coarse %.4f (n=%d)\n", r.Scores.CoarseF1, r.Scores.N)
	fmt.Fprintf(o.Stdout, "narratives samples-F1-fine %.4f\n", r.Scores.FineF1)
	return nil
}

// predictNarratives writes "ID \t narr;narr \t subnarr;subnarr" for every
// article.
func predictNarratives(ctx context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	m, err := narratives.Default()
	if err != nil {
		return err
	}
	recs := make([]semeval.Narratives, 0, len(docs))
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, s := m.Predict(d.Text).Labels()
		recs = append(recs, semeval.Narratives{ID: d.ID, Narratives: n, Subnarratives: s})
	}
	return semeval.WriteNarratives(w, recs)
}

// predictExplanations writes "ID \t explanation" for every article of docs
// that the dominant-narratives file names.
func predictExplanations(ctx context.Context, docs []semeval.Document, extra string, w io.Writer) error {
	dom, err := semeval.ReadPath(extra, semeval.ReadDominantNarratives)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "dominant narratives: %s", slant.ErrorMessage(err))
	}
	byID := map[string]semeval.DominantNarrative{}
	for _, d := range dom {
		byID[d.ID] = d
	}
	m, err := narratives.Default()
	if err != nil {
		return err
	}
	var recs []semeval.Explanation
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		dn, ok := byID[d.ID]
		if !ok {
			continue
		}
		recs = append(recs, semeval.Explanation{ID: d.ID, Text: m.Explain(d.Text, text.Sentences(d.Text), dn.Narrative, dn.Subnarrative)})
	}
	return semeval.WriteExplanations(w, recs)
}
