package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPredictRoles runs the real roles task on an invented article with a
// multi-byte rune before the mentions: every mention gets a line with its
// code point offsets unchanged and a main role with fine roles of it.
func TestPredictRoles(t *testing.T) {
	t.Parallel()
	docs := writeFiles(t, map[string]string{
		"EN_UA_1.txt": "Strike on Kharkiv — 😢\n\nRussian forces shelled Kharkiv, killing civilians. Zelensky condemned it.\n",
	})
	mentions := filepath.Join(writeFiles(t, map[string]string{"m.txt": "EN_UA_1.txt\tRussian forces\t23\t36\n" +
		"EN_UA_1.txt\tcivilians\t63\t71\nEN_UA_1.txt\tZelensky\t74\t81\nEN_UA_9.txt\tX\t0\t0\n"}), "m.txt")
	out, errs, code := runSlant("predict", "roles", docs, mentions)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3 (one per mention of DOCS_DIR):\n%s", len(lines), out)
	}
	for i, want := range []string{"EN_UA_1.txt\tRussian forces\t23\t36\t", "EN_UA_1.txt\tcivilians\t63\t71\t", "EN_UA_1.txt\tZelensky\t74\t81\t"} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want)
		}
		if f := strings.Split(lines[i], "\t"); len(f) < 6 {
			t.Errorf("line %d has no fine role: %q", i, lines[i])
		}
	}
	bad := filepath.Join(writeFiles(t, map[string]string{"m.txt": "EN_UA_1.txt\tX\t500\t510\n"}), "m.txt")
	if _, errs, code := runSlant("predict", "roles", docs, bad); code != 1 || !strings.Contains(errs, "outside the article") {
		t.Errorf("mention past the end: exit %d, stderr %q", code, errs)
	}
}
