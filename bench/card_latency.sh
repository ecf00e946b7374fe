#!/usr/bin/env bash
# Card latency under load: builds a Release, creates a demo world in a temp
# dir (the size scripts/run.sh uses by default), scans it, starts
# `spiegeld serve` and, per card route, runs bench_cards (open loop at a fixed
# rate, latency from each request's scheduled time) and wrk (closed loop:
# maximum throughput). Prints a summary table. Results: docs/benchmarks-cards.md.
#
#   bench/card_latency.sh                       # 20,000 CVs, 4,000 vacancies, 1,000 employers
#   bench/card_latency.sh --cvs 200000 --vacancies 40000 --employers 10000
#   bench/card_latency.sh --rates "500 2000" --seconds 10 --connections 4 --keep
#
# Each route is driven open loop at every rate of --rates (default 500 and
# 2,000 req/s), then by wrk for its capacity.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

cvs=20000 vacancies=4000 employers=1000 rates="500 2000" seconds=10 connections=4 keep=0
routes="api html"
while [ $# -gt 0 ]; do
  case "$1" in
    --cvs) cvs=$2; shift 2 ;;
    --vacancies) vacancies=$2; shift 2 ;;
    --employers) employers=$2; shift 2 ;;
    --rate|--rates) rates=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --routes) routes=$2; shift 2 ;;   # "api", "html" or "api html"
    --keep) keep=1; shift ;;          # keep the work dir (databases, logs, path files)
    *) echo "usage: $0 [--cvs N] [--vacancies N] [--employers N] [--rates 'R ...'] [--seconds S]" \
            "[--connections C] [--routes 'api html'] [--keep]" >&2; exit 2 ;;
  esac
done

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" wrk
build="$SPIEGEL_ROOT/build-bench"
spiegel_build "$build" -DCMAKE_BUILD_TYPE=Release -DSPIEGEL_BUILD_TESTS=OFF -DSPIEGEL_BUILD_BENCH=ON
spiegeld="$build/daemon/spiegeld"
bench_cards="$build/bench/bench_cards"

work=$(mktemp -d "${TMPDIR:-/tmp}/spiegel-card-latency-XXXXXX")
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  if [ "$keep" -eq 1 ]; then
    spiegel_log "kept $work"
  else
    rm -rf "$work"
  fi
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
privacy:
  personal_cards_per_hour: 1000000000
EOF

spiegel_log "demo world: $cvs CVs, $vacancies vacancies, $employers employers"
"$spiegeld" demo --config "$config" --cvs "$cvs" --vacancies "$vacancies" --employers "$employers" \
  --seed 1 2>/dev/null
"$spiegeld" scan --config "$config" --full 2>"$work/scan.log"
token=$("$spiegeld" token --config "$config" add bench --role adviser)

"$spiegeld" serve --config "$config" --listen 127.0.0.1:0 2>"$work/serve.log" >/dev/null &
daemon_pid=$!
port=$(spiegel_daemon_port "$work/serve.log" "$daemon_pid")
base="http://127.0.0.1:$port"
spiegel_log "daemon pid $daemon_pid on $base"

# Path files: several hundred random existing records per card type.
state="$work/data/state.db"
q() { sqlite3 "$state" "$1"; }
q "SELECT id FROM result WHERE kind = 'cv' ORDER BY random() LIMIT 500" >"$work/cv.ids"
q "SELECT id FROM result WHERE kind = 'vacancy' ORDER BY random() LIMIT 500" >"$work/vacancy.ids"
# Occupations of visible CVs, each once nationally and once with its biggest region.
q "SELECT occupation FROM result WHERE kind = 'cv' AND occupation <> '' GROUP BY occupation
   ORDER BY random() LIMIT 250" >"$work/occupation.ids"
q "SELECT occupation || '?region=' || region FROM (SELECT occupation, region, count(*) n FROM result
   WHERE kind = 'cv' AND occupation <> '' AND region GLOB 'AM[0-9][0-9]' GROUP BY occupation, region
   ORDER BY occupation, n DESC) GROUP BY occupation ORDER BY random() LIMIT 250" >>"$work/occupation.ids"
# Only level-4 ISCO codes and listed regions have a card (demo records carry
# some invalid codes on purpose).
awk -F, 'FILENAME == ARGV[1] { if ($2 == 4) isco[$1] = 1; next }
  FILENAME == ARGV[2] { if (FNR > 1) region[$1] = 1; next }
  { n = split($0, p, "[?]region="); if ((p[1] in isco) && (n == 1 || (p[2] in region))) print }' \
  "$SPIEGEL_ROOT/rules/codes/isco08_nl.csv" "$SPIEGEL_ROOT/rules/codes/regions.csv" \
  "$work/occupation.ids" >"$work/occupation.valid"
mv "$work/occupation.valid" "$work/occupation.ids"
for type in cv vacancy occupation; do
  sed "s#^#/api/v1/cards/$type/#" "$work/$type.ids" | shuf >"$work/api-$type.paths"
  sed "s#^#/cards/$type/#" "$work/$type.ids" | shuf >"$work/html-$type.paths"
done

cat >"$work/paths.lua" <<'EOF'
-- Cycles through the paths of the file given after `--`.
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF


# The daemon's CPU time so far (user + system) in ms, from /proc: per request
# it is the steady figure, where p99 moves with whatever else the host runs.
daemon_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$daemon_pid/stat"
}

# The host's CPU ticks as "steal total" from /proc/stat: the share a
# hypervisor gave to other guests during a run (a shared VM's p99 rises
# with it while the CPU per request stays).
host_ticks() {
  awk '$1 == "cpu" { total = 0; for (i = 2; i <= 9; i++) total += $i; print $9, total }' /proc/stat
}
steal_percent() {  # "before" "after", each "steal total"
  echo "$1 $2" | awk '{ d = $4 - $2; if (d > 0) printf "%.0f", 100 * ($3 - $1) / d; else print "-" }'
}

rows=()
capacity=()
for route in $routes; do
  for type in cv vacancy occupation; do
    paths="$work/$route-$type.paths"
    for rate in $rates; do
      spiegel_log "$route $type: bench_cards --rate $rate --seconds $seconds --connections $connections"
      cpu_before=$(daemon_cpu_ms)
      ticks_before=$(host_ticks)
      out=$("$bench_cards" --url-base "$base" --token "$token" --rate "$rate" --seconds "$seconds" \
        --connections "$connections" --paths "$paths" || true)
      cpu_after=$(daemon_cpu_ms)
      steal=$(steal_percent "$ticks_before" "$(host_ticks)")
      echo "$out" | grep -v '^result ' >&2
      result=$(echo "$out" | grep '^result ' | head -1)
      field() { echo "$result" | tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
      answered=$(field count)
      cpu_per_request=$(awk -v ms=$((cpu_after - cpu_before)) -v n="${answered:-0}" \
        'BEGIN { if (n > 0) printf "%.3f", ms / n; else print "-" }')
      rows+=("$(printf '%-8s %-11s %6s %8s %8s %8s %8s %7s %9s %6s' "$route" "$type" "$rate" \
        "$(field p50_ms)" "$(field p99_ms)" "$(field max_ms)" "$(field achieved_rps)" \
        "$(field errors)/$(field unanswered)" "$cpu_per_request" "$steal")")
    done
    spiegel_log "$route $type: wrk -t1 -c4 -d${seconds}s --latency"
    wrk_out=$(wrk -t1 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
      -s "$work/paths.lua" "$base" -- "$paths")
    echo "$wrk_out" | grep -E 'Requests/sec|99%|Non-2xx|Socket errors' >&2 || true
    wrk_rps=$(echo "$wrk_out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
    wrk_p99=$(spiegel_wrk_ms "$(echo "$wrk_out" | awk '$1 == "99%" { print $2 }')")
    wrk_bad=$(echo "$wrk_out" | awk '/Non-2xx/ { print $NF }')
    capacity+=("$(printf '%-8s %-11s %10s %9s %8s' "$route" "$type" "$wrk_rps" "$wrk_p99" "${wrk_bad:-0}")")
  done
done

echo
echo "spiegeld card latency: $cvs CVs, $vacancies vacancies, $employers employers; $(nproc) cores;" \
  "bench_cards open loop for $seconds s over $connections connections at each rate; wrk -t1 -c4 -d${seconds}s"
printf '%-8s %-11s %6s %8s %8s %8s %8s %7s %9s %6s\n' route card rate "p50 ms" "p99 ms" "max ms" "rps" "err/lost" \
  "CPU ms/req" "steal%"
printf '%s\n' "${rows[@]}"
echo
printf '%-8s %-11s %10s %9s %8s\n' route card "wrk rps" "wrk p99" "wrk !200"
printf '%s\n' "${capacity[@]}"
