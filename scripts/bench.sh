#!/usr/bin/env bash
# Runs every benchmark and prints its numbers: the engine (native), the
# package size, and capture overhead in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test >/dev/null
cargo bench --profile bench-native --bench engine 2>/dev/null
bash scripts/build.sh 2>/dev/null | tail -4
node benches/capture.mjs
