package text_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/slant-news/slant/semeval"
	"github.com/slant-news/slant/text"
)

// trim drops surrounding white space and byte order marks (a few lines of
// the data are a lone BOM, which the template reader strips).
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}

// TestParagraphsMatchTemplates checks Paragraphs against the official
// SemEval-2023 Task 3 templates: paragraph n of every training article is
// the template's line n (templates leave out empty lines).
func TestParagraphsMatchTemplates(t *testing.T) {
	t.Parallel()
	d := os.Getenv("SLANT_DATA")
	if d == "" {
		d = filepath.Join("..", "..", "shared", "data")
	}
	t3 := filepath.Join(d, "semeval2023-task3")
	if _, err := os.Stat(t3); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	tmpl, err := semeval.ReadFile(filepath.Join(t3, "train-labels-subtask-3.template"), semeval.ReadTemplate)
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := semeval.ReadDocuments(filepath.Join(t3, "train-articles-subtask-3"), semeval.ArticlePrefix)
	if err != nil {
		t.Fatal(err)
	}
	paras := map[string][]string{}
	for _, doc := range docs {
		for _, p := range text.Paragraphs(doc.Text) {
			paras[doc.ID] = append(paras[doc.ID], doc.Text[p.Start:p.End])
		}
	}
	bad := 0
	for _, l := range tmpl {
		ps, ok := paras[l.ID]
		switch {
		case !ok:
			t.Errorf("template article %s has no article file", l.ID)
		case l.Paragraph > len(ps):
			t.Errorf("%s: template paragraph %d, article has %d lines", l.ID, l.Paragraph, len(ps))
		case trim(ps[l.Paragraph-1]) != trim(l.Text):
			bad++
			if bad <= 3 {
				t.Errorf("%s paragraph %d differs from the template", l.ID, l.Paragraph)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d template paragraphs differ", bad, len(tmpl))
	}
}
