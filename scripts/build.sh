#!/usr/bin/env bash
# Configures and builds into DIR (default build/) with warnings as errors;
# further arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DREAPER_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
