#!/usr/bin/env bash
# steward vs. Soda Core 4 (DuckDB) on the same files, interleaved, in one run.
#   benches/soda/run.sh                 # N=5 rounds over the 1M-row CSV and Parquet
#   N=3 ROWS=1000000 benches/soda/run.sh
# Environment (defaults in brackets):
#   SODA_VENV  virtualenv with soda-core, soda-duckdb, duckdb (README.md)  [/tmp/soda-venv]
#   STEWARD    release steward binary                       [target/release/steward]
#   DATA       directory with customers_$ROWS.{csv,parquet}, bench-rules.yaml
#              (cargo bench --bench scan -- $ROWS writes them)            [target/bench-data]
#   ROWS [1000000]  N [5]  OUT  directory for the raw results     [a new /tmp/soda-bench.*]
#   WAIT_QUIET [120]  seconds to wait before each round for other processes to go quiet
# Each round runs, for CSV then Parquet, every tool once (the tool order rotates each
# round): soda (15 checks, file loaded into a DuckDB table as soda-duckdb does itself),
# soda-view (same, over a view: one streaming read), steward-15 (the same 15 checks),
# steward-29 (the full bench rule file), duckdb (the 15 checks as one DuckDB aggregate
# query over the file, streamed: what a user could run instead), duckdb-load (CREATE TABLE AS SELECT * plus a
# count: the decode Soda's load does, with Python and DuckDB start-up). Wall time and peak
# RSS come from GNU time (%e %M), so process start-up and imports are included. The CPU
# time other processes used during each run is recorded too ("others' CPU"): this host is
# shared, and a run with a large value there was slowed down from outside.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
SODA_VENV="${SODA_VENV:-/tmp/soda-venv}"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
STEWARD="${STEWARD:-$target_dir/release/steward}"
DATA="${DATA:-$repo/target/bench-data}"
ROWS="${ROWS:-1000000}"
N="${N:-5}"
WAIT_QUIET="${WAIT_QUIET:-120}"
OUT="${OUT:-$(mktemp -d /tmp/soda-bench.XXXXXX)}"
py="$SODA_VENV/bin/python"
export SODA_CORE_TELEMETRY_ENABLED=false
mkdir -p "$OUT"
work="$OUT/cwd"; mkdir -p "$work"; cd "$work"   # Soda reads ./.env; keep stray files out of the repo

for f in "$py" "$STEWARD" "$DATA/customers_$ROWS.csv" "$DATA/customers_$ROWS.parquet" "$DATA/bench-rules.yaml"; do
  [[ -e "$f" ]] || { echo "missing: $f" >&2; exit 2; }
done

{
  echo "date:     $(date -u +%FT%TZ)"
  echo "host:     $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "steward:  $("$STEWARD" --version) ($STEWARD)"
  echo "python:   $("$py" --version 2>&1)"
  echo "packages: $("$py" -m pip freeze 2>/dev/null | grep -Ei '^(soda-core|soda-duckdb|duckdb)==' | tr '\n' ' ')"
  echo "rows:     $ROWS; rounds: $N; raw results: $OUT"
  echo "load before: $(uptime)"
} | tee "$OUT/env.txt"

# Correctness first (also warms the page cache): both tools must agree on every check.
for fmt in csv parquet; do
  file="$DATA/customers_$ROWS.$fmt"
  "$py" "$here/soda_scan.py" "$file" --summary "$OUT/soda-$fmt.json" 2> "$OUT/soda-$fmt.log" || true
  "$STEWARD" --no-audit scan "$file" --rules "$here/steward-15.yaml" --format json \
    --output "$OUT/steward15-$fmt.json" || true
  "$STEWARD" --no-audit scan "$file" --rules "$DATA/bench-rules.yaml" --format json \
    --output "$OUT/steward29-$fmt.json" > /dev/null || true
  echo "== $fmt: $(tail -1 "$OUT/soda-$fmt.log")"
  python3 "$here/compare.py" "$OUT/soda-$fmt.json" "$OUT/steward15-$fmt.json" | tee "$OUT/compare-$fmt.txt" || true
  python3 -c 'import json, sys
checks = json.load(open(sys.argv[1]))["datasets"][0]["checks"]
bad = [c["id"] + "=" + str(c["failed"]) for c in checks if c["status"] != "pass"]
print(f"steward-29: {len(checks)} checks, not passing: {bad}")' "$OUT/steward29-$fmt.json"
done

tools=(soda soda-view steward-15 steward-29 duckdb duckdb-load)
command_for() { # tool file -> cmd=(...)
  case "$1" in
    soda)        cmd=("$py" "$here/soda_scan.py" "$2") ;;
    soda-view)   cmd=("$py" "$here/soda_scan.py" "$2" --load view) ;;
    steward-15)  cmd=("$STEWARD" --no-audit scan "$2" --rules "$here/steward-15.yaml" --format json --output "$OUT/last.json") ;;
    steward-29)  cmd=("$STEWARD" --no-audit scan "$2" --rules "$DATA/bench-rules.yaml" --format json --output "$OUT/last.json") ;;
    duckdb)      cmd=("$py" "$here/duckdb_checks.py" "$2") ;;
    duckdb-load) cmd=("$py" "$here/duckdb_load.py" "$2") ;;
  esac
}

cpu_ticks() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $9, $2+$3+$4+$7+$8}' /proc/stat; }  # total, steal, busy
hz="$(getconf CLK_TCK)"
read -r total0 steal0 _ < <(cpu_ticks)
results="$OUT/results.tsv"
printf 'round\tformat\ttool\twall_s\tpeak_rss_kib\tcpu_s\tother_cpu_s\texit\tnote\n' > "$results"
quiet() { # wait up to $1 s for a second in which other processes use under 0.3 cores
  local t0=$SECONDS b0 b1
  while :; do
    read -r _ _ b0 < <(cpu_ticks); sleep 1; read -r _ _ b1 < <(cpu_ticks)
    (( (b1 - b0) * 10 < 3 * hz )) && return 0
    (( SECONDS - t0 >= $1 )) && { echo "  (machine still busy after $1 s; going on)"; return 0; }
  done
}
for ((i = 1; i <= N; i++)); do
  quiet "$WAIT_QUIET"
  echo "round $i/$N  $(uptime | sed 's/.*load/load/')"
  for fmt in csv parquet; do
    file="$DATA/customers_$ROWS.$fmt"
    for ((k = 0; k < ${#tools[@]}; k++)); do
      tool="${tools[$(((k + i - 1) % ${#tools[@]}))]}"
      rc=0
      command_for "$tool" "$file"
      read -r _ _ busy0 < <(cpu_ticks)
      /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "${cmd[@]}" > /dev/null 2> "$OUT/stderr.txt" || rc=$?
      read -r _ _ busy1 < <(cpu_ticks)
      read -r wall rss usr sys < <(tail -1 "$OUT/time.txt")
      # CPU that other processes used on this machine while this run was going on
      read -r cpu other < <(awk -v b="$((busy1 - busy0))" -v hz="$hz" -v u="$usr" -v s="$sys" \
        'BEGIN {o = b / hz - u - s; printf "%.2f %.2f\n", u + s, o < 0 ? 0 : o}')
      note="$(grep -m1 -E '^(soda|duckdb):' "$OUT/stderr.txt" || true)"
      if [[ $tool == steward-* && -s "$OUT/last.json" ]]; then
        note="steward: in-process $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run"]["duration_ms"] / 1000)' "$OUT/last.json")s"
        rm -f "$OUT/last.json"
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$fmt" "$tool" "$wall" "$rss" "$cpu" "$other" "$rc" "$note" >> "$results"
    done
  done
done
read -r total1 steal1 _ < <(cpu_ticks)
echo "load after:  $(uptime)" | tee -a "$OUT/env.txt"
awk -v t="$((total1 - total0))" -v s="$((steal1 - steal0))" 'BEGIN {printf "CPU steal during the timed rounds: %.1f %%\n", t ? 100 * s / t : 0}' | tee -a "$OUT/env.txt"

python3 "$here/summarize.py" "$results"
