#!/usr/bin/env bash
# Builds the libFuzzer harnesses (every fuzz/*_fuzz.cpp) with clang, ASan and
# UBSan, runs each for SECONDS on its seed corpus fuzz/corpus/NAME (with the
# dictionary fuzz/NAME.dict when there is one), and prints
# per harness: executions, exec/s, coverage, corpus size and findings.
# Exits 1 when any harness found a crash, leak, timeout or out-of-memory.
# docs/fuzzing.md explains the harnesses and how to reproduce a finding.
#
#   scripts/fuzz.sh 60                       # every harness, 60 s each
#   scripts/fuzz.sh 600 ndjson_record        # one harness
#   scripts/fuzz.sh --merge 600              # and minimise new inputs into fuzz/corpus/
#
# Options:
#   --merge            after the run, add the new inputs that increase coverage
#                      to fuzz/corpus/NAME (libFuzzer -merge=1); without it the
#                      source tree is never written
#   --keep-going       fork mode: record a finding and go on fuzzing (libFuzzer
#                      -fork=1 -ignore_crashes/ooms/timeouts), to collect every
#                      finding of a long run
#   --jobs N           run N harnesses at a time (default 1; each uses one core
#                      and up to 2 GB)
#   --build-dir DIR    use this build tree (default build-fuzz, configured here);
#                      scripts/test.sh passes its build-sanitize
# Per harness, under the build tree: fuzz-corpus/NAME (inputs found, kept
# between runs), artifacts/NAME/ (crash-*, leak-*, timeout-*, oom-*),
# fuzz-logs/NAME.log (libFuzzer's output).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SPIEGEL_ROOT"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

merge=0
keep_going=0
jobs=1
build_dir="$SPIEGEL_ROOT/build-fuzz"
while [ $# -gt 0 ]; do
  case "$1" in
    --merge) merge=1; shift ;;
    --keep-going) keep_going=1; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --build-dir) build_dir=$(realpath -m "$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]] && [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1
shift

# Every harness, or the ones named.
all=()
for src in "$SPIEGEL_ROOT"/fuzz/*_fuzz.cpp; do
  all+=("$(basename "$src" .cpp)")
done
names=()
if [ $# -eq 0 ]; then
  names=("${all[@]}")
else
  for name in "$@"; do
    name=${name%_fuzz}
    [ -f "$SPIEGEL_ROOT/fuzz/${name}_fuzz.cpp" ] || { echo "fuzz.sh: no harness fuzz/${name}_fuzz.cpp" >&2; exit 2; }
    names+=("${name}_fuzz")
  done
fi

spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" "${SPIEGEL_FUZZ_PACKAGES[@]}"
if [ -f "$build_dir/CMakeCache.txt" ] && [ "$build_dir" != "$SPIEGEL_ROOT/build-fuzz" ]; then
  grep -q '^SPIEGEL_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" ||
    { echo "fuzz.sh: $build_dir is not configured with -DSPIEGEL_FUZZ=ON" >&2; exit 2; }
  spiegel_log "building the harnesses in $build_dir"
  cmake --build "$build_dir" --target "${names[@]}" -- -j"$(nproc)"
else
  spiegel_log "configuring $build_dir"
  cmake -S "$SPIEGEL_ROOT" -B "$build_dir" -G Ninja "${SPIEGEL_SANITIZE_CMAKE_ARGS[@]}" \
    -DSPIEGEL_BUILD_TESTS=OFF >/dev/null
  spiegel_log "building the harnesses in $build_dir"
  cmake --build "$build_dir" --target "${names[@]}" -- -j"$(nproc)"
fi

# Scratch files of the harnesses go to one directory per run, removed at the
# end even when a harness crashed before cleaning up.
scratch_base=/dev/shm
[ -d "$scratch_base" ] && [ -w "$scratch_base" ] || scratch_base=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$scratch_base/spiegel-fuzz-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
spiegel_sanitizer_env
export TMPDIR=$scratch

# Figures from a libFuzzer log; "?" when absent. The last status line reads
# "#N DONE cov: C ft: F corp: K/SIZE ..." (fork mode: "#N: cov: C ft: F corp: K ...").
status_field() {
  local line
  line=$(grep -E "^#[0-9]+" "$2" | tail -n 1) || true
  if [ "$1" = execs ]; then
    echo "$line" | sed -nE 's/^#([0-9]+).*/\1/p'
  else
    echo "$line" | grep -oE "$1: [0-9]+(/[0-9]+[a-zA-Z]*)?" | sed -E "s/^$1: //" || true
  fi
}
stat_value() {
  grep -E "^stat::$1:" "$2" | tail -n 1 | awk '{print $2}' || true
}

# Runs one harness; writes its summary line(s) to $scratch/NAME.summary, the
# end of its log to $scratch/NAME.report when it found something, and
# returns 1 then.
run_harness() {
  local fuzzer=$1
  local name=${fuzzer%_fuzz}
  local binary="$build_dir/fuzz/$fuzzer"
  local seeds="$SPIEGEL_ROOT/fuzz/corpus/$name"
  local work="$build_dir/fuzz-corpus/$name"
  local artifacts="$build_dir/artifacts/$name"
  local log="$build_dir/fuzz-logs/$name.log"
  local summary="$scratch/$name.summary"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  local corpora=("$work")
  [ -d "$seeds" ] && corpora+=("$seeds")  # read only: new inputs go to $work
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
              -artifact_prefix="$artifacts/")
  if [ -f "$SPIEGEL_ROOT/fuzz/$name.dict" ]; then
    args+=(-dict="$SPIEGEL_ROOT/fuzz/$name.dict")
  fi
  if [ "$keep_going" = 1 ]; then
    args+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  fi
  spiegel_log "fuzzing $name for ${seconds}s (log: $log)"
  local stamp="$scratch/$name.start"
  touch "$stamp"
  local status=0
  "$binary" "${args[@]}" "${corpora[@]}" >"$log" 2>&1 || status=$?
  local new_artifacts found
  new_artifacts=$(find "$artifacts" -type f -newer "$stamp" | sort)
  found=$(printf '%s' "$new_artifacts" | grep -c . || true)

  local result=ok failed=0
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=1
    result=crash
    grep -q "ERROR: libFuzzer: out-of-memory" "$log" && result=oom
    grep -q "ERROR: libFuzzer: timeout" "$log" && result=timeout
    grep -q "ERROR: LeakSanitizer" "$log" && result=leak
    if [ "$keep_going" = 1 ]; then
      result="findings: $(echo "$new_artifacts" | sed -E 's|.*/||; s/-.*//' | sort | uniq -c |
        awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
    fi
    { echo "---- $name: last lines of $log"
      grep -vE "^#[0-9]+|^INFO:|^\s*$" "$log" | tail -n 40 || true; } >"$scratch/$name.report"
  fi
  local execs rate cov ft corp
  execs=$(status_field execs "$log")
  if [ "$keep_going" = 1 ]; then
    rate=$(( ${execs:-0} / (seconds > 0 ? seconds : 1) ))
  else
    rate=$(stat_value average_exec_per_sec "$log")
  fi
  cov=$(status_field cov "$log")
  ft=$(status_field ft "$log")
  corp=$(status_field corp "$log")
  printf '%-16s %10s %8s %7s %7s %12s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result" >"$summary"
  local a
  for a in $new_artifacts; do
    echo "    artifact: ${a#"$SPIEGEL_ROOT"/}" >>"$summary"
  done

  if [ "$merge" = 1 ]; then
    spiegel_log "merging new inputs of $name into fuzz/corpus/$name"
    mkdir -p "$seeds"
    "$binary" -merge=1 -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$artifacts/merge-" "$seeds" "$work" \
      >"$build_dir/fuzz-logs/$name.merge.log" 2>&1 ||
      { echo "fuzz.sh: merge of $name failed (see $build_dir/fuzz-logs/$name.merge.log)" >&2; failed=1; }
  fi
  return "$failed"
}

# Up to $jobs harnesses at a time; each is single-threaded.
failed=0
running=0
for fuzzer in "${names[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_harness "$fuzzer" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

for fuzzer in "${names[@]}"; do
  if [ -f "$scratch/${fuzzer%_fuzz}.report" ]; then
    cat "$scratch/${fuzzer%_fuzz}.report" >&2
  fi
done
printf '\n%-16s %10s %8s %7s %7s %12s  %s\n' harness executions exec/s cov ft corpus result
for fuzzer in "${names[@]}"; do
  cat "$scratch/${fuzzer%_fuzz}.summary" 2>/dev/null || { echo "${fuzzer%_fuzz}: no result (see above)"; failed=1; }
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: findings above; reproduce with: BUILD/fuzz/NAME_fuzz ARTIFACT (docs/fuzzing.md)" >&2
fi
exit "$failed"
