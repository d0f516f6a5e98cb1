#!/usr/bin/env bash
# Runs every benchmark and prints its numbers: the engine (native), the
# package size, capture overhead in Chromium, the page benchmark (the demo
# store with and without Pathlight; PAGE_BENCH_ARGS="--cpu 4" slows the CPU
# like a mid-range phone), JSON Logic against
# json-logic-js and json-logic-engine, and answer relevance on Banking77
# against MiniSearch, Lunr, FlexSearch, Orama and Fuse.js (1,000 queries;
# `node benches/relevance/run.mjs` runs all 9,233).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test >/dev/null
cargo bench --profile bench-native --bench engine 2>/dev/null
bash scripts/build.sh >/dev/null 2>&1 \
  || { echo 'the build failed or is over its size budget: run bash scripts/build.sh' >&2; exit 1; }
node scripts/size.mjs
cargo build -q -p pathlight-server
node benches/capture.mjs
# shellcheck disable=SC2086
node benches/page.mjs ${PAGE_BENCH_ARGS:-}
node benches/jsonlogic/run.mjs
node benches/relevance/run.mjs --quick
