#!/bin/sh
# Runs the registry import benchmark of issue 5 and prints the figures for docs/benchmarks.md:
# fupin's members import (full validation) against the sqlite3 shell's `.import` of the same
# CSV into a bare table, in the same run (target: at most 2×), pinned to one core and then on
# all the machine's cores.
# Usage: [ROWS=n] [BENCH_CPU=n] bench/run-registry.sh [BUILD_DIR]   (default build-bench, Release)
# Needs: the sqlite3 shell (Debian package sqlite3) and taskset (util-linux).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
rows=${ROWS:-1000000}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFUPIN_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j2 fupin_registry_import_bench
cpu=${BENCH_CPU:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== registry import, $rows member rows (one core)"
taskset -c "$cpu" "$build/bench/fupin_registry_import_bench" "$work" "$rows"
# SQLite's sorter builds fupin's indexes on the other cores too (the shell is single-threaded).
echo "== registry import, $rows member rows (all $(nproc) cores)"
"$build/bench/fupin_registry_import_bench" "$work" "$rows"
