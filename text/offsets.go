// Package text segments article text into paragraphs, sentences and tokens,
// always as byte offsets into the unaltered text, and converts between byte
// offsets and Unicode code point offsets (the SemEval convention).
package text

import (
	"sort"
	"unicode/utf8"
)

// Index converts between byte offsets and code point offsets of one text.
// Building it costs one pass over the text; each lookup is a binary search
// over the positions of multi-byte runes only, so pure-ASCII text costs
// nothing extra.
type Index struct {
	n int // length in bytes
	// wide holds, for each rune of 2 or more bytes, its byte offset; extra[i]
	// is the number of extra bytes (beyond one a code point) before and
	// including wide[i].
	wide  []int
	extra []int
	cps   int // length in code points
}

// NewIndex builds the index of s. Invalid UTF-8 bytes count as one code point
// each, as Go's range loop and Python's surrogateescape decoding do.
func NewIndex(s string) *Index {
	ix := &Index{n: len(s)}
	total := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			ix.cps++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		if size > 1 {
			total += size - 1
			ix.wide = append(ix.wide, i)
			ix.extra = append(ix.extra, total)
		}
		i += size
		ix.cps++
	}
	return ix
}

// Len returns the text's length in code points.
func (ix *Index) Len() int { return ix.cps }

// CodePoint returns the code point offset of byte offset b. A b inside a
// multi-byte rune maps to that rune's code point offset. b is clamped to
// [0, len].
func (ix *Index) CodePoint(b int) int {
	if b <= 0 {
		return 0
	}
	if b >= ix.n {
		return ix.cps
	}
	// Number of wide runes starting strictly before b.
	k := sort.SearchInts(ix.wide, b)
	if k == 0 {
		return b
	}
	// Rune k-1 starts before b; if b falls inside it, count it as its start.
	start := ix.wide[k-1]
	ext := ix.extra[k-1]
	prevExt := 0
	if k > 1 {
		prevExt = ix.extra[k-2]
	}
	size := ext - prevExt + 1
	if b < start+size {
		return start - prevExt
	}
	return b - ext
}

// Byte returns the byte offset of code point offset cp, clamped to [0, len].
func (ix *Index) Byte(cp int) int {
	if cp <= 0 {
		return 0
	}
	if cp >= ix.cps {
		return ix.n
	}
	// The code point offset of wide rune i is wide[i] - extra[i-1]. Find how
	// many wide runes start before code point cp.
	k := sort.Search(len(ix.wide), func(i int) bool {
		prev := 0
		if i > 0 {
			prev = ix.extra[i-1]
		}
		return ix.wide[i]-prev >= cp
	})
	if k == 0 {
		return cp
	}
	return cp + ix.extra[k-1]
}
