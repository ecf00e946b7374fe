#!/usr/bin/env bash
# Brings up a working Spiegel on a fresh Debian 12 machine: installs missing
# packages, builds a Release, creates demo data when there is none, and runs
# the daemon in the foreground (HTTP on 127.0.0.1:9464: /metrics, /healthz).
#
#   scripts/run.sh            # defaults: 20,000 CVs, 4,000 vacancies, 1,000 employers
#   SPIEGEL_DEMO_ARGS="--cvs 200000 --vacancies 40000 --employers 10000" scripts/run.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SPIEGEL_ROOT"

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}"
spiegel_build "$SPIEGEL_ROOT/build-release" -DCMAKE_BUILD_TYPE=Release \
  -DSPIEGEL_BUILD_TESTS=OFF -DSPIEGEL_BUILD_BENCH=OFF
spiegeld="$SPIEGEL_ROOT/build-release/daemon/spiegeld"
config="$SPIEGEL_ROOT/config/spiegeld.yaml"

"$spiegeld" check --config "$config"

if [ ! -f "$SPIEGEL_ROOT/data/source.db" ]; then
  spiegel_log "creating demo data in data/source.db"
  # shellcheck disable=SC2086
  "$spiegeld" demo --config "$config" ${SPIEGEL_DEMO_ARGS:-}
fi

spiegel_log "mirror cards: http://127.0.0.1:9464/cards/occupation/8322 (public);" \
  "CV and vacancy cards need a token: $spiegeld token add NAME --role adviser (docs/cards.md)"
spiegel_log "starting the daemon (docs/daemon.md); stop it with Ctrl-C"
exec "$spiegeld" serve --config "$config"
