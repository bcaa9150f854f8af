package text

import (
	"testing"
	"unicode/utf8"
)

// naiveCodePoint counts the code points before byte offset b (a b inside a
// rune counts as that rune's start), decoding as Go's range loop does.
func naiveCodePoint(s string, b int) int {
	n := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		if b < i+size {
			return n
		}
		i += size
		n++
	}
	return n
}

func TestIndex(t *testing.T) {
	t.Parallel()
	// Curly quotes, an em dash, a non-breaking space, an emoji, a 2-byte
	// letter and an invalid byte.
	s := "“Kiev’s” — a\u00a0pier 🎣 é\xff!"
	ix := NewIndex(s)
	if got, want := ix.Len(), utf8.RuneCountInString(s); got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
	tests := []struct{ b, cp int }{
		{0, 0}, {3, 1}, {4, 2}, {8, 5}, {10, 6}, {len("“Kiev’s”"), 8},
		{1, 0}, {2, 0}, // inside the first rune
		{-5, 0}, {len(s) + 9, utf8.RuneCountInString(s)},
	}
	for _, tt := range tests {
		if got := ix.CodePoint(tt.b); got != tt.cp {
			t.Errorf("CodePoint(%d) = %d, want %d", tt.b, got, tt.cp)
		}
	}
	if got := ix.Byte(-1); got != 0 {
		t.Errorf("Byte(-1) = %d, want 0", got)
	}
	if got := ix.Byte(1000); got != len(s) {
		t.Errorf("Byte(1000) = %d, want %d", got, len(s))
	}
	checkIndex(t, s)
}

// checkIndex asserts the round trips of the offset contract on every
// offset of s.
func checkIndex(t *testing.T, s string) {
	t.Helper()
	ix := NewIndex(s)
	cps := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		cps++
		i += size
	}
	if ix.Len() != cps {
		t.Fatalf("%q: Len %d, want %d", s, ix.Len(), cps)
	}
	for b := 0; b <= len(s); b++ {
		cp := ix.CodePoint(b)
		if want := naiveCodePoint(s, b); cp != want {
			t.Fatalf("%q: CodePoint(%d) = %d, want %d", s, b, cp, want)
		}
		// Byte(CodePoint(b)) is b on a rune boundary, else the start of the
		// rune b falls in.
		back := ix.Byte(cp)
		if runeStart(s, b) && back != b {
			t.Fatalf("%q: Byte(CodePoint(%d)) = %d", s, b, back)
		}
		if back > b || !runeStart(s, back) {
			t.Fatalf("%q: Byte(CodePoint(%d)) = %d is not the start of b's rune", s, b, back)
		}
	}
	for cp := 0; cp <= ix.Len(); cp++ {
		if got := ix.CodePoint(ix.Byte(cp)); got != cp {
			t.Fatalf("%q: CodePoint(Byte(%d)) = %d", s, cp, got)
		}
	}
}

func FuzzIndex(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("")
	f.Add("\xf0\x9f\x8e")  // truncated emoji
	f.Add("\xed\xa0\x80x") // surrogate half
	f.Fuzz(func(t *testing.T, s string) {
		checkIndex(t, s)
	})
}

func BenchmarkIndex(b *testing.B) {
	benchText(b, func(s string) {
		ix := NewIndex(s)
		for i := 0; i < len(s); i += 97 {
			ix.Byte(ix.CodePoint(i))
		}
	})
}
