#!/usr/bin/env bash
# Times `policywatch import-ota` of the whole shared corpus (34 documents, 389
# versions, 355 analysed changes) into a fresh database, then the re-import
# (nothing new), under /usr/bin/time -v: wall time, CPU and peak RSS. The
# binary's own start-up (`policywatch version`) is printed as the reference.
#
# Usage: make build && bench/import/run.sh   (CORPUS, BIN and RUNS may be set)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-./policywatch}
CORPUS=${CORPUS:-../shared/corpus/dataset}
RUNS=${RUNS:-3}
export LANG=en_US.UTF-8
[[ -x $BIN ]] || { echo "run.sh: $BIN not found: run make build first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...
	local label=$1; shift
	/usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { cat "$work/out" "$work/time" >&2; exit 1; }
	local wall cpu_u cpu_s rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
	cpu_u=$(awk -F': ' '/User time/ {print $2}' "$work/time")
	cpu_s=$(awk -F': ' '/System time/ {print $2}' "$work/time")
	rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/time")
	printf '%-28s wall %-9s cpu %5.2fs  rss %s  | %s\n' "$label" "$wall" "$(echo "$cpu_u + $cpu_s" | bc)" "$rss" "$(tail -1 "$work/out")"
}

measure "start-up (version)" "$BIN" version
for i in $(seq 1 "$RUNS"); do
	rm -f "$work/db"*
	measure "import, fresh db (run $i)" "$BIN" --db "$work/db" import-ota --quiet "$CORPUS"
	measure "re-import (run $i)" "$BIN" --db "$work/db" import-ota --quiet "$CORPUS"
done
