#!/usr/bin/env bash
# Times `policywatch diff` against `git diff --no-index` on the same two
# ~150 KB corpus files, side by side in one run, and prints the ratios:
#
#   - whole processes: the real policywatch binary (GUI and report libraries
#     linked), the small bench/diffbench binary (the same read + extract +
#     Diff + FormatDiff without them), git diff --no-index, and git's word
#     diff, which is closer to what ours prints;
#   - start-up alone: `policywatch version`, diffbench and git on two empty
#     files, reported separately as DESIGN asks;
#   - the work alone: Diff+FormatDiff timed in process (median of many runs).
#
# The commands run in alternation, one run of each per round
# (bench/diffbench/interleave), so that the shared machine's drifts in speed
# touch all of them alike; medians are reported.
#
# Usage: bench/diffbench/run.sh [OLD NEW] [ROUNDS]
#        bench/diffbench/run.sh --large [ROUNDS]
# The first form defaults to two consecutive Facebook privacy policies from
# ../shared/corpus and 100 rounds. --large times every consecutive pair of
# the corpus documents over 100 KB (Facebook, Instagram and Microsoft
# privacy policies) and prints one line of ratios per pair.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus="$repo/../shared/corpus/dataset"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && go build -o "$tmp/diffbench" ./bench/diffbench && go build -o "$tmp/interleave" ./bench/diffbench/interleave)
(cd "$repo" && go build -o "$tmp/policywatch" ./cmd/policywatch)
: >"$tmp/empty1.md"
: >"$tmp/empty2.md"
export LANG=${LANG:-C.UTF-8}
case $LANG in C | POSIX) export LANG=C.UTF-8 ;; esac

# measure OLD NEW ROUNDS: prints "name median q1 q3" lines for every command
measure() {
	cp "$1" "$tmp/old.md"
	cp "$2" "$tmp/new.md"
	local O="$tmp/old.md" N="$tmp/new.md" E1="$tmp/empty1.md" E2="$tmp/empty2.md"
	"$tmp/interleave" -rounds "$3" -warmup 5 \
		"pw_diff=$tmp/policywatch diff $O $N" \
		"pw_start=$tmp/policywatch version" \
		"db_diff=$tmp/diffbench $O $N" \
		"db_start=$tmp/diffbench $E1 $E2" \
		"git_diff=git diff --no-index $O $N" \
		"git_word=git diff --no-index --word-diff $O $N" \
		"git_start=git diff --no-index $E1 $E2"
}

if [ "${1:-}" = "--large" ]; then
	rounds=${2:-30}
	printf '%-58s %7s %7s %7s %9s\n' "pair (ratios of medians, $rounds rounds)" "pw/git" "work/g" "work/gw" "pw-start"
	for doc in "$corpus"/*/*/; do
		first=$(ls "$doc"*.md | head -1)
		[ "$(wc -c <"$first")" -ge 100000 ] || continue
		prev=""
		for f in "$doc"*.md; do
			if [ -n "$prev" ]; then
				declare -A m=()
				while read -r name med _ _; do m[$name]=$med; done < <(measure "$prev" "$f" "$rounds")
				awk -v name="$(basename "$(dirname "$doc")") $(basename "$prev" .md) → $(basename "$f" .md)" \
					-v pw="${m[pw_diff]}" -v ps="${m[pw_start]}" -v g="${m[git_diff]}" -v gw="${m[git_word]}" -v gs="${m[git_start]}" 'BEGIN {
					printf "%-58s %7.2f %7.2f %7.2f %7.2fms\n", name, pw / g, (pw - ps) / g, (pw - ps) / gw, pw - ps }'
				unset m
			fi
			prev=$f
		done
	done
	exit 0
fi

old=${1:-"$corpus/Facebook/Privacy Policy/2022-09-07T17-19-04Z.md"}
new=${2:-"$corpus/Facebook/Privacy Policy/2022-09-15T00-30-01Z.md"}
rounds=${3:-100}
printf 'files:  %s (%d bytes)\n        %s (%d bytes)\nrounds: %d, commands in alternation\n\n' "$old" "$(wc -c <"$old")" "$new" "$(wc -c <"$new")" "$rounds"

declare -A median
while read -r name med q1 q3; do
	median[$name]=$med
	printf '%-10s median %7.2f ms  (quartiles %.2f–%.2f)\n' "$name" "$med" "$q1" "$q3"
done < <(measure "$old" "$new" "$rounds")

# the work alone, in process: median of 10×ROUNDS repetitions
inproc=$("$tmp/diffbench" -q -n $((rounds * 10)) "$tmp/old.md" "$tmp/new.md" 2>&1)
work=$(sed -n 's/.*Diff+FormatDiff median \([0-9.]*\) ms.*/\1/p' <<<"$inproc")
readx=$(sed -n 's/.*read+extract median \([0-9.]*\) ms.*/\1/p' <<<"$inproc")
printf '\nin process (warm): Diff+FormatDiff %.2f ms, read+extract %.2f ms\n' "$work" "$readx"
hunks=$("$tmp/diffbench" "$tmp/old.md" "$tmp/new.md" | grep -c '^@@' || true)
git_hunks=$(git diff --no-index "$tmp/old.md" "$tmp/new.md" | grep -c '^@@' || true)
printf 'hunks: policywatch %s (block hunks with heading paths), git %s\n\n' "$hunks" "$git_hunks"

awk -v pw="${median[pw_diff]}" -v ps="${median[pw_start]}" -v db="${median[db_diff]}" -v ds="${median[db_start]}" \
	-v g="${median[git_diff]}" -v gw="${median[git_word]}" -v gs="${median[git_start]}" -v w="$work" 'BEGIN {
	gwork = g - gs; if (gwork < 0.01) gwork = 0.01
	gwwork = gw - gs; if (gwwork < 0.01) gwwork = 0.01
	printf "policywatch diff, whole process / git diff:                     %.2f\n", pw / g
	printf "policywatch diff minus its start-up / git diff (whole):         %.2f\n", (pw - ps) / g
	printf "policywatch diff minus its start-up / git diff minus its own:   %.2f\n", (pw - ps) / gwork
	printf "policywatch diff minus its start-up / git word diff minus its:  %.2f\n", (pw - ps) / gwwork
	printf "diffbench minus its start-up / git diff (whole):                %.2f\n", (db - ds) / g
	printf "in process Diff+FormatDiff / git diff minus its start-up:       %.2f\n", w / gwork
}'
