#!/usr/bin/env bash
# Builds everything and serves the demo on http://127.0.0.1:8080 with its
# built-in config and answers (www/pathlight/): the store, the agent inbox
# (/agent/) and analytics (/analytics/), from the reference server
# (www/server), which keeps conversations in www/data/pathlight.db.
# PORT=9000 to change the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
bash scripts/build.sh
cargo build -p pathlight-server
exec "${CARGO_TARGET_DIR:-target}/debug/pathlight-server" --port "${PORT:-8080}"
