#!/usr/bin/env bash
# Sets up a virtual environment (first run only) and runs the whole suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
echo "== ruff" && ruff check .
echo "== mypy" && mypy
# The browser test drives Debian's headless Chromium; install it when missing (root only).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing chromium and chromium-driver (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; } ||
      echo "note: installing chromium failed: the browser test will be skipped"
  else
    echo "note: chromium/chromedriver missing and not root: the browser test will be skipped"
  fi
fi
echo "== pytest" && python -m pytest -q "$@"
