#!/usr/bin/env bash
# Distribution of change exposure over the corpus for three organisation
# profiles, and the open checklist items an import raises.
#
# Usage, from the repository root after `make build`:
#   bench/exposure/run.sh [DATASET]     (default ../shared/corpus/dataset)
set -euo pipefail
dataset=${1:-../shared/corpus/dataset}
bin=./policywatch
[[ -x $bin ]] || { echo "run make build first" >&2; exit 1; }
[[ -d $dataset ]] || { echo "no dataset at $dataset" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

distribution() { # db → one line: changes per exposure level
  "$bin" --db "$1" changes --json | python3 -c '
import json, sys
cs = json.load(sys.stdin)
n = {"high": 0, "medium": 0, "low": 0}
with_findings = unclassified = 0
for c in cs:
    if c["findings"]:
        n[c["exposure"]] += 1
        with_findings += 1
    elif c["exposure"] == "low":
        unclassified += 1
parts = ["%s %d (%.0f %%)" % (k, n[k], 100.0 * n[k] / max(1, with_findings)) for k in ("high", "medium", "low")]
print(" · ".join(parts) + " of %d changes with findings; %d substantive changes without findings (low); %d of %d cosmetic" % (with_findings, unclassified, len(cs) - with_findings - unclassified, len(cs)))
'
}

run() { # name, profile flags…
  local name=$1; shift
  local db=$work/$name.db
  "$bin" --db "$db" profile set --organisation "$name" "$@" >/dev/null
  local start=$(date +%s.%N)
  "$bin" --db "$db" import-ota --quiet --since 2025-01-01 "$dataset" >/dev/null
  local took=$(echo "$(date +%s.%N) - $start" | bc)
  printf '%-40s %s\n' "$name" "$(distribution "$db")"
  local open=$("$bin" --db "$db" checklist --open --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  printf '%-40s open checklist items with monitoring from 2025-01-01: %s (import %.1f s)\n' "" "$open" "$took"
}

run "EU only" --jurisdictions EU --role controller
run "EU and California (the dev set's)" --jurisdictions EU,US-CA --role controller
run "EU, UK, California; children; advertises" --jurisdictions EU,UK,US-CA --children --advertises --role controller

# the default monitoring start is the import day: history raises nothing
db=$work/default.db
"$bin" --db "$db" profile set --organisation default --jurisdictions EU,US-CA >/dev/null
"$bin" --db "$db" import-ota --quiet "$dataset" >/dev/null
printf '%-40s open checklist items with the default start (import day): %s\n' "EU and California" \
  "$("$bin" --db "$db" checklist --open --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
