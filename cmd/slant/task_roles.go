package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/entities"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// defaultRolesModel is where `slant train roles` writes the model that the
// entities package embeds.
const defaultRolesModel = "entities/roles.model"

func init() {
	registerTrainer("roles", trainRoles, cvRoles)
	registerTask(&task{name: "roles", predict: predictRoles})
}

func trainRoles(ctx context.Context, o trainOptions) error {
	c, err := entities.LoadRoleCorpus(o.Data)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stderr, "roles: %d-fold CV, then training on %d mentions\n", o.Folds, len(c))
	m, cv, err := entities.TrainRoles(ctx, c, entities.RoleTrainOptions{Folds: o.Folds, Seed: o.Seed, Log: o.Stderr})
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = defaultRolesModel
	}
	if err := m.Save(out); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "roles: %d-fold CV EMR %.4f main-accuracy %.4f (%d mentions)\n", cv.Folds, cv.EMR, cv.MainAccuracy, cv.Mentions)
	fmt.Fprintf(o.Stdout, "roles: model written to %s\n", out)
	return nil
}

func cvRoles(ctx context.Context, o trainOptions) error {
	c, err := entities.LoadRoleCorpus(o.Data)
	if err != nil {
		return err
	}
	cv, err := entities.CrossValidateRoles(ctx, c, entities.RoleTrainOptions{Folds: o.Folds, Seed: o.Seed, Log: o.Stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "roles %d-fold CV grouped by article, %d mentions\n", cv.Folds, cv.Mentions)
	fmt.Fprintf(o.Stdout, "roles main-accuracy %.4f\n", cv.MainAccuracy)
	fmt.Fprintf(o.Stdout, "roles main-role  gold  predicted  precision  recall  F1     fine-exact\n")
	for _, s := range cv.PerMain {
		p, r := ratio(s.Correct, s.Predicted), ratio(s.Correct, s.Gold)
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		fmt.Fprintf(o.Stdout, "roles %-11s %5d %10d %10.3f %7.3f %6.3f %10.3f\n", s.Role, s.Gold, s.Predicted, p, r, f, ratio(s.ExactFine, s.Gold))
	}
	fmt.Fprintf(o.Stdout, "roles EMR %.4f\n", cv.EMR)
	return nil
}

// predictRoles predicts the roles of the mentions listed in extra (ID,
// entity, start, end in code points, end inclusive) for the articles docs.
func predictRoles(ctx context.Context, docs []semeval.Document, extra string, w io.Writer) error {
	m, err := entities.DefaultRoleModel()
	if err != nil {
		return err
	}
	f, err := os.Open(extra)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "read mentions file: %v", err)
	}
	defer f.Close()
	mentions, err := semeval.ReadMentions(f, extra)
	if err != nil {
		return slant.Errorf(slant.EINVALID, "%s", slant.ErrorMessage(err))
	}
	type prepared struct {
		doc *entities.RoleDoc
		ix  *text.Index
	}
	byID := make(map[string]*prepared, len(docs))
	for _, d := range docs {
		byID[d.ID] = &prepared{doc: entities.NewRoleDoc(d.ID, d.Text, nil), ix: text.NewIndex(d.Text)}
	}
	var out []semeval.RoleMention
	for _, mn := range mentions {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, ok := byID[mn.ID]
		if !ok {
			continue // eval may pass a subset of the mentions file's articles
		}
		if mn.Start < 0 || mn.End < mn.Start || mn.End >= p.ix.Len() {
			return slant.Errorf(slant.EINVALID, "mention %s %q at %d-%d is outside the article (%d code points)", mn.ID, mn.Entity, mn.Start, mn.End, p.ix.Len())
		}
		r := m.Predict(p.doc, mn.Entity, p.ix.Byte(mn.Start), p.ix.Byte(mn.End+1))
		out = append(out, semeval.RoleMention{ID: mn.ID, Entity: mn.Entity, Start: mn.Start, End: mn.End, Main: r.Main, Fine: r.Fine})
	}
	return semeval.WriteRoles(w, out)
}

// ratio returns a/b, 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
