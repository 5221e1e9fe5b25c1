package testpolicies

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDataset(t *testing.T) {
	docs := Documents()
	if len(docs) != 4 {
		t.Fatalf("documents %v, want 4", docs)
	}
	pairs := Pairs()
	if len(pairs) != 5 {
		t.Fatalf("%d pairs, want 5", len(pairs))
	}
	for _, p := range pairs {
		a, err := File(p.Old)
		if err != nil {
			t.Fatal(err)
		}
		b, err := File(p.New)
		if err != nil {
			t.Fatal(err)
		}
		if a == b {
			t.Errorf("%s and %s are identical", p.Old, p.New)
		}
	}
	dir, err := WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(pairs[0].Old))); err != nil {
		t.Errorf("written dataset lacks %s: %v", pairs[0].Old, err)
	}
}
