package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/semeval"
)

// withTasks replaces the task registry for one test (which therefore must
// not be parallel) and restores it afterwards.
func withTasks(t *testing.T, ts ...*task) {
	t.Helper()
	saved := tasks
	tasks = map[string]*task{}
	for _, x := range ts {
		registerTask(x)
	}
	t.Cleanup(func() { tasks = saved })
}

// writeFiles creates files (name -> content) under a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runSlant runs the command line and returns stdout, stderr and the exit
// status main would use.
func runSlant(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	e := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := run(context.Background(), args, e)
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

// fakeGenre calls an article satire when its text says "satire", else
// opinion.
var fakeGenre = &task{name: "genre", predict: func(_ context.Context, docs []semeval.Document, _ string, w io.Writer) error {
	var recs []semeval.ArticleLabel
	for _, d := range docs {
		l := "opinion"
		if strings.Contains(d.Text, "satire") {
			l = "satire"
		}
		recs = append(recs, semeval.ArticleLabel{ID: d.ID, Label: l})
	}
	return semeval.WriteGenres(w, recs)
}}

func genreDocs(t *testing.T) string {
	return writeFiles(t, map[string]string{
		"article1.txt": "Mayor Declares Pothole a Heritage Site\n\nA work of satire, obviously.\n",
		"article2.txt": "Council Approves Budget\r\n\r\nThe council voted 7–2 on Tuesday.",
		"article3.txt": "Why the Budget Fails\n\nIt fails.\n",
		"README.md":    "not an article",
	})
}

func TestPredictWritesEveryArticle(t *testing.T) {
	withTasks(t, fakeGenre)
	dir := genreDocs(t)
	out, errs, code := runSlant("predict", "genre", dir)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if want := "1\tsatire\n2\topinion\n3\topinion\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
}

func TestPredictSkipsUnreadable(t *testing.T) {
	withTasks(t, fakeGenre)
	dir := genreDocs(t)
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "article4.txt")); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runSlant("predict", "genre", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if got := strings.Count(out, "\n"); got != 3 {
		t.Errorf("stdout %q: want the 3 readable articles", out)
	}
	if lines := strings.Split(strings.TrimSpace(errs), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "article4.txt") {
		t.Errorf("stderr %q: want one line naming article4.txt", errs)
	}
}

func TestEvalGenre(t *testing.T) {
	withTasks(t, fakeGenre)
	dir := genreDocs(t)
	// Article 4 is not in DOCS_DIR and is left out of scoring.
	gold := writeFiles(t, map[string]string{"gold.txt": "1\tsatire\n2\treporting\n3\topinion\n4\topinion\n"})
	out, errs, code := runSlant("eval", "genre", dir, filepath.Join(gold, "gold.txt"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Predicted satire, opinion, opinion. satire F1 1; opinion TP 3, FP 2
	// -> 2/3; reporting FN 2 -> 0. macro-F1 = 5/9.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; last != "genre macro-F1 0.5556" {
		t.Errorf("last line %q, want %q\n%s", last, "genre macro-F1 0.5556", out)
	}
	if !strings.Contains(out, "1 gold articles are not in DOCS_DIR") {
		t.Errorf("no note about the gold article outside DOCS_DIR:\n%s", out)
	}
}

func TestEvalTechniquesGoldFolder(t *testing.T) {
	fake := &task{name: "techniques", predict: func(_ context.Context, docs []semeval.Document, _ string, w io.Writer) error {
		// Loaded_Language in every non-empty paragraph.
		var recs []semeval.ParagraphLabels
		for _, d := range docs {
			for i, line := range strings.Split(strings.TrimSuffix(d.Text, "\n"), "\n") {
				r := semeval.ParagraphLabels{ID: d.ID, Paragraph: i + 1}
				if strings.TrimSpace(line) != "" {
					r.Techniques = []string{"Loaded_Language"}
				}
				recs = append(recs, r)
			}
		}
		return semeval.WriteTechniques(w, recs)
	}}
	withTasks(t, fake)
	docs := writeFiles(t, map[string]string{
		"article10.txt": "Title\n\nA vile, disgusting plan.\nPlain facts.\n",
	})
	gold := writeFiles(t, map[string]string{
		"labels/article10-labels-subtask-3.txt":          "10\t1\t\n10\t3\tLoaded_Language\n10\t4\t\n",
		"labels/article10-labels-subtask-3.txt.template": "10\t1\tTitle\n",
	})
	out, errs, code := runSlant("eval", "techniques", docs, filepath.Join(gold, "labels"))
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Gold paragraphs 1, 3, 4; predicted Loaded_Language in 1, 3, 4:
	// TP 1, FP 2 -> micro-F1 2/(2+2) = 0.5. Paragraph 2 is extra.
	if !strings.HasSuffix(out, "techniques micro-F1 0.5000\n") {
		t.Errorf("output:\n%s", out)
	}
}

func TestEvalRolesDerivesMentionsFromGold(t *testing.T) {
	var gotExtra []byte
	fake := &task{name: "roles", predict: func(_ context.Context, docs []semeval.Document, extra string, w io.Writer) error {
		var err error
		if gotExtra, err = os.ReadFile(extra); err != nil {
			return err
		}
		ms, err := semeval.ReadFile(extra, semeval.ReadMentions)
		if err != nil {
			return err
		}
		in := map[string]bool{}
		for _, d := range docs {
			in[d.ID] = true
		}
		var out []semeval.RoleMention
		for _, m := range ms {
			if in[m.ID] {
				m.Main, m.Fine = "Antagonist", []string{"Deceiver"}
				out = append(out, m)
			}
		}
		return semeval.WriteRoles(w, out)
	}}
	withTasks(t, fake)
	docs := writeFiles(t, map[string]string{"EN_1.txt": "Ann lied. Bo helped.\n"})
	gold := filepath.Join(writeFiles(t, map[string]string{"g.txt": "EN_1.txt\tAnn\t0\t2\tAntagonist\tDeceiver\n" +
		"EN_1.txt\tBo\t10\t11\tProtagonist\tGuardian\nEN_2.txt\tCy\t0\t1\tInnocent\tVictim\n"}), "g.txt")
	out, errs, code := runSlant("eval", "roles", docs, gold)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// The model gets the gold mentions without their roles.
	if want := "EN_1.txt\tAnn\t0\t2\nEN_1.txt\tBo\t10\t11\nEN_2.txt\tCy\t0\t1\n"; string(gotExtra) != want {
		t.Errorf("EXTRA_FILE derived from gold = %q, want %q", gotExtra, want)
	}
	// EN_2.txt is outside DOCS_DIR; of Ann and Bo only Ann is right: EMR 1/2.
	if !strings.HasSuffix(out, "roles EMR 0.5000\n") {
		t.Errorf("output:\n%s", out)
	}
	if _, errs, code := runSlant("predict", "roles", docs); code != 2 || !strings.Contains(errs, "mentions file") {
		t.Errorf("predict roles without EXTRA_FILE: exit %d, stderr %q; want a usage error", code, errs)
	}
}

func TestPredictErrors(t *testing.T) {
	bad := &task{name: "frames", predict: func(_ context.Context, docs []semeval.Document, _ string, w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s\tEconomic\textra\tcolumns\n", docs[0].ID)
		return err
	}}
	silent := &task{name: "narratives", predict: func(context.Context, []semeval.Document, string, io.Writer) error {
		return nil
	}}
	failing := &task{name: "techniques", predict: func(context.Context, []semeval.Document, string, io.Writer) error {
		return slant.Errorf(slant.EINVALID, "model file is corrupt")
	}}
	withTasks(t, fakeGenre, bad, silent, failing)
	st3 := genreDocs(t)
	t10 := writeFiles(t, map[string]string{"EN_1.txt": "Text.\n"})
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no task", []string{"predict"}, 2, "no TASK given"},
		{"unknown task", []string{"predict", "sentiment", st3}, 2, "unknown task \"sentiment\" (one of techniques, spans, genre, frames, narratives, roles, explanations)"},
		{"not registered", []string{"predict", "spans", st3}, 1, "no model for spans yet"},
		{"too many args", []string{"predict", "genre", st3, "x"}, 2, "usage: slant predict"},
		{"eval without gold", []string{"eval", "genre", st3}, 2, "usage: slant eval"},
		{"missing gold", []string{"eval", "genre", st3, filepath.Join(st3, "nope.txt")}, 1, "gold:"},
		{"missing docs", []string{"predict", "genre", filepath.Join(st3, "nope")}, 1, "nope"},
		{"no articles", []string{"predict", "genre", t10}, 1, "holds no article file named article<ID>.txt"},
		{"malformed output", []string{"predict", "frames", st3}, 1, "frames: malformed prediction: output of frames:1:"},
		{"missing article", []string{"predict", "narratives", t10}, 1, "narratives: no output line for article EN_1.txt"},
		{"model error", []string{"predict", "techniques", st3}, 1, "model file is corrupt"},
	}
	for _, tt := range tests {
		out, errs, code := runSlant(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and one line with %q", tt.name, code, errs, tt.code, tt.msg)
		}
		if out != "" {
			t.Errorf("%s: stdout %q, want nothing", tt.name, out)
		}
	}
}

func TestRegisterTaskUnknownPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("registering an unknown task did not panic")
		}
	}()
	registerTask(&task{name: "sentiment"})
}

func TestEvalCanceled(t *testing.T) {
	withTasks(t, fakeGenre)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gold := filepath.Join(writeFiles(t, map[string]string{"g.txt": "1\tsatire\n"}), "g.txt")
	var out, errb bytes.Buffer
	err := run(ctx, []string{"eval", "genre", genreDocs(t), gold}, &Env{Stdout: &out, Stderr: &errb})
	if !errors.Is(err, context.Canceled) || out.Len() > 0 {
		t.Errorf("canceled eval: err %v, stdout %q; want context.Canceled and no output", err, out.String())
	}
}

// TestNarrativeClassesCoverGold checks that the class lists eval scores
// narratives with hold every label of the official training gold, so that
// filtering by them never drops a gold label.
func TestNarrativeClassesCoverGold(t *testing.T) {
	t.Parallel()
	d := os.Getenv("SLANT_DATA")
	if d == "" {
		d = filepath.Join("..", "..", "..", "shared", "data")
	}
	gold := filepath.Join(d, "semeval2025-task10", "train-EN", "subtask-2-annotations.txt")
	if _, err := os.Stat(gold); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	recs, err := semeval.ReadFile(gold, semeval.ReadNarratives)
	if err != nil {
		t.Fatal(err)
	}
	coarse, fine := narrativeClasses()
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range list {
			m[l] = true
		}
		return m
	}
	c, f := in(coarse), in(fine)
	for _, r := range recs {
		for _, l := range r.Narratives {
			if !c[l] {
				t.Errorf("%s: gold narrative %q is not in the class list", r.ID, l)
			}
		}
		for _, l := range r.Subnarratives {
			if !f[l] {
				t.Errorf("%s: gold subnarrative %q is not in the class list", r.ID, l)
			}
		}
	}
}

func TestEvalExplanationsHidesGold(t *testing.T) {
	fake := &task{name: "explanations", predict: func(_ context.Context, docs []semeval.Document, extra string, w io.Writer) error {
		dom, err := semeval.ReadFile(extra, semeval.ReadDominantNarratives)
		if err != nil {
			return err
		}
		var out []semeval.Explanation
		for _, d := range dom {
			if d.Explanation != "" {
				return fmt.Errorf("the model was shown the gold explanation of %s", d.ID)
			}
			// Explain with the narrative's own words.
			out = append(out, semeval.Explanation{ID: d.ID, Text: "The article says " + d.Subnarrative})
		}
		return semeval.WriteExplanations(w, out)
	}}
	withTasks(t, fake)
	docs := writeFiles(t, map[string]string{"EN_1.txt": "Text.\n"})
	gold := filepath.Join(writeFiles(t, map[string]string{"g.txt": "EN_1.txt\tCC: A\tCC: A: Other\tthe article says other things\n"}), "g.txt")
	out, errs, code := runSlant("eval", "explanations", docs, gold)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Tokens: gold "the article says other things" (5), predicted "the
	// article says cc a other" (6); LCS "the article says other" = 4:
	// P 4/6, R 4/5 -> ROUGE-L 2PR/(P+R) = 8/11 = 0.7273.
	if !strings.HasSuffix(out, "explanations ROUGE-L 0.7273\n") {
		t.Errorf("output:\n%s", out)
	}
}

// TestEvalRefusesWrongGold is the regression test for eval scoring a gold
// file of another task, or an empty one, as 0.0000 without a word; a gold
// file with the odd unknown label among known ones is still scored, with a
// note.
func TestEvalRefusesWrongGold(t *testing.T) {
	withTasks(t, fakeGenre)
	dir := genreDocs(t)
	gold := writeFiles(t, map[string]string{
		"empty.txt":  "",
		"frames.txt": "1\tEconomic,Political\n2\tMorality\n",
		"typo.txt":   "1\tsatire\n2\treportng\n3\topinion\n",
	})
	tests := []struct {
		file, stderr, stdout string
		code                 int
	}{
		{"empty.txt", "holds no annotations", "", 1},
		{"frames.txt", `no genre label in it (first: "Economic,Political" in article 1); is it the gold file of another task?`, "", 1},
		{"typo.txt", "", `note: 1 gold labels are not genre labels (first: "reportng" in article 2); scored as given`, 0},
	}
	for _, tt := range tests {
		out, errs, code := runSlant("eval", "genre", dir, filepath.Join(gold, tt.file))
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.file, code, tt.code, errs)
		}
		if tt.stderr != "" && (strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.stderr)) {
			t.Errorf("%s: stderr %q, want one line with %q", tt.file, errs, tt.stderr)
		}
		if tt.stdout != "" && !strings.Contains(out, tt.stdout) {
			t.Errorf("%s: stdout %q, want %q", tt.file, out, tt.stdout)
		}
	}
}

// TestPredictRolesMentionOutsideDocs is the regression test for a mentions
// file naming an article that is not in DOCS_DIR: its mentions got no output
// line and no word was said. predict must say so in one note line and
// still exit 0 (predicting a part of a data set with the whole set's
// mentions file is a fair use), writing the lines of the articles it has.
func TestPredictRolesMentionOutsideDocs(t *testing.T) {
	fake := &task{name: "roles", predict: func(_ context.Context, docs []semeval.Document, extra string, w io.Writer) error {
		ms, err := semeval.ReadFile(extra, semeval.ReadMentions)
		if err != nil {
			return err
		}
		in := map[string]bool{}
		for _, d := range docs {
			in[d.ID] = true
		}
		var out []semeval.RoleMention
		for _, m := range ms {
			if in[m.ID] {
				m.Main, m.Fine = "Innocent", []string{"Victim"}
				out = append(out, m)
			}
		}
		return semeval.WriteRoles(w, out)
	}}
	withTasks(t, fake)
	dir := writeFiles(t, map[string]string{
		"EN_T_1.txt":   "Flood in Orna\n\nThe river took the mill of Anna Brel.\n",
		"mentions.txt": "EN_T_1.txt\tAnna Brel\t47\t55\nEN_T_9.txt\tOrna\t9\t12\nEN_T_9.txt\tMill\t1\t4\n",
	})
	out, errs, code := runSlant("predict", "roles", dir, filepath.Join(dir, "mentions.txt"))
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if want := "EN_T_1.txt\tAnna Brel\t47\t55\tInnocent\tVictim\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "slant: note: ") || !strings.Contains(errs, "names 1 articles not in") || !strings.Contains(errs, "EN_T_9.txt") {
		t.Errorf("stderr %q, want one line naming EN_T_9.txt", errs)
	}
}
