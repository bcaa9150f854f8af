package render

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/slant-news/slant"
)

// xssReport carries markup in every field a renderer prints.
func xssReport(t testing.TB) *slant.Report {
	body := "<script>alert(1)</script> headline\n\nThe minister’s <img src=x onerror=alert(2)> plan — “a <b>bold</b> move” 🙂 & more.\n"
	r := segmented(slant.Article{
		ID: "x\"><script>alert(3)</script>", Title: "<script>alert(1)</script> headline", Text: body,
		Outlet: "<iframe src=//evil>", URL: "javascript:alert(4)",
	})
	r.Techniques = []slant.TechniqueSpan{
		{Span: at(t, body, "<img src=x onerror=alert(2)>", 0), Technique: `Loaded_Language" onmouseover="alert(5)`, Score: 0.8},
		{Span: at(t, body, "<script>alert(1)</script>", 0), Technique: "Doubt", Score: 0.5},
	}
	r.Quotes = []slant.Quote{{Span: at(t, body, "“a <b>bold</b> move”", 0), Kind: slant.QuoteDirect,
		Speaker: "<svg onload=alert(6)>", Resolved: true, Cue: "<i>said</i>"}}
	r.Entities = []slant.Entity{{Name: "<u>Varga</u>", Kind: "person",
		Mentions: []slant.Mention{{Span: at(t, body, "minister", 0)}}, Role: &slant.Role{Main: `Antagonist"><script>`}}}
	r.Narratives = []slant.Narrative{{Narrative: "<b>N</b>", Evidence: []slant.Span{r.Sentences[1]}}}
	r.Genre = &slant.Label{Label: "<em>opinion</em>"}
	r.Analyzers = []string{"<techniques>"}
	r.FillCodePoints()
	return r
}

func TestHTMLEscapesArticleText(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	// Two reports, so the hostile title also lands in the page's index.
	if err := HTML(&b, []*slant.Report{xssReport(t), bareReport()}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, `<a href="#a1">&lt;script&gt;`) {
		t.Errorf("the index does not list the escaped title")
	}
	for _, bad := range []string{"<script", "<img", "<iframe", "<svg", "<b>", "<u>", "<em>", "<i>", `" onmouseover=`, `href="javascript`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&amp; more"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped text %q", want)
		}
	}
	// No external assets and no script of our own: one self-contained page.
	for _, bad := range []string{"<link", "src=\"http", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page references an external asset: %q", bad)
		}
	}
}

// TestHTMLTextRoundTrip parses the page and checks that the article text,
// read back out of the marked-up paragraphs, is exactly the original: no
// segment lost, duplicated or double-escaped around overlapping marks.
func TestHTMLTextRoundTrip(t *testing.T) {
	t.Parallel()
	reports := []*slant.Report{fullReport(t), xssReport(t), bareReport()}
	var b bytes.Buffer
	if err := HTML(&b, reports); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var marks int
	var walk func(n *html.Node, inText bool)
	walk = func(n *html.Node, inText bool) {
		if n.Type == html.ElementNode && n.Data == "div" && attr(n, "class") == "text" {
			var lines []string
			for p := n.FirstChild; p != nil; p = p.NextSibling {
				if p.Type == html.ElementNode && p.Data == "p" {
					lines = append(lines, textOf(p))
				}
			}
			texts = append(texts, strings.Join(lines, "\n"))
		}
		if n.Type == html.ElementNode && n.Data == "mark" {
			marks++
			if attr(n, "title") == "" {
				t.Errorf("a <mark> without a title")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inText)
		}
	}
	walk(doc, false)
	if len(texts) != len(reports) {
		t.Fatalf("found %d article texts, want %d", len(texts), len(reports))
	}
	for i, r := range reports {
		var lines []string
		for _, l := range strings.Split(r.Article.Text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if want := strings.Join(lines, "\n"); texts[i] != want {
			t.Errorf("article %d text read back from HTML:\n%q\nwant\n%q", i, texts[i], want)
		}
	}
	if marks == 0 {
		t.Fatal("no <mark> elements: spans were not rendered")
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
