#!/usr/bin/env bash
# Sets up a virtual environment (first run only) and runs the whole suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
echo "== ruff" && ruff check .
echo "== mypy" && mypy
echo "== pytest" && python -m pytest -q "$@"
