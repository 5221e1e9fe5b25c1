#!/usr/bin/env bash
# Retakes docs/screenshots: every screen of the desktop app in the light and
# the dark theme (<screen>-light.png, <screen>-dark.png, 1280×800), and the
# first pages of a PDF report (report-page-N.png).
#
# The screens are drawn by gui's TestScreens with Fyne's software driver (no
# display, no GL), on an archive built from the shared Open Terms Archive
# corpus: the test drives each screen as a user would (select a platform,
# open the newest change, its changed text…), so no screenshot scripting
# lives in the app. The report pages come from `policywatch report` and
# pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dataset}
out=${OUT:-docs/screenshots}
command -v pdftoppm >/dev/null || { echo "screenshots: pdftoppm is missing (apt-get install poppler-utils)" >&2; exit 1; }
[ -d "$corpus" ] || { echo "screenshots: no corpus at $corpus (set CORPUS)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/policywatch
go build -tags ci,migrated_fynedo -o "$bin" ./cmd/policywatch
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data LANG=en_US.UTF-8
db=$work/screens.db
"$bin" --db "$db" profile set --organisation "Northwind Health Ltd" --jurisdictions EU,UK,US-CA,US --health --advertises >/dev/null
"$bin" --db "$db" import-ota --since 2025-01-01 "$corpus" >/dev/null
mkdir -p "$out"

PW_SCREENS_DB="$db" PW_SCREENS_OUT="$(pwd)/$out" go test -tags ci,migrated_fynedo -count=1 -run '^TestScreens$' ./gui/ >/dev/null
ls "$out"/*-light.png "$out"/*-dark.png

"$bin" --db "$db" report --pdf "$work/report.pdf" --since 2025-01-01 --deterministic >/dev/null
pdftoppm -r 70 -png -f 1 -l 4 "$work/report.pdf" "$out/report-page"
ls "$out"/report-page-*.png
