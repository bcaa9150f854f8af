package docclass

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func dataDir(t testing.TB) string {
	root := os.Getenv("SLANT_DATA")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "data")
	}
	dir := filepath.Join(root, "semeval2023-task3")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	return dir
}

// TestCrossValidateReal runs 5-fold CV on the real data with SLANT_CV=1.
func TestCrossValidateReal(t *testing.T) {
	if os.Getenv("SLANT_CV") == "" {
		t.Skip("set SLANT_CV=1 to run the cross-validation on ../shared/data")
	}
	for _, task := range []string{"genre", "frames"} {
		var docs []Doc
		var err error
		if task == "genre" {
			docs, err = LoadGenre(dataDir(t))
		} else {
			docs, err = LoadFrames(dataDir(t))
		}
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := CrossValidate(context.Background(), task, docs, 5, Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %.4f n=%d in %v", task, r.Score, len(docs), time.Since(start))
	}
}
