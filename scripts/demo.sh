#!/usr/bin/env bash
# Builds everything and serves the demo on http://127.0.0.1:8080 with its
# built-in config and answers (www/pathlight/). PORT=9000 to change the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
bash scripts/build.sh
exec node www/serve.mjs --port "${PORT:-8080}"
