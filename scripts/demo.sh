#!/usr/bin/env bash
# The main job: sets up the environment (first run only), checks the sample configuration and
# lives through a whole year of the model on the embedded emulator. Never waits for input;
# in a terminal (and not CI) it keeps the emulator up for browsing until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
guongmau init demo --giu-tep-da-co </dev/null  # keeps the user's edits
guongmau --config demo/guongmau.yaml check </dev/null
guongmau demo demo </dev/null
