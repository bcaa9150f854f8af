package text

import (
	"strings"
	"testing"
)

func TestLowerHelpers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, ascii, full string
		isASCII         bool
	}{
		{"NATO Says", "nato says", "nato says", true},
		{"already lower", "already lower", "already lower", true},
		{"Kiev’s İstanbul", "kiev’s İstanbul", strings.ToLower("Kiev’s İstanbul"), false},
		{"", "", "", true},
	}
	for _, c := range cases {
		if got := LowerASCII(c.in); got != c.ascii || len(got) != len(c.in) {
			t.Errorf("LowerASCII(%q) = %q, want %q with the same length", c.in, got, c.ascii)
		}
		if got := Lower(c.in); got != c.full {
			t.Errorf("Lower(%q) = %q, want %q", c.in, got, c.full)
		}
		if got := IsASCII(c.in); got != c.isASCII {
			t.Errorf("IsASCII(%q) = %v", c.in, got)
		}
	}
}

func TestLowerDoesNotAllocateOnLowerCase(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = Lower("cluster munitions") }); n != 0 {
		t.Errorf("Lower allocated %v times on an all-lower-case word", n)
	}
}
