// Command diffbench does what `policywatch diff OLD NEW` does — read both
// files through tracker/extract, then analysis.Diff and analysis.FormatDiff —
// in a small binary without the GUI and report libraries, so that
// bench/diffbench/run.sh can time the diff itself against git diff
// --no-index on the same inputs.
//
// Usage:
//
//	diffbench [-n N] [-q] OLD NEW
//
// -n repeats the work N times and reports on stderr the median and mean time
// per run of Diff+FormatDiff and, separately, of reading and extracting the
// two files; -q discards the formatted diff instead of printing it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
)

func main() {
	n := flag.Int("n", 1, "repeat the work N times and report the median and mean")
	quiet := flag.Bool("q", false, "discard the formatted diff")
	flag.Parse()
	if flag.NArg() != 2 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: diffbench [-n N] [-q] OLD NEW")
		os.Exit(2)
	}
	var out io.Writer = io.Discard
	if !*quiet {
		bw := bufio.NewWriter(os.Stdout)
		defer bw.Flush()
		out = bw
	}
	var readTimes, diffTimes []time.Duration
	for i := 0; i < *n; i++ {
		start := time.Now()
		oldText, err := read(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "diffbench:", err)
			os.Exit(1)
		}
		newText, err := read(flag.Arg(1))
		if err != nil {
			fmt.Fprintln(os.Stderr, "diffbench:", err)
			os.Exit(1)
		}
		mid := time.Now()
		hunks := analysis.Diff(oldText, newText)
		w := out
		if i > 0 {
			w = io.Discard
		}
		if len(hunks) == 0 {
			fmt.Fprintln(w, "The documents are identical after normalisation.")
		} else {
			analysis.FormatDiff(w, hunks)
		}
		end := time.Now()
		readTimes = append(readTimes, mid.Sub(start))
		diffTimes = append(diffTimes, end.Sub(mid))
	}
	if *n > 1 {
		fmt.Fprintf(os.Stderr, "diffbench: %d runs; Diff+FormatDiff median %.2f ms, mean %.2f ms; read+extract median %.2f ms\n",
			*n, ms(median(diffTimes)), ms(mean(diffTimes)), ms(median(readTimes)))
	}
}

func read(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return extract.FromFile(path, data)
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t / time.Duration(len(ds))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
