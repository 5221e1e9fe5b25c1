#!/usr/bin/env bash
# Times `policywatch diff` against `git diff --no-index` on the same two
# ~150 KB corpus files, side by side in one run, and prints the ratios:
#
#   - whole processes: the real policywatch binary (GUI and report libraries
#     linked), the small bench/diffbench binary (the same read + extract +
#     Diff + FormatDiff without them), git diff --no-index, and git's word
#     diff, which is closer to what ours prints;
#   - start-up alone: each binary on two empty files (`policywatch version`
#     for ours), reported separately as DESIGN asks;
#   - the work alone: Diff+FormatDiff timed in process (median of many runs)
#     against git's process time minus git's own start-up.
#
# Usage: bench/diffbench/run.sh [OLD NEW] [RUNS]
# Defaults to two consecutive Facebook privacy policies from ../shared/corpus
# and 30 runs per command. Uses hyperfine (apt-get install hyperfine) when
# installed, with warm-up runs; otherwise interleaved wall-clock loops.
# Medians are reported because the machine is shared.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus="$repo/../shared/corpus/dataset"
old=${1:-"$corpus/Facebook/Privacy Policy/2022-09-07T17-19-04Z.md"}
new=${2:-"$corpus/Facebook/Privacy Policy/2022-09-15T00-30-01Z.md"}
runs=${3:-30}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && go build -o "$tmp/diffbench" ./bench/diffbench)
have_pw=1
if ! (cd "$repo" && go build -o "$tmp/policywatch" ./cmd/policywatch) 2>"$tmp/build.log"; then
	have_pw=0
	echo "note: cmd/policywatch does not build right now; its rows are skipped:" >&2
	head -5 "$tmp/build.log" >&2
fi
cp "$old" "$tmp/old.md"
cp "$new" "$tmp/new.md"
: >"$tmp/empty1.md"
: >"$tmp/empty2.md"
O="$tmp/old.md" N="$tmp/new.md" E1="$tmp/empty1.md" E2="$tmp/empty2.md"

names=()
cmds=()
add() { names+=("$1"); cmds+=("$2"); }
if [ "$have_pw" = 1 ]; then
	add pw_diff "$tmp/policywatch diff $O $N"
	add pw_start "$tmp/policywatch version"
fi
add db_diff "$tmp/diffbench $O $N"
add db_start "$tmp/diffbench $E1 $E2"
add git_diff "git diff --no-index $O $N"
add git_word "git diff --no-index --word-diff $O $N"
add git_start "git diff --no-index $E1 $E2"

printf 'files: %s (%d bytes)\n       %s (%d bytes)\nruns:  %d per command\n\n' "$old" "$(wc -c <"$old")" "$new" "$(wc -c <"$new")" "$runs"

# median_ms NAME prints the median wall time of a command in milliseconds
declare -A median
if command -v hyperfine >/dev/null; then
	echo "timing with $(hyperfine --version) ($runs runs, 3 warm-up runs each)"
	for k in "${!names[@]}"; do
		hyperfine -N -i -w 3 -r "$runs" --export-json "$tmp/${names[k]}.json" "${cmds[k]}" >/dev/null 2>&1
		median[${names[k]}]=$(jq '.results[0].median * 1000' "$tmp/${names[k]}.json")
	done
else
	echo "hyperfine not installed: interleaved wall-clock loops ($runs runs each)"
	for _ in $(seq "$runs"); do
		for k in "${!names[@]}"; do
			start=$(date +%s%N)
			${cmds[k]} >/dev/null 2>&1 || true
			end=$(date +%s%N)
			echo $(((end - start) / 1000)) >>"$tmp/${names[k]}.us"
		done
	done
	for k in "${!names[@]}"; do
		median[${names[k]}]=$(sort -n "$tmp/${names[k]}.us" | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1000}')
	done
fi

# the work alone, in process: median of 10×RUNS repetitions
inproc=$("$tmp/diffbench" -q -n $((runs * 10)) "$O" "$N" 2>&1)
work=$(sed -n 's/.*Diff+FormatDiff median \([0-9.]*\) ms.*/\1/p' <<<"$inproc")
readx=$(sed -n 's/.*read+extract median \([0-9.]*\) ms.*/\1/p' <<<"$inproc")

hunks=$("$tmp/diffbench" "$O" "$N" | grep -c '^@@' || true)
git_hunks=$(git diff --no-index "$O" "$N" | grep -c '^@@' || true)

row() { printf '%-52s %9.2f\n' "$1" "$2"; }
echo
printf '%-52s %9s\n' "measurement (median)" "ms"
if [ "$have_pw" = 1 ]; then
	row "policywatch diff OLD NEW, whole process" "${median[pw_diff]}"
	row "  policywatch version (its start-up alone)" "${median[pw_start]}"
fi
row "diffbench OLD NEW, whole process" "${median[db_diff]}"
row "  diffbench on two empty files (start-up)" "${median[db_start]}"
row "  in process: read + extract both files" "$readx"
row "  in process: Diff + FormatDiff (the work)" "$work"
row "git diff --no-index OLD NEW, whole process" "${median[git_diff]}"
row "git diff --no-index --word-diff, whole process" "${median[git_word]}"
row "  git diff --no-index on two empty files (start-up)" "${median[git_start]}"
printf '\nhunks: policywatch %s (block hunks with heading paths), git %s\n\n' "$hunks" "$git_hunks"

awk -v pw="${median[pw_diff]:-0}" -v pws="${median[pw_start]:-0}" -v db="${median[db_diff]}" \
	-v g="${median[git_diff]}" -v gw="${median[git_word]}" -v gs="${median[git_start]}" -v w="$work" 'BEGIN {
	if (pw > 0) {
		printf "ratio, whole process, policywatch diff / git diff:            %.2f\n", pw / g
		printf "ratio, whole process minus start-up, policywatch / git:       %.2f\n", (pw - pws) / (g - gs > 0.01 ? g - gs : 0.01)
	}
	printf "ratio, whole process, diffbench / git diff:                   %.2f\n", db / g
	printf "ratio, whole process, diffbench / git diff --word-diff:       %.2f\n", db / gw
	gwork = g - gs; if (gwork < 0.01) gwork = 0.01
	gwwork = gw - gs; if (gwwork < 0.01) gwwork = 0.01
	printf "ratio, the work: Diff+FormatDiff / (git diff - git start):    %.2f\n", w / gwork
	printf "ratio, the work: Diff+FormatDiff / (git word diff - start):   %.2f\n", w / gwwork
}'
