#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there.
#   scripts/setup.sh build   the wasm target, the pinned nightly (with rust-src) for the
#                            size-tuned package build, the pinned wasm-bindgen CLI,
#                            npm packages (binaryen, esbuild)
#   scripts/setup.sh test    all of the above, plus chromium, chromedriver, firefox-esr,
#                            geckodriver and cargo-fuzz (from crates.io), clippy, rustfmt
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

# The package is built with a pinned nightly (scripts/toolchain.sh) that
# rebuilds std for size; it needs the standard library's source.
. scripts/toolchain.sh
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
  || ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup target list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the $NIGHTLY toolchain (rust-src, wasm32) for the package build"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
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
  ensure_apt firefox-esr firefox-esr
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  # Fuzzing (scripts/fuzz.sh) builds with the pinned nightly installed above.
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

# geckodriver (Firefox's WebDriver) is not in Debian's bookworm: it comes
# from crates.io, compiled once (about 2 minutes).
if [ "$what" = test ] && ! command -v geckodriver >/dev/null 2>&1; then
  say "installing geckodriver from crates.io (about 2 minutes, once)"
  cargo install geckodriver --locked || cargo install geckodriver
fi

# npm packages: binaryen's wasm-opt and esbuild for the build; playwright-core and ajv for tests.
if true; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
