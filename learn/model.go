package learn

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
)

// magic starts every model file; the digit is the format version.
const magic = "SLANTLR1"

type header struct {
	Labels     []string          `json:"labels"`
	Dim        int               `json:"dim"`
	Bias       []float32         `json:"bias"`
	Thresholds []float32         `json:"thresholds"`
	Scale      float64           `json:"scale"`
	Meta       map[string]string `json:"meta,omitempty"`
}

// WriteTo writes the model in slant's compact format: a JSON header, then
// the weights quantised to 16 bits (one scale for the model), stored sparsely
// by feature row, all gzip-compressed with a fixed header so that the same
// model always gives the same bytes. Weights smaller than half a
// quantisation step are dropped.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	L := len(m.Labels)
	maxAbs := 0.0
	for _, x := range m.W {
		maxAbs = math.Max(maxAbs, math.Abs(float64(x)))
	}
	scale := maxAbs / 32767
	if scale == 0 {
		scale = 1
	}
	h := header{Labels: m.Labels, Dim: m.Dim, Bias: m.Bias, Thresholds: m.Thresholds, Scale: scale, Meta: m.Meta}
	hj, err := json.Marshal(h)
	if err != nil {
		return 0, err
	}
	var body bytes.Buffer
	var tmp [binary.MaxVarintLen64]byte
	putU := func(v uint64) { body.Write(tmp[:binary.PutUvarint(tmp[:], v)]) }
	putS := func(v int64) { body.Write(tmp[:binary.PutVarint(tmp[:], v)]) }
	putU(uint64(len(hj)))
	body.Write(hj)
	q := make([]int64, L)
	last := -1
	for i := 0; i < m.Dim; i++ {
		nz := false
		for k := 0; k < L; k++ {
			q[k] = int64(math.Round(float64(m.W[i*L+k]) / scale))
			nz = nz || q[k] != 0
		}
		if !nz {
			continue
		}
		putU(uint64(i - last))
		last = i
		for k := 0; k < L; k++ {
			putS(q[k])
		}
	}
	cw := &countWriter{w: w}
	if _, err := io.WriteString(cw, magic); err != nil {
		return cw.n, err
	}
	zw, _ := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if _, err := zw.Write(body.Bytes()); err != nil {
		return cw.n, err
	}
	if err := zw.Close(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

// Save writes the model to a file.
func (m *Model) Save(path string) error {
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// ReadModel reads a model written by WriteTo.
func ReadModel(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("not a slant model file (bad header)")
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	body := bufio.NewReader(zr)
	n, err := binary.ReadUvarint(body)
	if err != nil || n > 64<<20 {
		return nil, fmt.Errorf("read model: corrupt header")
	}
	hj := make([]byte, n)
	if _, err := io.ReadFull(body, hj); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	var h header
	if err := json.Unmarshal(hj, &h); err != nil {
		return nil, fmt.Errorf("read model header: %w", err)
	}
	L := len(h.Labels)
	if h.Dim <= 0 || h.Dim > 1<<26 || L == 0 || len(h.Bias) != L || len(h.Thresholds) != L {
		return nil, fmt.Errorf("read model: inconsistent header")
	}
	m := &Model{Labels: h.Labels, Dim: h.Dim, W: make([]float32, h.Dim*L), Bias: h.Bias, Thresholds: h.Thresholds, Meta: h.Meta}
	i := -1
	for {
		d, err := binary.ReadUvarint(body)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read model weights: %w", err)
		}
		i += int(d)
		if d == 0 || i >= h.Dim {
			return nil, fmt.Errorf("read model: weight index out of range")
		}
		for k := 0; k < L; k++ {
			v, err := binary.ReadVarint(body)
			if err != nil {
				return nil, fmt.Errorf("read model weights: %w", err)
			}
			m.W[i*L+k] = float32(float64(v) * h.Scale)
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

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
