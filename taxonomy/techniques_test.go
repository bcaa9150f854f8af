package taxonomy

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTechniquesWellFormed(t *testing.T) {
	t.Parallel()
	if len(Techniques) != 23 {
		t.Fatalf("%d techniques, want 23", len(Techniques))
	}
	seen := map[string]bool{}
	for _, tc := range Techniques {
		if seen[tc.Name] {
			t.Errorf("duplicate technique %s", tc.Name)
		}
		seen[tc.Name] = true
		if strings.ContainsAny(tc.Name, " ,\t") {
			t.Errorf("name %q has a separator character", tc.Name)
		}
		if len(tc.Definition) < 30 || strings.Contains(tc.Definition, "\n") {
			t.Errorf("%s: definition must be one substantial line, got %q", tc.Name, tc.Definition)
		}
		got, ok := LookupTechnique(tc.Name)
		if !ok || got != tc {
			t.Errorf("LookupTechnique(%q) = %v, %v", tc.Name, got, ok)
		}
	}
	if _, ok := LookupTechnique("Loaded Language"); ok {
		t.Error("lookup must use the exact official spelling")
	}
	if n := TechniqueNames(); len(n) != 23 || n[14] != "Loaded_Language" {
		t.Errorf("TechniqueNames() = %v", n)
	}
}

// TestTechniquesMatchOfficialList checks the names against the organisers'
// label list when the shared data is present.
func TestTechniquesMatchOfficialList(t *testing.T) {
	t.Parallel()
	data := os.Getenv("SLANT_DATA")
	if data == "" {
		data = filepath.Join("..", "..", "shared", "data")
	}
	path := filepath.Join(data, "semeval2023-task3", "label-lists", "techniques_subtask3.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	defer f.Close()
	var official []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			official = append(official, s)
		}
	}
	if strings.Join(official, ",") != strings.Join(TechniqueNames(), ",") {
		t.Fatalf("names differ from the official list:\n got %v\nwant %v", TechniqueNames(), official)
	}
}
