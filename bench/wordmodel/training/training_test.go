package training

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed model is what training on the tune halves gives, and no
// held-out half feeds it.
func TestCommittedModelIsTrainedFromTuneHalves(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	m, err := Build(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range m.Trained.Sources {
		if !strings.HasSuffix(src, "/tune.json") {
			t.Errorf("trained on %s, which is not a tune half", src)
		}
	}
	if m.Trained.Sentences < 3000 || len(m.Categories) < 15 {
		t.Errorf("trained on %d sentences, %d categories", m.Trained.Sentences, len(m.Categories))
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(root, "resources", "wordmodel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Same(committed, data); err != nil {
		t.Errorf("resources/wordmodel.json is stale: %v (run go run ./bench/wordmodel)", err)
	}
}
