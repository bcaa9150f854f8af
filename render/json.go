package render

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/slant-news/slant"
)

// jsonCopy returns a shallow copy of r whose nil lists encode as [] rather
// than null, so consumers can iterate without checking.
func jsonCopy(r *slant.Report) *slant.Report {
	c := *r
	if c.Analyzers == nil {
		c.Analyzers = []string{}
	}
	if c.Paragraphs == nil {
		c.Paragraphs = []slant.Span{}
	}
	if c.Sentences == nil {
		c.Sentences = []slant.Span{}
	}
	return &c
}

// marshal encodes v without HTML escaping: the output is JSON, not HTML,
// and article text with "<" or "&" should stay readable.
func marshal(v any, indent bool) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("  ", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// jsonWriter writes one JSON array, a report at a time.
type jsonWriter struct {
	w io.Writer
	n int
}

func (j *jsonWriter) Write(r *slant.Report) error {
	data, err := marshal(jsonCopy(r), true)
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	_, err = io.WriteString(j.w, sep+string(data))
	return err
}

func (j *jsonWriter) Close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// jsonlWriter writes one compact report per line.
type jsonlWriter struct{ w io.Writer }

func (j *jsonlWriter) Write(r *slant.Report) error {
	data, err := marshal(jsonCopy(r), false)
	if err != nil {
		return err
	}
	_, err = j.w.Write(append(data, '\n'))
	return err
}

func (j *jsonlWriter) Close() error { return nil }
