package techniques

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// Labels are the 23 techniques in the official order; model label indices
// refer to this list.
var Labels = taxonomy.TechniqueNames()

var labelIdx = func() map[string]int {
	m := map[string]int{}
	for i, l := range Labels {
		m[l] = i
	}
	return m
}()

// labelIndex returns the index of a technique name in Labels, or -1.
func labelIndex(name string) int {
	if i, ok := labelIdx[name]; ok {
		return i
	}
	return -1
}

// Model is the techniques model: a paragraph classifier (subtask 3 labels)
// and a token classifier from which spans are read. The paragraph model's
// Thresholds decide paragraph labels; the token model's Thresholds decide
// which tokens belong to a span of each technique.
type Model struct {
	Para *learn.Model
	Tok  *learn.Model
}

// modelMagic starts a techniques model file; the digit is the version.
const modelMagic = "SLANTTQ1"

// WriteTo writes both models, each in learn's compact format, framed by
// their lengths.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var out bytes.Buffer
	out.WriteString(modelMagic)
	var tmp [binary.MaxVarintLen64]byte
	for _, lm := range []*learn.Model{m.Para, m.Tok} {
		var b bytes.Buffer
		if _, err := lm.WriteTo(&b); err != nil {
			return 0, err
		}
		out.Write(tmp[:binary.PutUvarint(tmp[:], uint64(b.Len()))])
		out.Write(b.Bytes())
	}
	n, err := w.Write(out.Bytes())
	return int64(n), err
}

// Save writes the model to path.
func (m *Model) Save(path string) error {
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save techniques model: %w", err)
	}
	return nil
}

// ReadModel reads a model written by WriteTo and checks that it speaks
// about the 23 techniques.
func ReadModel(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != modelMagic {
		return nil, fmt.Errorf("not a techniques model file (bad header)")
	}
	var parts [2]*learn.Model
	for i := range parts {
		n, err := binary.ReadUvarint(br)
		if err != nil || n > 1<<30 {
			return nil, fmt.Errorf("read techniques model: corrupt frame")
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("read techniques model: %w", err)
		}
		if parts[i], err = learn.ReadModel(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("read techniques model: %w", err)
		}
		if len(parts[i].Labels) != len(Labels) || parts[i].Dim&(parts[i].Dim-1) != 0 {
			return nil, fmt.Errorf("read techniques model: want %d labels and a power-of-two dimension", len(Labels))
		}
		for k, l := range parts[i].Labels {
			if l != Labels[k] {
				return nil, fmt.Errorf("read techniques model: label %d is %q, want %q", k, l, Labels[k])
			}
		}
	}
	return &Model{Para: parts[0], Tok: parts[1]}, nil
}

// LoadModel reads a techniques model file.
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load techniques model: %w", err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// nLabels is the number of techniques; ReadModel refuses other models, so
// the hot loop can work on fixed-size rows without bounds checks.
const nLabels = 23

// dot adds the weights of f's features, times their values, to out (one
// entry per label).
func dot(m *learn.Model, f *fvec, out []float32) {
	o := (*[nLabels]float32)(out)
	mask := uint32(m.Dim - 1)
	w := m.W
	for i, h := range f.idx {
		v := f.val[i]
		off := int(h&mask) * nLabels
		row := (*[nLabels]float32)(w[off : off+nLabels])
		for k := range o {
			o[k] += row[k] * v
		}
	}
}

// logit is the inverse of sigmoid32, clamped to finite values.
func logit(p float32) float32 {
	p = min(max(p, 1e-6), 1-1e-6)
	return float32(math.Log(float64(p) / float64(1-p)))
}

func sigmoid32(z float32) float32 {
	if z < -30 {
		return 0
	}
	if z > 30 {
		return 1
	}
	return float32(1 / (1 + math.Exp(-float64(z))))
}

// scores are a model's probabilities for one article.
type scores struct {
	// para[i*L+k] is paragraph i's probability of technique k (0 for empty
	// paragraphs).
	para []float32
	// tok[i*L+k] is the log-odds of token i being inside a span of k
	// (log-odds, not probabilities: thresholds compare in logit space, which
	// saves an exp per token and technique).
	tok []float32
}

// score runs both models over an analysed article.
func (m *Model) score(d *doc) *scores {
	L := len(Labels)
	np := len(d.paras)
	s := &scores{para: make([]float32, np*L), tok: make([]float32, len(d.toks)*L)}
	var f fvec
	// Paragraphs: each group of features is scored once and the linear
	// parts summed, which equals scoring the concatenated vector.
	self := make([]float32, np*L)
	asPrev := make([]float32, np*L)
	asNext := make([]float32, np*L)
	art := make([]float32, L)
	f.reset()
	d.articleFeatures(&f)
	dot(m.Para, &f, art)
	for p := 0; p < np; p++ {
		if d.paraTok[p][1] == d.paraTok[p][0] {
			continue
		}
		f.reset()
		d.paraSelf(&f, p)
		dot(m.Para, &f, self[p*L:p*L+L])
		f.reset()
		d.paraContext(&f, p, tagPrevWord, tagPrevLex)
		dot(m.Para, &f, asPrev[p*L:p*L+L])
		f.reset()
		d.paraContext(&f, p, tagNextWord, tagNextLex)
		dot(m.Para, &f, asNext[p*L:p*L+L])
	}
	for p := 0; p < np; p++ {
		if d.paraTok[p][1] == d.paraTok[p][0] {
			continue
		}
		prev, next := d.neighbours(p)
		out := s.para[p*L : p*L+L]
		for k := range out {
			z := m.Para.Bias[k] + self[p*L+k] + art[k]
			if prev >= 0 {
				z += asPrev[prev*L+k]
			}
			if next >= 0 {
				z += asNext[next*L+k]
			}
			out[k] = sigmoid32(z)
		}
	}
	// Tokens: the sentence group once per sentence, then each token's own
	// window.
	sent := make([]float32, L)
	for si := range d.sents {
		a, b := d.sentTok[si][0], d.sentTok[si][1]
		if a == b {
			continue
		}
		clear(sent)
		f.reset()
		d.sentenceGroup(&f, si)
		dot(m.Tok, &f, sent)
		for i := a; i < b; i++ {
			out := s.tok[i*L : i*L+L]
			for k := range out {
				out[k] = m.Tok.Bias[k] + sent[k]
			}
			f.reset()
			d.tokenLocal(&f, i)
			dot(m.Tok, &f, out)
		}
	}
	return s
}
