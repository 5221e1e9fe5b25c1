// Package wordmodel is a learned check on the rules' readings: one
// logistic regression per category over a sentence's words (TF-IDF
// weighted), trained on labelled sentences. The analysis uses it to drop a
// rule's reading that the sentence's words make very unlikely, and to
// confirm the readings of a few looser frames (a frame's model_at_least);
// it never adds a finding of its own, so every finding is still a rule's,
// quoted and cited.
//
// The model is plain data: Train builds it from labelled sentences,
// Marshal and Parse round-trip it through JSON, and Probability scores a
// sentence. Nothing here reads files.
package wordmodel

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Model is a trained word model.
type Model struct {
	// About explains the file to a person reading it; it is not used.
	About []string `json:"about,omitempty"`
	// VetoBelow is the probability under which a rule's reading of a
	// category is dropped.
	VetoBelow float64 `json:"veto_below"`
	// Trained records what the model was trained on.
	Trained TrainingFacts `json:"trained"`
	// Words is the vocabulary, in the order of IDF and of every category's
	// weights.
	Words []string `json:"words"`
	// IDF is each word's inverse document frequency.
	IDF []float64 `json:"idf"`
	// Categories holds one logistic regression per category id.
	Categories map[string]*Weights `json:"categories"`

	index map[string]int
}

// TrainingFacts describe a model's training data and settings.
type TrainingFacts struct {
	// Sentences and Companies count the training sentences and their companies.
	Sentences int `json:"sentences"`
	Companies int `json:"companies"`
	// Sources are the files the sentences came from.
	Sources []string `json:"sources"`
	// MinDocs is how many sentences a word must occur in to be in the vocabulary.
	MinDocs int `json:"min_docs"`
	// C is the inverse regularisation strength.
	C float64 `json:"c"`
	// MinPositives is how many labelled sentences a category needed to be
	// judged.
	MinPositives int `json:"min_positives"`
}

// Weights is one category's logistic regression.
type Weights struct {
	// Positives counts the training sentences labelled with the category.
	Positives int `json:"positives"`
	// Bias is the intercept.
	Bias float64 `json:"bias"`
	// W holds one weight per vocabulary word.
	W []float64 `json:"w"`
}

// Sample is one labelled training sentence.
type Sample struct {
	Text       string
	Company    string
	Categories []string
}

// Parse reads a model written by Marshal and checks its shape.
func Parse(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("word model: %w", err)
	}
	if len(m.IDF) != len(m.Words) {
		return nil, fmt.Errorf("word model: %d words but %d idf values", len(m.Words), len(m.IDF))
	}
	if m.VetoBelow < 0 || m.VetoBelow >= 1 {
		return nil, fmt.Errorf("word model: veto_below %v is not a probability below 1", m.VetoBelow)
	}
	for id, w := range m.Categories {
		if w == nil || len(w.W) != len(m.Words) {
			return nil, fmt.Errorf("word model: category %s does not have one weight per word", id)
		}
	}
	m.buildIndex()
	return &m, nil
}

// Marshal writes the model as indented JSON, numbers rounded to four
// decimals.
func (m *Model) Marshal() ([]byte, error) {
	round := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = math.Round(x*1e4) / 1e4
		}
		return out
	}
	c := *m
	c.IDF = round(m.IDF)
	c.Categories = map[string]*Weights{}
	for id, w := range m.Categories {
		c.Categories[id] = &Weights{Positives: w.Positives, Bias: math.Round(w.Bias*1e4) / 1e4, W: round(w.W)}
	}
	return json.MarshalIndent(&c, "", " ")
}

func (m *Model) buildIndex() {
	m.index = make(map[string]int, len(m.Words))
	for i, w := range m.Words {
		m.index[w] = i
	}
}

// Probability returns the model's probability that a sentence engages a
// category, and false when the model has no weights for it.
func (m *Model) Probability(category, text string) (float64, bool) {
	if m.Categories[category] == nil {
		return 0, false
	}
	return m.ProbabilityOf(category, m.Vectorize(text))
}

// Vector is a sentence's words as the model weighs them: computed once by
// Vectorize, it is scored for any number of categories by ProbabilityOf.
type Vector struct{ features []feature }

// Vectorize returns a sentence's vector.
func (m *Model) Vectorize(text string) Vector { return Vector{m.vector(text)} }

// ProbabilityOf is Probability for a sentence already vectorised.
func (m *Model) ProbabilityOf(category string, v Vector) (float64, bool) {
	w := m.Categories[category]
	if w == nil {
		return 0, false
	}
	return sigmoid(w.Bias + dot(w.W, v.features)), true
}

// Vetoes reports whether the model makes a category very unlikely for a
// sentence (below VetoBelow), with the probability it gives; never for a
// category it has no weights for.
func (m *Model) Vetoes(category, text string) (float64, bool) {
	if m == nil {
		return 0, false
	}
	p, ok := m.Probability(category, text)
	return p, ok && p < m.VetoBelow
}

// feature is one non-zero entry of a sentence's vector.
type feature struct {
	word  int
	value float64
}

// vector returns a sentence's TF-IDF vector over the vocabulary, L2-normalised.
func (m *Model) vector(text string) []feature { return m.vectorOf(Words(text)) }

// vectorOf is vector for a sentence already split into its words.
func (m *Model) vectorOf(words []string) []feature {
	ids := make([]int, 0, len(words))
	for _, w := range words {
		if i, ok := m.index[w]; ok {
			ids = append(ids, i)
		}
	}
	slices.Sort(ids)
	out := make([]feature, 0, len(ids))
	norm := 0.0
	for k := 0; k < len(ids); {
		j := k + 1
		for j < len(ids) && ids[j] == ids[k] {
			j++
		}
		v := (1 + math.Log(float64(j-k))) * m.IDF[ids[k]]
		out = append(out, feature{ids[k], v})
		norm += v * v
		k = j
	}
	if norm > 0 { // L2-normalise
		norm = math.Sqrt(norm)
		for k := range out {
			out[k].value /= norm
		}
	}
	return out
}

func dot(w []float64, x []feature) float64 {
	s := 0.0
	for _, f := range x {
		s += w[f.word] * f.value
	}
	return s
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Words splits a sentence into the model's words: lower-cased runs of
// letters and digits of two characters or more.
func Words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return slices.DeleteFunc(fields, func(w string) bool { return utf8.RuneCountInString(w) < 2 })
}
