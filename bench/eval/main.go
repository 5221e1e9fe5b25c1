// Command eval measures the change-analysis engine on labelled real text:
//
//   - the change-level dev set (dev-labels.json, see ../shared/eval/README.md):
//     recall of the must-sets, precision of flagged categories against
//     must ∪ may, per-category misses, and findings on cosmetic
//     (substantive:false) pairs;
//   - the clause-level gold set (bench/eval/clauses, committed with the
//     code): per-category precision and recall on each half, the "tune" half
//     that rules are written from and the "heldout" half nobody writes rules
//     from, and how many hard negatives get a finding.
//
// Usage, from the repository root:
//
//	go run ./bench/eval [-labels FILE] [-corpus DIR] [-rules FILE] [-clauses tune|heldout|both|none] [-v]
//	go run ./bench/eval -unlabelled 12 [-v]   # findings on other consecutive pairs
//	go run ./bench/eval -clauses none -labels bench/eval/changes/tune.json [-v]
//	go run ./bench/eval -clauses none -labels bench/eval/changes/heldout.json   # never with -v
//
// Without -labels and -corpus the dev set is looked for in ../shared (or
// $POLICYWATCH_SHARED); when it is absent the command says so in one line and
// goes on with the clause set. -clauses defaults to tune; the held-out half is
// reported only when asked for, and -v never prints its sentences.
//
// The label set's "financial-services" (the reference's category) stands for
// the two DESIGN ids that split it: identity-verification and fees-payments.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"policywatch/internal/sharedtest"
	"policywatch/tracker/analysis"
)

type label struct {
	Old         string     `json:"old"`
	New         string     `json:"new"`
	Substantive bool       `json:"substantive"`
	Must        [][]string `json:"must"`
	May         []string   `json:"may"`
	Note        string     `json:"note"`
	// Exposure is the analyst's level for the reference organisation
	// (EU and California, no children, health or financial data, not
	// advertising; ../shared/eval/README.md).
	Exposure string `json:"exposure"`
}

// referenceProfile is the organisation the dev set's exposure labels are
// loadLabels reads a file of labelled pairs (the dev set's format).
func loadLabels(path string) ([]label, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	var ls []label
	if err := json.Unmarshal(raw, &ls); err != nil {
		return nil, fmt.Errorf("decode labels %s: %w", path, err)
	}
	return ls, nil
}

// for: what `policywatch analyze --json --jurisdictions EU,US-CA` assumes.
var referenceProfile = &analysis.Profile{Jurisdictions: []string{"EU", "US-CA"}}

var aliases = map[string][]string{
	"financial-services": {"identity-verification", "fees-payments"},
}

func expand(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		if a, ok := aliases[id]; ok {
			for _, x := range a {
				m[x] = true
			}
			continue
		}
		m[id] = true
	}
	return m
}

func main() {
	labelsPath := flag.String("labels", "", "labelled pairs (JSON); default <shared>/eval/dev-labels.json")
	corpus := flag.String("corpus", "", "corpus root the label paths are relative to; default <shared>/corpus")
	rulesPath := flag.String("rules", "resources/rules.json", "rules file")
	clauses := flag.String("clauses", "tune", "clause-set halves to score: tune, heldout, both or none")
	clauseDir := flag.String("clause-dir", filepath.Join("bench", "eval", "clauses"), "folder holding tune.json and heldout.json")
	verbose := flag.Bool("v", false, "print every finding with its evidence, and the tune half's misclassified sentences")
	unlabelled := flag.Int("unlabelled", 0, "instead of evaluating, analyse N consecutive pairs that are not labelled")
	all := flag.Bool("all", false, "instead of evaluating, print one line per consecutive pair of the whole corpus")
	useModel := flag.Bool("wordmodel", true, "let the built-in word model drop the readings it rules out (false: the rules alone)")
	raterPath := flag.String("rater", "", "score a second analyst's labels of the same pairs (JSON, the labels' format) instead of the analysis")
	clauseRaterPath := flag.String("clause-rater", "", "score a second analyst's labels of clause sentences (JSON, the clause set's format) instead of the analysis, on the sentences both labelled")
	flag.Parse()

	data, err := os.ReadFile(*rulesPath)
	if err != nil {
		fail("read rules: %v", err)
	}
	rules, err := analysis.ParseRules(data)
	if err != nil {
		fail("parse rules: %v", err)
	}
	if !*useModel {
		rules.WordModel = nil
	}
	if root := sharedtest.Root(); root != "" {
		if *labelsPath == "" {
			*labelsPath = filepath.Join(root, "eval", "dev-labels.json")
		}
		if *corpus == "" {
			*corpus = filepath.Join(root, "corpus")
		}
	}
	if *verbose && filepath.Base(*labelsPath) == "heldout.json" {
		fail("-v is refused on held-out labels: their pairs are only ever scored, never read while writing rules")
	}
	// a second analyst's labels are scored without reading the corpus
	haveDev := *labelsPath != "" && (*corpus != "" || *raterPath != "")
	if !haveDev && (*all || *unlabelled > 0) {
		fail("no corpus or labels: ../shared is absent (POLICYWATCH_SHARED names another place); give -labels and -corpus")
	}
	switch {
	case *clauseRaterPath != "":
		fmt.Println("change labels: skipped, -clause-rater scores a second analyst's clause labels only")
	case !haveDev:
		fmt.Println("dev set: skipped, ../shared is absent (POLICYWATCH_SHARED names another place)")
	default:
		labels, err := loadLabels(*labelsPath)
		if err != nil {
			fail("%v", err)
		}
		switch {
		case *all:
			runAll(*corpus, rules)
			return
		case *unlabelled > 0:
			runUnlabelled(*corpus, labels, rules, *unlabelled, *verbose)
			return
		default:
			var rater map[[2]string]label
			if *raterPath != "" {
				if rater, err = loadRaterPairs(*raterPath); err != nil {
					fail("%v", err)
				}
			}
			runDevSet(*corpus, labels, rules, rater, *verbose)
		}
	}
	if *clauses != "none" {
		var rater map[string][]string
		if *clauseRaterPath != "" {
			if rater, err = loadRaterClauses(*clauseRaterPath, rules); err != nil {
				fail("%v", err)
			}
		}
		if err := runClauses(os.Stdout, *clauseDir, *clauses, rules, rater, *verbose); err != nil {
			fail("%v", err)
		}
	}
}

// runDevSet scores the analysis on the change-level dev set, or, when
// rater is not nil, a second analyst's labels of the same pairs (only the
// pairs both labelled): what the analyst must flag counts as flagged.
func runDevSet(corpus string, labels []label, rules *analysis.Rules, rater map[[2]string]label, verbose bool) {
	var sets, satisfied, flaggedTotal, flaggedOK, cosmeticFindings int
	var levelled, agreeExact, agreeNear, findingsTotal int
	confusion := map[string]int{} // "label→got"
	misses := map[string]int{}
	var took time.Duration
	scored := 0
	for _, l := range labels {
		var res analysis.Result
		if rater != nil {
			second, ok := rater[[2]string{l.Old, l.New}]
			if !ok {
				continue
			}
			res = second.asResult()
		} else {
			oldText, err1 := os.ReadFile(filepath.Join(corpus, l.Old))
			newText, err2 := os.ReadFile(filepath.Join(corpus, l.New))
			if err1 != nil || err2 != nil {
				fail("read pair %s: %v %v", l.New, err1, err2)
			}
			start := time.Now()
			res = analysis.Analyze(string(oldText), string(newText), analysis.Options{Rules: rules, Profile: referenceProfile})
			took += time.Since(start)
		}
		scored++
		findingsTotal += len(res.Findings)
		if l.Substantive && l.Exposure != "" {
			levelled++
			confusion[l.Exposure+"→"+string(res.Exposure)]++
			d := analysis.Level(l.Exposure).Rank() - res.Exposure.Rank()
			if d == 0 {
				agreeExact++
			}
			if d >= -1 && d <= 1 {
				agreeNear++
			}
		}
		flagged := map[string]bool{}
		for _, f := range res.Findings {
			flagged[f.Category] = true
		}
		name := strings.TrimPrefix(filepath.Dir(l.New), "dataset/") + " " + strings.TrimSuffix(filepath.Base(l.Old), ".md") + " → " + strings.TrimSuffix(filepath.Base(l.New), ".md")
		fmt.Printf("\n%s\n  labelled substantive=%v exposure=%s, got substantive=%v exposure=%s, %d findings\n", name, l.Substantive, l.Exposure, res.Substantive, res.Exposure, len(res.Findings))
		if !l.Substantive {
			cosmeticFindings += len(res.Findings)
			if len(res.Findings) > 0 {
				fmt.Printf("  COSMETIC PAIR WITH FINDINGS: %v\n", keys(flagged))
			}
		}
		allowed := expand(l.May)
		for _, set := range l.Must {
			sets++
			ok := false
			for id := range expand(set) {
				allowed[id] = true
				if flagged[id] {
					ok = true
				}
			}
			if ok {
				satisfied++
			} else {
				misses[strings.Join(set, "|")]++
				fmt.Printf("  MISSED must-set %v\n", set)
			}
		}
		var extra []string
		for id := range flagged {
			flaggedTotal++
			if allowed[id] {
				flaggedOK++
			} else {
				extra = append(extra, id)
			}
		}
		sort.Strings(extra)
		fmt.Printf("  flagged: %v\n", keys(flagged))
		if len(extra) > 0 {
			fmt.Printf("  OUTSIDE must ∪ may: %v\n", extra)
		}
		if verbose {
			printFindings(res)
		}
	}
	recall := ratio(satisfied, sets)
	precision := ratio(flaggedOK, flaggedTotal)
	fmt.Printf("\n== %d labelled pairs, analysis time %.1f ms total\n", scored, float64(took.Microseconds())/1000)
	fmt.Printf("recall    %.3f (%d/%d must-sets)   target >= 0.90\n", recall, satisfied, sets)
	fmt.Printf("precision %.3f (%d/%d flagged categories inside must ∪ may)   target >= 0.85\n", precision, flaggedOK, flaggedTotal)
	fmt.Printf("findings on cosmetic pairs: %d   target 0\n", cosmeticFindings)
	fmt.Printf("findings per labelled pair: %.1f (%d in all)\n", ratio(findingsTotal, scored), findingsTotal)
	fmt.Printf("exposure (profile EU, US-CA): exact %d/%d (%.2f), within one level %d/%d; label→got %v\n",
		agreeExact, levelled, ratio(agreeExact, levelled), agreeNear, levelled, sortedCounts(confusion))
	if len(misses) > 0 {
		fmt.Printf("misses by must-set: %v\n", misses)
	}
}

func runUnlabelled(corpus string, labels []label, rules *analysis.Rules, n int, verbose bool) {
	labelled := map[string]bool{}
	for _, l := range labels {
		labelled[l.Old+"|"+l.New] = true
	}
	var docs []string
	root := filepath.Join(corpus, "dataset")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if m, _ := filepath.Glob(filepath.Join(p, "*.md")); len(m) > 1 && p != root {
				docs = append(docs, p)
			}
		}
		return nil
	})
	sort.Strings(docs)
	count := 0
	// round-robin over documents so the sample spans services
	for round := 0; count < n && round < 20; round++ {
		for _, d := range docs {
			if count >= n {
				break
			}
			files, _ := filepath.Glob(filepath.Join(d, "*.md"))
			sort.Strings(files)
			k := len(files) - 2 - round*3
			if k < 0 {
				continue
			}
			relOld, _ := filepath.Rel(corpus, files[k])
			relNew, _ := filepath.Rel(corpus, files[k+1])
			if labelled[relOld+"|"+relNew] {
				continue
			}
			o, _ := os.ReadFile(files[k])
			nw, _ := os.ReadFile(files[k+1])
			res := analysis.Analyze(string(o), string(nw), analysis.Options{Rules: rules})
			count++
			subst := 0
			for _, h := range res.Hunks {
				if h.Substantive {
					subst++
				}
			}
			flagged := map[string]bool{}
			for _, f := range res.Findings {
				flagged[f.Category] = true
			}
			fmt.Printf("\n%s → %s\n  hunks %d (substantive %d), +%d/-%d words, exposure %s\n  %s\n  categories: %v\n", relOld, filepath.Base(relNew), len(res.Hunks), subst, res.AddedWords, res.RemovedWords, res.Exposure, res.Summary, keys(flagged))
			if verbose {
				printFindings(res)
			}
		}
	}
}

// runAll prints, for every consecutive pair of the corpus, the changed
// words, the exposure and the flagged categories — a quick way to spot
// findings on tiny or cosmetic edits.
func runAll(corpus string, rules *analysis.Rules) {
	root := filepath.Join(corpus, "dataset")
	var docs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != root {
			docs = append(docs, p)
		}
		return nil
	})
	sort.Strings(docs)
	var took time.Duration
	pairs := 0
	for _, d := range docs {
		files, _ := filepath.Glob(filepath.Join(d, "*.md"))
		sort.Strings(files)
		for k := 0; k+1 < len(files); k++ {
			o, _ := os.ReadFile(files[k])
			n, _ := os.ReadFile(files[k+1])
			start := time.Now()
			res := analysis.Analyze(string(o), string(n), analysis.Options{Rules: rules})
			took += time.Since(start)
			pairs++
			flagged := map[string]bool{}
			for _, f := range res.Findings {
				flagged[f.Category] = true
			}
			rel, _ := filepath.Rel(root, files[k+1])
			fmt.Printf("%-70s +%-5d -%-5d %-6s %v\n", rel, res.AddedWords, res.RemovedWords, res.Exposure, keys(flagged))
		}
	}
	fmt.Printf("== %d pairs analysed in %.1f s\n", pairs, took.Seconds())
}

func printFindings(res analysis.Result) {
	for _, f := range res.Findings {
		fmt.Printf("    - %s %s [%s] %s @ %s\n      %s\n", f.Category, f.Direction, f.Exposure, f.Rule, f.Heading, f.Evidence)
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "eval: "+format+"\n", args...)
	os.Exit(1)
}

// sortedCounts prints a count map in key order.
func sortedCounts(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s:%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}
