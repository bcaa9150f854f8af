package narratives

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// domainLabel is the extra label of the coarse model whose probability says
// the article is about the Russia–Ukraine war rather than climate change.
const domainLabel = "domain=URW"

// Keys of the decoding parameters in the coarse model's Meta.
const (
	metaOtherRatio = "other_ratio"
	metaRelRatio   = "rel_ratio"
	metaOtherFloor = "other_floor"
	metaSubRatio   = "sub_ratio"
	metaBlend      = "blend"
)

// fileMagic starts a narratives model file; the digit is the version.
const fileMagic = "SLANTNR1"

// maxNarratives caps how many coarse narratives one article gets: gold
// articles rarely have more, and extra guesses cost precision.
const maxNarratives = 4

// Model predicts narratives and subnarratives: a coarse one-vs-rest model
// over the narratives (plus Other and the domain), and a fine one over the
// subnarratives, each with per-label thresholds tuned for samples-F1.
type Model struct {
	Coarse *learn.Model
	Fine   *learn.Model

	once sync.Once
	feat *featurizer
	// parent[k] is the coarse index of fine label k; domain[k] of coarse
	// label k is its domain ("" for Other and the domain label).
	parent  []int
	domains []string
	other   int // coarse index of "Other"
	// otherRatio and relRatio are decoding parameters kept in the coarse
	// model's Meta (see decode); 0 turns a rule off.
	otherRatio, relRatio float64
	// otherFloor (Meta, 0 = off): when p(Other) itself is below it, the
	// model says the article is not Other, so the domain's best narrative is
	// taken even if every narrative's probability is low (articles on a
	// topic the training set never saw).
	otherFloor float64
	// subRatio (Meta, 0 = off): under a narrative where no subnarrative
	// reaches its threshold, the best subnarrative is still taken when its
	// probability is at least subRatio times that of "<narrative>: Other"
	// (gold articles name a specific subnarrative four times in five).
	subRatio float64
	// blend (Meta, 0 = off) mixes into each narrative's probability the
	// best probability of its subnarratives: (1-blend)·p + blend·max p(sub),
	// so specific evidence the fine model found lifts the narrative.
	blend float64
	// coarseNZ and fineNZ mark the weight rows that are not all zero.
	coarseNZ, fineNZ []bool
	dom              int // coarse index of domainLabel
	subOf            [][]int
}

// prepare builds the look-up tables once.
func (m *Model) prepare() {
	m.once.Do(func() {
		all := append(append([]string(nil), m.Coarse.Labels...), m.Fine.Labels...)
		m.feat = newFeaturizer(definitionLabels(all))
		m.coarseNZ, m.fineNZ = nonZeroRows(m.Coarse), nonZeroRows(m.Fine)
		m.domains = make([]string, len(m.Coarse.Labels))
		m.other, m.dom = m.Coarse.LabelIndex(taxonomy.OtherNarrative), m.Coarse.LabelIndex(domainLabel)
		m.otherRatio, _ = strconv.ParseFloat(m.Coarse.Meta[metaOtherRatio], 64)
		m.relRatio, _ = strconv.ParseFloat(m.Coarse.Meta[metaRelRatio], 64)
		m.otherFloor, _ = strconv.ParseFloat(m.Coarse.Meta[metaOtherFloor], 64)
		m.subRatio, _ = strconv.ParseFloat(m.Coarse.Meta[metaSubRatio], 64)
		m.blend, _ = strconv.ParseFloat(m.Coarse.Meta[metaBlend], 64)
		for k, l := range m.Coarse.Labels {
			if n, ok := taxonomy.LookupNarrative(l); ok {
				m.domains[k] = n.Domain
			}
		}
		m.parent = make([]int, len(m.Fine.Labels))
		m.subOf = make([][]int, len(m.Coarse.Labels))
		for k, l := range m.Fine.Labels {
			m.parent[k] = -1
			if n, ok := taxonomy.LookupNarrative(l); ok {
				m.parent[k] = m.Coarse.LabelIndex(n.Parent)
			}
			if p := m.parent[k]; p >= 0 {
				m.subOf[p] = append(m.subOf[p], k)
			}
		}
	})
}

// nonZeroRows marks the feature rows of lm with a non-zero weight.
func nonZeroRows(lm *learn.Model) []bool {
	L := len(lm.Labels)
	nz := make([]bool, lm.Dim)
	for i := range nz {
		for _, w := range lm.W[i*L : i*L+L] {
			if w != 0 {
				nz[i] = true
				break
			}
		}
	}
	return nz
}

// definitionLabels keeps the labels that have a taxonomy definition, in
// order and without repeats, so both models' labels share one featurizer.
func definitionLabels(labels []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range labels {
		if _, ok := taxonomy.LookupNarrative(l); ok && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// Scored is a label with its probability.
type Scored struct {
	Label string
	Score float64
}

// Prediction is the narratives of one article, consistent with the
// taxonomy: every subnarrative's narrative is in Narratives, all labels
// belong to Domain, and "Other" stands alone at both levels.
type Prediction struct {
	Domain        string
	Narratives    []Scored
	Subnarratives []Scored
}

// Labels returns the label lists in the submission format's order.
func (p Prediction) Labels() (narratives, subnarratives []string) {
	for _, n := range p.Narratives {
		narratives = append(narratives, n.Label)
	}
	for _, s := range p.Subnarratives {
		subnarratives = append(subnarratives, s.Label)
	}
	return narratives, subnarratives
}

// probs holds one article's probabilities under both models.
type probs struct {
	coarse, fine []float64
}

// score computes the probabilities of s[lo:hi].
func (m *Model) score(s string) (probs, learn.Vector) {
	m.prepare()
	b := learn.NewBuilder(featureBits)
	x := m.feat.vector(b, s, 0, len(s), nil)
	return probs{foldedScores(m.Coarse, x, m.coarseNZ), foldedScores(m.Fine, x, m.fineNZ)}, x
}

// Predict returns the narratives of an article text.
func (m *Model) Predict(text string) Prediction {
	p, _ := m.score(text)
	return m.decode(p, m.Coarse.Thresholds, m.Fine.Thresholds)
}

// decode turns probabilities into a hierarchy-consistent prediction with
// the given thresholds: pick the domain, keep the domain's narratives that
// reach their threshold (at most maxNarratives, best first). When none does,
// take the best one unless Other is ahead of it: p(Other)/(p(Other)+p(best))
// at least otherRatio, or, with otherRatio 0, p(Other) at least Other's
// threshold; or when p(Other) is below otherFloor. With relRatio > 0, narratives with at least relRatio times the
// best one's probability join. Then under
// each the subnarratives that reach theirs, or "<narrative>: Other" when
// none does. With no narrative the article is "Other" at both levels.
func (m *Model) decode(p probs, ct, ft []float32) Prediction {
	m.prepare()
	out := Prediction{Domain: taxonomy.DomainCC}
	if m.blend > 0 {
		// A copy: callers reuse p (threshold tuning decodes it many times).
		pc := append([]float64(nil), p.coarse...)
		for k, subs := range m.subOf {
			mx := 0.0
			for _, j := range subs {
				if !strings.HasSuffix(m.Fine.Labels[j], ": Other") {
					mx = max(mx, p.fine[j])
				}
			}
			if len(subs) > 0 {
				pc[k] = (1-m.blend)*pc[k] + m.blend*mx
			}
		}
		p.coarse = pc
	}
	if m.dom >= 0 && p.coarse[m.dom] >= 0.5 {
		out.Domain = taxonomy.DomainURW
	}
	var narrs []int
	best := -1
	for k, d := range m.domains {
		if d != out.Domain {
			continue
		}
		if p.coarse[k] >= float64(ct[k]) {
			narrs = append(narrs, k)
		}
		if best < 0 || p.coarse[k] > p.coarse[best] {
			best = k
		}
	}
	if len(narrs) == 0 && best >= 0 && m.other >= 0 {
		// No narrative is sure enough. Articles unlike the training set get
		// low probabilities for every label, Other included, so compare
		// Other with the best narrative rather than with a fixed value:
		// when Other is not clearly ahead, take the best narrative.
		po := p.coarse[m.other]
		if po < m.otherFloor {
			narrs = []int{best}
		} else if m.otherRatio > 0 {
			if po/(po+p.coarse[best]) < m.otherRatio {
				narrs = []int{best}
			}
		} else if po < float64(ct[m.other]) {
			narrs = []int{best}
		}
	}
	if len(narrs) > 0 && m.relRatio > 0 {
		// Narratives nearly as likely as the best one come along.
		for k, d := range m.domains {
			if d == out.Domain && k != best && p.coarse[k] < float64(ct[k]) && p.coarse[k] >= m.relRatio*p.coarse[best] {
				narrs = append(narrs, k)
			}
		}
	}
	sort.SliceStable(narrs, func(i, j int) bool { return p.coarse[narrs[i]] > p.coarse[narrs[j]] })
	if len(narrs) > maxNarratives {
		narrs = narrs[:maxNarratives]
	}
	if len(narrs) == 0 {
		score := 1.0
		if m.other >= 0 {
			score = p.coarse[m.other]
		}
		out.Narratives = []Scored{{taxonomy.OtherNarrative, score}}
		out.Subnarratives = []Scored{{taxonomy.OtherNarrative, score}}
		return out
	}
	for _, k := range narrs {
		label := m.Coarse.Labels[k]
		out.Narratives = append(out.Narratives, Scored{label, p.coarse[k]})
		var subs []Scored
		otherScore := p.coarse[k]
		bestSub := -1
		for _, j := range m.subOf[k] {
			sl := m.Fine.Labels[j]
			if sl == taxonomy.OtherSubnarrative(label) {
				otherScore = p.fine[j]
				continue
			}
			if p.fine[j] >= float64(ft[j]) {
				subs = append(subs, Scored{sl, p.fine[j]})
			}
			if bestSub < 0 || p.fine[j] > p.fine[bestSub] {
				bestSub = j
			}
		}
		sort.SliceStable(subs, func(i, j int) bool { return subs[i].Score > subs[j].Score })
		if len(subs) == 0 && m.subRatio > 0 && bestSub >= 0 && p.fine[bestSub] >= m.subRatio*otherScore {
			subs = []Scored{{m.Fine.Labels[bestSub], p.fine[bestSub]}}
		}
		if len(subs) == 0 {
			subs = []Scored{{taxonomy.OtherSubnarrative(label), otherScore}}
		}
		out.Subnarratives = append(out.Subnarratives, subs...)
	}
	return out
}

// foldedScores is lm.Scores(fold(x, lm.Dim)) without building the folded
// vector: scoring is linear, so masking each index as it is read gives the
// same sums. nz, when not nil, marks the rows with a non-zero weight: most
// of an article's n-grams were never seen in training and are skipped
// without touching their rows.
func foldedScores(lm *learn.Model, x learn.Vector, nz []bool) []float64 {
	L := len(lm.Labels)
	out := make([]float64, L)
	for k := range out {
		out[k] = float64(lm.Bias[k])
	}
	mask := uint32(lm.Dim - 1)
	for _, f := range x {
		if nz != nil && !nz[f.Index&mask] {
			continue
		}
		row := lm.W[int(f.Index&mask)*L : int(f.Index&mask)*L+L]
		for k, w := range row {
			out[k] += float64(w) * float64(f.Value)
		}
	}
	for k, z := range out {
		out[k] = 1 / (1 + math.Exp(-z))
	}
	return out
}

// WriteTo writes both models in one file: the magic, then each model's
// bytes (learn's format) prefixed by their length.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	return learn.WriteBundle(w, fileMagic, m.Coarse, m.Fine)
}

// Save writes the model to a file.
func (m *Model) Save(path string) error {
	return learn.SaveBundle(path, fileMagic, m.Coarse, m.Fine)
}

// ReadModel reads a model written by WriteTo.
func ReadModel(r io.Reader) (*Model, error) {
	ms, err := learn.ReadBundle(r, fileMagic, "narratives model", 2)
	if err != nil {
		return nil, err
	}
	m := &Model{Coarse: ms[0], Fine: ms[1]}
	if m.Coarse.LabelIndex(domainLabel) < 0 {
		return nil, fmt.Errorf("read narratives model: no domain label")
	}
	for _, l := range m.Fine.Labels {
		if n, ok := taxonomy.LookupNarrative(l); !ok || n.Parent == "" || m.Coarse.LabelIndex(n.Parent) < 0 {
			return nil, fmt.Errorf("read narratives model: fine label %q has no coarse narrative in the model", l)
		}
	}
	return m, nil
}

// LoadModel reads a model file.
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
