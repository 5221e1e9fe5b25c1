// Command diffbench runs PolicyWatch's block-and-word diff (analysis.Diff
// followed by analysis.FormatDiff) on two files, so that bench/diffbench/run.sh
// can time it against git diff --no-index --word-diff on the same inputs.
//
// Usage:
//
//	diffbench [-n N] [-q] OLD NEW
//
// -n repeats the work N times (default 1) and reports the mean time per run
// on stderr; -q discards the formatted diff instead of printing it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"policywatch/tracker/analysis"
)

func main() {
	n := flag.Int("n", 1, "repeat the diff N times and report the mean")
	quiet := flag.Bool("q", false, "discard the formatted diff")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: diffbench [-n N] [-q] OLD NEW")
		os.Exit(2)
	}
	oldText, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "diffbench: read old: %v\n", err)
		os.Exit(1)
	}
	newText, err := os.ReadFile(flag.Arg(1))
	if err != nil {
		fmt.Fprintf(os.Stderr, "diffbench: read new: %v\n", err)
		os.Exit(1)
	}
	var out io.Writer = io.Discard
	if !*quiet {
		bw := bufio.NewWriter(os.Stdout)
		defer bw.Flush()
		out = bw
	}
	start := time.Now()
	for i := 0; i < *n; i++ {
		hunks := analysis.Diff(string(oldText), string(newText))
		w := out
		if i > 0 {
			w = io.Discard
		}
		analysis.FormatDiff(w, hunks)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(os.Stderr, "diffbench: %d run(s), %.2f ms per run\n", *n, float64(elapsed.Microseconds())/1000/float64(*n))
}
