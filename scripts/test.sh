#!/usr/bin/env bash
# The test command: installs what the tests need (skipping what is there),
# then runs every layer: lint, native engine tests, browser tests of the web
# layer in headless Chromium, and end-to-end tests of the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh test

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "format and lint (native and wasm32)"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p pathlight-server --all-targets -- -D warnings
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests (engine with an injected clock and its properties, docs examples)"
cargo test

step "fuzzing, a short run of every target (scripts/fuzz.sh; FUZZ_SECONDS=${FUZZ_SECONDS:-15} each)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-15}"

step "reference server tests (www/server: webhook, chat, inbox, analytics, SQLite)"
cargo test -p pathlight-server

step "browser tests of the web layer (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web

step "build the package and the reference server"
bash scripts/build.sh
cargo build -p pathlight-server

step "end-to-end tests (playwright-core, Chromium, the demo site)"
node --test --test-concurrency=1 tests/e2e/

printf '\nall test layers passed in %ss\n' "$(( $(date +%s) - start ))"
