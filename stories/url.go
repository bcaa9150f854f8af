// Package stories finds duplicates and republished copies of articles,
// groups articles from many outlets into stories about one event, compares
// how outlets tell a story, and tracks narrative and technique trends per
// outlet and week.
package stories

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// NormalizeText folds text for content hashing: lower case, letters and
// digits only, words separated by one space. Two texts that differ only in
// white space, punctuation, quote style or case normalise alike.
func NormalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		// An apostrophe inside a word (don't, Kiev's) does not split it.
		if r == '\'' || r == '’' {
			continue
		}
		space = true
	}
	return b.String()
}

// ContentHash is the hex SHA-256 of NormalizeText(s): equal for exact
// duplicates that differ only in formatting.
func ContentHash(s string) string {
	h := sha256.Sum256([]byte(NormalizeText(s)))
	return hex.EncodeToString(h[:])
}
