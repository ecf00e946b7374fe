#!/usr/bin/env bash
# Side by side with a column engine: the default CV rules that SQL can
# express, as one aggregate query in DuckDB (npm @duckdb/node-api), against
# spiegeld's full scan of the same CVs (all 20 CV rules, results and
# aggregates written). A world of CVs only, so the scan does nothing else.
# Prints figures and the failing counts of both side by side (the SQL
# versions of the regex and code-list rules are approximations, so a few
# counts differ); asserts nothing; not run by the tests.
#
#   bench/duckdb_cv_rules.sh                 # 200,000 CVs
#   bench/duckdb_cv_rules.sh --cvs 1000000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

cvs=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --cvs) cvs=$2; shift 2 ;;
    *) echo "usage: $0 [--cvs N]" >&2; exit 2 ;;
  esac
done
as_of=2026-11-23

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" nodejs npm time
build="$SPIEGEL_ROOT/build-bench"
spiegel_build "$build" -DCMAKE_BUILD_TYPE=Release -DSPIEGEL_BUILD_TESTS=OFF -DSPIEGEL_BUILD_BENCH=ON
spiegeld="$build/daemon/spiegeld"
duck="$build/duckdb"
if [ ! -d "$duck/node_modules/@duckdb/node-api" ]; then
  spiegel_log "installing @duckdb/node-api into $duck"
  mkdir -p "$duck"
  npm install --prefix "$duck" --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >&2
fi
cp "$SPIEGEL_ROOT/bench/duckdb_cv_rules.mjs" "$duck/"

work=$(mktemp -d "${TMPDIR:-/tmp}/spiegel-duckdb-XXXXXX")
trap 'rm -rf "$work"' EXIT
config="$work/spiegeld.yaml"
printf 'source:\n  database: %s\nstate:\n  database: %s\nrules:\n  directory: %s\n' \
  "$work/source.db" "$work/state.db" "$SPIEGEL_ROOT/rules" >"$config"

spiegel_log "demo world: $cvs CVs, no vacancies or employers"
"$spiegeld" demo --config "$config" --cvs "$cvs" --vacancies 0 --employers 0 --seed 1 2>/dev/null
spiegel_log "spiegeld scan --full"
/usr/bin/time -f 'spiegeld: full scan of all 20 CV rules, results and aggregates written: %e s wall, %U s user + %S s system, peak RSS %M KB' \
  "$spiegeld" scan --config "$config" --full --as-of "${as_of}T00:00:00Z" 2>"$work/scan.err" || { cat "$work/scan.err" >&2; exit 1; }
scan_line=$(tail -1 "$work/scan.err")

spiegel_log "exporting the CVs to CSV for DuckDB"
sqlite3 -header -csv "$work/source.db" "SELECT id, updated_at, birth_year, postcode, region, email, phone,
  desired_occupations, education, experience, skills, hours_per_week, max_travel_minutes, max_travel_km FROM cv" \
  >"$work/cv.csv"
duck_out=$(cd "$duck" && node duckdb_cv_rules.mjs "$work/cv.csv" "$as_of")

echo
echo "DuckDB against spiegeld: $cvs CVs; $(nproc) cores"
printf '%-26s %10s %10s\n' rule duckdb spiegeld
echo "$duck_out" | awk '/ failing$/ { print $1, $2 }' | while read -r rule n; do
  s=$(sqlite3 "$work/state.db" "SELECT failing FROM scan_rule WHERE kind = 'cv' AND split = 'all' AND value = ''
        AND rule_id = '$rule' AND scan_id = (SELECT max(id) FROM scan WHERE status = 'ok')")
  printf '%-26s %10s %10s\n' "$rule" "$n" "${s:-0}"
done
echo "$duck_out" | grep -v ' failing$'
echo "$scan_line"
