package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"policywatch/tracker/analysis"
)

// clauseItem is one labelled sentence of the clause-level gold set
// (bench/eval/clauses/*.json, conventions in bench/eval/clauses/README.md).
type clauseItem struct {
	ID           string       `json:"id"`
	Company      string       `json:"company"`
	Kind         string       `json:"kind"`
	Source       clauseSource `json:"source"`
	Text         string       `json:"text"`
	Categories   []string     `json:"categories"`
	May          []string     `json:"may,omitempty"`
	Polarity     string       `json:"polarity,omitempty"`
	HardNegative bool         `json:"hard_negative"`
	Note         string       `json:"note,omitempty"`
}

// clauseSource says where a sentence was taken from.
type clauseSource struct {
	Repo   string `json:"repo"`
	Path   string `json:"path"`
	Commit string `json:"commit"`
	URL    string `json:"url"`
}

// clauseHalves are the two halves of the clause set, by company: rules are
// written from "tune"; "heldout" measures them on text nobody wrote rules from.
var clauseHalves = []string{"tune", "heldout"}

// loadClauses reads one half of the clause set and checks it: unique ids,
// non-empty text and source, categories (and may-categories) among known,
// a polarity exactly when categories are given, hard negatives only on
// sentences without categories.
func loadClauses(path string, known map[string]bool) ([]clauseItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read clause set: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var items []clauseItem
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("decode clause set %s: %w", path, err)
	}
	ids := map[string]bool{}
	for k, it := range items {
		where := fmt.Sprintf("%s: item %d (%s)", path, k, it.ID)
		switch {
		case it.ID == "" || ids[it.ID]:
			return nil, fmt.Errorf("%s: missing or repeated id", where)
		case strings.TrimSpace(it.Text) == "":
			return nil, fmt.Errorf("%s: empty text", where)
		case it.Company == "" || it.Kind == "":
			return nil, fmt.Errorf("%s: company and kind are required", where)
		case it.Source.URL == "" && it.Source.Repo == "":
			return nil, fmt.Errorf("%s: source needs a repo or a url", where)
		case it.HardNegative && len(it.Categories) > 0:
			return nil, fmt.Errorf("%s: a hard negative has no categories", where)
		case len(it.Categories) > 0 && !slices.Contains([]string{"positive", "negative", "mixed"}, it.Polarity):
			return nil, fmt.Errorf("%s: polarity must be positive, negative or mixed, not %q", where, it.Polarity)
		case len(it.Categories) == 0 && it.Polarity != "":
			return nil, fmt.Errorf("%s: polarity without categories", where)
		}
		ids[it.ID] = true
		for _, c := range append(slices.Clone(it.Categories), it.May...) {
			if !known[c] {
				return nil, fmt.Errorf("%s: unknown category %q", where, c)
			}
		}
		for _, c := range it.May {
			if slices.Contains(it.Categories, c) {
				return nil, fmt.Errorf("%s: %q is both a category and a may-category", where, c)
			}
		}
	}
	return items, nil
}

// clauseScore holds the counts of one half of the clause set.
type clauseScore struct {
	Items     int
	Companies int
	// Per category: labelled (support), flagged outside may, and the
	// confusion counts. A flag on a may-category counts nowhere.
	Support, Flagged, TP, FP, FN map[string]int
	// Exact counts sentences whose flags outside may equal their labels.
	Exact int
	// Empty counts sentences labelled []; EmptyFlagged those given any
	// category outside may. Hard and HardFlagged do the same for the hard
	// negatives among them.
	Empty, EmptyFlagged, Hard, HardFlagged int
	// Per polarity: labelled (sentence, category) pairs and those found.
	PolarityPairs, PolarityFound map[string]int
	// Misses and Extras list, per sentence, the categories missed and the
	// ones flagged wrongly (for -v on the tune half).
	Misses, Extras map[string][]string
	// Polarity of the categories found: of those labelled on a positive
	// or negative sentence (liability aside), how many the classifier
	// reads with the label's polarity (denied on a negative sentence,
	// affirmed on a positive one); PolarityOff lists the others per
	// sentence. Not counted when the classifier gives no polarity.
	PolarityJudged, PolarityAgree int
	PolarityOff                   map[string][]string
}

// clauseReading is what a classifier reads in a sentence: its categories,
// and which of them it reads only as denied ("we do not sell …"); denied
// is nil when the classifier does not say.
type clauseReading struct {
	categories []string
	denied     map[string]bool
}

// polarityAside are the categories whose labels' polarity means something
// else than the engine's negation: a disclaimer of liability is labelled
// negative, whether it reads "we disclaim" or "we are not liable".
var polarityAside = map[string]bool{"liability": true}

// scoreClauses classifies every sentence with classify (given the sentence
// and its company) and counts the result against its labels.
func scoreClauses(items []clauseItem, classify func(text, company string) clauseReading) clauseScore {
	s := clauseScore{
		Items: len(items), Support: map[string]int{}, Flagged: map[string]int{},
		TP: map[string]int{}, FP: map[string]int{}, FN: map[string]int{},
		PolarityPairs: map[string]int{}, PolarityFound: map[string]int{},
		Misses: map[string][]string{}, Extras: map[string][]string{}, PolarityOff: map[string][]string{},
	}
	companies := map[string]bool{}
	for _, it := range items {
		companies[it.Company] = true
		read := classify(it.Text, it.Company)
		flagged := map[string]bool{}
		for _, c := range read.categories {
			if !slices.Contains(it.May, c) {
				flagged[c] = true
			}
		}
		gold := map[string]bool{}
		for _, c := range it.Categories {
			gold[c] = true
			s.Support[c]++
			s.PolarityPairs[it.Polarity]++
			if flagged[c] {
				s.TP[c]++
				s.PolarityFound[it.Polarity]++
				if read.denied != nil && !polarityAside[c] && (it.Polarity == "positive" || it.Polarity == "negative") {
					s.PolarityJudged++
					if read.denied[c] == (it.Polarity == "negative") {
						s.PolarityAgree++
					} else {
						s.PolarityOff[it.ID] = append(s.PolarityOff[it.ID], c)
					}
				}
			} else {
				s.FN[c]++
				s.Misses[it.ID] = append(s.Misses[it.ID], c)
			}
		}
		for c := range flagged {
			s.Flagged[c]++
			if !gold[c] {
				s.FP[c]++
				s.Extras[it.ID] = append(s.Extras[it.ID], c)
			}
		}
		sort.Strings(s.Extras[it.ID])
		if len(s.Misses[it.ID]) == 0 && len(s.Extras[it.ID]) == 0 {
			s.Exact++
		}
		if len(it.Categories) == 0 {
			s.Empty++
			if len(flagged) > 0 {
				s.EmptyFlagged++
			}
			if it.HardNegative {
				s.Hard++
				if len(flagged) > 0 {
					s.HardFlagged++
				}
			}
		}
	}
	s.Companies = len(companies)
	return s
}

// micro returns the micro-averaged precision and recall over all categories.
func (s clauseScore) micro() (precision, recall float64, tp, fp, fn int) {
	for _, n := range s.TP {
		tp += n
	}
	for _, n := range s.FP {
		fp += n
	}
	for _, n := range s.FN {
		fn += n
	}
	return ratio(tp, tp+fp), ratio(tp, tp+fn), tp, fp, fn
}

// engineClassifier returns the categories the analysis flags for a sentence
// added to an empty document: the public API, as a change adding exactly
// that sentence would be analysed. The company is the platform's name, as
// the product knows it for every tracked document: a policy naming its own
// service is not linking to another one. A category is denied when every
// finding of it reads a negated statement (its rule is marked as a promise
// or a disclaimer).
func engineClassifier(rules *analysis.Rules) func(text, company string) clauseReading {
	return func(text, company string) clauseReading {
		opts := analysis.Options{Rules: rules, Platform: analysis.PlatformFacts{Name: company}}
		res := analysis.Analyze("", text, opts)
		out := clauseReading{denied: map[string]bool{}}
		affirmed := map[string]bool{}
		for _, f := range res.Findings {
			if !slices.Contains(out.categories, f.Category) {
				out.categories = append(out.categories, f.Category)
			}
			if !strings.HasSuffix(f.Rule, " (promise)") && !strings.HasSuffix(f.Rule, " (disclaimer)") {
				affirmed[f.Category] = true
			}
		}
		for _, c := range out.categories {
			out.denied[c] = !affirmed[c]
		}
		return out
	}
}

// runClauses evaluates the requested halves ("tune", "heldout" or "both")
// and prints their figures. Sentence-level errors are printed with -v for
// the tune half only: the held-out half's sentences stay out of sight of
// whoever writes rules. When rater is not nil (a second analyst's
// categories by sentence text), it scores those on the sentences both
// analysts labelled instead of the analysis.
func runClauses(w io.Writer, dir, which string, rules *analysis.Rules, rater map[string][]string, verbose bool) error {
	var halves []string
	switch which {
	case "both":
		halves = clauseHalves
	case "tune", "heldout":
		halves = []string{which}
	default:
		return fmt.Errorf("-clauses must be tune, heldout, both or none, not %q", which)
	}
	known := map[string]bool{}
	var order []string
	for _, c := range rules.Categories {
		known[c.ID] = true
		order = append(order, c.ID)
	}
	companyHalf := map[string]string{}
	classify := engineClassifier(rules)
	if rater != nil {
		classify = func(text, _ string) clauseReading { return clauseReading{categories: rater[text]} }
	}
	for _, half := range halves {
		path := filepath.Join(dir, half+".json")
		items, err := loadClauses(path, known)
		if err != nil {
			return err
		}
		if rater != nil {
			items = slices.DeleteFunc(items, func(it clauseItem) bool { _, ok := rater[it.Text]; return !ok })
		}
		for _, it := range items {
			if h, ok := companyHalf[it.Company]; ok && h != half {
				return fmt.Errorf("company %q is in both halves of the clause set", it.Company)
			}
			companyHalf[it.Company] = half
		}
		start := time.Now()
		s := scoreClauses(items, classify)
		took := time.Since(start)
		printClauseScore(w, half, path, s, order, took)
		if verbose && half == "tune" {
			printClauseErrors(w, items, s)
		} else if verbose {
			fmt.Fprintf(w, "(sentence-level errors of the held-out half are not printed)\n")
		}
	}
	return nil
}

func printClauseScore(w io.Writer, half, path string, s clauseScore, order []string, took time.Duration) {
	fmt.Fprintf(w, "\n== clause set, %s half (%s): %d sentences from %d companies, analysed in %.0f ms\n",
		half, path, s.Items, s.Companies, float64(took.Microseconds())/1000)
	fmt.Fprintf(w, "%-24s %5s %7s %4s %4s %4s %9s %7s\n", "category", "gold", "flagged", "TP", "FP", "FN", "precision", "recall")
	for _, c := range order {
		if s.Support[c] == 0 && s.Flagged[c] == 0 {
			continue
		}
		fmt.Fprintf(w, "%-24s %5d %7d %4d %4d %4d %9s %7s\n", c, s.Support[c], s.Flagged[c], s.TP[c], s.FP[c], s.FN[c],
			fraction(s.TP[c], s.TP[c]+s.FP[c]), fraction(s.TP[c], s.TP[c]+s.FN[c]))
	}
	p, r, tp, fp, fn := s.micro()
	fmt.Fprintf(w, "micro: precision %.3f (%d/%d)  recall %.3f (%d/%d)\n", p, tp, tp+fp, r, tp, tp+fn)
	fmt.Fprintf(w, "sentences with exactly their labelled categories: %d/%d\n", s.Exact, s.Items)
	fmt.Fprintf(w, "sentences labelled [] that get a finding: %d/%d; hard negatives among them: %d/%d\n",
		s.EmptyFlagged, s.Empty, s.HardFlagged, s.Hard)
	fmt.Fprintf(w, "recall by polarity:")
	for _, pol := range []string{"positive", "negative", "mixed"} {
		fmt.Fprintf(w, " %s %d/%d", pol, s.PolarityFound[pol], s.PolarityPairs[pol])
	}
	fmt.Fprintln(w)
	if s.PolarityJudged > 0 {
		fmt.Fprintf(w, "polarity of the categories found (liability aside): as labelled %d/%d (%s)\n",
			s.PolarityAgree, s.PolarityJudged, fraction(s.PolarityAgree, s.PolarityJudged))
	}
}

func printClauseErrors(w io.Writer, items []clauseItem, s clauseScore) {
	for _, it := range items {
		miss, extra, off := s.Misses[it.ID], s.Extras[it.ID], s.PolarityOff[it.ID]
		if len(miss) == 0 && len(extra) == 0 && len(off) == 0 {
			continue
		}
		text := it.Text
		if r := []rune(text); len(r) > 200 {
			text = string(r[:200]) + "…"
		}
		fmt.Fprintf(w, "  %s [%s] missed %v, wrongly flagged %v", it.ID, it.Company, miss, extra)
		if len(off) > 0 {
			fmt.Fprintf(w, ", read against its %s polarity %v", it.Polarity, off)
		}
		fmt.Fprintf(w, "\n    %s\n", text)
	}
}

// fraction formats a/b with three decimals, or "-" when b is zero.
func fraction(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}
