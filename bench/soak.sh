#!/usr/bin/env bash
# Soak: mixed HTTP load on a running spiegeld while scans run back to back
# (docs/serving.md). Builds a Release, creates a demo world in a temp dir,
# starts `spiegeld serve` configured to run full scans back to back
# (scan.full_interval: 1s) and, with --cli-scans, also `spiegeld scan --full`
# in a loop as a second process holding the state database's write lock, and drives
# CV, vacancy and occupation cards (JSON and HTML), /metrics and /healthz
# with bench_cards (open loop, latency from each request's scheduled time).
# Prints errors and p50/p99/max per route, the daemon's RSS at 1, 5 and 10
# minutes (or at 10%, 50% and 100% of a shorter run), the number of scans
# that ran, and the access database's WAL size at the end.
#
#   bench/soak.sh                                  # 200k CVs, 10 minutes at 500 req/s
#   bench/soak.sh --cvs 20000 --minutes 1 --rate 200
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

cvs=200000 vacancies=40000 employers=10000 minutes=10 rate=500 connections=8 keep=0 cli_scans=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cvs) cvs=$2; shift 2 ;;
    --vacancies) vacancies=$2; shift 2 ;;
    --employers) employers=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --cli-scans) cli_scans=1; shift ;;
    *) echo "usage: $0 [--cvs N] [--vacancies N] [--employers N] [--minutes M] [--rate R]" \
            "[--connections C] [--cli-scans] [--keep]" >&2; exit 2 ;;
  esac
done

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}"
build="$SPIEGEL_ROOT/build-bench"
spiegel_build "$build" -DCMAKE_BUILD_TYPE=Release -DSPIEGEL_BUILD_TESTS=OFF -DSPIEGEL_BUILD_BENCH=ON
spiegeld="$build/daemon/spiegeld"
bench_cards="$build/bench/bench_cards"

work=$(mktemp -d "${TMPDIR:-/tmp}/spiegel-soak-XXXXXX")
daemon_pid="" scans_pid="" rss_pid=""
cleanup() {
  for pid in $rss_pid $scans_pid $daemon_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" -eq 1 ]; then spiegel_log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

config="$work/spiegeld.yaml"
cat >"$config" <<EOF
source:
  database: data/source.db
state:
  database: data/state.db
rules:
  directory: $SPIEGEL_ROOT/rules
http:
  listen: 127.0.0.1:0
scan:
  incremental_interval: 1s
  full_interval: 1s
privacy:
  personal_cards_per_hour: 1000000
EOF

spiegel_log "demo world: $cvs CVs, $vacancies vacancies, $employers employers"
"$spiegeld" demo --config "$config" --cvs "$cvs" --vacancies "$vacancies" --employers "$employers" \
  --seed 1 2>/dev/null
"$spiegeld" scan --config "$config" --full 2>"$work/scan.log"
token=$("$spiegeld" token --config "$config" add soak --role adviser)

"$spiegeld" serve --config "$config" --listen 127.0.0.1:0 2>"$work/serve.log" >/dev/null &
daemon_pid=$!
port=$(spiegel_daemon_port "$work/serve.log" "$daemon_pid")

# Paths: each route of the mix equally often, records picked at random.
set +o pipefail  # head and shuf end the writers below early (SIGPIPE)
state="$work/data/state.db"
q() { sqlite3 "$state" "$1"; }
q "SELECT id FROM result WHERE kind = 'cv' ORDER BY random() LIMIT 400" >"$work/cv.ids"
q "SELECT id FROM result WHERE kind = 'vacancy' ORDER BY random() LIMIT 400" >"$work/vacancy.ids"
awk -F, '$2 == 4 { print $1 }' "$SPIEGEL_ROOT/rules/codes/isco08_nl.csv" | shuf -n 400 --random-source=<(yes) \
  >"$work/occupation.ids"
{
  for type in cv vacancy occupation; do
    sed "s#^#/api/v1/cards/$type/#" "$work/$type.ids" | head -200
    sed "s#^#/cards/$type/#" "$work/$type.ids" | tail -200
  done
  yes /metrics | head -400
  yes /healthz | head -400
} | shuf --random-source=<(yes) >"$work/mix.paths"
set -o pipefail

# Optionally full scans of a second process too, beside the daemon's own.
if [ "$cli_scans" -eq 1 ]; then
  (
    n=0
    while true; do
      "$spiegeld" scan --config "$config" --full >/dev/null 2>>"$work/scan-loop.log" || true
      n=$((n + 1))
      echo "$n" >"$work/scans.count"
    done
  ) &
  scans_pid=$!
fi

seconds=$((minutes * 60))
rss_at() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$daemon_pid/status"; }
(
  for point in $((seconds / 10)) $((seconds / 2)) "$seconds"; do
    sleep "$((point - ${last:-0}))"
    last=$point
    echo "$point $(rss_at)" >>"$work/rss.txt"
  done
) &
rss_pid=$!

spiegel_log "soak: $minutes min at $rate req/s over $connections connections, scans back to back"
out=$("$bench_cards" --url-base "http://127.0.0.1:$port" --token "$token" --rate "$rate" --seconds "$seconds" \
  --connections "$connections" --paths "$work/mix.paths" || true)
wait "$rss_pid" 2>/dev/null || true
rss_pid=""

echo
echo "spiegeld soak: $cvs CVs, $vacancies vacancies, $employers employers; $(nproc) cores; $minutes min," \
  "open loop at $rate req/s over $connections connections"
echo "$out" | grep -v '^result '
echo "daemon scans completed: $(grep -c 'scan finished' "$work/serve.log" || true)" \
  "(mean $(grep -o 'seconds=[0-9.]*' "$work/serve.log" | cut -d= -f2 | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }') s);" \
  "second-process scans: $(cat "$work/scans.count" 2>/dev/null || echo 0)"
echo "daemon RSS (seconds MB): $(tr '\n' ';' <"$work/rss.txt")"
echo "access WAL at the end: $(stat -c %s "$work/data/access.db-wal" 2>/dev/null || echo 0) bytes;" \
  "audit rows: $(sqlite3 "$work/data/access.db" 'SELECT count(*) FROM card_access')"
grep -E 'error|warn' "$work/serve.log" | sort | uniq -c | sort -rn | head -5 || true
