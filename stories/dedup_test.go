package stories

import (
	"strings"
	"testing"
	"time"
)

func TestContentHash(t *testing.T) {
	t.Parallel()
	a := "The  Mayor said: “We’ll rebuild.”\r\n"
	b := "the mayor said we'll REBUILD"
	if ContentHash(a) != ContentHash(b) {
		t.Errorf("formatting changed the hash: %q vs %q", NormalizeText(a), NormalizeText(b))
	}
	if ContentHash(a) == ContentHash("the mayor said we will rebuild") {
		t.Error("different words, same hash")
	}
}

// story is an invented wire report used to test copies.
const story = `Flood barriers on the river Teel held overnight as the water level peaked at 6.4 metres, the regional water board said on Wednesday. ` +
	`About 300 volunteers filled sandbags in the old town while engineers checked the eastern embankment for leaks. ` +
	`The board expects the level to fall slowly over the weekend if no more rain arrives from the mountains. ` +
	`Schools in the lower districts stay closed until Monday and the ferry across the estuary is suspended.`

// commentary is an invented opinion paragraph appended to a republished
// copy.
const commentary = `What the water board will not tell you is that the eastern embankment was patched in a hurry ten years ago, ` +
	`after a contractor with friends in the council won the job without a tender. Residents of the lower districts have asked ` +
	`for an independent survey every spring since then, and every spring they were told to wait for the budget. ` +
	`This time the barriers held, but luck is not a flood plan, and the next storm may not be so kind to the old town.`

func TestSignature(t *testing.T) {
	t.Parallel()
	orig := NewSignature(story)
	footer := NewSignature(story + "\n\nSupport independent media! Donate via our page. Leave a reply below.")
	half := NewSignature(story[:len(story)/2])
	other := NewSignature("A malaria drug trial in 4,200 children cut infections by half over one year, researchers reported on Thursday in a medical journal.")
	tests := []struct {
		name           string
		a, b           *Signature
		minJ, maxJ     float64
		minC           float64 // containment of a in b
		wantContainedA bool
	}{
		{"identical", &orig, &orig, 1, 1, 1, true},
		{"footer added", &orig, &footer, 0.75, 1, 0.9, true},
		{"half excerpt", &half, &orig, 0.3, 0.7, 0.8, true},
		{"unrelated", &orig, &other, 0, 0.05, 0, false},
	}
	for _, tt := range tests {
		j, c := tt.a.Jaccard(tt.b), tt.a.Containment(tt.b)
		if j < tt.minJ || j > tt.maxJ {
			t.Errorf("%s: Jaccard %.2f, want in [%.2f, %.2f]", tt.name, j, tt.minJ, tt.maxJ)
		}
		if tt.wantContainedA && c < tt.minC {
			t.Errorf("%s: containment %.2f, want ≥ %.2f", tt.name, c, tt.minC)
		}
		if !tt.wantContainedA && c > 0.2 {
			t.Errorf("%s: containment %.2f, want about 0", tt.name, c)
		}
	}
	if e := NewSignature(""); e.Shingles != 0 || e.Jaccard(&orig) != 0 {
		t.Errorf("empty text: %d shingles, Jaccard %v", e.Shingles, e.Jaccard(&orig))
	}
}

func TestDeduper(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	d := NewDeduper(DedupOptions{})
	steps := []struct {
		doc      DedupDoc
		wantKind string // kind of the link naming doc, "" for none
		wantOrig string
	}{
		{DedupDoc{ID: "wire", URL: "https://wire.test/teel?utm_source=x", Text: story, Published: day(5)}, "", ""},
		{DedupDoc{ID: "wire-again", URL: "https://www.wire.test/teel/", Text: story + " Updated.", Published: day(5)}, CopyURL, "wire"},
		{DedupDoc{ID: "blog", Text: story + "\n\nDonate to keep us online! Buy us a coffee. Leave a reply.", Published: day(6)}, CopyNear, "wire"},
		{DedupDoc{ID: "reformatted", Text: strings.ToUpper(story), Published: day(7)}, CopyExact, "wire"},
		{DedupDoc{ID: "annotated", Text: "Our take on the news below. " + story + " " + commentary, Published: day(7)}, CopyRepublished, "wire"},
		{DedupDoc{ID: "unrelated", Text: "Dockworkers at Port Aldane began a 48-hour strike on Tuesday after pay talks collapsed, the union said. Ships queued outside the harbour.", Published: day(7)}, "", ""},
	}
	for _, s := range steps {
		links := d.Add(s.doc)
		var got *Link
		for i := range links {
			if links[i].ID == s.doc.ID {
				got = &links[i]
			}
		}
		switch {
		case s.wantKind == "" && got != nil:
			t.Errorf("%s: linked %+v, want new", s.doc.ID, *got)
		case s.wantKind != "" && got == nil:
			t.Errorf("%s: not linked, want %s copy of %s", s.doc.ID, s.wantKind, s.wantOrig)
		case got != nil && (got.Kind != s.wantKind || got.Original != s.wantOrig):
			t.Errorf("%s: %+v, want %s copy of %s", s.doc.ID, *got, s.wantKind, s.wantOrig)
		}
	}
	// An older version arriving late becomes the original of the group.
	links := d.Add(DedupDoc{ID: "first", Text: story, Published: day(1)})
	if len(links) == 0 {
		t.Fatal("older version: no links")
	}
	for _, id := range []string{"wire", "blog", "reformatted", "annotated"} {
		if o, _ := d.Original(id); o != "first" {
			t.Errorf("Original(%s) = %s after an older version arrived, want first", id, o)
		}
	}
	if o, ok := d.Original("unrelated"); !ok || o != "unrelated" {
		t.Errorf("Original(unrelated) = %s %v", o, ok)
	}
	if n := len(d.Links()); n != 5 {
		t.Errorf("%d links, want 5: %+v", n, d.Links())
	}
}
