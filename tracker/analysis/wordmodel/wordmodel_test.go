package wordmodel

import (
	"slices"
	"strings"
	"testing"
)

func samples() []Sample {
	var out []Sample
	keep := []string{"We keep your data for two years.", "Logs are kept for 90 days.", "We retain records as long as the law requires.",
		"Backups are kept for thirty days and then deleted.", "We keep invoices for ten years."}
	other := []string{"You can contact us by email.", "These terms are governed by Irish law.", "We use cookies on our site.",
		"You must be 13 to use the service.", "Contact our support team for help.", "We may update these terms."}
	for _, s := range keep {
		out = append(out, Sample{Text: s, Company: "A", Categories: []string{"retention"}})
	}
	for _, s := range other {
		out = append(out, Sample{Text: s, Company: "B"})
	}
	return out
}

func TestTrainScoresAndVetoes(t *testing.T) {
	m, err := Train(samples(), TrainOptions{Categories: []string{"retention", "biometrics"}, MinDocs: 1, VetoBelow: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if m.Categories["biometrics"] != nil {
		t.Error("a category without three positive sentences got weights")
	}
	in, _ := m.Probability("retention", "We keep your messages for 30 days.")
	out, _ := m.Probability("retention", "You can contact our support team by email.")
	if in <= 0.5 || out >= 0.5 {
		t.Errorf("retention probabilities: kept %.2f, contact %.2f", in, out)
	}
	if _, v := m.Vetoes("retention", "You can contact our support team by email."); !v {
		t.Error("veto does not follow the threshold")
	}
	if _, v := m.Vetoes("retention", "We keep your messages for 30 days."); v {
		t.Error("veto does not follow the threshold")
	}
	if _, v := m.Vetoes("biometrics", "You can contact our support team by email."); v {
		t.Error("vetoed a category the model has no weights for")
	}
	var none *Model
	if _, v := none.Vetoes("retention", "anything"); v {
		t.Error("a nil model vetoed")
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	m, err := Train(samples(), TrainOptions{Categories: []string{"retention"}, MinDocs: 1, VetoBelow: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Probability("retention", "We keep logs for 90 days.")
	b, _ := back.Probability("retention", "We keep logs for 90 days.")
	if d := a - b; d > 1e-3 || d < -1e-3 {
		t.Errorf("probability changed by the round trip: %.4f → %.4f", a, b)
	}
}

func TestParseRejectsBadModels(t *testing.T) {
	for name, data := range map[string]string{
		"not json":       `{`,
		"idf length":     `{"veto_below":0.05,"words":["a","b"],"idf":[1],"categories":{}}`,
		"weights length": `{"veto_below":0.05,"words":["a"],"idf":[1],"categories":{"retention":{"w":[1,2]}}}`,
		"threshold":      `{"veto_below":1.5,"words":[],"idf":[],"categories":{}}`,
	} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.HasPrefix(err.Error(), "word model") {
			t.Errorf("%s: error %q does not say what failed", name, err)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("We don't sell Your data (e.g. to 3rd-party brokers) — ever.")
	want := []string{"we", "don", "sell", "your", "data", "to", "3rd", "party", "brokers", "ever"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %v, want %v", got, want)
	}
}

func TestTrainNeedsSentences(t *testing.T) {
	if _, err := Train(nil, TrainOptions{}); err == nil {
		t.Error("trained on nothing")
	}
}
