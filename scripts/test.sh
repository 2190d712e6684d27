#!/usr/bin/env bash
# The one test command (README, .ci/run): installs every package, builds with warnings as errors, starts
# every server the tests need, and runs every test. Nothing is skipped: AURORA_TEST_REQUIRE_ALL=1 turns a
# missing server or tool into a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
JOBS=${JOBS:-$(nproc)}
BUILD=${BUILD_DIR:-build/test}

scripts/setup.sh
eval "$(scripts/services.sh start)"
export AURORA_TEST_REQUIRE_ALL=1

# ccache across checkouts (a CI clone lives in another folder): paths relative to the repository.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAURORA_WERROR=ON >/dev/null
cmake --build "$BUILD" -j "$JOBS"
ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" --timeout 1500
