package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// Paragraphs returns one span per line of s, in order, as SemEval-2023 Task 3
// numbers paragraphs: lines are separated by "\n", a trailing "\r" is left
// out of the span, empty lines are kept (as empty spans), and a final line
// without a newline counts. A text ending in "\n" has no extra empty line
// after it.
func Paragraphs(s string) []slant.Span {
	out := make([]slant.Span, 0, strings.Count(s, "\n")+1)
	start := 0
	for start < len(s) {
		i := strings.IndexByte(s[start:], '\n')
		end := len(s)
		next := len(s)
		if i >= 0 {
			end = start + i
			next = end + 1
		}
		e := end
		if e > start && s[e-1] == '\r' {
			e--
		}
		out = append(out, slant.Span{Start: start, End: e})
		start = next
	}
	return out
}

// Trim shrinks span to exclude leading and trailing white space of s.
func Trim(s string, sp slant.Span) slant.Span {
	for sp.Start < sp.End {
		r, size := utf8.DecodeRuneInString(s[sp.Start:sp.End])
		if !isSpace(r) {
			break
		}
		sp.Start += size
	}
	for sp.End > sp.Start {
		r, size := utf8.DecodeLastRuneInString(s[sp.Start:sp.End])
		if !isSpace(r) {
			break
		}
		sp.End -= size
	}
	return sp
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}
