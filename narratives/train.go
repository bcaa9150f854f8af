package narratives

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/taxonomy"
)

// Doc is one training article with its gold labels.
type Doc struct {
	ID            string // the file name, "EN_UA_300009.txt"
	Text          string
	Domain        string
	Narratives    []string
	Subnarratives []string
	// Dominant and Explanation come from the subtask 3 annotations, when
	// the article has them.
	Dominant, DominantSub, Explanation string
}

// LoadData reads the SemEval-2025 Task 10 English training set from dir
// (the train-EN folder): raw-documents/, subtask-2-annotations.txt and,
// when present, subtask-3-annotations.txt. Labels outside the taxonomy are
// an error, so a changed label set is noticed rather than silently dropped.
func LoadData(dir string) ([]Doc, error) {
	ann := filepath.Join(dir, "subtask-2-annotations.txt")
	f, err := os.Open(ann)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ann, err)
	}
	defer f.Close()
	var docs []Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r\n ")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 3", ann, n, len(cols))
		}
		d := Doc{ID: strings.TrimSpace(cols[0]), Narratives: splitList(cols[1]), Subnarratives: splitList(cols[2])}
		for _, l := range append(append([]string(nil), d.Narratives...), d.Subnarratives...) {
			if l == taxonomy.OtherNarrative {
				continue
			}
			nl, ok := taxonomy.LookupNarrative(l)
			if !ok {
				return nil, fmt.Errorf("%s:%d: label %q is not in the taxonomy", ann, n, l)
			}
			d.Domain = nl.Domain
		}
		if d.Domain == "" {
			// An "Other" article: its file name says which collection it
			// came from; this is training metadata, never used to predict.
			d.Domain = taxonomy.DomainCC
			if strings.Contains(d.ID, "_UA_") {
				d.Domain = taxonomy.DomainURW
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, "raw-documents", d.ID))
		if err != nil {
			return nil, fmt.Errorf("read article: %w", err)
		}
		d.Text = string(b)
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", ann, err)
	}
	if len(docs) == 0 {
		return nil, slant.Errorf(slant.EINVALID, "%s has no annotations", ann)
	}
	if err := loadExplanations(filepath.Join(dir, "subtask-3-annotations.txt"), docs); err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	return docs, nil
}

func loadExplanations(path string, docs []Doc) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	byID := map[string]*Doc{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		cols := strings.SplitN(strings.TrimRight(sc.Text(), "\r\n"), "\t", 4)
		if len(cols) != 4 {
			continue
		}
		if d := byID[strings.TrimSpace(cols[0])]; d != nil {
			d.Dominant, d.DominantSub, d.Explanation = strings.TrimSpace(cols[1]), strings.TrimSpace(cols[2]), strings.TrimSpace(cols[3])
		}
	}
	return sc.Err()
}

func splitList(s string) []string {
	var out []string
	for _, l := range strings.Split(s, ";") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TrainOptions control training.
type TrainOptions struct {
	// Seed fixes example order and fold assignment.
	Seed uint64
	// Folds is the number of inner folds used to tune thresholds (default 5).
	Folds int
	// Workers bounds parallel training (default 2).
	Workers int
	// Epochs overrides learn's default when > 0.
	Epochs int
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Folds < 2 {
		o.Folds = 5
	}
	if o.Workers < 1 {
		o.Workers = 2
	}
	return o
}

// labelSets returns the coarse labels (narratives with training examples,
// Other, the domain label) and fine labels (subnarratives with examples).
func labelSets(docs []Doc) (coarse, fine []string) {
	seen := map[string]bool{}
	for _, d := range docs {
		for _, l := range append(append([]string(nil), d.Narratives...), d.Subnarratives...) {
			seen[l] = true
		}
	}
	for _, n := range taxonomy.Narratives() {
		if seen[n.Label] {
			coarse = append(coarse, n.Label)
		}
	}
	coarse = append(coarse, taxonomy.OtherNarrative, domainLabel)
	for _, n := range taxonomy.Subnarratives() {
		if seen[n.Label] && seen[n.Parent] {
			fine = append(fine, n.Label)
		}
	}
	return coarse, fine
}

// dataset is docs turned into learn examples for both models.
type dataset struct {
	coarseLabels, fineLabels []string
	coarse, fine             []learn.Example
}

func buildDataset(docs []Doc, coarse, fine []string, feat *featurizer) dataset {
	ci, fi := index(coarse), index(fine)
	ds := dataset{coarseLabels: coarse, fineLabels: fine}
	b := learn.NewBuilder(featureBits)
	for _, d := range docs {
		x := feat.vector(b, d.Text, 0, len(d.Text), nil)
		var cy, fy []int
		for _, l := range d.Narratives {
			if k, ok := ci[l]; ok {
				cy = append(cy, k)
			}
		}
		if d.Domain == taxonomy.DomainURW {
			cy = append(cy, ci[domainLabel])
		}
		for _, l := range d.Subnarratives {
			if k, ok := fi[l]; ok {
				fy = append(fy, k)
			}
		}
		sort.Ints(cy)
		sort.Ints(fy)
		ds.coarse = append(ds.coarse, learn.Example{X: x, Y: cy})
		ds.fine = append(ds.fine, learn.Example{X: x, Y: fy})
	}
	return ds
}

// prune drops from the training vectors the features seen in fewer than
// minDF articles. Most bigrams occur once; they cannot generalise, and
// dropping them makes training several times faster. Vectors keep their
// normalisation, so scoring unpruned vectors later is consistent (the
// dropped features simply have no weight).
func (ds *dataset) prune(minDF int) {
	df := map[uint32]int{}
	for _, e := range ds.coarse {
		for _, f := range e.X {
			df[f.Index]++
		}
	}
	for i := range ds.coarse {
		x := ds.coarse[i].X
		kept := make(learn.Vector, 0, len(x))
		for _, f := range x {
			if df[f.Index] >= minDF {
				kept = append(kept, f)
			}
		}
		ds.coarse[i].X, ds.fine[i].X = kept, fold(kept, 1<<fineBits)
	}
}

func index(labels []string) map[string]int {
	m := make(map[string]int, len(labels))
	for i, l := range labels {
		m[l] = i
	}
	return m
}

func (o TrainOptions) learnOptions() learn.Options {
	ep := o.Epochs
	if ep <= 0 {
		ep = 6
	}
	return learn.Options{Seed: o.Seed, Epochs: ep}
}

// Train learns a model from docs: thresholds are tuned for samples-F1 on
// out-of-fold probabilities of an inner cross-validation, then both models
// are trained on all docs. The same docs and options give the same model.
func Train(ctx context.Context, docs []Doc, opt TrainOptions) (*Model, error) {
	opt = opt.withDefaults()
	if len(docs) < opt.Folds {
		return nil, slant.Errorf(slant.EINVALID, "%d training articles, need at least %d", len(docs), opt.Folds)
	}
	coarse, fine := labelSets(docs)
	all := append(append([]string(nil), coarse...), fine...)
	feat := newFeaturizer(definitionLabels(all))
	ds := buildDataset(docs, coarse, fine, feat)
	ds.prune(2)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ct, ft, or, rr, of, sr, bl := tune(ds, docs, opt)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := &Model{
		Coarse: learn.Train(coarse, 1<<featureBits, ds.coarse, opt.learnOptions()),
		Fine:   learn.Train(fine, 1<<fineBits, ds.fine, opt.learnOptions()),
	}
	m.Coarse.Thresholds, m.Fine.Thresholds = ct, ft
	m.Coarse.Meta = map[string]string{
		metaOtherRatio: strconv.FormatFloat(or, 'g', -1, 64),
		metaRelRatio:   strconv.FormatFloat(rr, 'g', -1, 64),
		metaOtherFloor: strconv.FormatFloat(of, 'g', -1, 64),
		metaSubRatio:   strconv.FormatFloat(sr, 'g', -1, 64),
		metaBlend:      strconv.FormatFloat(bl, 'g', -1, 64),
		"data":         "SemEval-2025 Task 10 subtask 2, English training set",
	}
	return m, nil
}

// oof returns out-of-fold probabilities of both models over ds.
func oof(ds dataset, folds []int, opt TrainOptions) []probs {
	cp := learn.CrossValidate(ds.coarseLabels, 1<<featureBits, ds.coarse, folds, opt.Folds, opt.learnOptions(), opt.Workers)
	fp := learn.CrossValidate(ds.fineLabels, 1<<fineBits, ds.fine, folds, opt.Folds, opt.learnOptions(), opt.Workers)
	out := make([]probs, len(cp))
	for i := range out {
		out[i] = probs{cp[i], fp[i]}
	}
	return out
}

// tune runs an inner cross-validation over ds and picks thresholds.
func tune(ds dataset, docs []Doc, opt TrainOptions) (ct, ft []float32, otherRatio, relRatio, otherFloor, subRatio, blend float64) {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	folds := learn.Folds(ids, len(docs), opt.Folds, opt.Seed+1)
	ps := oof(ds, folds, opt)
	m := &Model{Coarse: &learn.Model{Labels: ds.coarseLabels}, Fine: &learn.Model{Labels: ds.fineLabels}}
	ct, ft = tuneThresholds(m, ps, docs)
	return ct, ft, m.otherRatio, m.relRatio, m.otherFloor, m.subRatio, m.blend
}

// otherFloorGrid are the values of the Other floor tried (0 = off).
var otherFloorGrid = []float64{0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3}

// blendGrid are the weights of the subnarratives' best probability in a
// narrative's tried (0 = off).
var blendGrid = []float64{0, 0.25, 0.5}

// subRatioGrid are the values of the subnarrative ratio tried (0 = off).
var subRatioGrid = []float64{0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3}

// thresholdGrid is the set of values tried for each threshold.
var thresholdGrid = []float32{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8}

// tuneThresholds picks the thresholds maximising the sum of coarse and fine
// samples-F1 of decode over the given out-of-fold probabilities: first one
// global value per level, then per label by coordinate ascent. A label's
// own value is kept only when it beats the global one by a margin, since
// with a handful of positives the gain is mostly noise.
func tuneThresholds(m *Model, ps []probs, docs []Doc) (ct, ft []float32) {
	m.prepare()
	ct = make([]float32, len(m.Coarse.Labels))
	ft = make([]float32, len(m.Fine.Labels))
	objective := func() float64 {
		var c, f float64
		for i, p := range ps {
			pred := m.decode(p, ct, ft)
			pn, psub := pred.Labels()
			c += setF1(docs[i].Narratives, pn)
			f += setF1(docs[i].Subnarratives, psub)
		}
		return (c + f) / float64(len(ps))
	}
	fill := func(t []float32, v float32) {
		for k := range t {
			t[k] = v
		}
	}
	fill(ct, 0.5)
	fill(ft, 0.5)
	best := -1.0
	var bc, bf float32
	bb := 0.0
	for _, b := range blendGrid {
		m.blend = b
		for _, c := range thresholdGrid {
			fill(ct, c)
			for _, f := range thresholdGrid {
				fill(ft, f)
				if o := objective(); o > best {
					best, bc, bf, bb = o, c, f, b
				}
			}
		}
	}
	m.blend = bb
	fill(ct, bc)
	fill(ft, bf)
	// The ratio rules of decode, on the global thresholds.
	bo, br, bfl := 0.0, 0.0, 0.0
	for _, fl := range otherFloorGrid {
		for _, o := range []float64{0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
			for _, r := range []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
				m.otherRatio, m.relRatio, m.otherFloor = o, r, fl
				if v := objective(); v > best {
					best, bo, br, bfl = v, o, r, fl
				}
			}
		}
	}
	m.otherRatio, m.relRatio, m.otherFloor = bo, br, bfl
	bs := 0.0
	for _, r := range subRatioGrid {
		m.subRatio = r
		if v := objective(); v > best {
			best, bs = v, r
		}
	}
	m.subRatio = bs
	const margin = 0.002
	for pass := 0; pass < 2; pass++ {
		for _, t := range [][]float32{ct, ft} {
			for k := range t {
				cur := t[k]
				for _, v := range thresholdGrid {
					if v == cur {
						continue
					}
					old := t[k]
					t[k] = v
					if o := objective(); o > best+margin {
						best = o
					} else {
						t[k] = old
					}
				}
			}
		}
	}
	return ct, ft
}

// setF1 is the F1 of a predicted label set against a gold set (1 when both
// are empty), the per-article term of samples-F1.
func setF1(gold, pred []string) float64 {
	if len(gold) == 0 && len(pred) == 0 {
		return 1
	}
	g := map[string]bool{}
	for _, l := range gold {
		g[l] = true
	}
	p := map[string]bool{}
	for _, l := range pred {
		p[l] = true
	}
	tp := 0
	for l := range p {
		if g[l] {
			tp++
		}
	}
	return learn.F1(float64(tp), float64(len(p)-tp), float64(len(g)-tp))
}

// Scores are the official SemEval-2025 Task 10 subtask 2 figures.
type Scores struct {
	CoarseF1, FineF1 float64 // samples-F1 over narratives and subnarratives
	N                int
}

// Evaluate returns samples-F1 of predictions against gold docs (same
// order), computed by semeval.ScoreNarratives as the official scorer does.
func Evaluate(docs []Doc, preds []Prediction) Scores {
	gold, pred := make([]semeval.Narratives, len(docs)), make([]semeval.Narratives, len(docs))
	for i, d := range docs {
		gold[i] = semeval.Narratives{ID: d.ID, Narratives: d.Narratives, Subnarratives: d.Subnarratives}
		pn, ps := preds[i].Labels()
		pred[i] = semeval.Narratives{ID: d.ID, Narratives: pn, Subnarratives: ps}
	}
	r := semeval.ScoreNarratives(gold, pred, nil, nil)
	s := Scores{N: len(docs)}
	s.CoarseF1, _ = r.Value("samples-F1-coarse")
	s.FineF1, _ = r.Value("samples-F1-fine")
	return s
}

// CVResult is the outcome of CrossValidate.
type CVResult struct {
	// Predictions holds every article's out-of-fold prediction, in docs
	// order.
	Predictions []Prediction
	Scores      Scores
	// Explanations holds, for articles with a gold explanation, the
	// out-of-fold explanation of the gold dominant narrative ("" for the
	// others); TokenF1 and RougeL are their mean scores against the gold.
	Explanations    []string
	TokenF1, RougeL float64
	NExplanations   int
}

// CrossValidate estimates the model's quality honestly: for each of k outer
// folds a model is trained (thresholds tuned by its own inner CV) on the
// other folds and predicts the held-out articles, and explains the gold
// dominant narrative of those that have one.
func CrossValidate(ctx context.Context, docs []Doc, k int, opt TrainOptions) (CVResult, error) {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	folds := learn.Folds(ids, len(docs), k, opt.Seed)
	res := CVResult{Predictions: make([]Prediction, len(docs)), Explanations: make([]string, len(docs))}
	for f := 0; f < k; f++ {
		var train []Doc
		for i, d := range docs {
			if folds[i] != f {
				train = append(train, d)
			}
		}
		m, err := Train(ctx, train, opt)
		if err != nil {
			return res, fmt.Errorf("fold %d: %w", f+1, err)
		}
		for i, d := range docs {
			if folds[i] != f {
				continue
			}
			res.Predictions[i] = m.Predict(d.Text)
			if d.Explanation != "" {
				res.Explanations[i] = m.Explain(d.Text, nil, d.Dominant, d.DominantSub)
			}
		}
	}
	var gold, pred []semeval.Explanation
	for i, d := range docs {
		if d.Explanation != "" {
			gold = append(gold, semeval.Explanation{ID: d.ID, Text: d.Explanation})
			pred = append(pred, semeval.Explanation{ID: d.ID, Text: res.Explanations[i]})
		}
	}
	ex := semeval.ScoreExplanations(gold, pred)
	res.TokenF1, _ = ex.Value("token-F1")
	res.RougeL, _ = ex.Value("ROUGE-L")
	res.NExplanations = len(gold)
	res.Scores = Evaluate(docs, res.Predictions)
	return res, nil
}

// shrink zeroes the weights smaller than frac of the largest one. Most of
// a model's weights are tiny traces of features seen in one or two
// articles; dropping them keeps the file small (the format stores only
// rows with a non-zero weight) at no measurable cost.
func shrink(m *learn.Model, frac float32) {
	var mx float32
	for _, w := range m.W {
		mx = max(mx, w, -w)
	}
	cut := frac * mx
	for i, w := range m.W {
		if w < cut && w > -cut {
			m.W[i] = 0
		}
	}
}
