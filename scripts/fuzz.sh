#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/, cargo-fuzz + libFuzzer, nightly Rust).
#   scripts/fuzz.sh                  every target for 60 s
#   scripts/fuzz.sh 600 logic config two targets for 10 minutes each
# For each target: executions, exec/s, the corpus (files, bytes) and any
# crash, timeout or out-of-memory reproducer. Exits non-zero if a target
# failed. The corpora grow in fuzz/corpus/<target>/ (git-ignored) from the
# committed seeds in fuzz/seeds/<target>/; reproducers land in
# fuzz/artifacts/<target>/ (run one again: cd fuzz && cargo +nightly-… fuzz run <target> <file>,
# with the toolchain named in scripts/toolchain.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
[ $# -gt 0 ] && shift
case "$secs" in '' | *[!0-9]*) echo "usage: $0 [seconds-per-target] [target ...]" >&2; exit 2 ;; esac

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The pinned nightly of scripts/toolchain.sh (the package build's) and
# cargo-fuzz, installed once; scripts/setup.sh test does the same.
. scripts/toolchain.sh
toolchain="${FUZZ_TOOLCHAIN:-$NIGHTLY}"
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  say "installing the $toolchain toolchain (cargo-fuzz needs nightly)"
  rustup toolchain install "$toolchain" --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

cd fuzz
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo "+$toolchain" fuzz list); fi

# Limits per input, for libFuzzer:
# - timeout: every target is linear or step-bounded and takes well under
#   10 ms per input here (debug assertions and AddressSanitizer on); 5 s
#   is a hang, not a slow machine shared with other builds.
# - malloc_limit_mb: no single allocation may exceed 128 MB. Inputs are a
#   few KB to ~50 KB; an allocation that large means an input-controlled
#   size (a capacity or a repeat count) escaped its bound.
# - rss_limit_mb: 1 GB in all, AddressSanitizer's shadow and quarantine
#   included; twice what the biggest target has been seen to use, half of
#   libFuzzer's default, so two engineers fuzzing at once fit the machine.
limits=(-timeout=5 -malloc_limit_mb=128 -rss_limit_mb=1024)

# One build for all targets (release, debug assertions and overflow checks,
# AddressSanitizer: cargo-fuzz's defaults); `fuzz run` then reuses it.
say "building the fuzz targets ($toolchain)"
mkdir -p artifacts
cargo "+$toolchain" fuzz build >artifacts/build.log 2>&1 || { cat artifacts/build.log; exit 1; }
# Run the binaries themselves: `cargo fuzz run` would rebuild with other
# flags after a crash just to print it again.
bin="target/$(rustc "+$toolchain" -vV | awk '/^host:/ {print $2}')/release"

failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t" "seeds/$t"
  dict=()
  [ -f "dict/$t.dict" ] && dict=("-dict=dict/$t.dict")
  say "fuzzing $t for ${secs}s"
  log="artifacts/$t/last-run.log"
  status=0
  "$bin/$t" "corpus/$t" "seeds/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$secs" "${limits[@]}" "${dict[@]}" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log" | tail -1)
  files=$(find "corpus/$t" -type f | wc -l)
  bytes=$(find "corpus/$t" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  line=$(printf '%-10s %4ss  %10s execs  %7s exec/s  corpus %5s files %9s bytes' \
    "$t" "$secs" "${execs:-?}" "${rate:-?}" "$files" "$bytes")
  if [ "$status" -ne 0 ]; then
    found=$(grep -oE '(Test unit|artifact) written to [^ ]+' "$log" | awk '{print $NF}' | tail -1 || true)
    kind=$(grep -oE 'ERROR: libFuzzer: [a-z-]+|panicked at [^:]+:[0-9]+|deadly signal' "$log" | head -1 || true)
    tail -40 "$log"
    line="$line  FAILED (${kind:-exit $status}) fuzz/${found:-$log}"
    failed+=("$t")
  fi
  summary+=("$line")
done

printf '\n\033[1mfuzzing: %s s per target\033[0m\n' "$secs"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nfailed: %s (reproducers in fuzz/artifacts/<target>/)\n' "${failed[*]}"
  exit 1
fi
