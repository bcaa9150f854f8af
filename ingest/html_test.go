package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/slant-news/slant"
)

func TestParseHTMLPage(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pageURL, wantOutlet string
	}{
		// With no address, the canonical link gives URL and outlet, the
		// www. dropped.
		{"file", "", "coastal-ledger.example"},
		// A fetched page's own address decides the outlet.
		{"fetched", "https://www.mirror-site.example/x", "mirror-site.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := ParseHTML(data, tt.pageURL)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(a.Text, "\n")
			if lines[0] != "Lighthouse keepers strike over night shifts" || lines[1] != "" {
				t.Fatalf("first lines %q", lines[:2])
			}
			if a.Title != lines[0] || a.TitleSpan.Text(a.Text) != a.Title {
				t.Errorf("Title %q, span %+v", a.Title, a.TitleSpan)
			}
			for _, want := range []string{
				"Keepers at the four remaining staffed lighthouses on the Gannet coast walked out on Friday, saying new rotas force them to work eleven night shifts in a row.",
				"“The lamps are automated, but the people who fix them are not,” said Tomas Reyl, who has kept the Skerry Point light for nineteen years. The union wants the rota cut to six nights.",
				"Talks are due to resume on Tuesday in the harbour office at Callow Bay, where both sides met twice last month without agreement.",
			} {
				if !containsLine(lines, want) {
					t.Errorf("paragraph missing or not on its own line: %q\ntext:\n%s", want, a.Text)
				}
			}
			if lines[2] == "By Ines Marlow" {
				t.Errorf("byline line kept as the first paragraph")
			}
			for _, junk := range []string{"Subscribe now", "cookies", "All rights reserved", "Most read", "Seal pup", "Home"} {
				if strings.Contains(a.Text, junk) {
					t.Errorf("boilerplate %q kept:\n%s", junk, a.Text)
				}
			}
			if a.URL != "https://www.coastal-ledger.example/news/lighthouse-strike" {
				t.Errorf("URL = %q", a.URL)
			}
			if a.Outlet != tt.wantOutlet {
				t.Errorf("Outlet = %q, want %q", a.Outlet, tt.wantOutlet)
			}
			if !a.Published.Equal(time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)) {
				t.Errorf("Published = %v", a.Published)
			}
			if !strings.Contains(a.Byline, "Ines Marlow") {
				t.Errorf("Byline = %q", a.Byline)
			}
			if a.ID != urlID(a.URL) {
				t.Errorf("ID = %q", a.ID)
			}
		})
	}
}

func TestParseHTMLDivs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "page-divs.html"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseHTML(data, "https://www.valmora-daily.example/2026/02/bridge-opens?utm_source=x")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(a.Text, "\n")
	if a.Title != "Valmora bridge finally opens" || lines[0] != a.Title || lines[1] != "" {
		t.Errorf("title %q, first lines %q", a.Title, lines[:2])
	}
	for _, want := range []string{
		// <br><br> inside a <div> separates paragraphs too.
		"The Tessin bridge opened to traffic on Saturday, seventeen years after it was first promised.",
		"Hundreds of residents walked across before the first cars were let through at noon.",
		// Windows-1252 declared in http-equiv; the entities &#147; &#148;
		// &#150; are the curly quotes and en dash they mean in that code page.
		"“It took three governments and one lawsuit,” said the ferry operator who had sued to stop it. – He now plans to run tourist trips under the bridge.",
	} {
		if !containsLine(lines, want) {
			t.Errorf("missing line %q in:\n%s", want, a.Text)
		}
	}
	for _, junk := range []string{"Log in", "Share on", "comments", "First!", "About"} {
		if strings.Contains(a.Text, junk) {
			t.Errorf("boilerplate %q kept:\n%s", junk, a.Text)
		}
	}
	// og:url is relative: resolved against the page address.
	if a.URL != "https://www.valmora-daily.example/2026/02/bridge-opens" || a.Outlet != "valmora-daily.example" {
		t.Errorf("URL %q Outlet %q", a.URL, a.Outlet)
	}
}

func TestDropSiteName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title, og, h1, want string
	}{
		{"Bridge opens - Valmora Daily", "", "Bridge opens", "Bridge opens"},
		{"Valmora Daily | Bridge opens", "", "Bridge opens", "Bridge opens"},
		{"Bridge opens — Valmora Daily", "Bridge opens", "", "Bridge opens"},
		{"Bridge opens again", "", "Bridge opens", "Bridge opens again"},     // no separator: a different title
		{"Bridge opens", "", "Bridge opens - Valmora Daily", "Bridge opens"}, // candidate longer: keep
		{"İstanbul bridge - Daily", "", "i̇stanbul bridge", "İstanbul bridge - Daily"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		if got := dropSiteName(tt.title, tt.og, tt.h1); got != tt.want {
			t.Errorf("dropSiteName(%q, %q, %q) = %q, want %q", tt.title, tt.og, tt.h1, got, tt.want)
		}
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestParseHTMLEncodings(t *testing.T) {
	t.Parallel()
	body := "<p>" + strings.Repeat("The harbour master said the quay would reopen after repairs to the old sea wall. ", 4) + "</p>"
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"meta charset latin1", []byte("<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 closes</title></head><body><article><p>Le caf\xe9 ferme.</p>" + body + "</article></body></html>"), "Le café ferme."},
		{"undeclared cp1252", []byte("<html><head><title>Quay</title></head><body><article><p>\x93Quoted\x94 text.</p>" + body + "</article></body></html>"), "“Quoted” text."},
		{"utf8 bom", []byte("\xEF\xBB\xBF<html><head><title>Quay</title></head><body><article><p>Caf\u00e9 \U0001F30A.</p>" + body + "</article></body></html>"), "Café 🌊."},
		{"utf16", utf16Bytes(t, "<html><head><title>Quay</title></head><body><article><p>Caf\u00e9 \U0001F30A.</p>"+body+"</article></body></html>", xunicode.LittleEndian), "Café 🌊."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := ParseHTML(tt.data, "")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, a.Text)
			}
			if strings.HasPrefix(a.Text, "\uFEFF") {
				t.Error("BOM kept in rebuilt text")
			}
		})
	}
}

func TestParseHTMLErrors(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"empty":  "",
		"nobody": "<html><head><title>Only a title</title></head><body></body></html>",
		"binary": "<html>\x00\x01\x02</html>",
	} {
		_, err := ParseHTML([]byte(data), "")
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if slant.ErrorCode(err) != slant.EINVALID || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q (code %s)", name, err, slant.ErrorCode(err))
		}
	}
}

func TestOutlet(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://www.rt.com/news/1":          "rt.com",
		"https://news.bbc.co.uk/x":           "bbc.co.uk",
		"http://WWW.Example.COM.:8080/":      "example.com",
		"https://127.0.0.1/page":             "127.0.0.1",
		"https://[::1]:8443/page":            "::1",
		"https://localhost/page":             "localhost",
		"not a url":                          "",
		"":                                   "",
		"https://edition.cnn.com/2026/story": "cnn.com",
	}
	for in, want := range tests {
		if got := Outlet(in); got != want {
			t.Errorf("Outlet(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(page, "")
	f.Add([]byte("<p>one</p><p>two</p>"), "https://example.com/a")
	f.Add([]byte("<html><head><title>\n\n</title><link rel=canonical href=\"//x\"></head><body><pre>a\n\nb</pre></body>"), "http://[::1]/")
	f.Add([]byte("<table><tr><td>x<td>y</table><br><br>z"), "::bad")
	f.Fuzz(func(t *testing.T, data []byte, pageURL string) {
		a, err := ParseHTML(data, pageURL)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if !utf8.ValidString(a.Text) || a.Text == "" {
			t.Fatalf("bad text %q", a.Text)
		}
		sp := a.TitleSpan
		if a.Title != "" {
			if sp.Start != 0 || sp.End > len(a.Text) || a.Text[sp.Start:sp.End] != a.Title {
				t.Fatalf("title %q, span %+v in %q", a.Title, sp, a.Text)
			}
			if !strings.HasPrefix(a.Text[sp.End:], "\n\n") {
				t.Fatalf("title not followed by a blank line: %q", a.Text)
			}
		} else if sp != (slant.Span{}) {
			t.Fatalf("span %+v without title", sp)
		}
		for _, l := range strings.Split(strings.TrimSuffix(a.Text, "\n"), "\n") {
			if l != strings.TrimSpace(l) {
				t.Fatalf("untrimmed line %q", l)
			}
		}
	})
}

func BenchmarkParseHTML(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseHTML(data, "https://www.coastal-ledger.example/news/lighthouse-strike"); err != nil {
			b.Fatal(err)
		}
	}
}
