#!/usr/bin/env bash
# Builds the npm package in pkg/: the size-tuned wasm, its JS glue and
# typings (in pkg/core/), and the JSON Schemas, then prints the sizes and
# fails when they are over the budget in budget.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned nightly rebuilds std for size: panics abort at once (no
# message formatting, no locations) and std picks its smaller algorithms.
# Together they take about 29 KiB gzip off the wasm. Its own target dir
# keeps these std builds apart from the stable ones the tests use.
. scripts/toolchain.sh
target="${CARGO_TARGET_DIR:-target}/size"
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  cargo +"$NIGHTLY" build --release --target wasm32-unknown-unknown --lib \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir "$target"
rm -rf pkg/core pkg/schema
wasm-bindgen "$target"/wasm32-unknown-unknown/release/pathlight.wasm \
  --target web --out-dir pkg/core --out-name pathlight
# binaryen from npm (pinned in package-lock.json): Debian's wasm-opt 108
# rewrites the export of wasm-bindgen's externref table to the wrong table.
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/core/pathlight_bg.wasm -o pkg/core/pathlight_bg.wasm
# What a page loads is minified; the typings keep the docs. The generated
# glue goes from 13 to 8 KiB gzip, the wrapper and auto.js (whose sources
# are pkg/src/) from 4.9 to 2.6 KiB.
esbuild() { node_modules/.bin/esbuild --minify --log-level=warning "$@"; }
esbuild pkg/core/pathlight.js --format=esm --outfile=pkg/core/pathlight.js --allow-overwrite
esbuild pkg/src/pathlight.js --format=esm --outfile=pkg/pathlight.js
esbuild pkg/src/auto.js --outfile=pkg/auto.js
mkdir -p pkg/schema && cp schema/*.json pkg/schema/
cp README.md pkg/README.md
node scripts/size.mjs --check
