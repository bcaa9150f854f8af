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
	"slices"
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
const roleBits = 16

// RoleModel predicts how an article casts an entity mention: a main role and
// fine roles of SemEval-2025 Task 10 subtask 1. It is a one-vs-rest logistic
// regression over 3 main and 22 fine role labels; decoding is hierarchical
// (see decode).
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

// mainMix weighs the main-role classifier against the sum of the main
// role's fine-role probabilities when choosing the main role: the fine-role
// classifiers carry evidence the three main ones miss (5-fold CV, 3 seeds:
// 0.5 beat both 1, the main classifier alone, and 0, the fine sums alone,
// on main-role accuracy, and matched the fine sums on EMR).
const mainMix = 0.5

// decode turns label probabilities into a role: the main role with the best
// mix of its own probability and its fine roles' summed probabilities, then
// that main role's most probable fine role (most mentions have exactly one,
// so this maximises the exact-match ratio), plus any other of its fine roles
// whose probability reaches Second.
func (rm *RoleModel) decode(p []float64) slant.Role {
	best, bestScore := 0, math.Inf(-1)
	for i, k := range rm.main {
		s := mainMix * p[k]
		for _, f := range rm.fineOf[rm.m.Labels[k]] {
			s += (1 - mainMix) * p[f]
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	k := rm.main[best]
	main := rm.m.Labels[k]
	fine := rm.fineOf[main]
	if len(fine) == 0 {
		return slant.Role{Main: main, Score: p[k]}
	}
	top := fine[0]
	for _, f := range fine[1:] {
		if p[f] > p[top] {
			top = f
		}
	}
	role := slant.Role{Main: main, Score: p[k], Fine: []string{rm.m.Labels[top]}}
	// Second fine roles are rare: collect them, then order them by
	// probability (ties by label order, as the taxonomy lists them).
	var more []int
	for _, f := range fine {
		if f != top && p[f] >= rm.Second {
			more = append(more, f)
		}
	}
	sort.SliceStable(more, func(i, j int) bool { return p[more[i]] > p[more[j]] })
	for _, f := range more {
		role.Fine = append(role.Fine, rm.m.Labels[f])
	}
	return role
}

// RoleDoc is an article prepared for role features: tokens, sentences and
// the per-sentence feature vectors are computed once and shared by all of
// its mentions.
type RoleDoc struct {
	ID    string
	Text  string
	sents []slant.Span
	toks  []text.Token
	low   []string // lower-cased token texts
	first []int    // first token of each sentence; first[len(sents)] = len(toks)

	mu       sync.Mutex
	vecs     []learn.Vector // per-sentence vectors, built on demand
	entities []slant.Entity // found by the recogniser, on demand (training, Predict)
	found    bool
}

// Sentence blocks: bags of the words of sentences, each sentence
// L2-normalised on its own and a block averaged over its sentences, so that
// a block's score is a weighted sum of per-sentence scores, which analysis
// computes once per article. Both blocks hash words alike ("s=" + word):
// separate features for the two (and blocks for the neighbouring sentences
// and the whole article) scored no better in cross-validation, and sharing
// them reads one weight row per word instead of one per word and block.
const (
	blockSent   = iota // the mention's sentence
	blockEntity        // every sentence naming the entity
	nBlocks
)

// sentencePrefix prefixes the word features of the sentence blocks.
const sentencePrefix = "s="

// blockWeights weigh the sentence blocks against the local block (weight 1).
var blockWeights = [nBlocks]float32{0.5, 0.5}

// maxEntitySentences bounds the sentences of the entity block.
const maxEntitySentences = 24

// NewRoleDoc prepares an article (sents may be nil).
func NewRoleDoc(id, s string, sents []slant.Span) *RoleDoc {
	d := &RoleDoc{}
	d.reset(id, s, sents)
	return d
}

// reset prepares d for another article, reusing its slices (the analyzer
// keeps one RoleDoc per goroutine).
func (d *RoleDoc) reset(id, s string, sents []slant.Span) {
	if sents == nil {
		sents = text.Sentences(s)
	}
	d.ID, d.Text, d.sents = id, s, sents
	d.toks = text.AppendTokens(d.toks[:0], s, 0, len(s))
	d.vecs, d.entities, d.found = nil, nil, false
	d.low = slices.Grow(d.low[:0], len(d.toks))[:len(d.toks)]
	var lowText string // ASCII-lower-cased s: one allocation, not one per word
	for i, t := range d.toks {
		w := s[t.Start:t.End]
		switch {
		case !hasUpper(w):
		case text.IsASCII(w):
			if lowText == "" {
				lowText = text.LowerASCII(s)
			}
			w = lowText[t.Start:t.End]
		default:
			w = strings.ReplaceAll(strings.ToLower(w), "’", "'")
		}
		d.low[i] = w
	}
	// Sentences and tokens are both in text order: one merge pass.
	d.first = slices.Grow(d.first[:0], len(sents)+1)[:len(sents)+1]
	t := 0
	for i, sp := range sents {
		for t < len(d.toks) && d.toks[t].Start < sp.Start {
			t++
		}
		d.first[i] = t
	}
	d.first[len(sents)] = len(d.toks)
}

// sentTokens returns the token range [a, b) of sentence si.
func (d *RoleDoc) sentTokens(si int) (int, int) {
	a, b := d.first[si], d.first[si+1]
	for b > a && d.toks[b-1].End > d.sents[si].End {
		b--
	}
	return a, b
}

// sentenceAt returns the sentence holding byte offset at (the last one
// starting at or before it), -1 when there is none.
func (d *RoleDoc) sentenceAt(at int) int {
	return sort.Search(len(d.sents), func(i int) bool { return d.sents[i].Start > at }) - 1
}

// hasUpper reports whether w has an upper-case ASCII letter or a non-ASCII
// byte (which may be an upper-case letter).
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
	add("victim", `killed killing victims victim civilians civilian wounded injured suffering suffer suffered died dead
		displaced refugees innocent children women elderly homeless starving hunger destroyed shelled
		bombed casualties tragedy plight forced abandoned neglected forgotten exploited scapegoat blamed
		persecuted persecution oppressed detained arrested imprisoned hostage hostages massacre deported`)
	add("praise", `hero heroes heroic brave bravery courage courageous defend defends defending defenders defended
		protect protects protecting freedom liberation liberated peace peaceful talks negotiate mediate honest
		support supported help helps helped aid rescue saved saving resist resistance fight fighting
		praised champion solidarity humanitarian restore rebuild`)
	add("blame", `aggression aggressor invaded invasion crimes crime terrorist terrorists terrorism regime
		dictator tyrant atrocities occupiers occupation attacked attack attacks shelling missiles
		provoke provoked escalate escalation threat threatens threatened sabotage illegal genocide brutal
		nazi neo-nazi nazis puppet traitor betrayal spy spies espionage militants`)
	add("deceit", `propaganda lies lied lie lying liar deceive deceived deception fraud hoax fake misinformation
		disinformation manipulate manipulated manipulation cover-up false claims claimed alleged narrative
		scam myth alarmist alarmists hysteria`)
	add("corrupt", `corrupt corruption bribes bribery scandal greed profit profits money billionaire
		billionaires elite elites lobby lobbyists oligarch oligarchs embezzlement`)
	add("plot", `conspiracy plot plan agenda secret globalist globalists cabal control depopulation
		scheme orchestrated behind`)
	add("fail", `failed failure failures incompetent blunder inept weak mistake mistakes chaos mess
		hypocrisy hypocrite hypocritical naive foolish ignorant`)
	add("hate", `racist racism bigot bigotry hate hatred xenophobic discrimination extremist radical`)
	return m
}()

// sentenceVector adds the words and lexicon cues of sentence si to acc.
func (d *RoleDoc) sentenceVector(acc *learn.Accumulator, si int) {
	a, b := d.sentTokens(si)
	for i := a; i < b; i++ {
		w := d.low[i]
		acc.AddPrefixed(sentencePrefix, w, 1)
		if tag, ok := roleLexicon[w]; ok {
			acc.AddPair(sentencePrefix, "lex", tag, 1)
		}
	}
}

// sentenceVec returns the normalised vector of sentence si (training and
// Predict), cached per article.
func (d *RoleDoc) sentenceVec(acc *learn.Accumulator, si int) learn.Vector {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.vecs == nil {
		d.vecs = make([]learn.Vector, len(d.sents))
	}
	if v := d.vecs[si]; v != nil {
		return v
	}
	acc.Reset()
	d.sentenceVector(acc, si)
	v := acc.AppendVector(make(learn.Vector, 0, acc.Len()), true, 1)
	acc.Reset()
	d.vecs[si] = v
	return v
}

// mentionContext is where a mention sits: its tokens, its sentence, and the
// sentences of the blocks.
type mentionContext struct {
	lo, hi int // mention tokens
	si     int // its sentence, -1 if none
	// ent lists the sentences naming the entity.
	ent []int
}

// locate finds the tokens and sentence of the mention at bytes [start, end).
func (d *RoleDoc) locate(start, end int) mentionContext {
	lo := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].End > start })
	hi := lo
	for hi < len(d.toks) && d.toks[hi].Start < end {
		hi++
	}
	return mentionContext{lo: lo, hi: hi, si: d.sentenceAt(start)}
}

// local adds the features of the mention itself and its window to acc.
func (d *RoleDoc) local(acc *learn.Accumulator, entity string, mc mentionContext) {
	ent := strings.ToLower(strings.TrimSpace(entity))
	acc.AddPrefixed("ent=", ent, 2)
	for _, w := range strings.Fields(ent) {
		acc.AddPrefixed("ew=", strings.Trim(w, ".,'’"), 1)
	}
	dom := ""
	if len(d.ID) > 5 && strings.HasPrefix(d.ID, "EN_") {
		dom = d.ID[3:5]
		acc.AddPrefixed("dom=", dom, 1)
	}
	if e, ok := gazetteer[normKey(strings.TrimSpace(entity))]; ok {
		acc.AddPrefixed("kind=", e.kind, 1)
		acc.AddPrefixed("canon=", e.canon, 1)
		acc.AddPair("dkind=", dom, e.kind, 1)
	}
	lo, hi := mc.lo, mc.hi
	for k := 1; k <= 10; k++ {
		if i := lo - k; i >= 0 {
			w := d.low[i]
			acc.AddPrefixed("l=", w, 1)
			if k <= 3 {
				acc.AddPrefixed(leftPrefix[k], w, 1)
			}
		}
		if i := hi + k - 1; i < len(d.toks) {
			w := d.low[i]
			acc.AddPrefixed("r=", w, 1)
			if k <= 3 {
				acc.AddPrefixed(rightPrefix[k], w, 1)
			}
		}
	}
	if lo >= 1 && hi < len(d.toks) {
		acc.AddPair("lr=", d.low[lo-1], d.low[hi], 1)
	}
	if mc.si < 0 {
		return
	}
	// Lexicon cues of the sentence, by side, and the mention's place in
	// it: a subject comes first, an object or a victim later.
	a, b := d.sentTokens(mc.si)
	for i := a; i < b; i++ {
		if i >= lo && i < hi {
			continue
		}
		if tag, ok := roleLexicon[d.low[i]]; ok {
			acc.AddPrefixed("lex=", tag, 1)
			acc.AddPair("dlex=", dom, tag, 1)
			if i < lo {
				acc.AddPrefixed("lexL=", tag, 1)
			} else {
				acc.AddPrefixed("lexR=", tag, 1)
			}
			if i >= lo-5 && i < hi+5 {
				acc.AddPrefixed("lexN=", tag, 1)
			}
		}
	}
	switch at := lo - a; {
	case at == 0:
		acc.Add("sfirst", 1)
	case at <= 3:
		acc.Add("searly", 1)
	}
	acc.AddPrefixed("pos=", posBucket[min(9, mc.si*10/max(len(d.sents), 1))], 1)
	if mc.si == 0 {
		acc.Add("title", 1)
	}
}

var (
	leftPrefix  = [4]string{"", "l1=", "l2=", "l3="}
	rightPrefix = [4]string{"", "r1=", "r2=", "r3="}
	posBucket   = [10]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
)

// blockSentences calls f(sentence, weight) for every sentence of every
// sentence block of a mention; the weights of a block sum to its
// blockWeights entry.
func (d *RoleDoc) blockSentences(mc mentionContext, f func(si int, w float32)) {
	if mc.si >= 0 {
		f(mc.si, blockWeights[blockSent])
	}
	for _, s := range mc.ent {
		f(s, blockWeights[blockEntity]/float32(len(mc.ent)))
	}
}

// entitySentences returns the sentences (sorted, unique, at most
// maxEntitySentences) holding the given mentions, and the sentence si.
func (d *RoleDoc) entitySentences(ms []slant.Mention, si int) []int {
	var out []int
	if si >= 0 {
		out = append(out, si)
	}
	for _, m := range ms {
		if s := d.sentenceAt(m.Start); s >= 0 && !slices.Contains(out, s) {
			out = append(out, s)
			if len(out) == maxEntitySentences {
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// mentionsOf returns the mentions of the entity the recogniser finds at
// bytes [start, end) of the article (nil when it finds none there); the
// recogniser runs once per article. Training and Predict use it so that
// the entity block sees what analysis sees.
func (d *RoleDoc) mentionsOf(start, end int) []slant.Mention {
	d.mu.Lock()
	if !d.found {
		r := &slant.Report{Article: slant.Article{ID: d.ID, Text: d.Text}, Sentences: d.sents}
		if New().Analyze(context.Background(), r) == nil {
			d.entities = r.Entities
		}
		d.found = true
	}
	d.mu.Unlock()
	for _, e := range d.entities {
		for _, m := range e.Mentions {
			if m.Start < end && start < m.End {
				return e.Mentions
			}
		}
	}
	return nil
}

// features builds the training feature vector of the mention at bytes
// [start, end) naming entity: the normalised local block plus the
// weighted sentence blocks, merged.
func (d *RoleDoc) features(acc *learn.Accumulator, entity string, start, end int) learn.Vector {
	mc := d.locate(start, end)
	mc.ent = d.entitySentences(d.mentionsOf(start, end), mc.si)
	acc.Reset()
	d.local(acc, entity, mc)
	parts := []learn.Vector{acc.AppendVector(nil, true, 1)}
	acc.Reset()
	d.blockSentences(mc, func(si int, w float32) {
		v := d.sentenceVec(acc, si)
		s := make(learn.Vector, len(v))
		for i, f := range v {
			s[i] = learn.Feature{Index: f.Index, Value: f.Value * w}
		}
		parts = append(parts, s)
	})
	return learn.Concat(parts...)
}

// Predict returns the role of the mention at bytes [start, end) of d.
func (rm *RoleModel) Predict(d *RoleDoc, entity string, start, end int) slant.Role {
	acc := accumulators.Get().(*learn.Accumulator)
	x := d.features(acc, entity, start, end)
	accumulators.Put(acc)
	return rm.decode(rm.m.Scores(x, nil))
}

// accumulators hold feature accumulators for Predict: each has a table of
// 2^roleBits slots, too big to allocate per mention.
var accumulators = sync.Pool{New: func() any { return learn.NewAccumulator(roleBits) }}

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

// maxRoleMentions bounds the mentions scored per entity. The model is
// trained on single mentions whose features already cover every sentence
// naming the entity, so a second mention mostly repeats the first and
// doubled the cost of the analyzer.
const maxRoleMentions = 1

// roleScratch is the reusable state of one Analyze call.
type roleScratch struct {
	acc *learn.Accumulator
	doc *RoleDoc
	// logits[si*L:(si+1)*L] caches each sentence's raw scores; done marks
	// the computed ones.
	logits []float64
	done   []bool
}

// sentenceLogits returns the raw scores of sentence si, computed once per
// article.
func (sc *roleScratch) sentenceLogits(rm *RoleModel, d *RoleDoc, si int) []float64 {
	L := len(rm.m.Labels)
	row := sc.logits[si*L : si*L+L]
	if !sc.done[si] {
		sc.acc.Reset()
		d.sentenceVector(sc.acc, si)
		rm.m.AddLogits(row, sc.acc.Vector(true), 1)
		sc.acc.Reset()
		sc.done[si] = true
	}
	return row
}

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
	sc, _ := ra.pool.Get().(*roleScratch)
	if sc == nil {
		sc = &roleScratch{acc: learn.NewAccumulator(roleBits), doc: &RoleDoc{}}
	}
	defer ra.pool.Put(sc)
	d := sc.doc
	d.reset(r.Article.ID, r.Article.Text, r.Sentences)
	// The pooled doc must not keep the article alive.
	defer func() {
		clear(d.low)
		d.reset("", "", []slant.Span{})
	}()
	L := len(rm.m.Labels)
	sc.logits = slices.Grow(sc.logits[:0], len(d.sents)*L)[:len(d.sents)*L]
	clear(sc.logits)
	sc.done = slices.Grow(sc.done[:0], len(d.sents))[:len(d.sents)]
	clear(sc.done)
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
			mc := d.locate(m.Start, m.End)
			mc.ent = d.entitySentences(e.Mentions, mc.si)
			clear(p)
			sc.acc.Reset()
			d.local(sc.acc, e.Name, mc)
			rm.m.AddLogits(p, sc.acc.Vector(true), 1)
			sc.acc.Reset()
			d.blockSentences(mc, func(si int, w float32) {
				row := sc.sentenceLogits(rm, d, si)
				// float32 weights, as the training vectors hold them.
				for k, x := range row {
					p[k] += x * float64(w)
				}
			})
			rm.m.Probabilities(p)
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
	// L2 1e-4 scored a little better than 1e-6 (5-fold CV, 3 seeds).
	return learn.Options{Epochs: 30, Rate: 0.3, L2: 1e-4, PosWeight: 1, Seed: o.Seed}
}

// examples turns the corpus into learn examples.
func roleExamples(c []RoleExample) ([]learn.Example, []string) {
	labels := roleLabels()
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	b := learn.NewAccumulator(roleBits)
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
	// PerMain scores each main role, in taxonomy order.
	PerMain []MainRoleScore
}

// MainRoleScore counts one main role's out-of-fold predictions.
type MainRoleScore struct {
	Role string
	// Gold mentions have the role, Predicted mentions got it, Correct both;
	// ExactFine counts the gold mentions whose fine role set was right.
	Gold, Predicted, Correct, ExactFine int
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
	per := map[string]*MainRoleScore{}
	for _, mr := range taxonomy.MainRoles {
		res.PerMain = append(res.PerMain, MainRoleScore{Role: mr})
	}
	for i := range res.PerMain {
		per[res.PerMain[i].Role] = &res.PerMain[i]
	}
	for i, ex := range c {
		r := rm.decode(probs[i])
		if s := per[r.Main]; s != nil {
			s.Predicted++
		}
		g := per[ex.Main]
		if g != nil {
			g.Gold++
		}
		if r.Main == ex.Main {
			main++
			if g != nil {
				g.Correct++
			}
		}
		if sameSet(r.Fine, ex.Fine) {
			exact++
			if g != nil {
				g.ExactFine++
			}
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
