package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// TestPredictTechniquesEveryParagraph runs the real techniques model on two
// invented articles and checks the official formats: a line for every
// non-blank line (as in the organisers' template files; label field empty
// when none), numbered as lines of the file, and spans inside the text in
// code points.
func TestPredictTechniquesEveryParagraph(t *testing.T) {
	arts := map[string]string{
		"article901.txt": "Harbour “deal” collapses\n\nThe so-called reform council betrayed the people — again!\nWhat about their promises?\n",
		"article902.txt": "Ferry timetable\n\nThe ferry leaves at nine.",
	}
	dir := writeFiles(t, arts)
	out, errs, code := runSlant("predict", "techniques", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := semeval.ReadTechniques(strings.NewReader(out), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	// article901: lines 1, 3, 4 (line 2 is blank); article902: lines 1, 3.
	want := map[string][]int{"901": {1, 3, 4}, "902": {1, 3}}
	if len(recs) != 5 || len(strings.Split(strings.TrimSuffix(out, "\n"), "\n")) != 5 {
		t.Fatalf("%d lines, want 5 (one per non-blank line):\n%s", len(recs), out)
	}
	got := map[string][]int{}
	for _, r := range recs {
		got[r.ID] = append(got[r.ID], r.Paragraph)
	}
	for id, ps := range want {
		if fmt.Sprint(got[id]) != fmt.Sprint(ps) {
			t.Errorf("article %s: paragraphs %v, want %v", id, got[id], ps)
		}
	}
	out, errs, code = runSlant("predict", "spans", dir)
	if code != 0 {
		t.Fatalf("spans exit %d: %s", code, errs)
	}
	spans, err := semeval.ReadSpans(strings.NewReader(out), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spans {
		n := text.NewIndex(arts["article"+s.ID+".txt"]).Len()
		if s.Start < 0 || s.End > n || s.Start >= s.End {
			t.Fatalf("span %+v outside an article of %d code points", s, n)
		}
	}
}
