#!/usr/bin/env bash
# PostgreSQL source against SQLite (docs/scale.md): starts a private
# PostgreSQL 15 server in a temp dir (Unix socket only, stopped at exit),
# writes the same demo world into SQLite and PostgreSQL, and prints for both
# engines: demo write time, full scan, incremental scan after 1% of the CVs
# changed, import of the CVs as NDJSON into an empty source, each with its
# wall time and peak RSS (GNU time), and with bench_pg_client (built when
# libpqxx-dev is installed) libpq against libpqxx. Needs a Release build.
#
#   bench/pg_source.sh                 # 200k CVs, 40k vacancies, 10k employers
#   bench/pg_source.sh --cvs 20000
#   bench/pg_source.sh --cvs 1000000 --vacancies 200000 --employers 50000 --no-import
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

cvs=200000 vacancies=40000 employers=10000 import=1
while [ $# -gt 0 ]; do
  case "$1" in
    --cvs) cvs=$2; shift 2 ;;
    --vacancies) vacancies=$2; shift 2 ;;
    --employers) employers=$2; shift 2 ;;
    --no-import) import=0; shift ;;
    *) echo "usage: $0 [--cvs N] [--vacancies N] [--employers N] [--no-import]" >&2; exit 2 ;;
  esac
done
bin=${SPIEGELD:-$SPIEGEL_ROOT/build/daemon/spiegeld}
pgbin=/usr/lib/postgresql/15/bin
as=()
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spiegel-pgbench-XXXXXX")
if [ "$(id -u)" = 0 ]; then
  as=(runuser -u postgres --)
  chown postgres: "$tmp"
fi
chmod 700 "$tmp"
stop() {
  "${as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as[@]}" "$pgbin/initdb" -D "$tmp/pg" -A trust -U postgres -E UTF8 --locale=C --no-sync >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
  -o "-k $tmp -p 5432 -c listen_addresses='' -c shared_buffers=256MB" start >/dev/null
psql=("$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$tmp" -U postgres)
work="$tmp/work"
mkdir -p "$work/data"
for db in werk fresh; do
  "${psql[@]}" -d postgres -c "CREATE DATABASE $db"
  "$bin" schema postgresql | "${psql[@]}" -d $db
  cat >"$work/pg-$db.yaml" <<YAML
source:
  kind: postgresql
  conninfo: "host=$tmp port=5432 dbname=$db user=postgres"
state:
  database: data/pg-$db-state.db
rules:
  directory: $SPIEGEL_ROOT/rules
YAML
  cat >"$work/sqlite-$db.yaml" <<YAML
source:
  database: data/$db.db
state:
  database: data/sqlite-$db-state.db
rules:
  directory: $SPIEGEL_ROOT/rules
YAML
done
chmod -R a+rwX "$work"

# measure NAME COMMAND...: prints NAME, wall seconds, peak RSS in MiB.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kib <"$work/time"
  printf '%-34s %8.2f s %8.0f MiB\n' "$name" "$secs" "$((kib / 1024))"
  echo "$secs" >"$work/last"
}
per_second() { awk -v n="$1" -v s="$(cat "$work/last")" 'BEGIN { printf "%-34s %8.0f /s\n", "  ->", n / s }'; }

as_of=2026-10-01T00:00:00Z
total=$((cvs + vacancies + employers))
echo "demo world: $cvs CVs, $vacancies vacancies, $employers employers ($total records)"
for engine in sqlite pg; do
  measure "$engine demo" "$bin" demo --config "$work/$engine-werk.yaml" --cvs "$cvs" --vacancies "$vacancies" \
    --employers "$employers" --seed 1 --as-of "$as_of"
  per_second "$total"
done
for engine in sqlite pg; do
  measure "$engine full scan" "$bin" scan --full --config "$work/$engine-werk.yaml" --as-of 2026-10-02T00:00:00Z
  per_second "$total"
done
# The client library: libpq against libpqxx reading every CV (built only
# when libpqxx-dev is installed).
client=${BENCH_PG_CLIENT:-$SPIEGEL_ROOT/build/bench/bench_pg_client}
if [ -x "$client" ]; then
  nice "$client" "host=$tmp port=5432 dbname=werk user=postgres"
fi
# 1% of the CVs change, as an ETL job would change them.
sqlite3 "$work/data/werk.db" "UPDATE cv SET hours_per_week = hours_per_week WHERE rid % 100 = 0"
"${psql[@]}" -d werk -c "UPDATE cv SET hours_per_week = hours_per_week WHERE rid % 100 = 0"
for engine in sqlite pg; do
  measure "$engine incremental scan (1% CVs)" "$bin" scan --config "$work/$engine-werk.yaml" --as-of 2026-10-02T00:00:00Z
done
[ "$import" = 1 ] || exit 0
# The CVs as NDJSON (the demo's records, exported from PostgreSQL).
"${psql[@]}" -d werk -c "SELECT jsonb_strip_nulls(to_jsonb(c) - 'rid' - 'change_xid' - 'extra_fields'
  - 'invalid_values') FROM cv c ORDER BY rid" >"$work/cv.ndjson"
echo "cv.ndjson: $(wc -l <"$work/cv.ndjson") lines, $(( $(stat -c %s "$work/cv.ndjson") / 1048576 )) MiB"
for engine in sqlite pg; do
  measure "$engine import CVs (new rows)" "$bin" import --config "$work/$engine-fresh.yaml" --kind cv "$work/cv.ndjson"
  per_second "$cvs"
  measure "$engine import CVs (upserts)" "$bin" import --config "$work/$engine-fresh.yaml" --kind cv "$work/cv.ndjson"
  per_second "$cvs"
done
