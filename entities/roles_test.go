package entities

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/learn"
	"github.com/slant-news/slant/taxonomy"
)

// syntheticRoles builds a small invented corpus where the words around a
// mention decide its role, so that training must learn them.
func syntheticRoles() []RoleExample {
	var c []RoleExample
	for i := 0; i < 60; i++ {
		var s, main, fine string
		switch i % 3 {
		case 0:
			s, main, fine = "The brave rangers of Norland defended the town and rescued the villagers.", slant.Protagonist, "Guardian"
		case 1:
			s, main, fine = "The junta of Norland lied about the vote and jailed its critics.", slant.Antagonist, "Deceiver"
		default:
			s, main, fine = "Shelling killed civilians of Norland and left the families homeless.", slant.Innocent, "Victim"
		}
		s = fmt.Sprintf("Report %d. %s", i, s)
		at := bytes.Index([]byte(s), []byte("Norland"))
		d := NewRoleDoc(fmt.Sprintf("EN_XX_%d.txt", i), s, nil)
		c = append(c, RoleExample{Doc: d, Entity: "Norland", Start: at, End: at + len("Norland"), Main: main, Fine: []string{fine}})
	}
	return c
}

func TestTrainRolesLearnsContext(t *testing.T) {
	t.Parallel()
	c := syntheticRoles()
	m, cv, err := TrainRoles(context.Background(), c, RoleTrainOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if cv.MainAccuracy < 0.95 || cv.EMR < 0.95 {
		t.Errorf("cross-validated on separable data: main %.2f EMR %.2f", cv.MainAccuracy, cv.EMR)
	}
	// The model survives a round trip through its file format.
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadRoleModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	s := "Officials said the junta of Norland lied to everyone."
	at := bytes.Index([]byte(s), []byte("Norland"))
	r := m2.Predict(NewRoleDoc("x", s, nil), "Norland", at, at+7)
	if r.Main != slant.Antagonist || len(r.Fine) == 0 || taxonomy.MainRoleOf(r.Fine[0]) != r.Main {
		t.Errorf("got %+v, want an Antagonist role with a fine role of it", r)
	}
}

func TestDecodeKeepsHierarchy(t *testing.T) {
	t.Parallel()
	m, _, err := TrainRoles(context.Background(), syntheticRoles()[:9], RoleTrainOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Whatever the probabilities, fine roles belong to the main role.
	for seed := 0; seed < 50; seed++ {
		p := make([]float64, len(m.m.Labels))
		for k := range p {
			p[k] = float64((seed*31+k*17)%100) / 100
		}
		r := m.decode(p)
		if len(r.Fine) == 0 {
			t.Fatalf("no fine role for %v", p)
		}
		for _, f := range r.Fine {
			if taxonomy.MainRoleOf(f) != r.Main {
				t.Fatalf("fine role %s under main role %s", f, r.Main)
			}
		}
	}
}

func TestRoleAnalyzer(t *testing.T) {
	t.Parallel()
	if _, err := DefaultRoleModel(); err != nil {
		t.Skip("no embedded role model: ", err)
	}
	s := "Russian forces shelled the city of Kharkiv, killing civilians. Ukraine condemned the attack."
	r := &slant.Report{Article: slant.Article{Text: s}}
	if err := New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := NewRoleAnalyzer(nil).Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Entities {
		if e.Role == nil || e.Role.Main == "" || len(e.Role.Fine) == 0 || e.Role.Score <= 0 || e.Role.Score > 1 {
			t.Errorf("entity %s has role %+v", e.Name, e.Role)
		}
	}
}

func BenchmarkRoles(b *testing.B) {
	s := benchArticle()
	r := &slant.Report{Article: slant.Article{Text: s}}
	_ = New().Analyze(context.Background(), r)
	ra := NewRoleAnalyzer(nil)
	if _, err := DefaultRoleModel(); err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = ra.Analyze(context.Background(), r)
	}
}

// TestLoadRoleCorpus reads the SemEval training mentions (skipped without
// ../shared/data) and checks that code point offsets became byte offsets.
func TestLoadRoleCorpus(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("SLANT_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "semeval2025-task10")); err != nil {
		t.Skip("../shared/data not present: ", err)
	}
	c, err := LoadRoleCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 686 {
		t.Errorf("%d mentions, want 686", len(c))
	}
	same := 0
	for _, ex := range c {
		if ex.Doc.Text[ex.Start:ex.End] == ex.Entity {
			same++
		}
	}
	// A few annotations in the data do not match their text exactly.
	if same < len(c)*97/100 {
		t.Errorf("only %d of %d mentions cover their entity's text", same, len(c))
	}
}

// TestAnalyzerMatchesTrainingFeatures checks that the analysis hot path
// (logitSink) gives the probabilities learn.Model.Scores gives on the
// training-time feature vector.
func TestAnalyzerMatchesTrainingFeatures(t *testing.T) {
	t.Parallel()
	rm, _, err := TrainRoles(context.Background(), syntheticRoles(), RoleTrainOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := "Officials said the junta of Norland lied. Norland’s rangers defended the town; Norland grieves."
	r := &slant.Report{Article: slant.Article{ID: "EN_UA_1.txt", Text: s}}
	if err := New().Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := NewRoleAnalyzer(rm).Analyze(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	d := NewRoleDoc("EN_UA_1.txt", s, nil)
	for _, e := range r.Entities {
		if e.Role == nil {
			t.Fatalf("%s has no role", e.Name)
		}
		sum := make([]float64, len(rm.m.Labels))
		n := 0
		for _, m := range e.Mentions[:min(len(e.Mentions), maxRoleMentions)] {
			p := rm.m.Scores(d.features(learn.NewAccumulator(roleBits), e.Name, m.Start, m.End), nil)
			for k := range p {
				sum[k] += p[k]
			}
			n++
		}
		for k := range sum {
			sum[k] /= float64(n)
		}
		want := rm.decode(sum)
		if want.Main != e.Role.Main || strings.Join(want.Fine, ",") != strings.Join(e.Role.Fine, ",") || math.Abs(want.Score-e.Role.Score) > 1e-5 {
			t.Errorf("%s: analyzer says %+v, training features say %+v", e.Name, *e.Role, want)
		}
	}
}

// TestRoleAnalyzerReuse checks that an analyzer reusing its pooled scratch
// (tokens, sentence scores) across articles gives what a fresh one gives.
func TestRoleAnalyzerReuse(t *testing.T) {
	t.Parallel()
	rm, _, err := TrainRoles(context.Background(), syntheticRoles(), RoleTrainOptions{Folds: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	articles := []string{
		"The junta of Norland lied about the vote. Norland’s critics were jailed, and the rangers of Eastmark defended them.",
		"Shelling killed civilians of Eastmark. Norland denied it; Eastmark grieves.",
		"Short: Norland.",
	}
	roles := func(ra *RoleAnalyzer, s string) string {
		r := &slant.Report{Article: slant.Article{Text: s}}
		if err := New().Analyze(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if err := ra.Analyze(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range r.Entities {
			if e.Role != nil {
				fmt.Fprintf(&b, "%s=%s/%s/%.6f;", e.Name, e.Role.Main, strings.Join(e.Role.Fine, ","), e.Role.Score)
			}
		}
		return b.String()
	}
	if roles(NewRoleAnalyzer(rm), articles[0]) == "" {
		t.Fatal("no entity got a role")
	}
	shared := NewRoleAnalyzer(rm)
	for round := 0; round < 2; round++ {
		for _, s := range articles {
			if got, want := roles(shared, s), roles(NewRoleAnalyzer(rm), s); got != want {
				t.Errorf("round %d, %q: reused analyzer says %s, fresh one %s", round, s, got, want)
			}
		}
	}
}
