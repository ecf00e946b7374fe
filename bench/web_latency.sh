#!/usr/bin/env bash
# The web side under load (issue 14; docs/web.md): a demo world (200,000
# CVs by default), one full scan, then
#   1. the worklist (/api/v1/worklist, every region, pages 1-3, with and
#      without a target group) at a fixed rate with bench_cards (open loop,
#      latency from each request's scheduled time), after one warm-up
#      request that builds the per-scan index (its time is printed);
#   2. the cost of a session cookie against a bearer header (wrk, closed
#      loop, the same worklist page), and sign-ins per second;
#   3. plain HTTP against TLS (wrk on /healthz): keep-alive throughput, and
#      one new connection (a full TLS handshake) per request.
# Prints figures; asserts nothing.
#
#   bench/web_latency.sh [--build DIR] [--cvs 200000] [--rate 200] [--seconds 10] [--keep]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

build="$SPIEGEL_ROOT/build" cvs=200000 rate=200 seconds=10 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --cvs) cvs=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--cvs N] [--rate R] [--seconds S] [--keep]" >&2; exit 2 ;;
  esac
done
spiegeld="$build/daemon/spiegeld"
bench_cards="$build/bench/bench_cards"
[ -x "$spiegeld" ] && [ -x "$bench_cards" ] || { echo "build spiegeld and bench_cards in $build first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/spiegel-web-latency-XXXXXX")
daemon_pid=""
stop_daemon() {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
    daemon_pid=""
  fi
}
cleanup() {
  stop_daemon
  if [ "$keep" -eq 1 ]; then spiegel_log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/tls" "$work/data"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls/server.key" \
  -out "$work/tls/server.crt" -days 2 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
write_config() {  # $1: file, $2: "tls" or "plain"
  {
    printf 'source:\n  database: data/source.db\nstate:\n  database: data/state.db\n'
    printf 'rules:\n  directory: %s/rules\nhttp:\n  listen: 127.0.0.1:0\n  max_connections: 1024\n' "$SPIEGEL_ROOT"
    printf '  max_connections_per_client: 1024\n'
    [ "$2" = tls ] && printf '  tls:\n    cert_file: tls/server.crt\n    key_file: tls/server.key\n'
    printf 'scan:\n  incremental_interval: 7d\n  full_interval: 366d\n'
    printf 'privacy:\n  personal_cards_per_hour: 1000000000\naccess:\n  failed_auth_per_minute: 100000\n'
  } >"$1"
}
write_config "$work/plain.yaml" plain
write_config "$work/tls.yaml" tls

spiegel_log "demo world: $cvs CVs"
start=$(date +%s.%N)
"$spiegeld" demo --config "$work/plain.yaml" --cvs "$cvs" --vacancies $((cvs / 5)) --employers $((cvs / 20)) \
  --seed 1 >/dev/null 2>&1
"$spiegeld" scan --config "$work/plain.yaml" --full >/dev/null 2>"$work/scan.log"
spiegel_log "demo and scan took $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
token=$("$spiegeld" token --config "$work/plain.yaml" add bench --role adviser)

start_daemon() {  # $1: config
  "$spiegeld" serve --config "$1" --listen 127.0.0.1:0 2>"$work/serve.log" >/dev/null &
  daemon_pid=$!
  port=$(spiegel_daemon_port "$work/serve.log" "$daemon_pid" 400)
}
wrk_line() {  # label, wrk output
  printf '%-44s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s\n' "$1" \
    "$(echo "$2" | awk '/Requests\/sec/ { printf "%.0f", $2 }')" \
    "$(spiegel_wrk_ms "$(echo "$2" | awk '$1 == "50%" { print $2 }')")" \
    "$(spiegel_wrk_ms "$(echo "$2" | awk '$1 == "99%" { print $2 }')")" \
    "$(echo "$2" | awk '/Non-2xx/ { print $NF }' | grep . || echo 0)"
}

# 1. Worklist at a fixed rate (plain HTTP: bench_cards speaks plain HTTP).
start_daemon "$work/plain.yaml"
base="http://127.0.0.1:$port"
regions=$(tail -n +2 "$SPIEGEL_ROOT/rules/codes/regions.csv" | cut -d, -f1)
for r in $regions; do
  for p in 1 2 3; do
    echo "/api/v1/worklist?region=$r&page=$p"
    echo "/api/v1/worklist?region=$r&page=$p&target_group=banenafspraak"
    echo "/api/v1/worklist?region=$r&page=$p&visible=ja"
  done
done | shuf >"$work/worklist.paths"
first=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$base/api/v1/worklist?region=AM21")
out=$("$bench_cards" --url-base "$base" --token "$token" --rate "$rate" --seconds "$seconds" --connections 4 \
  --paths "$work/worklist.paths")
result=$(echo "$out" | grep '^result ' | head -1)

# 2. Session cookie against bearer header.
cookie_jar="$work/cookies"
curl -s -c "$cookie_jar" -o /dev/null --data-urlencode "token=$token" "$base/inloggen"
session=$(awk '$6 == "spiegel-sessie" { print $7 }' "$cookie_jar")
page="$base/api/v1/worklist?region=AM21&page=2"
bearer=$(wrk -t1 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$page")
cookie=$(wrk -t1 -c4 -d"${seconds}s" --latency -H "Cookie: spiegel-sessie=$session" "$page")
cat >"$work/signin.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
signin=$(wrk -t1 -c4 -d"${seconds}s" --latency -s "$work/signin.lua" "$base/inloggen")
sessions=$(sqlite3 "$work/data/access.db" "SELECT count(*) FROM web_session")
plain_keep=$(wrk -t2 -c16 -d"${seconds}s" --latency "$base/healthz")
plain_new=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Connection: close" "$base/healthz")
stop_daemon

# 3. TLS.
start_daemon "$work/tls.yaml"
tbase="https://127.0.0.1:$port"
tls_keep=$(wrk -t2 -c16 -d"${seconds}s" --latency "$tbase/healthz")
tls_new=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Connection: close" "$tbase/healthz")
stop_daemon

echo
echo "spiegeld web side: $cvs CVs; $(nproc) cores (shared); $(date -u +%FT%TZ)"
echo "worklist index build (first request after the scan): $(awk -v t="$first" 'BEGIN { printf "%.0f", t * 1000 }') ms"
echo "worklist at $rate req/s for $seconds s (bench_cards, open loop): $result"
wrk_line "worklist page, bearer header (wrk -c4)" "$bearer"
wrk_line "worklist page, session cookie (wrk -c4)" "$cookie"
wrk_line "sign-in POST /inloggen, 303 (wrk -c4)" "$signin"
echo "sessions stored after the sign-in run: $sessions"
wrk_line "/healthz plain, keep-alive (wrk -c16)" "$plain_keep"
wrk_line "/healthz TLS, keep-alive (wrk -c16)" "$tls_keep"
wrk_line "/healthz plain, new connection each (wrk -c16)" "$plain_new"
wrk_line "/healthz TLS, new handshake each (wrk -c16)" "$tls_new"
