#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there.
#   scripts/setup.sh build   the wasm target, the pinned wasm-bindgen CLI, npm packages (binaryen)
#   scripts/setup.sh test    all of the above, plus chromium, chromedriver, clippy, rustfmt,
#                            nightly Rust and cargo-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_apt=()
ensure_apt() { command -v "$1" >/dev/null 2>&1 || need_apt+=("$2"); }

# The wasm-bindgen CLI must be exactly the version in Cargo.lock.
wb_version() {
  [ -f Cargo.lock ] || cargo generate-lockfile >/dev/null 2>&1
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want=$(wb_version)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 3 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$want" --locked \
    || cargo install wasm-bindgen-cli --version "=$want" --force
fi

if [ "$what" = test ]; then
  ensure_apt chromium chromium
  ensure_apt chromedriver chromium-driver
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  # Fuzzing (scripts/fuzz.sh): cargo-fuzz wants nightly; without one,
  # fuzz.sh falls back to stable with RUSTC_BOOTSTRAP=1.
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    say "installing the nightly toolchain (for cargo-fuzz)"
    rustup toolchain install nightly --profile minimal \
      || say "no nightly toolchain could be installed: fuzzing will use stable"
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (about 2 minutes, once)"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
  fi
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm packages: binaryen's wasm-opt for the build; playwright-core and ajv for tests.
if true; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
