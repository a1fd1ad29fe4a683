#!/bin/sh
# Runs the indicator roll-up benchmark of issue 5 and prints the figures for
# docs/benchmarks.md:
#   1. a province-scale synthetic registry in SQLite (`fupin demo --scale province`, about
#      15,000 villages and 1,000,000 households; made once, kept in WORK);
#   2. fupin_indicators_bench: the cold load of fupin's registry engine, the warm roll-up of
#      households, people, poor people and mean per-capita net income for one year at all five
#      levels, the full indicator set for every region, and the same roll-up as one SQL query
#      on SQLite (bench/indicators_rollup.sql);
#   3. the same query in DuckDB (npm @duckdb/node-api, installed in bench/duckdb only) over the
#      same tables exported to CSV, with DuckDB's default threads and with one thread, and for
#      context a naive query over the households' current status (indicators_rollup_current.sql);
#   4. optionally (FUPIN_BENCH_PG=postgresql://…) the same synthetic province generated into
#      PostgreSQL, fupin's load from it and the same SQL roll-up there.
# Usage: [BENCH_CPU=n] [YEAR=2019] bench/run-indicators.sh [BUILD_DIR] [WORK]
#        (defaults build-bench, Release; WORK /tmp/fupin-bench-indicators)
# Needs: sqlite3 (the CLI), node 18+ and npm, taskset (util-linux).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
work=${2:-/tmp/fupin-bench-indicators}
year=${YEAR:-2019}
cpu=${BENCH_CPU:-0}
mkdir -p "$work"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFUPIN_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j2 fupin fupin_indicators_bench
db="$work/province.db"
if [ ! -f "$db" ]; then
  echo "== generating the province-scale registry (once; several minutes)"
  "$build/src/app/fupin" demo --db "sqlite:$db" --scale province --households-per-village 67 \
    --no-serve --force | head -n 1
fi
if [ ! -f "$work/csv/incomes.csv" ] || ! head -n 1 "$work/csv/households.csv" | grep -q status; then
  echo "== exporting the tables to CSV for DuckDB"
  mkdir -p "$work/csv"
  sqlite3 -header -csv "$db" "SELECT id, region_code, status, member_count FROM households" \
    >"$work/csv/households.csv"
  sqlite3 -header -csv "$db" "SELECT household_id, joined_on, left_on FROM members" \
    >"$work/csv/members.csv"
  sqlite3 -header -csv "$db" "SELECT household_id, id, status, on_date FROM household_events" \
    >"$work/csv/household_events.csv"
  sqlite3 -header -csv "$db" \
    "SELECT household_id, year, wages, business, property, transfer, costs FROM incomes" \
    >"$work/csv/incomes.csv"
fi
# npm install, not npm ci: npm (11.x) locks only the optional DuckDB bindings of the platform
# it ran on and then refuses `npm ci` for the missing ones; install keeps to the lockfile.
(cd "$root/bench/duckdb" && npm install --no-audit --no-fund --loglevel=error)
echo "== machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== fupin (one core)"
taskset -c "$cpu" "$build/bench/fupin_indicators_bench" "sqlite:$db" --year "$year" --repeat 10 \
  --sql "$root/bench/indicators_rollup.sql"
echo "== DuckDB, default threads"
node "$root/bench/duckdb/rollup.mjs" "$work/csv" "$year" 10
echo "== DuckDB, one thread (one core)"
taskset -c "$cpu" node "$root/bench/duckdb/rollup.mjs" "$work/csv" "$year" 10 1
echo "== DuckDB, for context: the naive roll-up over the current status and member count"
node "$root/bench/duckdb/rollup.mjs" "$work/csv" "$year" 10 "" indicators_rollup_current.sql
if [ -n "${FUPIN_BENCH_PG:-}" ]; then
  # The same synthetic province (same seed) generated into PostgreSQL, once per URL.
  marker="$work/pg-$(printf '%s' "$FUPIN_BENCH_PG" | sha256sum | cut -c1-16)"
  if [ ! -f "$marker" ]; then
    echo "== generating the province-scale registry in PostgreSQL (once; several minutes)"
    "$build/src/app/fupin" demo --db "$FUPIN_BENCH_PG" --scale province \
      --households-per-village 67 --no-serve --force | head -n 1
    touch "$marker"
  fi
  echo "== PostgreSQL: fupin's load and the same SQL roll-up"
  taskset -c "$cpu" "$build/bench/fupin_indicators_bench" "$FUPIN_BENCH_PG" --year "$year" \
    --repeat 5 --sql "$root/bench/indicators_rollup.sql"
fi
