package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
)

// readDocumentFile reads a text, Markdown, HTML or PDF file as normalised text.
func readDocumentFile(ctx context.Context, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	text, err := extract.FromFileContext(ctx, path, data)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return text, nil
}

// readPair reads the two files a command compares. (Reading them on two
// goroutines was measured slower: a fresh process starts its second thread
// late.)
func readPair(ctx context.Context, args []string, name string) (string, string, error) {
	if len(args) != 2 {
		return "", "", usagef("%s takes two files: OLD NEW", name)
	}
	oldText, err := readDocumentFile(ctx, args[0])
	if err != nil {
		return "", "", err
	}
	newText, err := readDocumentFile(ctx, args[1])
	if err != nil {
		return "", "", err
	}
	return oldText, newText, nil
}

func cmdAnalyze(e *env) error {
	fs := newFlags("analyze")
	asJSON := fs.Bool("json", false, "print JSON")
	var codes listFlag
	fs.Var(&codes, "jurisdictions", "flag only these jurisdictions (default: all)")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	for _, c := range codes {
		if !tracker.ValidJurisdiction(c) {
			return usagef("unknown jurisdiction %q (one of %s)", c, strings.Join(tracker.Jurisdictions, ", "))
		}
	}
	oldText, newText, err := readPair(e.ctx, rest, "analyze")
	if err != nil {
		return err
	}
	rules, err := loadRules()
	if err != nil {
		return err
	}
	opts := analysis.Options{Rules: rules}
	if len(codes) > 0 {
		opts.Profile = &analysis.Profile{Jurisdictions: codes}
	}
	res := analysis.Analyze(oldText, newText, opts)
	if *asJSON {
		if res.Findings == nil {
			res.Findings = []analysis.Finding{}
		}
		return printJSON(e.stdout, res)
	}
	return record.WriteText(e.stdout, record.Build(res, record.Input{Rules: rules}), record.TextOptions{})
}

func cmdDiff(e *env) error {
	oldText, newText, err := readPair(e.ctx, e.args, "diff")
	if err != nil {
		return err
	}
	hunks := analysis.Diff(oldText, newText)
	if len(hunks) == 0 {
		fmt.Fprintln(e.stdout, "The documents are identical after normalisation.")
		return nil
	}
	analysis.FormatDiff(e.stdout, hunks)
	return nil
}
