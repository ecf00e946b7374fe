#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test with ctest. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SPIEGEL_ROOT"

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" "${SPIEGEL_TEST_PACKAGES[@]}"
spiegel_build "$SPIEGEL_ROOT/build-test" -DCMAKE_BUILD_TYPE=Release -DSPIEGEL_WERROR=ON

spiegel_log "running tests"
cd "$SPIEGEL_ROOT/build-test"
ctest --output-on-failure --timeout 600 -j"$(nproc)"
