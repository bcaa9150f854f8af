package semeval

import (
	"os"
	"path/filepath"
	"testing"
)

// dataDir returns the shared training data folder, or skips the test.
func dataDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("SLANT_DATA")
	if d == "" {
		d = filepath.Join("..", "..", "shared", "data")
	}
	if _, err := os.Stat(d); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	return d
}

// TestOfficialFiles reads every training file of both tasks with the
// readers and scores each gold file against itself, which must give 1.
func TestOfficialFiles(t *testing.T) {
	t.Parallel()
	d := dataDir(t)
	t3 := filepath.Join(d, "semeval2023-task3")
	t10 := filepath.Join(d, "semeval2025-task10", "train-EN")
	must := func(n int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("no records")
		}
		return n
	}
	tech, err := ReadPath(filepath.Join(t3, "train-labels-subtask-3.txt"), ReadTechniques)
	must(len(tech), err)
	techDir, err := ReadPath(filepath.Join(t3, "train-labels-subtask-3"), ReadTechniques)
	must(len(techDir), err)
	if len(tech) != len(techDir) {
		t.Errorf("labels file has %d paragraphs, per-article folder %d", len(tech), len(techDir))
	}
	tmpl, err := ReadPath(filepath.Join(t3, "train-labels-subtask-3.template"), ReadTemplate)
	must(len(tmpl), err)
	spans, err := ReadPath(filepath.Join(t3, "train-labels-subtask-3-spans"), ReadSpans)
	must(len(spans), err)
	genres, err := ReadPath(filepath.Join(t3, "train-labels-subtask-1.txt"), ReadGenres)
	must(len(genres), err)
	frames, err := ReadPath(filepath.Join(t3, "train-labels-subtask-2.txt"), ReadFrames)
	must(len(frames), err)
	narr, err := ReadPath(filepath.Join(t10, "subtask-2-annotations.txt"), ReadNarratives)
	must(len(narr), err)
	roles, err := ReadPath(filepath.Join(t10, "subtask-1-annotations.txt"), ReadRoles)
	must(len(roles), err)
	dom, err := ReadPath(filepath.Join(t10, "subtask-3-annotations.txt"), ReadDominantNarratives)
	must(len(dom), err)
	var expl []Explanation
	for _, r := range dom {
		expl = append(expl, Explanation{ID: r.ID, Text: r.Explanation})
	}
	for _, r := range []*Result{
		ScoreTechniques(tech, tech, nil), ScoreSpans(spans, spans), ScoreGenre(genres, genres),
		ScoreFrames(frames, frames, nil), ScoreNarratives(narr, narr, nil, nil), ScoreRoles(roles, roles),
		ScoreExplanations(expl, expl),
	} {
		if r.Score() != 1 {
			t.Errorf("%s: gold against itself scores %s %v, want 1", r.Task, r.Metric, r.Score())
		}
	}
	for _, n := range []string{"train-articles-subtask-3", "train-articles-subtask-1"} {
		docs, skipped, err := ReadDocuments(filepath.Join(t3, n), ArticlePrefix)
		must(len(docs), err)
		if len(skipped) > 0 {
			t.Errorf("%s: %v", n, skipped)
		}
	}
	docs, _, err := ReadDocuments(filepath.Join(t10, "raw-documents"), FileNameID)
	must(len(docs), err)
}
