package text

import (
	"unicode"
	"unicode/utf8"
)

// Token is a word, number or punctuation mark at [Start, End) bytes.
type Token struct {
	Start, End int
}

// Kind of a token, by its first rune.
const (
	Word   = iota // letters, possibly with inner apostrophes, hyphens or periods
	Number        // digits, possibly with inner separators
	Punct         // any other single rune that is not white space
)

// Tokens splits s into tokens. Words keep inner apostrophes (don't, Kiev's),
// hyphens (anti-personnel) and periods between letters (U.S.); numbers keep
// inner separators (3.5, 1,000). Everything else that is not white space is
// a one-rune punctuation token. ASCII text takes a fast path.
func Tokens(s string) []Token {
	return AppendTokens(make([]Token, 0, len(s)/4+1), s, 0, len(s))
}

// AppendTokens appends the tokens of s[lo:hi] to dst (offsets into s).
func AppendTokens(dst []Token, s string, lo, hi int) []Token {
	i := lo
	for i < hi {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case asciiSpace[c]:
				i++
				continue
			case asciiAlnum[c]:
				j := wordEnd(s, i, hi)
				dst = append(dst, Token{i, j})
				i = j
				continue
			default:
				dst = append(dst, Token{i, i + 1})
				i++
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:hi])
		switch {
		case isSpace(r):
			i += size
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := wordEnd(s, i, hi)
			dst = append(dst, Token{i, j})
			i = j
		default:
			dst = append(dst, Token{i, i + size})
			i += size
		}
	}
	return dst
}

// KindOf returns the kind of token t of s.
func KindOf(s string, t Token) int {
	r, _ := utf8.DecodeRuneInString(s[t.Start:t.End])
	switch {
	case unicode.IsDigit(r):
		return Number
	case unicode.IsLetter(r):
		return Word
	}
	return Punct
}

// asciiAlnum and asciiSpace classify bytes below utf8.RuneSelf for the
// fast paths (a table lookup is cheaper than a chain of comparisons on the
// hot loop); bytes of multi-byte runes are false in both.
var asciiAlnum, asciiSpace [256]bool

func init() {
	for c := 0; c < utf8.RuneSelf; c++ {
		asciiAlnum[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for _, c := range " \n\t\r\f\v" {
		asciiSpace[c] = true
	}
}

func isASCIIAlnum(c byte) bool { return asciiAlnum[c] }

func isAlnumAt(s string, i, hi int) (bool, int) {
	if i >= hi {
		return false, 0
	}
	c := s[i]
	if c < utf8.RuneSelf {
		return isASCIIAlnum(c), 1
	}
	r, size := utf8.DecodeRuneInString(s[i:hi])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r), size
}

// wordEnd returns the end of the word starting at i: a run of letters and
// digits, continued across one joiner (' ’ - . ,) when a letter or digit
// follows it. A comma joins only digits (1,000); a period joins digits (3.5)
// and single letters (U.S.).
func wordEnd(s string, i, hi int) int {
	j := alnumRun(s, i, hi)
	for j < hi {
		// Most words end at a space or punctuation that joins nothing.
		if c := s[j]; c < utf8.RuneSelf && c != '\'' && c != '-' && c != '.' && c != ',' {
			break
		}
		r, size := utf8.DecodeRuneInString(s[j:hi])
		var join bool
		switch r {
		case '\'', '’', '-', '‐':
			join = true
		case '.':
			// U.S. / 3.5 but not "end.Next" (handled by the splitter) or "rt.com"
			// A period joins only after a digit or a one-letter capital
			// segment; test the cheap conditions first, since most periods
			// end a sentence after a lower-case word.
			prev, _ := utf8.DecodeLastRuneInString(s[i:j])
			join = unicode.IsDigit(prev) && nextIsDigit(s, j+size, hi) ||
				unicode.IsUpper(prev) && j-segStart(s, i, j) == 1
		case ',':
			prev, _ := utf8.DecodeLastRuneInString(s[i:j])
			join = unicode.IsDigit(prev) && nextIsDigit(s, j+size, hi)
		}
		if !join {
			break
		}
		ok, _ := isAlnumAt(s, j+size, hi)
		if !ok {
			// "U.S." keeps its final period when it closes a dotted run.
			if r == '.' && j-segStart(s, i, j) == 1 && j-i > 1 {
				j += size
			}
			break
		}
		j = alnumRun(s, j+size, hi)
	}
	return j
}

// alnumRun returns the end of the run of letters, digits and combining
// marks starting at j, with a fast path for ASCII.
func alnumRun(s string, j, hi int) int {
	for j < hi {
		if c := s[j]; c < utf8.RuneSelf {
			if !asciiAlnum[c] {
				break
			}
			j++
			continue
		}
		ok, size := isAlnumAt(s, j, hi)
		if !ok {
			break
		}
		j += size
	}
	return j
}

// segStart returns where the last alphanumeric segment of s[i:j] begins.
func segStart(s string, i, j int) int {
	k := j
	for k > i {
		r, size := utf8.DecodeLastRuneInString(s[i:k])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		k -= size
	}
	return k
}

func nextIsDigit(s string, i, hi int) bool {
	if i >= hi {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:hi])
	return unicode.IsDigit(r)
}
