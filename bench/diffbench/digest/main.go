// Command digest prints, for every consecutive pair of versions in an Open
// Terms Archive dataset, a SHA-256 of analysis.FormatDiff's output and of the
// JSON analysis record. Comparing its output before and after a change to the
// diff engine shows that a speed-up changed no result.
//
// Usage (from the repository root):
//
//	go run ./bench/diffbench/digest [-corpus DIR] [-rules FILE] > digests.txt
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"policywatch/tracker/analysis"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus/dataset", "dataset folder")
	rulesPath := flag.String("rules", "resources/rules.json", "rules file")
	flag.Parse()
	data, err := os.ReadFile(*rulesPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "digest:", err)
		os.Exit(1)
	}
	rules, err := analysis.ParseRules(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "digest:", err)
		os.Exit(1)
	}
	byDoc := map[string][]string{}
	err = filepath.WalkDir(*corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		byDoc[filepath.Dir(p)] = append(byDoc[filepath.Dir(p)], p)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "digest:", err)
		os.Exit(1)
	}
	docs := make([]string, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	opts := analysis.Options{Rules: rules, Profile: &analysis.Profile{Jurisdictions: []string{"EU", "UK", "US-CA"}, Advertises: true}}
	for _, d := range docs {
		files := byDoc[d]
		sort.Strings(files)
		for i := 1; i < len(files); i++ {
			a, _ := os.ReadFile(files[i-1])
			b, _ := os.ReadFile(files[i])
			var out bytes.Buffer
			analysis.FormatDiff(&out, analysis.Diff(string(a), string(b)))
			rec, _ := json.Marshal(analysis.Analyze(string(a), string(b), opts))
			rel, _ := filepath.Rel(*corpus, files[i])
			dd, rd := sha256.Sum256(out.Bytes()), sha256.Sum256(rec)
			fmt.Printf("%x %x %s\n", dd[:8], rd[:8], rel)
		}
	}
}
