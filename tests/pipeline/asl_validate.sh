#!/usr/bin/env bash
# Validates the state machine with asl-validator (npm), an independent implementation of the ASL spec.
set -u
root=$1
validator=$root/tools/node/node_modules/.bin/asl-validator
if [ ! -x "$validator" ]; then
  echo "needs asl-validator: run scripts/setup.sh (npm install in tools/node)"
  [ "${AURORA_TEST_REQUIRE_ALL:-0}" = 1 ] && exit 1 || exit 77
fi
"$validator" --json-path "$root/statemachine/restore.asl.json"
