#!/usr/bin/env bash
# Times PolicyWatch's diff (analysis.Diff + analysis.FormatDiff, via the
# tiny bench/diffbench program) against `git diff --no-index --word-diff`
# on the same two ~150 KB corpus files, in one run, and prints the ratio.
#
# Usage: bench/diffbench/run.sh [OLD NEW] [RUNS]
# Defaults to two consecutive Facebook privacy policies from ../shared/corpus.
#
# Both tools are measured as whole processes (wall clock, median of RUNS), and
# each process's own start-up on two empty files is measured separately so
# the diff work itself can be compared too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus="$repo/../shared/corpus/dataset"
old=${1:-"$corpus/Facebook/Privacy Policy/2022-09-07T17-19-04Z.md"}
new=${2:-"$corpus/Facebook/Privacy Policy/2022-09-15T00-30-01Z.md"}
runs=${3:-20}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && go build -o "$tmp/diffbench" ./bench/diffbench)
: >"$tmp/empty1"
: >"$tmp/empty2"

# one wall-clock measurement of a command, in microseconds
once_us() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s%N)
	echo $(((end - start) / 1000))
}

# median of the numbers on stdin, printed in milliseconds
median_ms() {
	sort -n | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m / 1000}'
}

printf 'files: %s (%d bytes)\n       %s (%d bytes)\nruns:  %d\n\n' "$old" "$(wc -c <"$old")" "$new" "$(wc -c <"$new")" "$runs"

# interleave the four measurements so that load from other processes on
# the machine hits them alike; report medians
: >"$tmp/ours" >"$tmp/ours_start" >"$tmp/git" >"$tmp/git_start"
for _ in $(seq "$runs"); do
	once_us "$tmp/diffbench" "$old" "$new" >>"$tmp/ours"
	once_us git diff --no-index --word-diff "$old" "$new" >>"$tmp/git"
	once_us "$tmp/diffbench" "$tmp/empty1" "$tmp/empty2" >>"$tmp/ours_start"
	once_us git diff --no-index --word-diff "$tmp/empty1" "$tmp/empty2" >>"$tmp/git_start"
done
ours=$(median_ms <"$tmp/ours")
ours_start=$(median_ms <"$tmp/ours_start")
git_ms=$(median_ms <"$tmp/git")
git_start=$(median_ms <"$tmp/git_start")
work=$("$tmp/diffbench" -q -n "$runs" "$old" "$new" 2>&1 | sed -n 's/.*, \([0-9.]*\) ms per run/\1/p')

hunks=$("$tmp/diffbench" "$old" "$new" 2>/dev/null | grep -c '^@@' || true)
git_hunks=$(git diff --no-index --word-diff "$old" "$new" | grep -c '^@@' || true)

printf '%-44s %10s\n' "measurement (median of runs)" "ms"
printf '%-44s %10s\n' "policywatch diffbench, whole process" "$ours"
printf '%-44s %10s\n' "  of which process start (empty files)" "$ours_start"
printf '%-44s %10s\n' "  Diff+FormatDiff in process (mean of runs)" "$work"
printf '%-44s %10s\n' "git diff --no-index --word-diff, process" "$git_ms"
printf '%-44s %10s\n' "  of which process start (empty files)" "$git_start"
printf '\nhunks: policywatch %s (block hunks with heading paths), git %s\n' "$hunks" "$git_hunks"
awk -v o="$ours" -v g="$git_ms" -v w="$work" -v gs="$git_start" 'BEGIN {
	printf "ratio, whole processes (policywatch / git):       %.2f\n", o / g
	gw = g - gs; if (gw < 0.01) gw = 0.01
	printf "ratio, diff work (in-process / git minus start):   %.2f\n", w / gw
}'
