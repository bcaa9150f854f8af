package taxonomy

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

func TestEntityRolesWellFormed(t *testing.T) {
	t.Parallel()
	if n := len(EntityRoles()); n != 22 {
		t.Fatalf("%d fine roles, want 22", n)
	}
	seen := map[string]bool{}
	total := 0
	for _, m := range MainRoles {
		total += len(FineRolesOf(m))
	}
	if total != 22 {
		t.Errorf("fine roles of the main roles add up to %d, want 22", total)
	}
	for _, r := range EntityRoles() {
		if seen[r.Fine] {
			t.Errorf("duplicate fine role %q", r.Fine)
		}
		seen[r.Fine] = true
		if MainRoleOf(r.Fine) != r.Main || r.Definition == "" {
			t.Errorf("role %+v: MainRoleOf=%q", r, MainRoleOf(r.Fine))
		}
	}
	if MainRoleOf("Hero") != "" {
		t.Error("unknown role has a main role")
	}
}

// TestEntityRolesMatchOfficialList compares the names with the official
// taxonomy in ../shared/data (skipped when absent).
func TestEntityRolesMatchOfficialList(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("SLANT_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	f, err := os.Open(filepath.Join(dir, "semeval2025-task10", "taxonomy", "entity_role_descriptions.csv"))
	if err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range rows[1:] {
		if len(row) < 2 {
			continue
		}
		n++
		if got := MainRoleOf(row[1]); got != row[0] {
			t.Errorf("official %s/%s: slant says main %q", row[0], row[1], got)
		}
	}
	if n != 22 {
		t.Errorf("official list has %d roles", n)
	}
}
