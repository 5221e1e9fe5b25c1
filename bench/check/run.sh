#!/usr/bin/env bash
# Times `policywatch check` against N realistic ~100 KB policy pages served on
# 127.0.0.1 by bench/check/server (corpus texts as HTML with site chrome).
#
# For each N (default 100 and 1000) on a fresh database:
#   1. add N documents through the CLI (`platforms add ... --select main`),
#   2. check them all: first check, every page archived as a version,
#   3. check again, nothing changed (the server answers ETag requests with 304),
#   4. change 10 % of the pages (SIGUSR1 to the server) and check again,
#   5. check again with ETags off (SIGUSR2): nothing changed, but every page
#      is fetched, extracted and hashed, as for sites that send no validators.
# Each check runs under /usr/bin/time -v; the table shows wall time, CPU
# (user + system) and maximum RSS, plus the check's own summary line. The
# binary's start-up (`policywatch version`) is reported separately.
#
# Usage: make build && bench/check/run.sh
# Environment: BIN (./policywatch), SIZES ("100 1000"), CONCURRENCY (16),
#              CORPUS (../shared/corpus/dataset), KEEP=1 keeps the work folder.
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN=${BIN:-./policywatch}
SIZES=${SIZES:-"100 1000"}
CONCURRENCY=${CONCURRENCY:-16}
CORPUS=${CORPUS:-../shared/corpus/dataset}
export LANG=${LANG:-C.UTF-8}

if [[ ! -x $BIN ]]; then
	echo "run.sh: $BIN not found: build it first (make build)" >&2
	exit 1
fi
if [[ ! -d $CORPUS ]]; then
	echo "run.sh: corpus $CORPUS not found (set CORPUS)" >&2
	exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
	echo "run.sh: installing GNU time (apt package 'time')" >&2
	apt-get install -y -q time >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
	if [[ -n $SERVER_PID ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [[ ${KEEP:-0} == 1 ]]; then
		echo "work folder kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

go build -o "$WORK/server" ./bench/check/server

# timed LABEL CMD... runs CMD under /usr/bin/time -v and prints one row.
timed() {
	local label=$1
	shift
	/usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || {
		echo "run.sh: $label failed:" >&2
		tail -5 "$WORK/err.txt" >&2
		exit 1
	}
	awk -v label="$label" -v summary="$(grep -E '^checked [0-9]+' "$WORK/out.txt" | tail -1)" '
		/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
		/User time \(seconds\)/   { user = $NF }
		/System time \(seconds\)/ { sys = $NF }
		/Maximum resident set size/ { rss = $NF / 1024 }
		END { printf "%-28s %9.2f %9.2f %9.1f   %s\n", label, wall, user + sys, rss, summary }
	' "$WORK/time.txt"
}

echo "policywatch check benchmark — $(nproc) cores, concurrency $CONCURRENCY, $($BIN version 2>/dev/null | head -1)"
printf "%-28s %9s %9s %9s   %s\n" "run" "wall s" "cpu s" "max MB" "summary"
timed "start-up (version)" "$BIN" version

for N in $SIZES; do
	rm -f "$WORK/addr"
	"$WORK/server" -n "$N" -addr 127.0.0.1:0 -addr-file "$WORK/addr" -corpus "$CORPUS" >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[[ -s $WORK/addr ]] && break
		sleep 0.1
	done
	if [[ ! -s $WORK/addr ]]; then
		echo "run.sh: server did not start:" >&2
		cat "$WORK/server.log" >&2
		exit 1
	fi
	BASE=$(cat "$WORK/addr")
	DB="$WORK/bench-$N.db"

	start=$(date +%s.%N)
	for i in $(seq "$N"); do
		"$BIN" --db "$DB" platforms add --name "P$i" --url "$BASE/doc/$i" --select main >/dev/null 2>"$WORK/err.txt" || {
			echo "run.sh: platforms add failed:" >&2
			tail -5 "$WORK/err.txt" >&2
			exit 1
		}
	done
	printf "%-28s %9.2f %9s %9s   %s\n" "N=$N add $N documents" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "-" "-" "$N CLI runs"

	timed "N=$N first check" "$BIN" --db "$DB" check --concurrency "$CONCURRENCY"
	timed "N=$N unchanged" "$BIN" --db "$DB" check --concurrency "$CONCURRENCY"
	kill -USR1 "$SERVER_PID"
	sleep 0.2
	timed "N=$N 10 % changed" "$BIN" --db "$DB" check --concurrency "$CONCURRENCY"
	kill -USR2 "$SERVER_PID"
	sleep 0.2
	timed "N=$N unchanged, no ETag" "$BIN" --db "$DB" check --concurrency "$CONCURRENCY"

	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
done
