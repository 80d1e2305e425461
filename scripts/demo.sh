#!/usr/bin/env bash
# Runs the demo end to end on the sample configuration. Never waits for input.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
. scripts/venv.sh
guongmau init demo --force </dev/null
guongmau --config demo/guongmau.yaml check </dev/null
