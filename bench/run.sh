#!/usr/bin/env bash
# Builds and runs the DescribeDBClusters round-trip benchmark: aurora's C++ client and botocore in the same
# run, printing both per-operation CPU times and their ratio (docs/benchmarks.md records the figures).
# RelWithDebInfo (-O2), the project default: GCC 12 at -O3 reports a false -Wrestrict in http_message.cpp.
# Usage: bench/run.sh [cpp_iterations] [botocore_iterations]   (BUILD_DIR defaults to build/bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build/bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAURORA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target aurora_bench_roundtrip -j2
"$build/bench/aurora_bench_roundtrip" "$@"
