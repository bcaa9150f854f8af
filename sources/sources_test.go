package sources

import (
	"bytes"
	"github.com/slant-news/slant"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         string
		wantDomain string // "" when no profile is expected
		wantFact   string
	}{
		{"rt.com", "rt.com", "low"},
		{"https://www.RT.com/news/123-story/?utm_source=x", "rt.com", "low"},
		{"m.rt.com", "rt.com", "low"},
		{"amp.rt.com", "rt.com", "low"},
		{"rt.com.", "rt.com", "low"},
		{"deutsch.rt.com", "rt.com", "low"}, // subdomain falls back to its parent
		{"sputniknews.com", "sputniknews.com", "low"},
		{"sputnikglobe.com", "sputnikglobe.com", "low"}, // renamed domain, aliased
		{"zerohedge.com", "zerohedge.com", "low"},
		{"https://breakingdefense.com/2023/07/x/", "breakingdefense.com", "high"},
		{"www.nytimes.com:443", "nytimes.com", "high"},
		{"infobrics.org", "", ""},
		{"example.invalid", "", ""},
		{"co.uk", "", ""},
		{"", "", ""},
		{"not a domain", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			o, ok := Lookup(tt.in)
			if ok != (tt.wantDomain != "") {
				t.Fatalf("Lookup(%q) ok=%v, want %v (%+v)", tt.in, ok, tt.wantDomain != "", o)
			}
			if !ok {
				return
			}
			if o.Domain != tt.wantDomain || o.Factuality != tt.wantFact {
				t.Errorf("Lookup(%q) = %s %q, want %s %q", tt.in, o.Domain, o.Factuality, tt.wantDomain, tt.wantFact)
			}
			if len(o.Sources) == 0 {
				t.Errorf("Lookup(%q): no provenance", tt.in)
			}
		})
	}
}

func TestLookupSubdomainNotAboveRegistrable(t *testing.T) {
	t.Parallel()
	tb := &Table{m: map[string]slant.Outlet{"co.uk": {Domain: "co.uk"}, "example.org": {Domain: "example.org"}}}
	if _, ok := tb.Lookup("news.example.co.uk"); ok {
		t.Error("news.example.co.uk matched the public suffix co.uk")
	}
	if o, ok := tb.Lookup("a.b.example.org"); !ok || o.Domain != "example.org" {
		t.Errorf("a.b.example.org = %+v %v, want example.org", o, ok)
	}
}

func TestHost(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"WWW.Example.COM", "example.com"},
		{"https://user:pw@www.example.com:8080/a?b#c", "example.com"},
		{"//m.example.com/x", "example.com"},
		{"www.m.example.com", "example.com"},
		{"m.com", "m.com"},
		{"example.com/path", "example.com"},
		{"", ""},
		{"http://", ""},
	}
	for _, tt := range tests {
		if got := Host(tt.in); got != tt.want {
			t.Errorf("Host(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzHost(f *testing.F) {
	for _, s := range []string{"rt.com", "https://www.rt.com/a", "m.m.m.x.org", "::", "http://[::1]:80/", "é.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Host(s)
		if h != Host(h) {
			t.Errorf("Host not idempotent: %q -> %q -> %q", s, h, Host(h))
		}
		if strings.ContainsAny(h, " /\\@") {
			t.Errorf("Host(%q) = %q has separators", s, h)
		}
		Lookup(s) // must not panic
	})
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	csv := "domain,name,factuality,bias,reliability\n" +
		"# a comment\n" +
		"rt.com,RT International,,,0.5\n" +
		"https://www.my-local-paper.example/news,My Local Paper,high,center,\n" +
		"\n"
	tb, err := LoadOverrides(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := tb.Lookup("rt.com")
	if !ok || rt.Name != "RT International" || rt.Factuality != "low" || rt.Reliability == nil || *rt.Reliability != 0.5 {
		t.Errorf("rt.com override = %+v", rt)
	}
	if rt.Sources[len(rt.Sources)-1] != "user outlets file" {
		t.Errorf("rt.com sources = %v, want the user file last", rt.Sources)
	}
	lp, ok := tb.Lookup("news.my-local-paper.example")
	if !ok || lp.Name != "My Local Paper" || lp.Bias != "center" || lp.Reliability != nil {
		t.Errorf("added outlet = %+v %v", lp, ok)
	}
	// The compiled table is not changed by overrides.
	if orig, _ := Lookup("rt.com"); orig.Name != "RT" {
		t.Errorf("default table changed: %+v", orig)
	}
}

func TestOverridesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, csv, want string }{
		{"bad factuality", "x.org,X,great,,\n", "factuality"},
		{"bad reliability", "x.org,X,high,,2\n", "reliability"},
		{"nan reliability", "x.org,X,high,,NaN\n", "reliability"},
		{"not a domain", "localhost,X,,,\n", "not a domain"},
		{"too many fields", "x.org,X,high,left,0.1,extra\n", "at most 5"},
		{"bad quoting", "x.org,\"X,high\n", "outlets file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadOverrides(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestEmbeddedParses(t *testing.T) {
	t.Parallel()
	tb, err := parseEmbedded(profilesGz)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() < 10000 {
		t.Errorf("compiled table has %d outlets, want over 10,000", tb.Len())
	}
	for d, o := range tb.m {
		if o.Reliability != nil && (*o.Reliability < -1 || *o.Reliability > 1) {
			t.Errorf("%s: reliability %v out of [-1, 1]", d, *o.Reliability)
		}
		switch o.Factuality {
		case "", "high", "mixed", "low":
		default:
			t.Errorf("%s: factuality %q", d, o.Factuality)
		}
	}
}

// TestGeneratedUpToDate regenerates the table from ../shared/data and checks
// that the committed profiles.tsv.gz is what the generator makes.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	data := os.Getenv("SLANT_DATA")
	if data == "" {
		data = filepath.Join("..", "..", "shared", "data")
	}
	dir := filepath.Join(data, "source-profiles")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	out := filepath.Join(t.TempDir(), "p.tsv.gz")
	cmd := exec.Command("go", "run", "./gen", "-data", dir, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, profilesGz) {
		t.Error("profiles.tsv.gz is stale: run go generate ./sources")
	}
}

func FuzzOverrides(f *testing.F) {
	f.Add("domain,name,factuality,bias,reliability\nrt.com,RT,low,right,-0.5\n")
	f.Add("x.org,,,,\n# c\n\"y.org\",\"Y, Inc\",high,,1\n")
	f.Add("a.b,\"unterminated\n")
	f.Fuzz(func(t *testing.T, csv string) {
		tb, err := LoadOverrides(strings.NewReader(csv))
		if err != nil {
			return
		}
		// Whatever was accepted is well-formed.
		for d, o := range tb.m {
			if o.Domain != d || Host(d) != d {
				t.Fatalf("domain %q stored as %q", d, o.Domain)
			}
			if o.Reliability != nil && (*o.Reliability < -1 || *o.Reliability > 1) {
				t.Fatalf("%s: reliability %v", d, *o.Reliability)
			}
		}
	})
}
