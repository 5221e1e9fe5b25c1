// Command interleave times several commands by running them in turn, one
// run of each per round in a shuffled order, so that drifts in the
// machine's speed (other processes, frequency changes) and the effect of
// what ran just before affect all of them alike, and prints the median,
// first and third quartile wall time of each in milliseconds. Output is
// discarded, as hyperfine -N does.
//
// Usage:
//
//	interleave [-rounds N] [-warmup N] 'name=cmd arg…' …
//
// Arguments are split on spaces (no quoting): paths with spaces must be
// avoided, which bench/diffbench/run.sh ensures by copying its inputs.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 100, "runs of each command")
	warmup := flag.Int("warmup", 5, "untimed rounds first")
	flag.Parse()
	type command struct {
		name  string
		argv  []string
		times []float64
	}
	var cmds []*command
	for _, a := range flag.Args() {
		name, line, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(line) == "" {
			fmt.Fprintf(os.Stderr, "interleave: %q is not name=command\n", a)
			os.Exit(2)
		}
		cmds = append(cmds, &command{name: name, argv: strings.Fields(line)})
	}
	if len(cmds) == 0 {
		fmt.Fprintln(os.Stderr, "usage: interleave [-rounds N] [-warmup N] 'name=cmd arg…' …")
		os.Exit(2)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	order := append([]*command(nil), cmds...)
	for r := 0; r < *warmup+*rounds; r++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, c := range order {
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			start := time.Now()
			err := cmd.Run()
			elapsed := time.Since(start)
			if _, exit := err.(*exec.ExitError); err != nil && !exit {
				fmt.Fprintf(os.Stderr, "interleave: %s: %v\n", c.name, err)
				os.Exit(1)
			}
			if r >= *warmup {
				c.times = append(c.times, float64(elapsed.Microseconds())/1000)
			}
		}
	}
	for _, c := range cmds {
		sort.Float64s(c.times)
		q := func(p float64) float64 { return c.times[int(p*float64(len(c.times)-1))] }
		fmt.Printf("%s %.3f %.3f %.3f\n", c.name, q(0.5), q(0.25), q(0.75))
	}
}
