package analysis

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMentions(t *testing.T) {
	r := testRules(t)
	tests := []struct {
		name string
		text string
		cats []string
		per  int
		want map[string][]string
	}{
		{
			name: "positive sentence, negated and heading skipped",
			text: "# We use your posts to train our AI models\n\nWe do not use your messages to train AI models. We use your posts to train our artificial intelligence models.\n",
			cats: []string{"ai-training"},
			per:  2,
			want: map[string][]string{"ai-training": {"We use your posts to train our artificial intelligence models."}},
		},
		{
			name: "only negated mentions",
			text: "We do not sell your personal information.\n\nWe never sell your data to data brokers.\n",
			cats: []string{"sale-targeted-ads"},
			per:  2,
			want: nil,
		},
		{
			name: "several categories, document order, limit per category",
			text: "## Sharing\n\nWe share your information with our partners and service providers.\n\n* We may sell your personal information to data brokers.\n* We share your information with advertisers, researchers and other partners.\n* We share information with vendors who process it for us.\n\nWe retain your information for 90 days after you delete your account.\n",
			cats: []string{"third-party-sharing", "retention", "biometrics"},
			per:  2,
			want: map[string][]string{
				"third-party-sharing": {"We share your information with our partners and service providers.", "We share your information with advertisers, researchers and other partners."},
				"retention":           {"We retain your information for 90 days after you delete your account."},
			},
		},
		{
			name: "specific sentences preferred over passing mentions",
			text: "Our app offers AI features for editing photos.\n\nWe use your posts to train our artificial intelligence models.\n\nAI tools help you write captions for your videos.\n",
			cats: []string{"ai-training"},
			per:  1,
			want: map[string][]string{"ai-training": {"We use your posts to train our artificial intelligence models."}},
		},
		{
			name: "titles and fragments are not excerpts",
			text: "* Changes to these terms\n\nWe may change these terms at any time.\n",
			cats: []string{"terms-changes"},
			per:  2,
			want: map[string][]string{"terms-changes": {"We may change these terms at any time."}},
		},
		{
			name: "duplicates given once, unknown category ignored, per below 1 means 1",
			text: "We collect your precise location from your device.\n\nWe collect your precise location from your device.\n\nWe collect GPS location.\n",
			cats: []string{"location", "no-such-category", "location"},
			per:  0,
			want: map[string][]string{"location": {"We collect your precise location from your device."}},
		},
		{
			name: "pointer sentences and navigation are not excerpts",
			text: "Learn more about how we use cookies.\n\n* [Cookies](https://example.com/cookies)\n\nWe use cookies and pixels to measure your activity.\n",
			cats: []string{"tracking-cookies"},
			per:  3,
			want: map[string][]string{"tracking-cookies": {"We use cookies and pixels to measure your activity."}},
		},
		{
			name: "markup stripped and long sentences trimmed",
			text: "We use **cookies** and [pixels](https://example.com/pixels) to measure your activity " + strings.Repeat("across many websites and apps ", 20) + "as described.\n",
			cats: []string{"tracking-cookies"},
			per:  1,
			want: map[string][]string{"tracking-cookies": {shorten("We use cookies and pixels to measure your activity "+strings.Repeat("across many websites and apps ", 20)+"as described.", mentionMax)}},
		},
		{
			name: "single-underscore emphasis dropped from excerpts, snake_case kept",
			text: "_Cookies:_ We use cookies and pixels to measure your activity in the_app.\n",
			cats: []string{"tracking-cookies"},
			per:  1,
			want: map[string][]string{"tracking-cookies": {"Cookies: We use cookies and pixels to measure your activity in the_app."}},
		},
		{
			name: "no categories",
			text: "We use cookies.",
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Mentions(tc.text, r, tc.cats, tc.per)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Mentions = %q\nwant       %q", got, tc.want)
			}
		})
	}
	if got := Mentions("We use cookies.", nil, []string{"tracking-cookies"}, 1); got != nil {
		t.Errorf("nil rules: %q", got)
	}
}

// Every category's reference sentence is a mention of it; its negated
// promise is not.
func TestMentionsCategoryCases(t *testing.T) {
	r := testRules(t)
	for _, cc := range categoryCases {
		got := Mentions(cc.sentence, r, []string{cc.id}, 1)
		if len(got[cc.id]) != 1 {
			t.Errorf("%s: %q is not a mention", cc.id, cc.sentence)
		}
		if cc.negated != "" {
			if got := Mentions(cc.negated, r, []string{cc.id}, 1); len(got[cc.id]) != 0 {
				t.Errorf("%s: negated %q counted as a mention", cc.id, cc.negated)
			}
		}
	}
}

// On a real 300 KB policy every excerpt is a sentence of the document that
// engages its category according to the classifier itself.
func TestMentionsRealDocument(t *testing.T) {
	r := testRules(t)
	text := corpusFile(t, largestNew)
	got := Mentions(text, r, CategoryIDs, 3)
	if len(got) < 10 {
		t.Fatalf("only %d categories mentioned in the Microsoft privacy statement: %q", len(got), got)
	}
	for _, id := range []string{"ai-training", "tracking-cookies", "user-rights", "children", "location"} {
		if len(got[id]) == 0 {
			t.Errorf("no %s mention in the Microsoft privacy statement", id)
		}
	}
	for id, exs := range got {
		c := r.Category(id)
		if len(exs) > 3 {
			t.Errorf("%s: %d excerpts", id, len(exs))
		}
		for _, ex := range exs {
			if len(ex) > mentionMax+len("…") || ex == "" {
				t.Errorf("%s: excerpt of %d bytes", id, len(ex))
			}
			probe := strings.TrimSuffix(ex, "…")
			if !strings.HasSuffix(ex, "…") {
				if affirmed, _ := statesCategory(r, c.ID, probe); !affirmed {
					t.Errorf("%s: excerpt does not state the category: %q", id, ex)
				}
			}
		}
	}
}

func BenchmarkMentionsLargest(b *testing.B) {
	r := testRules(b)
	text := corpusFile(b, largestNew)
	for _, bc := range []struct {
		name string
		cats []string
	}{{"all", CategoryIDs}, {"three", []string{"ai-training", "biometrics", "arbitration"}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Mentions(text, r, bc.cats, 2)
			}
		})
	}
}

// FuzzMentions checks that Mentions never panics, respects its limit and
// returns valid, short, non-empty excerpts of requested categories.
func FuzzMentions(f *testing.F) {
	fuzzSeeds(f)
	r := testRules(f)
	f.Fuzz(func(t *testing.T, a, b string) {
		cats := []string{"ai-training", "third-party-sharing", "sale-targeted-ads", "tracking-cookies", "retention", b}
		got := Mentions(a+"\n\n"+b, r, cats, 2)
		for id, exs := range got {
			if r.Category(id) == nil || len(exs) == 0 || len(exs) > 2 {
				t.Fatalf("bad entry %q: %q", id, exs)
			}
			for _, ex := range exs {
				if ex == "" || len(ex) > mentionMax+len("…") {
					t.Fatalf("bad excerpt %q", ex)
				}
				if utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(ex) {
					t.Fatalf("invalid UTF-8 excerpt %q", ex)
				}
			}
		}
	})
}
