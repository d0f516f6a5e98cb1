#!/usr/bin/env bash
# The test command: installs what the tests need (skipping what is there),
# then runs every layer: lint, native engine tests, browser tests of the web
# layer in headless Chromium and Firefox, the package build against its size
# budget (budget.json), and end-to-end tests of the demo (including the short
# page benchmark: no long task caused by Pathlight).
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

# The web layer's browser tests in one browser. wasm-bindgen-test-runner
# takes the first of GECKODRIVER, CHROMEDRIVER (in that order) that is set,
# and webdriver.json's capabilities for it (goog:chromeOptions or
# moz:firefoxOptions). A driver that has not started by the runner's
# deadline (seen with chromedriver on a loaded machine) gets one more try;
# a run whose tests started and failed does not.
browser_tests() {
  local name=$1 log rc
  shift
  log=$(mktemp)
  for attempt in 1 2; do
    rc=0
    env "$@" WASM_BINDGEN_TEST_DRIVER_TIMEOUT=${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30} \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
      cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee "$log" || rc=$?
    [ "$rc" = 0 ] && break
    if [ "$attempt" = 2 ] || ! grep -q 'Running tests/web.rs' "$log" || grep -qE '^running [0-9]+ tests' "$log"; then
      break
    fi
    echo "$name's driver did not start: one more try"
  done
  rm -f "$log"
  return "$rc"
}

step "browser tests of the web layer (wasm-bindgen-test, headless Chromium)"
browser_tests Chromium -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver

step "the same browser tests in headless Firefox (firefox-esr, geckodriver)"
browser_tests Firefox -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)"

step "build the package and the reference server"
bash scripts/build.sh
cargo build -p pathlight-server

step "end-to-end tests (playwright-core, Chromium, the demo site)"
node --test --test-concurrency=1 tests/e2e/

printf '\nall test layers passed in %ss\n' "$(( $(date +%s) - start ))"
