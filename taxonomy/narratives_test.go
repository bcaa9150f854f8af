package taxonomy

import (
	"strings"
	"testing"
)

func TestNarrativeTaxonomyShape(t *testing.T) {
	t.Parallel()
	ns, subs := Narratives(), Subnarratives()
	if len(ns) != 21 {
		t.Errorf("%d narratives, want 21 (11 war + 10 climate; Other is separate)", len(ns))
	}
	seen := map[string]bool{}
	for _, n := range ns {
		if n.Parent != "" || !strings.HasPrefix(n.Label, n.Domain+": ") || n.Definition == "" {
			t.Errorf("bad narrative %+v", n)
		}
		if got := SubnarrativesOf(n.Label); len(got) == 0 || got[len(got)-1] != OtherSubnarrative(n.Label) {
			t.Errorf("%s: subnarratives %v do not end with its Other", n.Label, got)
		}
		seen[n.Label] = true
	}
	for _, s := range subs {
		if !seen[s.Parent] || !strings.HasPrefix(s.Label, s.Parent+": ") || s.Definition == "" {
			t.Errorf("bad subnarrative %+v", s)
		}
		if got, ok := LookupNarrative(s.Label); !ok || got != s {
			t.Errorf("LookupNarrative(%q) = %+v, %v", s.Label, got, ok)
		}
		if strings.Contains(s.Short(), ":") {
			t.Errorf("%q: Short() = %q keeps the parent", s.Label, s.Short())
		}
	}
	// Labels the official lists use, spelt exactly (curly apostrophe, slash).
	for _, l := range []string{
		"URW: Discrediting Ukraine: Rewriting Ukraine’s history",
		"CC: Questioning the measurements and science: Greenhouse effect/carbon dioxide do not drive climate change",
		"URW: Hidden plots by secret schemes of powerful groups: Other",
		"URW: Amplifying war-related fears: NATO should/will directly intervene",
	} {
		if _, ok := LookupNarrative(l); !ok {
			t.Errorf("official label %q missing", l)
		}
	}
	if _, ok := LookupNarrative("URW: Made up"); ok {
		t.Error("unknown label found")
	}
}

func TestFramesAndGenres(t *testing.T) {
	t.Parallel()
	fs := Frames()
	if len(fs) != 14 {
		t.Fatalf("%d frames, want 14", len(fs))
	}
	for _, f := range fs {
		if f.Definition == "" || len(f.Cues) == 0 {
			t.Errorf("frame %s lacks definition or cues", f.Label)
		}
		for _, c := range f.Cues {
			if c != strings.ToLower(c) {
				t.Errorf("frame %s cue %q not lower-case", f.Label, c)
			}
		}
	}
	if gs := Genres(); len(gs) != 3 || gs[0].Label != GenreOpinion {
		t.Errorf("genres = %v", gs)
	}
}
