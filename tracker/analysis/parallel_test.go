package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
	"policywatch/internal/testpolicies"
)

// longTestPair builds a long document pair from the project's test
// policies: every consecutive pair, and every version against a copy with
// words substituted, each under a heading of its own, repeated until the
// changed text is long enough to be compared on two goroutines.
func longTestPair() (string, string) {
	var old, new strings.Builder
	for part := 0; old.Len() < 8*parallelCompareBytes; part++ {
		for _, p := range testpolicies.Pairs() {
			a, _ := testpolicies.File(p.Old)
			b, _ := testpolicies.File(p.New)
			for _, pair := range [][2]string{{a, b}, {b, substituteWords(b)}} {
				fmt.Fprintf(&old, "# Part %d of %s\n\n%s\n\n", part, p.New, pair[0])
				fmt.Fprintf(&new, "# Part %d of %s\n\n%s\n\n", part, p.New, pair[1])
			}
		}
	}
	return old.String(), new.String()
}

// The changed runs of a long document are compared on two goroutines, and
// its hunks finished on two; the hunks and their pairing regions must be
// those of comparing and finishing them in order.
func TestCompareRunsInParallelMatchesInOrder(t *testing.T) {
	pairs := [][2]string{{"test policies", ""}}
	texts := map[string]string{}
	texts["test policies"], texts[""] = longTestPair()
	if sharedtest.Path("corpus", "dataset") != "" {
		for _, p := range [][2]string{{diffbenchOld, diffbenchNew}, {rewriteOld, rewriteNew}} {
			texts[p[0]], texts[p[1]] = corpusFile(t, p[0]), corpusFile(t, p[1])
			pairs = append(pairs, p)
		}
	}
	for _, pair := range pairs {
		ob, nb := parsePair(texts[pair[0]], texts[pair[1]])
		var runs []changedRun
		size := 0
		alignBlocks(ob, nb, textRunes(ob), textRunes(nb), func(dels, ins []*block) {
			runs = append(runs, changedRun{dels, ins})
			for _, b := range append(dels[:len(dels):len(dels)], ins...) {
				size += len(b.raw)
			}
		}, nil)
		if size < parallelCompareBytes {
			t.Fatalf("%s: %d bytes changed, too few to compare in parallel", pair[1], size)
		}
		got := compareRuns(runs)
		want, _ := compareInOrder(runs)
		if len(got) != len(want) {
			t.Fatalf("%s: %d hunks in parallel, %d in order", pair[1], len(got), len(want))
		}
		regions := 0
		for k := range got {
			g, w := got[k], want[k]
			if g.Op != w.Op || g.Old != w.Old || g.New != w.New || g.Reason != w.Reason || g.region != w.region ||
				!slices.Equal(g.Words, w.Words) {
				t.Fatalf("%s: hunk %d differs:\nparallel %+v\nin order %+v", pair[1], k, g, w)
			}
			regions = max(regions, g.region)
		}
		if regions < 2 {
			t.Errorf("%s: %d pairing regions; the test needs regions on both sides", pair[1], regions)
		}
		// finishing them on two goroutines gives what finishing in order does
		got, want = markMoves(got), markMoves(want)
		if len(got) < parallelFinishHunks {
			t.Fatalf("%s: %d hunks, too few to finish in parallel", pair[1], len(got))
		}
		finishHunks(got)
		for k := range want {
			finishHunk(&want[k])
		}
		for k := range got {
			g, w := got[k], want[k]
			if g.Reason != w.Reason || g.Substantive != w.Substantive || !slices.Equal(g.Words, w.Words) {
				t.Fatalf("%s: finished hunk %d differs:\nparallel %+v\nin order %+v", pair[1], k, g, w)
			}
		}
	}
}
