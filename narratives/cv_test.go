package narratives

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slant-news/slant/taxonomy"
)

// dataDir returns the SemEval-2025 Task 10 training folder or skips.
func dataDir(t testing.TB) string {
	root := os.Getenv("SLANT_DATA")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "data")
	}
	dir := filepath.Join(root, "semeval2025-task10", "train-EN")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	return dir
}

// TestCrossValidateReal runs the full 5-fold CV on the real data; it takes
// a while, so it runs only with SLANT_CV=1.
func TestCrossValidateReal(t *testing.T) {
	if os.Getenv("SLANT_CV") == "" {
		t.Skip("set SLANT_CV=1 to run the cross-validation on ../shared/data")
	}
	docs, err := LoadData(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := CrossValidate(context.Background(), docs, 5, TrainOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Scores
	t.Logf("coarse %.4f fine %.4f n=%d; explanations token-F1 %.4f ROUGE-L %.4f n=%d; in %v", s.CoarseF1, s.FineF1, s.N, r.TokenF1, r.RougeL, r.NExplanations, time.Since(start))
}

// TestTaxonomyCoversOfficialLists checks every official label is known.
func TestTaxonomyCoversOfficialLists(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(dataDir(t), "..", "taxonomy")
	for _, f := range []string{"subtask2_narratives.txt", "subtask2_subnarratives.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Skip("../shared/data not present: ", err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l == "" || l == taxonomy.OtherNarrative {
				continue
			}
			if _, ok := taxonomy.LookupNarrative(l); !ok {
				t.Errorf("%s: %q not in taxonomy", f, l)
			}
		}
	}
}
