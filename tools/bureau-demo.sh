#!/usr/bin/env bash
# The bureau's side of the demo: treat the units' generated 申报汇总表 as the returned files,
# collect them into one master workbook and draw the reviewers' score sheets.
set -euo pipefail
BIN=${BIN:-.venv/bin}
CALL=luoyang-2026-waichu-gengang
RETURNS=build/bureau/returns
rm -rf "$RETURNS"
mkdir -p "$RETURNS"
for f in build/*/"$CALL"/申报汇总表.xlsx; do
  unit=$(basename "$(dirname "$(dirname "$f")")")
  cp "$f" "$RETURNS/$unit-申报汇总表.xlsx"
done
"$BIN/docgen" collect "$RETURNS" --call "$CALL"
"$BIN/docgen" score sheets --call "$CALL" --reviewers 5
