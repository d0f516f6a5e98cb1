#!/usr/bin/env bash
# The long "proof under fire" run (issue #9): the fault-injection, malformed
# input, page-integrity, back/forward-cache and memory end-to-end tests with
# ten times the cases of `scripts/test.sh`. Seeds are printed; SEED=n picks
# another sequence. Builds the package and the reference server first.
#
#   scripts/harden.sh              about 15 minutes on 2 cores
#   SEED=7 scripts/harden.sh       another seed
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test >/dev/null
bash scripts/build.sh >/dev/null
cargo build -p pathlight-server 2>/dev/null
export SEED="${SEED:-$(date +%s)}"
echo "seed $SEED"
CASES="${CASES:-100000}" \
ROUNDS="${ROUNDS:-10000}" \
EVENTS="${EVENTS:-1000000}" NUDGES="${NUDGES:-5000}" CYCLES="${CYCLES:-3000}" \
  node --test --test-concurrency=1 \
    tests/e2e/faults.test.mjs tests/e2e/malformed.test.mjs tests/e2e/integrity.test.mjs \
    tests/e2e/bfcache.test.mjs tests/e2e/memory.test.mjs
