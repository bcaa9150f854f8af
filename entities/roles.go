package entities

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/taxonomy"
	"github.com/slant-news/slant/text"
)

// roleModelBytes is the default role model, trained by `slant train roles`
// on SemEval-2025 Task 10 subtask 1 (see README.md).
//
//go:embed roles.model
var roleModelBytes []byte

// roleBits is the size (2^roleBits) of the hashed feature space.
const roleBits = 18

// RoleModel predicts how an article casts an entity mention: a main role and
// fine roles of SemEval-2025 Task 10 subtask 1. It is a one-vs-rest logistic
// regression over 3 main and 22 fine role labels; decoding picks the best
// main role, then the best fine role of that main role, plus any other of
// its fine roles whose probability reaches Second.
type RoleModel struct {
	m *learn.Model
	// Second is the probability a second fine role needs.
	Second float64
	main   []int            // label indices of the main roles
	fineOf map[string][]int // main role -> label indices of its fine roles
}

// roleLabels are the model's labels: the main roles, then the fine roles.
func roleLabels() []string {
	out := append([]string(nil), taxonomy.MainRoles...)
	for _, r := range taxonomy.EntityRoles() {
		out = append(out, r.Fine)
	}
	return out
}

func newRoleModel(m *learn.Model, second float64) (*RoleModel, error) {
	rm := &RoleModel{m: m, Second: second, fineOf: map[string][]int{}}
	for _, mr := range taxonomy.MainRoles {
		k := m.LabelIndex(mr)
		if k < 0 {
			return nil, slant.Errorf(slant.EINVALID, "role model lacks the main role %s", mr)
		}
		rm.main = append(rm.main, k)
		for _, f := range taxonomy.FineRolesOf(mr) {
			if j := m.LabelIndex(f); j >= 0 {
				rm.fineOf[mr] = append(rm.fineOf[mr], j)
			}
		}
	}
	return rm, nil
}

var (
	defaultRolesOnce sync.Once
	defaultRoles     *RoleModel
	defaultRolesErr  error
)

// DefaultRoleModel returns the embedded role model, loaded on first use.
func DefaultRoleModel() (*RoleModel, error) {
	defaultRolesOnce.Do(func() {
		if len(roleModelBytes) == 0 {
			defaultRolesErr = slant.Errorf(slant.EUNSUPPORTED, "no role model built in; run 'slant train roles'")
			return
		}
		defaultRoles, defaultRolesErr = ReadRoleModel(bytes.NewReader(roleModelBytes))
	})
	return defaultRoles, defaultRolesErr
}

// ReadRoleModel reads a role model written by RoleModel.WriteTo.
func ReadRoleModel(r io.Reader) (*RoleModel, error) {
	m, err := learn.ReadModel(r)
	if err != nil {
		return nil, fmt.Errorf("read role model: %w", err)
	}
	second := 0.5
	if s, ok := m.Meta["second"]; ok {
		fmt.Sscanf(s, "%g", &second)
	}
	return newRoleModel(m, second)
}

// WriteTo writes the model in learn's format.
func (rm *RoleModel) WriteTo(w io.Writer) (int64, error) {
	if rm.m.Meta == nil {
		rm.m.Meta = map[string]string{}
	}
	rm.m.Meta["second"] = fmt.Sprintf("%g", rm.Second)
	return rm.m.WriteTo(w)
}

// Save writes the model to path.
func (rm *RoleModel) Save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save role model: %w", err)
	}
	if _, err := rm.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("save role model %s: %w", path, err)
	}
	return f.Close()
}

// decode turns label probabilities into a role.
func (rm *RoleModel) decode(p []float64) slant.Role {
	best := rm.main[0]
	for _, k := range rm.main {
		if p[k] > p[best] {
			best = k
		}
	}
	main := rm.m.Labels[best]
	fine := rm.fineOf[main]
	if len(fine) == 0 {
		return slant.Role{Main: main, Score: p[best]}
	}
	order := append([]int(nil), fine...)
	sort.SliceStable(order, func(i, j int) bool { return p[order[i]] > p[order[j]] })
	role := slant.Role{Main: main, Score: p[best], Fine: []string{rm.m.Labels[order[0]]}}
	for _, k := range order[1:] {
		if p[k] >= rm.Second {
			role.Fine = append(role.Fine, rm.m.Labels[k])
		}
	}
	return role
}

// RoleDoc is an article prepared for role features: tokens and sentences
// are computed once and shared by all of its mentions.
type RoleDoc struct {
	ID    string
	Text  string
	sents []slant.Span
	toks  []text.Token
	low   []string // lower-cased token texts

	lowOnce  sync.Once
	lowAll   string // lower-cased sentences, each followed by a newline
	lowStart []int  // offset of each sentence in lowAll

	mu     sync.Mutex
	naming map[string][]int // entity -> sentences naming it
}

// maxOtherSentences bounds the other sentences naming an entity that feed
// its features.
const maxOtherSentences = 12

// sentencesNaming returns the indices of the sentences whose lower-cased
// text contains ent, at most maxOtherSentences+1 of them (one may be the
// mention's own), cached per entity. It searches the lower-cased sentences
// joined into one string, one pass per entity.
func (d *RoleDoc) sentencesNaming(ent string) []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if idx, ok := d.naming[ent]; ok {
		return idx
	}
	d.lowSentence(0)
	var idx []int
	for from := 0; from < len(d.lowAll); {
		k := strings.Index(d.lowAll[from:], ent)
		if k < 0 {
			break
		}
		at := from + k
		si := sort.Search(len(d.lowStart), func(i int) bool { return d.lowStart[i] > at }) - 1
		idx = append(idx, si)
		if len(idx) > maxOtherSentences {
			break
		}
		// Go on after the end of this sentence.
		if si+1 < len(d.lowStart) {
			from = d.lowStart[si+1]
		} else {
			break
		}
	}
	if d.naming == nil {
		d.naming = map[string][]int{}
	}
	d.naming[ent] = idx
	return idx
}

// lowSentence returns sentence si lower-cased (computed once per article).
func (d *RoleDoc) lowSentence(si int) string {
	d.lowOnce.Do(func() {
		var b strings.Builder
		d.lowStart = make([]int, len(d.sents))
		for i, sp := range d.sents {
			d.lowStart[i] = b.Len()
			if sp.Start >= 0 && sp.End <= len(d.Text) && sp.Start <= sp.End {
				b.WriteString(strings.ToLower(d.Text[sp.Start:sp.End]))
			}
			// A separator no entity name contains keeps matches inside
			// one sentence.
			b.WriteByte('\n')
		}
		d.lowAll = b.String()
	})
	if si >= len(d.sents) {
		return ""
	}
	end := len(d.lowAll) - 1
	if si+1 < len(d.lowStart) {
		end = d.lowStart[si+1] - 1
	}
	return d.lowAll[d.lowStart[si]:end]
}

// NewRoleDoc prepares an article (sents may be nil).
func NewRoleDoc(id, s string, sents []slant.Span) *RoleDoc {
	if sents == nil {
		sents = text.Sentences(s)
	}
	d := &RoleDoc{ID: id, Text: s, sents: sents, toks: text.Tokens(s)}
	d.low = make([]string, len(d.toks))
	for i, t := range d.toks {
		w := s[t.Start:t.End]
		if hasUpper(w) {
			w = strings.ToLower(w)
		}
		d.low[i] = strings.ReplaceAll(w, "’", "'")
	}
	return d
}

func hasUpper(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// roleLexicon maps cue words to a feature naming the role they suggest.
var roleLexicon = func() map[string]string {
	m := map[string]string{}
	add := func(tag, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = tag
		}
	}
	add("victim", `killed victims victim civilians wounded injured suffering suffered died dead
		displaced refugees innocent children women elderly homeless starving hunger destroyed shelled
		bombed casualties tragedy plight forced abandoned neglected forgotten exploited scapegoat blamed`)
	add("praise", `hero heroes heroic brave courage courageous defend defends defending defenders
		protect protects protecting freedom liberation peace peaceful talks negotiate mediate honest
		support supported help helps aid rescue saved saving resist resistance fight fighting`)
	add("blame", `aggression aggressor invaded invasion war crimes crime terrorist terrorism regime
		dictator tyrant propaganda lies lied lie lying deceive fraud corrupt corruption bribes scandal
		conspiracy plot secret agenda puppet nazi neo-nazi provoke provoked escalate escalation
		threat threatens sabotage destroy destruction illegal failed failure incompetent blunder
		hypocrisy hypocrite racist bigot hate traitor betrayal spy spies espionage genocide brutal`)
	return m
}()

// features builds the feature vector of the mention at bytes [start, end)
// naming entity.
func (d *RoleDoc) features(bs *roleBuilders, entity string, start, end int) learn.Vector {
	return learn.Concat(d.blocks(bs, entity, start, end)...)
}

// featureSink receives named features: a learn.Builder when training, a
// logitSink when analysing.
type featureSink interface {
	Add(name string, v float32)
	AddPrefixed(prefix, name string, v float32)
	AddPair(prefix, a, c string, v float32)
}

// fill adds the features of a mention to the local, sentence and
// other-mention sinks.
func (d *RoleDoc) fill(local, sent, other featureSink, entity string, start, end int) {
	b := local
	ent := strings.ToLower(strings.TrimSpace(entity))
	b.AddPrefixed("ent=", ent, 2)
	for _, w := range strings.Fields(ent) {
		b.AddPrefixed("ew=", strings.Trim(w, ".,'’"), 1)
	}
	if e, ok := gazetteer[normKey(strings.TrimSpace(entity))]; ok {
		b.AddPrefixed("kind=", e.kind, 1)
		b.AddPrefixed("canon=", e.canon, 1)
	}
	if len(d.ID) > 5 && strings.HasPrefix(d.ID, "EN_") {
		b.AddPrefixed("dom=", d.ID[3:5], 1)
	}
	// Tokens of the mention and its window.
	lo := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].End > start })
	hi := lo
	for hi < len(d.toks) && d.toks[hi].Start < end {
		hi++
	}
	for k := 1; k <= 10; k++ {
		if i := lo - k; i >= 0 {
			w := d.low[i]
			b.AddPrefixed("l=", w, 1)
			if k <= 3 {
				b.AddPrefixed("l"+string(rune('0'+k))+"=", w, 1)
			}
		}
		if i := hi + k - 1; i < len(d.toks) {
			w := d.low[i]
			b.AddPrefixed("r=", w, 1)
			if k <= 3 {
				b.AddPrefixed("r"+string(rune('0'+k))+"=", w, 1)
			}
		}
	}
	if lo >= 1 && hi < len(d.toks) {
		b.AddPair("lr=", d.low[lo-1], d.low[hi], 1)
	}
	// The sentence around it: words, bigrams and lexicon cues.
	si := sort.Search(len(d.sents), func(i int) bool { return d.sents[i].End > start })
	if si < len(d.sents) {
		sp := d.sents[si]
		a := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].Start >= sp.Start })
		for i := a; i < len(d.toks) && d.toks[i].End <= sp.End; i++ {
			if i >= lo && i < hi {
				continue
			}
			w := d.low[i]
			sent.AddPrefixed("s=", w, 1)
			if tag, ok := roleLexicon[w]; ok {
				b.AddPrefixed("lex=", tag, 1)
				if i < lo {
					b.AddPrefixed("lexL=", tag, 1)
				} else {
					b.AddPrefixed("lexR=", tag, 1)
				}
			}
		}
		// Position of the sentence in the article.
		b.AddPrefixed("pos=", string(rune('0'+min(9, si*10/max(len(d.sents), 1)))), 1)
		if si == 0 {
			b.Add("title", 1)
		}
	}
	// What the article says elsewhere about the same entity: words of the
	// other sentences that name it.
	if ent != "" {
		n := 0
		for _, si := range d.sentencesNaming(ent) {
			sp := d.sents[si]
			if sp.Start <= start && start < sp.End {
				continue
			}
			// A few sentences say enough; an entity named in every
			// sentence would otherwise cost the whole article per mention.
			if n++; n > maxOtherSentences {
				break
			}
			a := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].Start >= sp.Start })
			for i := a; i < len(d.toks) && d.toks[i].End <= sp.End; i++ {
				w := d.low[i]
				other.AddPrefixed("o=", w, 1)
				if tag, ok := roleLexicon[w]; ok {
					other.AddPrefixed("olex=", tag, 1)
				}
			}
		}
	}
}

// blocks returns the separately normalised feature blocks of a mention:
// local, sentence and other-mention words (weighted).
func (d *RoleDoc) blocks(bs *roleBuilders, entity string, start, end int) []learn.Vector {
	bs.local.Reset()
	bs.sent.Reset()
	bs.other.Reset()
	d.fill(bs.local, bs.sent, bs.other, entity, start, end)
	return []learn.Vector{bs.local.Vector(true), scaled(bs.sent.Vector(true), blockWeights[0]),
		scaled(bs.other.Vector(true), blockWeights[1])}
}

// scores writes the label probabilities of the blocks' sum into p, as
// learn.Model.Scores would for their concatenation, without merging them.
func (rm *RoleModel) scores(blocks []learn.Vector, p []float64) {
	m := rm.m
	L := len(m.Labels)
	for k := range p {
		p[k] = float64(m.Bias[k])
	}
	for _, v := range blocks {
		for _, f := range v {
			i := int(f.Index)
			if i >= m.Dim {
				continue
			}
			row := m.W[i*L : i*L+L]
			for k, w := range row {
				p[k] += float64(w) * float64(f.Value)
			}
		}
	}
	for k := range p {
		p[k] = 1 / (1 + math.Exp(-p[k]))
	}
}

// blockWeights weigh the sentence and other-mention blocks against
// the local block (weight 1); each block is normalised on its own so that
// long sentences and articles do not drown the words next to the mention.
var blockWeights = [2]float32{0.5, 0.5}

func scaled(v learn.Vector, w float32) learn.Vector {
	for i := range v {
		v[i].Value *= w
	}
	return v
}

// roleBuilders are the feature builders of one goroutine.
type roleBuilders struct{ local, sent, other *learn.Builder }

func newRoleBuilders() *roleBuilders {
	return &roleBuilders{learn.NewBuilder(roleBits), learn.NewBuilder(roleBits), learn.NewBuilder(roleBits)}
}

// Predict returns the role of the mention at bytes [start, end) of d.
func (rm *RoleModel) Predict(d *RoleDoc, entity string, start, end int) slant.Role {
	x := d.features(newRoleBuilders(), entity, start, end)
	return rm.decode(rm.m.Scores(x, nil))
}

// RoleAnalyzer assigns a role to every entity the entities analyzer found,
// from the average label probabilities of its first mentions.
type RoleAnalyzer struct {
	// Model is the role model; nil means the embedded default.
	Model *RoleModel
	pool  sync.Pool
}

// NewRoleAnalyzer returns a role analyzer using m (nil: the default model).
func NewRoleAnalyzer(m *RoleModel) *RoleAnalyzer { return &RoleAnalyzer{Model: m} }

// Name implements slant.Analyzer.
func (*RoleAnalyzer) Name() string { return "roles" }

// maxRoleMentions bounds the mentions averaged per entity.
const maxRoleMentions = 2

// Analyze implements slant.Analyzer: it sets Role on each of r.Entities.
func (ra *RoleAnalyzer) Analyze(ctx context.Context, r *slant.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rm := ra.Model
	if rm == nil {
		var err error
		if rm, err = DefaultRoleModel(); err != nil {
			return err
		}
	}
	if len(r.Entities) == 0 {
		return nil
	}
	b, _ := ra.pool.Get().(*logitSinks)
	if b == nil {
		b = &logitSinks{newLogitSink(), newLogitSink(), newLogitSink()}
	}
	defer ra.pool.Put(b)
	d := NewRoleDoc(r.Article.ID, r.Article.Text, r.Sentences)
	L := len(rm.m.Labels)
	sum := make([]float64, L)
	p := make([]float64, L)
	for i := range r.Entities {
		e := &r.Entities[i]
		clear(sum)
		n := 0
		for _, m := range e.Mentions {
			if n == maxRoleMentions {
				break
			}
			if m.Start < 0 || m.End > len(d.Text) || m.Start >= m.End {
				continue
			}
			clear(p)
			b.local.reset()
			b.sent.reset()
			b.other.reset()
			d.fill(b.local, b.sent, b.other, e.Name, m.Start, m.End)
			rm.logits(p, 1, b.local)
			rm.logits(p, float64(blockWeights[0]), b.sent)
			rm.logits(p, float64(blockWeights[1]), b.other)
			for k := range p {
				p[k] = 1 / (1 + math.Exp(-(p[k] + float64(rm.m.Bias[k]))))
			}
			for k := range p {
				sum[k] += p[k]
			}
			n++
		}
		if n == 0 {
			continue
		}
		for k := range sum {
			sum[k] /= float64(n)
		}
		role := rm.decode(sum)
		e.Role = &role
	}
	return nil
}

// RoleExample is one annotated mention of the SemEval-2025 Task 10 subtask 1
// training data, with byte offsets into its article.
type RoleExample struct {
	Doc        *RoleDoc
	Entity     string
	Start, End int // bytes, half-open
	Main       string
	Fine       []string
}

// LoadRoleCorpus reads the English training articles and subtask 1
// annotations under dataDir (the shared data directory).
func LoadRoleCorpus(dataDir string) ([]RoleExample, error) {
	base := filepath.Join(dataDir, "semeval2025-task10", "train-EN")
	docs, _, err := semeval.ReadDocuments(filepath.Join(base, "raw-documents"), semeval.FileNameID)
	if err != nil {
		return nil, fmt.Errorf("read role corpus: %w", err)
	}
	f, err := os.Open(filepath.Join(base, "subtask-1-annotations.txt"))
	if err != nil {
		return nil, fmt.Errorf("read role corpus: %w", err)
	}
	defer f.Close()
	ann, err := semeval.ReadRoles(f, f.Name())
	if err != nil {
		return nil, fmt.Errorf("read role corpus: %w", err)
	}
	byID := map[string]*RoleDoc{}
	idx := map[string]*text.Index{}
	for _, d := range docs {
		byID[d.ID] = NewRoleDoc(d.ID, d.Text, nil)
		idx[d.ID] = text.NewIndex(d.Text)
	}
	var out []RoleExample
	for _, a := range ann {
		d, ok := byID[a.ID]
		if !ok {
			return nil, slant.Errorf(slant.EINVALID, "annotation for unknown article %s", a.ID)
		}
		ix := idx[a.ID]
		out = append(out, RoleExample{Doc: d, Entity: a.Entity, Start: ix.Byte(a.Start), End: ix.Byte(a.End + 1), Main: a.Main, Fine: a.Fine})
	}
	return out, nil
}

// RoleTrainOptions control role training.
type RoleTrainOptions struct {
	Folds int
	Seed  uint64
	// Log receives progress lines; nil discards them.
	Log io.Writer
	// Learn overrides the learning options when its Epochs is set.
	Learn learn.Options
}

func (o RoleTrainOptions) learnOptions() learn.Options {
	if o.Learn.Epochs != 0 {
		l := o.Learn
		l.Seed = o.Seed
		return l
	}
	// No re-weighting of positives: main roles are decoded by argmax, which
	// needs comparable probabilities across labels.
	return learn.Options{Epochs: 30, Rate: 0.3, L2: 1e-6, PosWeight: 1, Seed: o.Seed}
}

// examples turns the corpus into learn examples.
func roleExamples(c []RoleExample) ([]learn.Example, []string) {
	labels := roleLabels()
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	b := newRoleBuilders()
	data := make([]learn.Example, len(c))
	for i, ex := range c {
		var ys []int
		if k, ok := index[ex.Main]; ok {
			ys = append(ys, k)
		}
		for _, f := range ex.Fine {
			if k, ok := index[f]; ok {
				ys = append(ys, k)
			}
		}
		data[i] = learn.Example{X: ex.Doc.features(b, ex.Entity, ex.Start, ex.End), Y: ys}
	}
	return data, labels
}

// RoleCV holds cross-validated figures of the role model.
type RoleCV struct {
	Folds    int
	Mentions int
	// EMR is the exact-match ratio of the fine role sets; MainAccuracy the
	// share of mentions whose main role is right.
	EMR, MainAccuracy float64
	// Second is the second-role threshold used.
	Second float64
}

// CrossValidateRoles trains on all folds but one, in turn (folds grouped by
// article), and scores the out-of-fold predictions with the official
// measures.
func CrossValidateRoles(ctx context.Context, c []RoleExample, o RoleTrainOptions) (*RoleCV, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(c) == 0 {
		return nil, slant.Errorf(slant.EINVALID, "no role examples")
	}
	if o.Folds < 2 {
		o.Folds = 5
	}
	data, labels := roleExamples(c)
	groups := make([]string, len(c))
	for i, ex := range c {
		groups[i] = ex.Doc.ID
	}
	folds := learn.Folds(groups, len(c), o.Folds, o.Seed)
	probs := learn.CrossValidate(labels, 1<<roleBits, data, folds, o.Folds, o.learnOptions(), 2)
	rm, err := newRoleModel(&learn.Model{Labels: labels}, 0.5)
	if err != nil {
		return nil, err
	}
	// The second-role threshold is fixed, not tuned on these predictions,
	// so that the figures are not optimistic.
	rm.Second = defaultSecond
	res := &RoleCV{Folds: o.Folds, Mentions: len(c), Second: rm.Second}
	exact, main := 0, 0
	for i, ex := range c {
		r := rm.decode(probs[i])
		if r.Main == ex.Main {
			main++
		}
		if sameSet(r.Fine, ex.Fine) {
			exact++
		}
	}
	res.EMR = float64(exact) / float64(len(c))
	res.MainAccuracy = float64(main) / float64(len(c))
	return res, nil
}

// defaultSecond is the probability a second fine role needs.
const defaultSecond = 0.5

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// TrainRoles cross-validates, then trains the model on all examples. Meta
// records the data set and the cross-validated figures.
func TrainRoles(ctx context.Context, c []RoleExample, o RoleTrainOptions) (*RoleModel, *RoleCV, error) {
	cv, err := CrossValidateRoles(ctx, c, o)
	if err != nil {
		return nil, nil, err
	}
	data, labels := roleExamples(c)
	m := learn.Train(labels, 1<<roleBits, data, o.learnOptions())
	m.Meta = map[string]string{
		"data":     "SemEval-2025 Task 10 subtask 1, train-EN (research use under the organisers' terms)",
		"mentions": fmt.Sprint(len(c)),
		"cv":       fmt.Sprintf("%d-fold grouped by article: EMR %.3f, main-role accuracy %.3f", cv.Folds, cv.EMR, cv.MainAccuracy),
	}
	rm, err := newRoleModel(m, cv.Second)
	if err != nil {
		return nil, nil, err
	}
	return rm, cv, nil
}

// logitSink accumulates hashed features like learn.Builder (same FNV-1a
// hashes, same dimension) but is read straight into a model's logits,
// without building a sorted vector: the analysis hot path. A dense slot
// table makes adding and resetting cost nothing per unused dimension.
type logitSink struct {
	slot []int32 // hash -> 1 + position in idx/val, 0 when absent
	idx  []uint32
	val  []float32
}

func newLogitSink() *logitSink {
	return &logitSink{slot: make([]int32, 1<<roleBits), idx: make([]uint32, 0, 256), val: make([]float32, 0, 256)}
}

func (l *logitSink) add(h uint32, v float32) {
	if s := l.slot[h]; s != 0 {
		l.val[s-1] += v
		return
	}
	l.idx = append(l.idx, h)
	l.val = append(l.val, v)
	l.slot[h] = int32(len(l.idx))
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
	roleMask  = 1<<roleBits - 1
)

func fnvAdd(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func (l *logitSink) reset() {
	for _, h := range l.idx {
		l.slot[h] = 0
	}
	l.idx, l.val = l.idx[:0], l.val[:0]
}

// Add implements featureSink.
func (l *logitSink) Add(name string, v float32) { l.add(fnvAdd(fnvOffset, name)&roleMask, v) }

// AddPrefixed implements featureSink.
func (l *logitSink) AddPrefixed(prefix, name string, v float32) {
	l.add(fnvAdd(fnvAdd(fnvOffset, prefix), name)&roleMask, v)
}

// AddPair implements featureSink.
func (l *logitSink) AddPair(prefix, a, c string, v float32) {
	l.add(fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, prefix), a), " "), c)&roleMask, v)
}

// logitSinks are the sinks of one goroutine.
type logitSinks struct{ local, sent, other *logitSink }

// logits adds to p (one per label) the raw scores of the L2-normalised
// features in l, scaled by w.
func (rm *RoleModel) logits(p []float64, w float64, l *logitSink) {
	var ss float64
	for _, x := range l.val {
		ss += float64(x) * float64(x)
	}
	if ss == 0 {
		return
	}
	// learn.Builder.Vector normalises in float32; do the same so that
	// analysis and training see the same values.
	inv := float32(1 / math.Sqrt(ss))
	m := rm.m
	L := len(m.Labels)
	for j, i := range l.idx {
		x := l.val[j]
		if x == 0 || int(i) >= m.Dim {
			continue
		}
		v := float64(float32(x*inv) * float32(w))
		row := m.W[int(i)*L : int(i)*L+L]
		for k, wt := range row {
			p[k] += float64(wt) * v
		}
	}
}
