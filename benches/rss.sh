#!/usr/bin/env bash
# Peak RSS of `steward scan` at several input sizes (GNU time), to show that memory does
# not grow with the input. Generate the data first: cargo bench --bench scan -- N
#   benches/rss.sh 1000000 2000000
# Extra scan arguments come from STEWARD_SCAN_ARGS, e.g. "--cluster standalone:2" with a
# binary built with --features ballista.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/release/steward"
dir=target/bench-data
for rows in "$@"; do
  for f in "$dir/customers_$rows.csv" "$dir/customers_$rows.parquet"; do
    /usr/bin/time -f "%e s, %M KiB peak RSS" "$bin" scan "$f" --rules "$dir/bench-rules.yaml" \
      --as-of 2026-11-01 --format json ${STEWARD_SCAN_ARGS:-} > /dev/null 2> /tmp/rss.$$ || true
    echo "$(basename "$f"): $(grep 'peak RSS' /tmp/rss.$$)"
  done
done
rm -f /tmp/rss.$$
