#!/usr/bin/env bash
# Runs steward's commands on the shipped fixtures and writes every output (stdout,
# stderr, exit code, output files) into DIR, with run-dependent fields (times, durations,
# temporary paths) removed, so that two builds can be compared byte for byte:
#
#   scripts/fixture-outputs.sh BIN before/ && (change code) && scripts/fixture-outputs.sh BIN after/
#   diff -r before/ after/
#
# Used when moving code without changing behaviour (docs/architecture.md).
set -uo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
key="$tmp/key"; printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' > "$key"
# Fields that differ between two runs of the same build.
scrub() { sed -E -e 's/"(started_at|finished_at|at|timestamp|generated_at)": ?"[^"]*"/"\1":"-"/g' \
  -e 's/"duration_ms": ?[0-9]+/"duration_ms":0/g' -e 's/time="[0-9.]+"/time="0"/g' \
  -e "s#$tmp#TMP#g" -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/TS/g' -e 's/in [0-9.]+ ?m?s/in T/g' \
  -e 's#(duration[^0-9]*)[0-9]+ ms#\1T ms#g'; }
run() { # name, args...
  local name=$1; shift
  "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"; echo $? >"$out/$name.rc"
  local o
  for o in "$out/$name.stdout" "$out/$name.stderr"; do scrub <"$o" >"$o.s" && mv "$o.s" "$o"; done
}
A=(--as-of 2026-11-01)
for fmt in table json markdown junit html; do
  run "scan-customers-$fmt" scan fixtures/customers.csv --rules rules/customer-core.yaml "${A[@]}" --format "$fmt"
done
run scan-clean scan fixtures/customers_clean.csv --rules rules/customer-core.yaml "${A[@]}" --format json
run scan-parquet scan fixtures/customers.parquet --rules rules/customer-core.yaml "${A[@]}" --format json
run scan-ndjson scan fixtures/customers.ndjson --rules rules/customer-core.yaml "${A[@]}" --format json
run scan-gbk scan fixtures/customers_gbk.csv --encoding gbk --rules rules/customer-core.yaml "${A[@]}" --format json
run scan-orders scan fixtures/orders.csv fixtures/customers.csv --rules rules/ "${A[@]}" --format json
run scan-orders-parquet scan fixtures/orders.parquet fixtures/customers.parquet --rules rules/ "${A[@]}" --format json
for f in fixtures/malformed/*; do run "scan-malformed-$(basename "$f")" scan "$f" --rules rules/customer-core.yaml "${A[@]}"; done
run classify-json classify fixtures/customers.csv --format json
run classify-table classify fixtures/customers.csv
run classify-pinyin classify fixtures/classify/customers_pinyin.csv --format json
run classify-orders classify fixtures/orders.parquet --format json
run suggest suggest fixtures/customers.csv
run rules-list rules list
run rules-check rules check rules/
for fmt in table json markdown; do
  run "dedupe-$fmt" dedupe fixtures/dedupe/customers.csv --rules fixtures/dedupe/customers.yaml --format "$fmt" \
    --pairs "$tmp/pairs-$fmt.csv" --clusters "$tmp/clusters-$fmt.csv"
  cp "$tmp/pairs-$fmt.csv" "$out/dedupe-$fmt.pairs.csv" 2>/dev/null
  cp "$tmp/clusters-$fmt.csv" "$out/dedupe-$fmt.clusters.csv" 2>/dev/null
done
for fmt in json markdown html; do
  run "report-$fmt" report fixtures/customers.csv --rules rules/customer-core.yaml \
    --rules fixtures/compliance/customers-compliance.yaml --regime pipl --regime gdpr "${A[@]}" \
    --no-audit --format "$fmt" --output "$tmp/report.$fmt"
  scrub <"$tmp/report.$fmt" >"$out/report.$fmt" 2>/dev/null
done
cat >"$tmp/policy.yaml" <<'P'
version: 1
auto: true
P
for f in customers.csv customers.parquet customers.ndjson orders.csv; do
  run "mask-dry-$f" mask "fixtures/$f" --policy "$tmp/policy.yaml" --output "$tmp/m-$f" --key-file "$key" --dry-run
  run "mask-$f" mask "fixtures/$f" --policy "$tmp/policy.yaml" --output "$tmp/m-$f" --key-file "$key"
  if [ -f "$tmp/m-$f" ]; then
    case $f in *.parquet) "$bin" scan "$tmp/m-$f" --format json "${A[@]}" 2>/dev/null | scrub >"$out/mask-$f.out" ;;
      *) cp "$tmp/m-$f" "$out/mask-$f.out" ;; esac
    scrub <"$tmp/m-$f.steward.json" >"$out/mask-$f.sidecar" 2>/dev/null
    run "unmask-$f" unmask "$tmp/m-$f" --output "$tmp/u-$f" --key-file "$key"
    [ -f "$tmp/u-$f" ] && case $f in *.parquet) ;; *) cmp -s "$tmp/u-$f" "fixtures/$f"; echo "unmask-equal=$?" >"$out/unmask-$f.cmp" ;; esac
  fi
done
echo "wrote $(ls "$out" | wc -l) files to $out"
