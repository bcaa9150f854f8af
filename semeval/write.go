package semeval

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// checkField returns an error unless s can be written as a column that the
// readers give back unchanged: no tab or line break, nothing that reading
// would trim, none of the runes in seps (a list separator), and not empty
// unless empty is allowed.
func checkField(what, s, seps string, empty bool) error {
	switch {
	case s == "" && !empty:
		return fmt.Errorf("empty %s", what)
	case strings.ContainsAny(s, "\t\n\r") || seps != "" && strings.ContainsAny(s, seps):
		return fmt.Errorf("%s %q contains a tab, line break or list separator", what, clip(s))
	case trimField(s) != s:
		return fmt.Errorf("%s %q has surrounding white space", what, clip(s))
	}
	return nil
}

// checkText is checkField for a free-text last column, which may hold tabs.
// With left set, leading white space is kept by the reader (template text)
// and so is allowed.
func checkText(what, s string, left bool) error {
	trimmed := trimField(s)
	if left {
		trimmed = strings.TrimRightFunc(s, isTrim)
		// A leading BOM would be taken for a file's byte order mark only at
		// the start of a line, which a text column never is.
	}
	switch {
	case strings.ContainsAny(s, "\n\r"):
		return fmt.Errorf("%s %q contains a line break", what, clip(s))
	case trimmed != s:
		return fmt.Errorf("%s %q has surrounding white space", what, clip(s))
	}
	return nil
}

func checkLabels(what string, labels []string, sep string) error {
	for _, l := range labels {
		if err := checkField(what, l, sep, false); err != nil {
			return err
		}
	}
	return nil
}

// writeRecords writes one line per record, with the columns cols returns;
// the first record cols refuses stops the write with its index.
func writeRecords[T any](out io.Writer, recs []T, cols func(T) ([]string, error)) error {
	w := newWriter(out)
	for i, r := range recs {
		c, err := cols(r)
		if err != nil {
			return w.fail(i, err)
		}
		w.line(c...)
	}
	return w.flush()
}

// writer writes lines, remembering the first error.
type writer struct {
	bw  *bufio.Writer
	err error
}

func newWriter(w io.Writer) *writer { return &writer{bw: bufio.NewWriter(w)} }

func (w *writer) line(cols ...string) {
	if w.err != nil {
		return
	}
	_, w.err = w.bw.WriteString(strings.Join(cols, "\t") + "\n")
}

func (w *writer) fail(i int, err error) error {
	return fmt.Errorf("record %d: %w", i+1, err)
}

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.bw.Flush()
}

// WriteTechniques writes subtask 3 lines "ID \t paragraph \t tech,tech".
func WriteTechniques(out io.Writer, recs []ParagraphLabels) error {
	return writeRecords(out, recs, func(r ParagraphLabels) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if r.Paragraph < 1 {
			return nil, fmt.Errorf("paragraph %d: paragraphs are numbered from 1", r.Paragraph)
		}
		if err := checkLabels("technique", r.Techniques, ","); err != nil {
			return nil, err
		}
		return []string{r.ID, strconv.Itoa(r.Paragraph), strings.Join(r.Techniques, ",")}, nil
	})
}

// WriteTemplate writes .template lines "ID \t paragraph \t text".
func WriteTemplate(out io.Writer, recs []TemplateLine) error {
	return writeRecords(out, recs, func(r TemplateLine) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if r.Paragraph < 1 {
			return nil, fmt.Errorf("paragraph %d: paragraphs are numbered from 1", r.Paragraph)
		}
		if err := checkText("paragraph text", r.Text, true); err != nil {
			return nil, err
		}
		return []string{r.ID, strconv.Itoa(r.Paragraph), r.Text}, nil
	})
}

// WriteSpans writes span lines "ID \t technique \t start \t end".
func WriteSpans(out io.Writer, recs []Span) error {
	return writeRecords(out, recs, func(r Span) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if err := checkField("technique", r.Technique, "", false); err != nil {
			return nil, err
		}
		if r.Start < 0 || r.End < r.Start {
			return nil, fmt.Errorf("bad span [%d, %d)", r.Start, r.End)
		}
		return []string{r.ID, r.Technique, strconv.Itoa(r.Start), strconv.Itoa(r.End)}, nil
	})
}

// WriteGenres writes subtask 1 lines "ID \t label".
func WriteGenres(out io.Writer, recs []ArticleLabel) error {
	return writeRecords(out, recs, func(r ArticleLabel) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if err := checkField("genre", r.Label, "", false); err != nil {
			return nil, err
		}
		return []string{r.ID, r.Label}, nil
	})
}

// WriteFrames writes subtask 2 lines "ID \t frame,frame".
func WriteFrames(out io.Writer, recs []ArticleLabels) error {
	return writeRecords(out, recs, func(r ArticleLabels) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if err := checkLabels("frame", r.Labels, ","); err != nil {
			return nil, err
		}
		return []string{r.ID, strings.Join(r.Labels, ",")}, nil
	})
}

// WriteNarratives writes SemEval-2025 Task 10 subtask 2 lines
// "ID \t narr;narr \t subnarr;subnarr".
func WriteNarratives(out io.Writer, recs []Narratives) error {
	return writeRecords(out, recs, func(r Narratives) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		if err := checkLabels("narrative", r.Narratives, ";"); err != nil {
			return nil, err
		}
		if err := checkLabels("subnarrative", r.Subnarratives, ";"); err != nil {
			return nil, err
		}
		return []string{r.ID, strings.Join(r.Narratives, ";"), strings.Join(r.Subnarratives, ";")}, nil
	})
}

// WriteRoles writes subtask 1 lines
// "ID \t entity \t start \t end \t main \t fine \t fine..." (end inclusive).
func WriteRoles(out io.Writer, recs []RoleMention) error {
	return writeRecords(out, recs, func(r RoleMention) ([]string, error) {
		if err := checkMention(r); err != nil {
			return nil, err
		}
		if err := checkField("main role", r.Main, "", false); err != nil {
			return nil, err
		}
		if err := checkLabels("fine role", r.Fine, ""); err != nil {
			return nil, err
		}
		return append([]string{r.ID, r.Entity, strconv.Itoa(r.Start), strconv.Itoa(r.End), r.Main}, r.Fine...), nil
	})
}

// WriteMentions writes subtask 1 input lines "ID \t entity \t start \t end".
func WriteMentions(out io.Writer, recs []RoleMention) error {
	return writeRecords(out, recs, func(r RoleMention) ([]string, error) {
		if err := checkMention(r); err != nil {
			return nil, err
		}
		return []string{r.ID, r.Entity, strconv.Itoa(r.Start), strconv.Itoa(r.End)}, nil
	})
}

func checkMention(r RoleMention) error {
	if err := checkField("article id", r.ID, "", false); err != nil {
		return err
	}
	if err := checkField("entity", r.Entity, "", true); err != nil {
		return err
	}
	if r.Start < 0 || r.End < r.Start {
		return fmt.Errorf("bad mention [%d, %d]", r.Start, r.End)
	}
	return nil
}

// WriteExplanations writes subtask 3 lines "ID \t explanation". Line breaks
// inside an explanation are replaced by spaces and surrounding white space
// is dropped, since a line break would end the record.
func WriteExplanations(out io.Writer, recs []Explanation) error {
	return writeRecords(out, recs, func(r Explanation) ([]string, error) {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return nil, err
		}
		return []string{r.ID, flatten(r.Text)}, nil
	})
}

// WriteDominantNarratives writes subtask 3 input lines
// "ID \t narrative \t subnarrative", plus "\t explanation" when the record
// has one (flattened as by WriteExplanations).
func WriteDominantNarratives(out io.Writer, recs []DominantNarrative) error {
	w := newWriter(out)
	for i, r := range recs {
		if err := checkField("article id", r.ID, "", false); err != nil {
			return w.fail(i, err)
		}
		if err := checkField("narrative", r.Narrative, "", false); err != nil {
			return w.fail(i, err)
		}
		if err := checkField("subnarrative", r.Subnarrative, "", false); err != nil {
			return w.fail(i, err)
		}
		if r.Explanation != "" {
			w.line(r.ID, r.Narrative, r.Subnarrative, flatten(r.Explanation))
		} else {
			w.line(r.ID, r.Narrative, r.Subnarrative)
		}
	}
	return w.flush()
}

// flatten turns free text into one line: runs of line breaks become one
// space and surrounding white space goes.
func flatten(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}
