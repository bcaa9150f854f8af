package stories

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"
	"unsafe"
)

// TestGroupFuncMatchesGroup checks that streaming the articles through
// GroupFunc, in Group's order, gives exactly Group's stories, and that the
// text of an untitled article is not kept alive through its member title.
func TestGroupFuncMatchesGroup(t *testing.T) {
	t.Parallel()
	items, _ := synthCorpus(600, 3)
	// Untitled articles (title from the first line) and undated ones
	// exercise both special cases of the order and the title.
	for i := range items {
		switch i % 7 {
		case 0:
			items[i].Title = ""
		case 3:
			items[i].Published = zeroTime
		}
	}
	want := NewGrouper(Options{})
	if _, err := want.Group(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 5} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			t.Parallel()
			idx := make([]int, len(items))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(a, b int) bool { return PublishedBefore(items[idx[a]].Published, items[idx[b]].Published) })
			g := NewGrouper(Options{Workers: workers})
			if _, err := g.GroupFunc(context.Background(), len(idx), func(_ context.Context, k int) (Item, error) {
				return items[idx[k]], nil
			}); err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(want.Stories())
			b, _ := json.Marshal(g.Stories())
			if string(a) != string(b) {
				t.Fatalf("GroupFunc gave other stories than Group (%d vs %d)", len(g.Stories()), len(want.Stories()))
			}
			for _, it := range items {
				if it.Title != "" || it.Text == "" {
					continue
				}
				m := g.members[it.ID]
				if m.Title == "" {
					t.Fatalf("untitled %s: no title from its first line", it.ID)
				}
				lo := uintptr(unsafe.Pointer(unsafe.StringData(it.Text)))
				p := uintptr(unsafe.Pointer(unsafe.StringData(m.Title)))
				if p >= lo && p < lo+uintptr(len(it.Text)) {
					t.Fatalf("untitled %s: member title points into the article text, keeping it alive", it.ID)
				}
			}
		})
	}
}

func TestGroupFuncErrors(t *testing.T) {
	t.Parallel()
	items, _ := synthCorpus(700, 5)
	boom := errors.New("boom")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		fail int // load fails at this index; -1 never
		want error
	}{
		{"load error early", context.Background(), 3, boom},
		{"load error after the read-ahead", context.Background(), 650, boom},
		{"cancelled", cancelled, -1, context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := NewGrouper(Options{Workers: 2})
			sts, err := g.GroupFunc(tc.ctx, len(items), func(_ context.Context, k int) (Item, error) {
				if k == tc.fail {
					return Item{}, fmt.Errorf("article %d: %w", k, tc.want)
				}
				return items[k], nil
			})
			if !errors.Is(err, tc.want) || sts != nil {
				t.Fatalf("got %v, %d stories; want %v and none", err, len(sts), tc.want)
			}
			if tc.fail > 0 && len(g.members) > tc.fail {
				t.Errorf("%d articles added, want at most the %d before the failing one", len(g.members), tc.fail)
			}
		})
	}
	// Zero articles: no stories, no error, no goroutine left waiting.
	if sts, err := NewGrouper(Options{}).GroupFunc(context.Background(), 0, nil); err != nil || len(sts) != 0 {
		t.Fatalf("GroupFunc of nothing: %v, %d stories", err, len(sts))
	}
}
