#!/usr/bin/env bash
# A team archive on PostgreSQL (a throwaway cluster on loopback, as the
# tests use): check-round throughput with two `watch` workers sharing each
# round against one worker (120 pages on 12 loopback hosts, 80 ms each), and
# the time a change saved on one desktop takes to reach another desktop's
# subscription, against the time of the save itself.
#
# Usage: bench/team/run.sh [ROUNDS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
out=$(go test -run '^$' -bench . -benchtime "${rounds}x" ./bench/team/)
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '
	/workers=1/ { one = $3 }
	/workers=2/ { two = $3 }
	/LiveUpdate/ { for (i = 1; i <= NF; i++) { if ($(i+1) == "ms-save") save = $i; if ($(i+1) == "ms-to-other-desktop") lag = $i } }
	END {
		if (one && two) printf "two workers finish a round in %.2f of the time one takes (%.2fx the throughput)\n", two / one, one / two
		if (save && lag) printf "a change reaches another desktop %.1f ms after it is saved (the save itself: %.1f ms; the app then gathers 300 ms of changes before it redraws)\n", lag, save
	}'
