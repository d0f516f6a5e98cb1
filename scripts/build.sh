#!/usr/bin/env bash
# Builds the npm package in pkg/: the size-tuned wasm, its JS glue and
# typings (in pkg/core/), and the JSON Schemas, then prints the sizes and
# fails when they are over the budget in budget.json.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg/core pkg/schema
wasm-bindgen "${CARGO_TARGET_DIR:-target}"/wasm32-unknown-unknown/release/pathlight.wasm \
  --target web --out-dir pkg/core --out-name pathlight
# binaryen from npm (pinned in package-lock.json): Debian's wasm-opt 108
# rewrites the export of wasm-bindgen's externref table to the wrong table.
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/core/pathlight_bg.wasm -o pkg/core/pathlight_bg.wasm
mkdir -p pkg/schema && cp schema/*.json pkg/schema/
cp README.md pkg/README.md
node scripts/size.mjs --check
