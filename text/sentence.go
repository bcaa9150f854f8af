package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slant-news/slant"
)

// abbreviations are words that, followed by a period, do not end a sentence
// when a capitalised word follows (titles, months, common short forms).
// Lower-cased, without the period.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"gen": true, "lt": true, "col": true, "maj": true, "capt": true, "cpt": true, "sgt": true, "adm": true,
	"cmdr": true, "gov": true, "sen": true, "rep": true, "reps": true, "rev": true, "hon": true, "pres": true,
	"amb": true, "supt": true, "insp": true, "fr": true, "brig": true, "cdr": true, "pvt": true, "cpl": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
	"vs": true, "v": true, "approx": true, "est": true,
	"dept": true, "univ": true, "assn": true,
	"e.g": true, "i.e": true, "al": true, "cf": true, "ca": true,
	"ft": true, "mt": true, "ave": true, "blvd": true, "rd": true,
}

// maxAbbreviation is the byte length of the longest entry of the
// abbreviation tables.
const maxAbbreviation = 6

// numberAbbreviations abbreviate only before a number ("No. 5", "Fig. 2");
// before a word they are words ending a sentence ("He said no. Then...").
var numberAbbreviations = map[string]bool{
	"no": true, "nos": true, "fig": true, "vol": true, "pp": true, "op": true,
}

// finalAbbreviations often end a sentence ("apples, pears, etc.", "Acme
// Inc."), so like dotted abbreviations they end one when a typical sentence
// opener follows.
var finalAbbreviations = map[string]bool{
	"etc": true, "inc": true, "ltd": true, "co": true, "corp": true, "bros": true, "jr": true, "sr": true,
}

// terminatorLeads are the bytes that can begin a sentence terminator: '.',
// '!', '?' and 0xE2, the lead byte of '…' (E2 80 A6). None of them occurs
// inside another rune's encoding.
var terminatorLeads = [4]byte{'.', '!', '?', 0xE2}

// termScanner finds the next terminator lead byte in s[:hi] with one
// IndexByte (vectorised) per lead byte and occurrence, instead of a test on
// every byte.
type termScanner struct {
	s    string
	hi   int
	next [4]int // next offset of each lead byte at or after the last query; -1 unknown
}

// find returns the offset of the first terminator lead byte in s[i:hi], or
// hi. Queries must not go backwards.
func (t *termScanner) find(i int) int {
	best := t.hi
	for k, c := range terminatorLeads {
		if t.next[k] < i {
			t.next[k] = t.hi
			if x := strings.IndexByte(t.s[i:t.hi], c); x >= 0 {
				t.next[k] = i + x
			}
		}
		best = min(best, t.next[k])
	}
	return best
}

// sentenceStarters are capitalised words that after a multi-letter
// abbreviation such as "U.S." signal a new sentence rather than a name.
var sentenceStarters = map[string]bool{
	"The": true, "A": true, "An": true, "He": true, "She": true, "It": true, "They": true, "We": true,
	"I": true, "This": true, "That": true, "These": true, "Those": true, "In": true, "On": true, "At": true,
	"But": true, "And": true, "However": true, "Meanwhile": true, "His": true, "Her": true, "Its": true,
	"Their": true, "Our": true, "There": true, "When": true, "While": true, "As": true, "If": true,
	"Yet": true, "So": true, "Still": true, "Now": true, "According": true, "Some": true, "Many": true,
	"Last": true, "Earlier": true, "Later": true, "After": true, "Before": true, "Since": true, "What": true,
}

// Sentences splits s into sentences, returned as spans trimmed of surrounding
// white space, in order. A sentence never crosses a line break. It handles
// abbreviations (U.S., Gen., Dr., Jan.), initials, decimal numbers, closing
// quotes and brackets after the final punctuation, ellipses, and sentences
// glued together without a space ("Friday.The Pentagon").
func Sentences(s string) []slant.Span {
	// News prose averages well over 100 bytes a sentence; sizing for that
	// saves most of the slice growth.
	out := make([]slant.Span, 0, len(s)/128+1)
	for _, p := range Paragraphs(s) {
		out = appendSentences(out, s, p)
	}
	return out
}

// SentencesIn splits only the part of s inside span p (which must not cross
// a line break for the result to be meaningful).
func SentencesIn(s string, p slant.Span) []slant.Span {
	return appendSentences(nil, s, p)
}

func appendSentences(out []slant.Span, s string, p slant.Span) []slant.Span {
	start := p.Start
	emit := func(end int) {
		sp := Trim(s, slant.Span{Start: start, End: end})
		if sp.End > sp.Start {
			if x := gluedHeading(s, sp); x > 0 {
				out = append(out, slant.Span{Start: sp.Start, End: x})
				sp.Start = x
			}
			out = append(out, sp)
		}
		start = end
	}
	ts := termScanner{s: s, hi: p.End, next: [4]int{-1, -1, -1, -1}}
	i := p.Start
	for i < p.End {
		// Jump to the next byte that can start a terminator.
		if i = ts.find(i); i >= p.End {
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:p.End])
		switch {
		case r == '.' || r == '!' || r == '?' || r == '…':
			// Take the whole run of terminators ("?!", "...", "…").
			j := i + size
			for j < p.End {
				r2, s2 := utf8.DecodeRuneInString(s[j:p.End])
				if r2 != '.' && r2 != '!' && r2 != '?' && r2 != '…' {
					break
				}
				j += s2
			}
			// Absorb closing quotes and brackets.
			k := j
			for k < p.End {
				r2, s2 := utf8.DecodeRuneInString(s[k:p.End])
				if !isCloser(r2) {
					break
				}
				k += s2
			}
			if end, ok := boundary(s, p, start, i, j, k); ok {
				emit(end)
				i = end
				continue
			}
			i = j
		default:
			i += size
		}
	}
	emit(p.End)
	return out
}

// boundary decides whether a terminator run s[i:j] followed by closers up to
// k ends a sentence that began at start, and if so where the sentence ends.
func boundary(s string, p slant.Span, start, i, j, k int) (int, bool) {
	if k >= p.End {
		return p.End, false // the paragraph end closes it anyway
	}
	next, _ := utf8.DecodeRuneInString(s[k:p.End])
	term := s[i:j]
	single := term == "."

	if !isSpace(next) {
		// No space after the terminator. Glued sentences such as
		// "Friday.The Pentagon" split when a lower-case word ends and a
		// capitalised word begins; "U.S.", "rt.com", "3.5", "e.g." do not.
		if k != j {
			// '."Next' or '.”‘Next' glued after a closing quote.
			if isUpper(next) || isOpener(next) {
				return k, true
			}
			return 0, false
		}
		if isOpener(next) {
			// 'Mundo.“The': an opening quote glued to the period.
			_, os := utf8.DecodeRuneInString(s[k:p.End])
			if k+os < p.End {
				if r, _ := utf8.DecodeRuneInString(s[k+os : p.End]); isUpper(r) {
					return k, true
				}
			}
			return 0, false
		}
		if !isUpper(next) || !startsWordAt(s, k, p.End) {
			return 0, false
		}
		if !single {
			return j, true // "Piper?Asked"
		}
		if !lowerWordBefore(s, p.Start, i) && !(numberBefore(s, p.Start, i) && lowerAt(s, k, p.End)) {
			return 0, false
		}
		return j, true
	}

	// Find the first character of the next word.
	m := k
	for m < p.End {
		r2, s2 := utf8.DecodeRuneInString(s[m:p.End])
		if !isSpace(r2) {
			break
		}
		m += s2
	}
	if m >= p.End {
		return p.End, false
	}
	first, fsize := utf8.DecodeRuneInString(s[m:p.End])
	// Skip an opening quote or bracket to see the word itself.
	if isOpener(first) && m+fsize < p.End {
		first, _ = utf8.DecodeRuneInString(s[m+fsize : p.End])
	}
	startsNew := isUpper(first) || unicode.IsDigit(first) || isOpener(first)
	if !startsNew {
		return 0, false
	}
	if !single {
		return k, true
	}
	w := wordBefore(s, start, i)
	if w == "" {
		return k, true
	}
	abbr, number, final := abbreviationKind(w)
	if abbr || number && unicode.IsDigit(first) {
		return 0, false
	}
	// A single capital letter is an initial ("John F. Kennedy").
	if r, size := utf8.DecodeRuneInString(w); size == len(w) && isUpper(r) {
		return 0, false
	}
	// Dotted abbreviations ("U.S.", "U.N.") end a sentence only when a
	// typical sentence opener follows.
	if final || strings.Contains(w, ".") {
		if sentenceStarters[nextWord(s, m, p.End)] {
			return k, true
		}
		return 0, false
	}
	return k, true
}

// abbreviationKind looks w up, case-insensitively, in the three
// abbreviation tables. Every entry is short ASCII, so it lower-cases into a
// stack buffer (no allocation) and skips longer or non-ASCII words.
func abbreviationKind(w string) (abbr, number, final bool) {
	if len(w) > maxAbbreviation {
		return false, false, false
	}
	var buf [maxAbbreviation]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return false, false, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	lw := buf[:len(w)]
	return abbreviations[string(lw)], numberAbbreviations[string(lw)], finalAbbreviations[string(lw)]
}

// wordBefore returns the run of letters, digits and inner periods that ends
// at i (the position of a terminator), not going before lo.
func wordBefore(s string, lo, i int) string {
	b := i
	for b > lo {
		if c := s[b-1]; c < utf8.RuneSelf {
			if !asciiAlnum[c] && c != '.' && c != '\'' {
				break
			}
			b--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[lo:b])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’') {
			break
		}
		b -= size
	}
	return strings.Trim(s[b:i], ".'’")
}

// nextWord returns the letters starting at m, skipping an opening quote.
func nextWord(s string, m, hi int) string {
	r, size := utf8.DecodeRuneInString(s[m:hi])
	if isOpener(r) {
		m += size
	}
	e := m
	for e < hi {
		r, size := utf8.DecodeRuneInString(s[e:hi])
		if !unicode.IsLetter(r) {
			break
		}
		e += size
	}
	return s[m:e]
}

// startsWordAt reports whether the capital at k begins a word: a lower-case
// letter follows it, or it is a one-letter word ("A", "I").
func startsWordAt(s string, k, hi int) bool {
	_, size := utf8.DecodeRuneInString(s[k:hi])
	if k+size >= hi {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[k+size : hi])
	return unicode.IsLower(r) || r == ' '
}

// lowerWordBefore reports whether the word ending at i (not going before
// lo) has two or more runes, ends in a lower-case letter and is not part of
// a dotted run ("e.g", "rt.com", "ab.Cd"). It looks only at the word's own
// letters, so that checking every period of a long run without spaces
// stays linear.
func lowerWordBefore(s string, lo, i int) bool {
	last, _ := utf8.DecodeLastRuneInString(s[lo:i])
	if !unicode.IsLower(last) {
		return false
	}
	b, n := i, 0
	for b > lo {
		r, size := utf8.DecodeLastRuneInString(s[lo:b])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’') {
			if r == '.' {
				return false
			}
			break
		}
		b -= size
		n++
	}
	return n >= 2
}

// numberBefore reports whether a number ends at i ("in 2023.The", "won
// 2-1.In"): digits not preceded by a period, so that a dotted run such as a
// version or section number ("1.2.A") is left alone.
func numberBefore(s string, lo, i int) bool {
	b := i
	for b > lo && s[b-1] >= '0' && s[b-1] <= '9' {
		b--
	}
	return b < i && (b == lo || s[b-1] != '.')
}

// lowerAt reports whether the capital at k is followed by a lower-case
// letter, as a sentence's first word is ("The", "In") and an initial or a
// unit ("A", "GB") is not.
func lowerAt(s string, k, hi int) bool {
	_, size := utf8.DecodeRuneInString(s[k:hi])
	if k+size >= hi {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[k+size : hi])
	return unicode.IsLower(r)
}

func isUpper(r rune) bool { return unicode.IsUpper(r) }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '›':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '‹':
		return true
	}
	return false
}

// headingWords are the short words a title-case heading leaves in lower case.
var headingWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "for": true,
	"and": true, "or": true, "with": true, "is": true, "not": true, "at": true, "by": true, "from": true,
	"as": true, "vs": true,
}

// gluedHeading finds a title-case heading glued to the sentence that follows
// it, as HTML-to-text conversion leaves them ("Stalled CounteroffensiveKoshkin
// is confident", "Empty Promises“One can"). It returns the byte offset where
// the sentence proper starts, or 0 when sp does not begin with such a heading.
// The heading must have at least two words, each capitalised or a short
// function word, and its last word at least three letters, so that names
// such as "McDonald" or "PlayStation" at the start of a sentence are kept.
func gluedHeading(s string, sp slant.Span) int {
	words := 0
	wordStart := -1
	for i := sp.Start; i < sp.End; {
		// A lower-case ASCII letter inside a word changes nothing: skip it
		// without decoding.
		if c := s[i]; wordStart >= 0 && c >= 'a' && c <= 'z' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:sp.End])
		switch {
		case unicode.IsLetter(r) || r == '\'' || r == '’' && wordStart >= 0 || r == '-':
			if wordStart < 0 {
				if !unicode.IsLetter(r) {
					return 0
				}
				wordStart = i
				words++
				if words > 10 {
					return 0
				}
			} else if unicode.IsUpper(r) && i+size < sp.End {
				// Inside a word: lower-case then a capital followed by a
				// lower-case letter is the junction.
				prev, _ := utf8.DecodeLastRuneInString(s[wordStart:i])
				nx, _ := utf8.DecodeRuneInString(s[i+size : sp.End])
				if prev == '’' || prev == '\'' {
					// "‘Pandora’s Box’Scott": a quoted heading.
					before, _ := utf8.DecodeLastRuneInString(s[wordStart : i-utf8.RuneLen(prev)])
					if unicode.IsLower(before) {
						prev = before
					}
				}
				if unicode.IsLower(prev) && unicode.IsLower(nx) && words >= 2 && i-wordStart >= 3 &&
					headingPrefix(s, sp.Start, wordStart) {
					return i
				}
			}
		case r == '“' || r == '‘':
			if wordStart >= 0 && words >= 2 && i+size < sp.End && headingPrefix(s, sp.Start, wordStart) {
				nx, _ := utf8.DecodeRuneInString(s[i+size : sp.End])
				prev, _ := utf8.DecodeLastRuneInString(s[wordStart:i])
				if unicode.IsUpper(nx) && unicode.IsLower(prev) {
					return i
				}
			}
			if wordStart >= 0 {
				return 0
			}
		case r == ' ' || r == ',' || r == '‘' || r == '’' && wordStart < 0:
			if wordStart >= 0 && !headingWord(s[wordStart:i]) {
				return 0
			}
			wordStart = -1
		default:
			return 0
		}
		i += size
	}
	return 0
}

// headingPrefix reports whether every word in s[lo:hi] is a heading word.
func headingPrefix(s string, lo, hi int) bool {
	for _, w := range strings.FieldsFunc(s[lo:hi], func(r rune) bool { return r == ' ' || r == ',' }) {
		// Quotes around a word are not part of it, but an apostrophe inside
		// one is ("‘Pandora’s Box’").
		if w = strings.Trim(w, "‘’'"); w != "" && !headingWord(w) {
			return false
		}
	}
	return true
}

func headingWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	// Every lower-case heading word has at most 4 bytes: skip the map
	// lookup for the long words that end most candidate headings.
	return unicode.IsUpper(r) || len(w) <= 4 && headingWords[w]
}
