package learn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// maxBundlePart bounds one model inside a bundle, so a corrupt length
// cannot make ReadBundle allocate without limit.
const maxBundlePart = 1 << 30

// WriteBundle writes several models as one file: the caller's magic string
// (naming the analyzer and its format version), then each model as a
// uvarint length followed by its WriteTo bytes. Analyzers made of more than
// one model (a paragraph and a token model, a coarse and a fine one) use it
// so that there is one container format.
func WriteBundle(w io.Writer, magic string, ms ...*Model) (int64, error) {
	var out bytes.Buffer
	out.WriteString(magic)
	var tmp [binary.MaxVarintLen64]byte
	for _, m := range ms {
		var b bytes.Buffer
		if _, err := m.WriteTo(&b); err != nil {
			return 0, err
		}
		out.Write(tmp[:binary.PutUvarint(tmp[:], uint64(b.Len()))])
		out.Write(b.Bytes())
	}
	n, err := w.Write(out.Bytes())
	return int64(n), err
}

// ReadBundle reads n models written by WriteBundle with the same magic.
// what names the file's kind in error messages ("techniques model").
func ReadBundle(r io.Reader, magic, what string, n int) ([]*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("not a slant %s (bad header)", what)
	}
	ms := make([]*Model, n)
	for i := range ms {
		size, err := binary.ReadUvarint(br)
		if err != nil || size > maxBundlePart {
			return nil, fmt.Errorf("read %s: corrupt length", what)
		}
		b := make([]byte, size)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		if ms[i], err = ReadModel(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
	}
	return ms, nil
}

// SaveBundle writes a bundle to a file.
func SaveBundle(path, magic string, ms ...*Model) error {
	var b bytes.Buffer
	if _, err := WriteBundle(&b, magic, ms...); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}
