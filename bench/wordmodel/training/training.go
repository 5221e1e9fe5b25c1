// Package training builds the analysis's word model from the repository's
// clause set: the sentences of every tune half, labelled with their
// categories. It is shared by the wordmodel command and the test that
// keeps resources/wordmodel.json in step with the data.
package training

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"policywatch/tracker/analysis"
	"policywatch/tracker/analysis/wordmodel"
)

// VetoBelow is the probability under which the analysis drops a rule's
// reading. It was chosen on the tune halves by company-grouped
// cross-validation (five folds): below 0.05 the check removed about one
// wrong flag in six for one right one in two hundred.
const VetoBelow = 0.05

// MinPositives is how many tune sentences a category needs for the model
// to judge it. Below it (biometrics, contacts and AI training; sensitive
// data until round 24 brought its sixtieth) the model knows too few of the
// words that name the practice: in the same cross-validation its vetoes
// there dropped more right readings than wrong ones.
const MinPositives = 60

// TuneFiles returns the clause set's tune halves under root, sorted.
func TuneFiles(root string) ([]string, error) {
	dir := filepath.Join(root, "bench", "eval", "clauses")
	files, err := filepath.Glob(filepath.Join(dir, "round*", "tune.json"))
	if err != nil {
		return nil, err
	}
	files = append(files, filepath.Join(dir, "tune.json"))
	sort.Strings(files)
	return files, nil
}

// Samples reads the labelled sentences of the given clause files.
func Samples(files []string) ([]wordmodel.Sample, error) {
	var out []wordmodel.Sample
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read clause file: %w", err)
		}
		var items []struct {
			Company    string   `json:"company"`
			Text       string   `json:"text"`
			Categories []string `json:"categories"`
		}
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fmt.Errorf("clause file %s: %w", f, err)
		}
		for _, it := range items {
			out = append(out, wordmodel.Sample{Text: it.Text, Company: it.Company, Categories: it.Categories})
		}
	}
	return out, nil
}

// Build trains the model from the tune halves of the repository at root.
func Build(root string) (*wordmodel.Model, error) {
	files, err := TuneFiles(root)
	if err != nil {
		return nil, err
	}
	samples, err := Samples(files)
	if err != nil {
		return nil, err
	}
	rel := make([]string, len(files))
	for i, f := range files {
		r, err := filepath.Rel(root, f)
		if err != nil {
			return nil, err
		}
		rel[i] = filepath.ToSlash(r)
	}
	m, err := wordmodel.Train(samples, wordmodel.TrainOptions{
		Categories: analysis.CategoryIDs, VetoBelow: VetoBelow, MinPositives: MinPositives, Sources: rel,
	})
	if err != nil {
		return nil, err
	}
	m.About = []string{
		"The analysis's word model: one logistic regression per category over a sentence's words,",
		"trained on the tune halves of bench/eval/clauses (listed in trained.sources) by",
		"go run ./bench/wordmodel. The analysis drops a rule's reading of a category when the",
		"model gives the sentence a probability below veto_below; it never adds a finding.",
	}
	return m, nil
}

// Same reports whether two marshalled models agree: the same vocabulary and
// settings, and every number within rounding of the other.
func Same(a, b []byte) error {
	ma, err := wordmodel.Parse(a)
	if err != nil {
		return err
	}
	mb, err := wordmodel.Parse(b)
	if err != nil {
		return err
	}
	if len(ma.Words) != len(mb.Words) || ma.Trained.Sentences != mb.Trained.Sentences || ma.VetoBelow != mb.VetoBelow {
		return fmt.Errorf("vocabulary, sentence count or threshold differ (%d/%d words, %d/%d sentences)",
			len(ma.Words), len(mb.Words), ma.Trained.Sentences, mb.Trained.Sentences)
	}
	for i := range ma.Words {
		if ma.Words[i] != mb.Words[i] || math.Abs(ma.IDF[i]-mb.IDF[i]) > 2e-4 {
			return fmt.Errorf("word %d differs (%q, %q)", i, ma.Words[i], mb.Words[i])
		}
	}
	if len(ma.Categories) != len(mb.Categories) {
		return fmt.Errorf("%d and %d categories", len(ma.Categories), len(mb.Categories))
	}
	for id, wa := range ma.Categories {
		wb := mb.Categories[id]
		if wb == nil {
			return fmt.Errorf("category %s missing", id)
		}
		if math.Abs(wa.Bias-wb.Bias) > 2e-3 {
			return fmt.Errorf("category %s: bias %v and %v", id, wa.Bias, wb.Bias)
		}
		for k := range wa.W {
			if math.Abs(wa.W[k]-wb.W[k]) > 2e-3 {
				return fmt.Errorf("category %s: weight of %q %v and %v", id, ma.Words[k], wa.W[k], wb.W[k])
			}
		}
	}
	return nil
}
