package semeval

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// ParseError is a malformed line of a SemEval file.
type ParseError struct {
	File string // the name given to the reader
	Line int    // 1-based line number
	Msg  string // what is wrong, one line
}

// Error implements the error interface as "file:line: msg".
func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ParagraphLabels is one line of a SemEval-2023 Task 3 subtask 3 label or
// prediction file: the techniques found in one paragraph (line) of an
// article, numbered from 1. Techniques is nil when there are none.
type ParagraphLabels struct {
	ID         string
	Paragraph  int
	Techniques []string
}

// TemplateLine is one line of a subtask 3 .template file: a paragraph that a
// prediction file must cover, with its text.
type TemplateLine struct {
	ID        string
	Paragraph int
	Text      string
}

// Span is one technique span of SemEval-2023 Task 3: code point offsets
// [Start, End) into the article, End exclusive.
type Span struct {
	ID        string
	Technique string
	Start     int
	End       int
}

// ArticleLabel is one line of a single-label article file (the genre of
// SemEval-2023 Task 3 subtask 1).
type ArticleLabel struct {
	ID    string
	Label string
}

// ArticleLabels is one line of a multi-label article file (the frames of
// SemEval-2023 Task 3 subtask 2). Labels is nil when there are none.
type ArticleLabels struct {
	ID     string
	Labels []string
}

// Narratives is one line of a SemEval-2025 Task 10 subtask 2 file: the
// narratives and subnarratives of an article ("Other" when none applies).
type Narratives struct {
	ID            string
	Narratives    []string
	Subnarratives []string
}

// RoleMention is one line of a SemEval-2025 Task 10 subtask 1 file: an entity
// mention at code points [Start, End] (End INCLUSIVE) with its main role and
// fine roles. In a mentions (input) file Main and Fine are empty.
type RoleMention struct {
	ID     string
	Entity string
	Start  int
	End    int
	Main   string
	Fine   []string
}

// Explanation is one line of a SemEval-2025 Task 10 subtask 3 prediction
// file: the free-text explanation of an article's dominant narrative.
type Explanation struct {
	ID   string
	Text string
}

// DominantNarrative is one line of a subtask 3 input file (the dominant
// narrative and subnarrative of an article); the training annotations add a
// fourth column, the gold explanation, kept in Explanation.
type DominantNarrative struct {
	ID           string
	Narrative    string
	Subnarrative string
	Explanation  string
}

// Reader is the signature shared by every reader of this package: it parses
// r, naming it name in errors.
type Reader[T any] func(r io.Reader, name string) ([]T, error)

// ReadFile reads the file at path with read.
func ReadFile[T any](path string, read Reader[T]) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	return read(f, path)
}

// ReadPath reads path with read; when path is a directory it reads every
// "*.txt" file in it (not in subdirectories, not ".template" files) in name
// order and concatenates the records, as the per-article label folders of
// SemEval-2023 Task 3 (train-labels-subtask-3/, train-labels-subtask-3-spans/)
// require.
func ReadPath[T any](path string, read Reader[T]) ([]T, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !st.IsDir() {
		return ReadFile(path, read)
	}
	names, err := filepath.Glob(filepath.Join(path, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	sort.Strings(names)
	var out []T
	for _, n := range names {
		if st, err := os.Stat(n); err != nil || st.IsDir() {
			continue
		}
		recs, err := ReadFile(n, read)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// isTrim reports the runes stripped around lines and fields: white space and
// byte order marks (Windows editors put one at the start of a file).
func isTrim(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

func trimField(s string) string { return strings.TrimFunc(s, isTrim) }

// eachLine calls fn with every non-blank line of r, stripped of trailing
// white space and of leading byte order marks; blank lines are skipped.
// Lines end at "\n", "\r\n" or a lone "\r", as for Python's universal
// newlines, which the official scorers read with. A *ParseError returned by
// fn gets the file name and line.
func eachLine(r io.Reader, name string, fn func(line string) error) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	s := string(b)
	for n := 1; len(s) > 0; n++ {
		i := strings.IndexAny(s, "\r\n")
		line, next := s, ""
		if i >= 0 {
			line, next = s[:i], s[i+1:]
			if s[i] == '\r' && strings.HasPrefix(next, "\n") {
				next = next[1:]
			}
		}
		s = next
		if l := strings.TrimLeft(strings.TrimRightFunc(line, isTrim), "\ufeff"); trimField(l) != "" {
			if ferr := fn(l); ferr != nil {
				var pe *ParseError
				if errors.As(ferr, &pe) {
					pe.File, pe.Line = name, n
				}
				return ferr
			}
		}
	}
	return nil
}

// readRecords parses each non-blank line of r into one record with parse
// (line numbers of errors are set by eachLine).
func readRecords[T any](r io.Reader, name string, parse func(line string) (T, error)) ([]T, error) {
	var out []T
	err := eachLine(r, name, func(line string) error {
		rec, err := parse(line)
		if err != nil {
			return err
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// malformed returns a *ParseError (file and line are set by eachLine).
func malformed(format string, args ...any) error {
	return &ParseError{Msg: fmt.Sprintf(format, args...)}
}

// fields splits line at tabs into at most max fields (max < 0: no limit),
// trims each, and checks that there are at least min and, when max >= 0, at
// most max of them. With rest set, the last of max fields takes the rest of
// the line, tabs included (free text).
func fields(line string, min, max int, rest bool, what string) ([]string, error) {
	var f []string
	switch {
	case max < 0:
		f = strings.Split(line, "\t")
	case rest:
		f = strings.SplitN(line, "\t", max)
	default:
		f = strings.SplitN(line, "\t", max+1)
		if len(f) > max {
			return nil, malformed("%d tab-separated columns, want at most %d (%s)", len(f), max, what)
		}
	}
	if len(f) < min {
		return nil, malformed("%d tab-separated columns, want at least %d (%s)", len(f), min, what)
	}
	for i := range f {
		f[i] = trimField(f[i])
	}
	if f[0] == "" {
		return nil, malformed("empty article id")
	}
	return f, nil
}

// number parses a non-negative integer column.
func number(s, what string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, malformed("%s %q is not a non-negative integer", what, clip(s))
	}
	return n, nil
}

// splitLabels splits a label list at sep, trimming labels and dropping
// empty ones; nil when there are none.
func splitLabels(s, sep string) []string {
	var out []string
	for _, l := range strings.Split(s, sep) {
		if l = trimField(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// ReadTechniques reads a subtask 3 label or prediction file:
// "ID \t paragraph \t tech,tech" (the label column may be empty or absent).
func ReadTechniques(r io.Reader, name string) ([]ParagraphLabels, error) {
	return readRecords(r, name, func(line string) (ParagraphLabels, error) {
		f, err := fields(line, 2, 3, false, "ID, paragraph, techniques")
		if err != nil {
			return ParagraphLabels{}, err
		}
		p, err := number(f[1], "paragraph")
		if err != nil {
			return ParagraphLabels{}, err
		}
		if p < 1 {
			return ParagraphLabels{}, malformed("paragraph 0: paragraphs are numbered from 1")
		}
		rec := ParagraphLabels{ID: f[0], Paragraph: p}
		if len(f) == 3 {
			rec.Techniques = splitLabels(f[2], ",")
		}
		return rec, nil
	})
}

// ReadTemplate reads a subtask 3 .template file: "ID \t paragraph \t text".
// The text keeps its leading white space; trailing white space is dropped.
func ReadTemplate(r io.Reader, name string) ([]TemplateLine, error) {
	return readRecords(r, name, func(line string) (TemplateLine, error) {
		// Split by hand: the text is not trimmed on the left.
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 {
			return TemplateLine{}, malformed("%d tab-separated columns, want 3 (ID, paragraph, text)", len(f))
		}
		id := trimField(f[0])
		if id == "" {
			return TemplateLine{}, malformed("empty article id")
		}
		p, err := number(trimField(f[1]), "paragraph")
		if err != nil {
			return TemplateLine{}, err
		}
		if p < 1 {
			return TemplateLine{}, malformed("paragraph 0: paragraphs are numbered from 1")
		}
		rec := TemplateLine{ID: id, Paragraph: p}
		if len(f) == 3 {
			rec.Text = f[2]
		}
		return rec, nil
	})
}

// ReadSpans reads a technique span file: "ID \t technique \t start \t end"
// with code point offsets, end exclusive.
func ReadSpans(r io.Reader, name string) ([]Span, error) {
	return readRecords(r, name, func(line string) (Span, error) {
		f, err := fields(line, 4, 4, false, "ID, technique, start, end")
		if err != nil {
			return Span{}, err
		}
		if f[1] == "" {
			return Span{}, malformed("empty technique")
		}
		s, err := number(f[2], "start")
		if err != nil {
			return Span{}, err
		}
		e, err := number(f[3], "end")
		if err != nil {
			return Span{}, err
		}
		if e < s {
			return Span{}, malformed("span end %d before start %d", e, s)
		}
		return Span{ID: f[0], Technique: f[1], Start: s, End: e}, nil
	})
}

// ReadGenres reads a subtask 1 file: "ID \t label".
func ReadGenres(r io.Reader, name string) ([]ArticleLabel, error) {
	return readRecords(r, name, func(line string) (ArticleLabel, error) {
		f, err := fields(line, 2, 2, false, "ID, genre")
		if err != nil {
			return ArticleLabel{}, err
		}
		if f[1] == "" {
			return ArticleLabel{}, malformed("empty genre")
		}
		return ArticleLabel{ID: f[0], Label: f[1]}, nil
	})
}

// ReadFrames reads a subtask 2 file: "ID \t frame,frame" (the frame column
// may be empty or absent).
func ReadFrames(r io.Reader, name string) ([]ArticleLabels, error) {
	return readRecords(r, name, func(line string) (ArticleLabels, error) {
		f, err := fields(line, 1, 2, false, "ID, frames")
		if err != nil {
			return ArticleLabels{}, err
		}
		rec := ArticleLabels{ID: f[0]}
		if len(f) == 2 {
			rec.Labels = splitLabels(f[1], ",")
		}
		return rec, nil
	})
}

// ReadNarratives reads a SemEval-2025 Task 10 subtask 2 file:
// "ID \t narr;narr \t subnarr;subnarr" (empty or absent columns are empty
// sets).
func ReadNarratives(r io.Reader, name string) ([]Narratives, error) {
	return readRecords(r, name, func(line string) (Narratives, error) {
		f, err := fields(line, 1, 3, false, "ID, narratives, subnarratives")
		if err != nil {
			return Narratives{}, err
		}
		rec := Narratives{ID: f[0]}
		if len(f) >= 2 {
			rec.Narratives = splitLabels(f[1], ";")
		}
		if len(f) == 3 {
			rec.Subnarratives = splitLabels(f[2], ";")
		}
		return rec, nil
	})
}

// ReadRoles reads a SemEval-2025 Task 10 subtask 1 annotation or
// prediction file: "ID \t entity \t start \t end \t main \t fine \t fine..."
// with code point offsets, end inclusive.
func ReadRoles(r io.Reader, name string) ([]RoleMention, error) {
	return readMentions(r, name, true)
}

// ReadMentions reads a subtask 1 mentions (input) file:
// "ID \t entity \t start \t end". Columns after the fourth are ignored, so
// an annotation file serves as a mentions file too.
func ReadMentions(r io.Reader, name string) ([]RoleMention, error) {
	return readMentions(r, name, false)
}

func readMentions(r io.Reader, name string, roles bool) ([]RoleMention, error) {
	min := 4
	if roles {
		min = 5
	}
	return readRecords(r, name, func(line string) (RoleMention, error) {
		f, err := fields(line, min, -1, false, "ID, entity, start, end, main role, fine roles")
		if err != nil {
			return RoleMention{}, err
		}
		s, err := number(f[2], "start")
		if err != nil {
			return RoleMention{}, err
		}
		e, err := number(f[3], "end")
		if err != nil {
			return RoleMention{}, err
		}
		if e < s {
			return RoleMention{}, malformed("mention end %d before start %d (end is inclusive)", e, s)
		}
		m := RoleMention{ID: f[0], Entity: f[1], Start: s, End: e}
		if roles {
			if f[4] == "" {
				return RoleMention{}, malformed("empty main role")
			}
			m.Main = f[4]
			for _, fine := range f[5:] {
				if fine != "" {
					m.Fine = append(m.Fine, fine)
				}
			}
		}
		return m, nil
	})
}

// ReadExplanations reads a subtask 3 prediction file: "ID \t explanation".
// The explanation may be empty or absent.
func ReadExplanations(r io.Reader, name string) ([]Explanation, error) {
	return readRecords(r, name, func(line string) (Explanation, error) {
		f, err := fields(line, 1, 2, true, "ID, explanation")
		if err != nil {
			return Explanation{}, err
		}
		rec := Explanation{ID: f[0]}
		if len(f) == 2 {
			rec.Text = f[1]
		}
		return rec, nil
	})
}

// ReadDominantNarratives reads a subtask 3 input file
// "ID \t narrative \t subnarrative" or the training annotations, which add
// "\t explanation".
func ReadDominantNarratives(r io.Reader, name string) ([]DominantNarrative, error) {
	return readRecords(r, name, func(line string) (DominantNarrative, error) {
		f, err := fields(line, 3, 4, true, "ID, narrative, subnarrative, explanation")
		if err != nil {
			return DominantNarrative{}, err
		}
		if f[1] == "" || f[2] == "" {
			return DominantNarrative{}, malformed("empty dominant narrative or subnarrative")
		}
		rec := DominantNarrative{ID: f[0], Narrative: f[1], Subnarrative: f[2]}
		if len(f) == 4 {
			rec.Explanation = f[3]
		}
		return rec, nil
	})
}
