package main

import (
	"strings"
	"testing"

	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// TestPredictTechniquesEveryParagraph runs the real techniques model on two
// invented articles and checks the official formats: a line for every
// paragraph (empty lines included, label field empty when none) and spans
// inside the text in code points.
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
	want := 0
	for _, s := range arts {
		want += len(text.Paragraphs(s))
	}
	if len(recs) != want || len(strings.Split(strings.TrimSuffix(out, "\n"), "\n")) != want {
		t.Fatalf("%d lines for %d paragraphs:\n%s", len(recs), want, out)
	}
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.ID]++
		if r.Paragraph != seen[r.ID] {
			t.Fatalf("article %s: paragraph %d out of order", r.ID, r.Paragraph)
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
