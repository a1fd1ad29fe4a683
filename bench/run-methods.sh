#!/bin/sh
# Runs the methods benchmarks of issue 4 and prints the figures for docs/benchmarks.md:
#   1. fupin_methods_bench (Google Benchmark): DEA CRS/VRS on 2,850 DMUs, fuzzy evaluation
#      from 1,000,000 responses × 30 questions × 5 grades;
#   2. fupin_dea_compare + bench/dea_scipy.py: the same DEA against scipy's linprog (HiGHS),
#      same data, scores compared to 1e-6, speed ratio.
# Usage: [BENCH_CPU=n] bench/run-methods.sh [BUILD_DIR]   (default build-bench, Release; core 0)
# Needs: Google Benchmark (libbenchmark-dev), Debian's /usr/bin/python3 with python3-scipy.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFUPIN_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j2 fupin_methods_bench fupin_dea_compare
cpu=${BENCH_CPU:-0}  # the core every benchmark is pinned to
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== Google Benchmark (one core)"
taskset -c "$cpu" "$build/bench/fupin_methods_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
echo "== DEA against scipy (one core each)"
taskset -c "$cpu" "$build/bench/fupin_dea_compare" "$work"
taskset -c "$cpu" /usr/bin/python3 "$root/bench/dea_scipy.py" "$work"
