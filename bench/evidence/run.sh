#!/usr/bin/env bash
# Times `policywatch audit verify` — every version's text and raw bytes
# rehashed, every analysis digest recomputed, the hash chain, checkpoints and
# checklist/review states checked — on two archives:
#   - the shared corpus imported (34 documents, 389 versions), when ../shared is there;
#   - a 100,000-change archive from the GUI benchmark generator (bench/gui),
#     whose records are entered in the evidence log as the service does.
# References measured in the same run, on the same file:
#   - sqlite3 "PRAGMA integrity_check" (SQLite reading every page and index);
#   - sqlite3 reading every row verify reads (versions' text and raw bytes,
#     changes' records, findings, checklist items, the whole log);
#   - the binary's own start (`policywatch version`).
#
# Usage: make build && bench/evidence/run.sh   (BIN, CORPUS, RUNS, BIG_DB may be set;
#        BIG_DB names an existing generated archive to reuse)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-./policywatch}
CORPUS=${CORPUS:-../shared/corpus/dataset}
RUNS=${RUNS:-3}
export LANG=en_US.UTF-8 POLICYWATCH_SECRETS=file
[[ -x $BIN ]] || { echo "run.sh: $BIN not found: run make build first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "run.sh: sqlite3 missing: apt-get install -y sqlite3" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL COMMAND...: prints wall and CPU seconds, peak RSS.
measure() {
	local label=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
	read -r wall user sys rss <"$work/time"
	printf '%-34s wall %6.2fs  cpu %6.2fs  rss %4d MB | %s\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$(tail -1 "$work/out" | cut -c1-90)"
}

read_all="SELECT count(*), sum(length(text)), sum(length(raw_gzip)) FROM versions;
SELECT count(*), sum(length(record_json)) FROM changes;
SELECT count(*), sum(length(evidence)) FROM findings;
SELECT count(*), sum(length(text)) FROM checklist_items;
SELECT count(*), sum(length(data)), sum(length(hash)) FROM audit_log;"

bench() { # LABEL DB
	local label=$1 db=$2
	echo "== $label: $(sqlite3 "$db" 'SELECT count(*) FROM versions') versions, $(sqlite3 "$db" 'SELECT count(*) FROM changes') changes, $(sqlite3 "$db" 'SELECT count(*) FROM audit_log') log entries, $(du -h "$db" | cut -f1)"
	for i in $(seq 1 "$RUNS"); do
		measure "audit verify (run $i)" "$BIN" --db "$db" audit verify
		measure "sqlite3 integrity_check (run $i)" sqlite3 "$db" "PRAGMA integrity_check"
		measure "sqlite3 read every row (run $i)" sqlite3 "$db" "$read_all"
	done
}

measure "start-up (version)" "$BIN" version
if [[ -d $CORPUS ]]; then
	"$BIN" --db "$work/corpus.db" import-ota --quiet "$CORPUS" >/dev/null
	bench "corpus archive" "$work/corpus.db"
else
	echo "corpus not found at $CORPUS: skipping the corpus archive"
fi
big=${BIG_DB:-}
if [[ -z $big ]]; then
	big=$work/big.db
	echo "generating the 100,000-change archive (bench/gui generator)…"
	measure "generate 100,000 changes" go run ./bench/gui -db "$big" -changes 100000
fi
bench "100,000-change archive" "$big"
