#!/bin/sh
# Runs the household list benchmark of issue 5 and prints the figures for docs/benchmarks.md:
#   1. the province-scale synthetic registry (`fupin demo --scale province`, about 15,000
#      villages and 1,000,000 households), made once and kept in WORK — timed, with its peak
#      memory (GNU time);
#   2. fupin_household_list_bench on it (migrating it first): the list page (filters, sorts,
#      pages of 50, searches) through SqlRegistryRepository::ListHouseholds, p50/p95/max per
#      query class and overall (target: p95 under 50 ms), with the list totals cached as the
#      server keeps them between writes, after a write of one household before every query
#      (--writes), and counted with SQL on every query (--cold);
#   3. optionally (FUPIN_BENCH_PG=postgresql://…) the same synthetic province generated into
#      PostgreSQL and the same benchmark there.
# Usage: [BENCH_CPU=n] [REPEAT=20] bench/run-list.sh [BUILD_DIR] [WORK]
#        (defaults build-bench, Release; WORK /tmp/fupin-bench-list)
# Needs: taskset (util-linux) and GNU time (Debian package time).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
work=${2:-/tmp/fupin-bench-list}
repeat=${REPEAT:-20}
cpu=${BENCH_CPU:-0}
mkdir -p "$work"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFUPIN_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j2 fupin fupin_household_list_bench
echo "== machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
db="$work/province.db"
if [ ! -f "$db" ]; then
  echo "== generating the province-scale registry (once; several minutes): time and peak memory"
  /usr/bin/time -f "elapsed %e s, user %U s, system %S s, peak RSS %M KB" \
    "$build/src/app/fupin" demo --db "sqlite:$db" --scale province --households-per-village 67 \
    --no-serve --force 2>&1 | grep -E "^(Demo database|elapsed)"
  ls -l "$db" | awk '{printf "database file: %.0f MB\n", $5 / 1048576}'
fi
echo "== SQLite, one core: totals cached while the registry is unchanged"
taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "sqlite:$db" --migrate \
  --repeat "$repeat"
echo "== SQLite, one core: a write of one household before every query (--writes)"
taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "sqlite:$db" --writes --repeat "$repeat"
echo "== SQLite, one core: every total counted with SQL (--cold)"
taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "sqlite:$db" --cold --repeat "$repeat"
if [ -n "${FUPIN_BENCH_PG:-}" ]; then
  marker="$work/pg-$(printf '%s' "$FUPIN_BENCH_PG" | sha256sum | cut -c1-16)"
  if [ ! -f "$marker" ]; then
    echo "== generating the province-scale registry in PostgreSQL (once; several minutes)"
    /usr/bin/time -f "elapsed %e s, user %U s, system %S s, peak RSS %M KB" \
      "$build/src/app/fupin" demo --db "$FUPIN_BENCH_PG" --scale province \
      --households-per-village 67 --no-serve --force 2>&1 | grep -E "^(Demo database|elapsed)"
    touch "$marker"
  fi
  echo "== PostgreSQL (the benchmark on one core; the server as it runs)"
  taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "$FUPIN_BENCH_PG" --migrate \
    --repeat "$repeat"
  taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "$FUPIN_BENCH_PG" --writes \
    --repeat "$repeat"
  taskset -c "$cpu" "$build/bench/fupin_household_list_bench" "$FUPIN_BENCH_PG" --cold \
    --repeat "$repeat"
fi
