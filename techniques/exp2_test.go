package techniques

import (
	"context"
	"os"
	"testing"
)

func TestExpWriteSynthetic(t *testing.T) {
	if os.Getenv("SLANT_EXP2") == "" {
		t.Skip()
	}
	m, _, err := Train(context.Background(), NewCorpus(synthetic(24, 7)), smallOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save("model.bin"); err != nil {
		t.Fatal(err)
	}
}
