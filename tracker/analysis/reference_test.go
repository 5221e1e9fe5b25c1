package analysis

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
)

// TestReferenceSignalPhrases checks the rules against the typical policy
// wording the verified reference lists for each category: nine in ten of
// its phrases of three words or more must engage their category (or the
// category the rules deliberately file them under). Many are fragments
// without a verb ("researchers and academics"); the engine reads
// statements, so a few fragments stay unmatched on purpose, and they are
// listed in the test log.
func TestReferenceSignalPhrases(t *testing.T) {
	data, err := os.ReadFile(sharedtest.Require(t, "reference", "regulations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Categories []struct {
			ID      string   `json:"id"`
			Signals []string `json:"signal_phrases"`
		} `json:"categories"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	// Phrases the rules file under another category on purpose.
	elsewhere := map[string]string{
		"subscription for no ads":                                      "ad-controls",
		"to verify your identity we may ask for":                       "identity-verification",
		"including to develop and train AI":                            "ai-training",
		"we may block, restrict or close your account":                 "content-moderation",
		"we keep records for 5 years after closure as required by law": "retention",
	}
	r := testRules(t)
	engages := func(id, text string) bool {
		affirmed, negated := statesCategory(r, id, text)
		return affirmed || negated
	}
	checked, engaged := 0, 0
	for _, c := range ref.Categories {
		ids := []string{c.ID}
		if c.ID == "financial-services" {
			ids = []string{"identity-verification", "fees-payments"}
		}
		for _, p := range c.Signals {
			for _, alt := range strings.Split(p, " / ") {
				// skip fragments of slash lists and placeholders
				if len(strings.Fields(alt)) < 3 || strings.Contains(alt, "[") {
					continue
				}
				checked++
				want := ids
				if other, ok := elsewhere[alt]; ok {
					want = []string{other}
				}
				ok := false
				for _, id := range want {
					ok = ok || engages(id, alt)
				}
				if ok {
					engaged++
				} else {
					t.Logf("%s: reference wording %q engages none of %v", c.ID, alt, want)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d reference phrases checked", checked)
	}
	if engaged*10 < checked*9 {
		t.Errorf("only %d of %d reference phrases engage their category", engaged, checked)
	}
}
