package quotes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant/entities"
	"github.com/slant-news/slant/text"
)

// TestSeedSpeakers checks the who-said-what of the five seed articles in
// ../shared/samples/seeds (not part of the repository; skipped without
// them): every official the articles quote is found as a resolved speaker.
func TestSeedSpeakers(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "shared", "samples", "seeds")
	if d := os.Getenv("SLANT_SEEDS"); d != "" {
		dir = d
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skip("../shared/samples/seeds not present")
	}
	speakers := map[string]int{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		sents := text.Sentences(s)
		for _, q := range Attribute(s, sents, text.Paragraphs(s), entities.Find(s, sents)) {
			if q.Resolved {
				speakers[q.Speaker]++
			}
		}
	}
	for _, w := range []string{"Mark Milley", "Pat Ryder", "Laura Cooper", "Colin Kahl", "Oleksii Reznikov",
		"Jens Stoltenberg", "Koshkin", "Scott Bennett", "Imelda Ibanez", "Human Rights Watch", "State Department spokesman"} {
		found := false
		for sp := range speakers {
			if strings.Contains(sp, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no quote attributed to %s; speakers: %v", w, speakers)
		}
	}
}
