package analysis

import (
	"slices"
	"testing"
)

// The changed runs of a long document are compared on two goroutines; the
// hunks and their pairing regions must be those of comparing them in order.
func TestCompareRunsInParallelMatchesInOrder(t *testing.T) {
	for _, pair := range [][2]string{
		{diffbenchOld, diffbenchNew},
		{rewriteOld, rewriteNew},
	} {
		ob, nb := parsePair(corpusFile(t, pair[0]), corpusFile(t, pair[1]))
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
	}
}
