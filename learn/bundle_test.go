package learn

import (
	"bytes"
	"strings"
	"testing"
)

func TestBundleRoundTrip(t *testing.T) {
	t.Parallel()
	b, data := synthetic(200, 4)
	m1 := Train([]string{"A", "B"}, b.Dim(), data, Options{Seed: 1, Epochs: 2})
	m2 := Train([]string{"A", "B"}, b.Dim(), data, Options{Seed: 2, Epochs: 3})
	var w bytes.Buffer
	if _, err := WriteBundle(&w, "TESTBNDL1", m1, m2); err != nil {
		t.Fatal(err)
	}
	ms, err := ReadBundle(bytes.NewReader(w.Bytes()), "TESTBNDL1", "test model", 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []*Model{m1, m2} {
		want := m.Scores(data[0].X, nil)
		got := ms[i].Scores(data[0].X, nil)
		for k := range want {
			if d := want[k] - got[k]; d > 1e-3 || d < -1e-3 {
				t.Fatalf("model %d label %d: %v vs %v", i, k, got, want)
			}
		}
	}
	for _, bad := range [][]byte{nil, []byte("OTHERMAGIC"), append([]byte("TESTBNDL1"), 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), w.Bytes()[:w.Len()/2]} {
		if _, err := ReadBundle(bytes.NewReader(bad), "TESTBNDL1", "test model", 2); err == nil || !strings.Contains(err.Error(), "test model") {
			t.Errorf("ReadBundle(%d bytes) = %v, want an error naming the kind", len(bad), err)
		}
	}
}
