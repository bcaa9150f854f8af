package text

import "strings"

// IsASCII reports whether s has only ASCII bytes.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// LowerASCII lower-cases the ASCII letters of s and keeps every other byte
// as it is, so that byte offsets into s hold in the result (strings.ToLower
// may change the length of non-ASCII text).
func LowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Lower lower-cases w fully (strings.ToLower), without allocating when w
// has no upper-case ASCII letter and no non-ASCII byte: most words of an
// article are already lower case.
func Lower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(w)
		}
	}
	return w
}
