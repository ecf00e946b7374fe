#!/usr/bin/env bash
# Installs what is missing and runs every check CI runs (.ci/run):
#   1. build-test: gcc Release with warnings as errors; every test (ctest);
#   2. build-sanitize: clang with AddressSanitizer + UndefinedBehaviorSanitizer
#      and the libFuzzer harnesses; every test again under the sanitizers
#      (leaks included; a report from any process, also a spiegeld a test
#      started, fails the run);
#   3. each libFuzzer harness for 30 s on its seed corpus (scripts/fuzz.sh),
#      one per core at a time.
# Exits non-zero on any failure and prints how long each phase took.
#
#   scripts/test.sh                    # everything, as CI runs it
#   SPIEGEL_QUICK=1 scripts/test.sh    # phase 1 only: a quick local run
#   SPIEGEL_FUZZ_SECONDS=120 scripts/test.sh   # longer fuzzing in phase 3
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SPIEGEL_ROOT"

quick=${SPIEGEL_QUICK:-0}
fuzz_seconds=${SPIEGEL_FUZZ_SECONDS:-30}
jobs=$(nproc)

phases=()
phase_start=0
phase() {
  phase_start=$SECONDS
  spiegel_log "$1"
}
phase_done() {
  phases+=("$(printf '%-40s %5ss' "$1" $((SECONDS - phase_start)))")
}
print_phases() {
  if [ ${#phases[@]} -gt 0 ]; then
    printf '\n%-40s %6s\n' phase time >&2
    printf '%s\n' "${phases[@]}" >&2
    printf '%-40s %5ss\n' total "$SECONDS" >&2
  fi
}
trap print_phases EXIT

phase "installing packages"
if [ "$quick" = 1 ]; then
  spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" "${SPIEGEL_TEST_PACKAGES[@]}"
else
  spiegel_install "${SPIEGEL_BUILD_PACKAGES[@]}" "${SPIEGEL_TEST_PACKAGES[@]}" "${SPIEGEL_FUZZ_PACKAGES[@]}"
fi
phase_done "packages"

phase "gcc build (build-test)"
spiegel_build "$SPIEGEL_ROOT/build-test" -DCMAKE_BUILD_TYPE=Release -DSPIEGEL_WERROR=ON
phase_done "gcc build"

phase "running tests (build-test)"
(cd "$SPIEGEL_ROOT/build-test" && ctest --output-on-failure --timeout 600 -j"$jobs")
phase_done "gcc tests"

if [ "$quick" = 1 ]; then
  spiegel_log "SPIEGEL_QUICK=1: skipping the sanitizer build, its tests and fuzzing"
  exit 0
fi

sanitize="$SPIEGEL_ROOT/build-sanitize"
phase "clang ASan+UBSan build with the fuzzers (build-sanitize)"
spiegel_build "$sanitize" "${SPIEGEL_SANITIZE_CMAKE_ARGS[@]}" -DSPIEGEL_WERROR=ON
phase_done "sanitizer build"

phase "running tests under ASan+UBSan (build-sanitize)"
# Every instrumented process writes its sanitizer report to a file here, so a
# report from a spiegeld started by a test fails the run even when the test
# only looked at that process's output.
reports="$sanitize/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
(
  spiegel_sanitizer_env
  export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/report"
  export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/report"
  cd "$sanitize"
  ctest --output-on-failure --timeout 600 -j"$jobs"
) || ctest_status=$?
if [ -n "$(ls -A "$reports")" ]; then
  for report in "$reports"/*; do
    echo "---- sanitizer report $report" >&2
    head -n 80 "$report" >&2
  done
  echo "test.sh: sanitizer reports above (all in $reports)" >&2
  exit 1
fi
[ "${ctest_status:-0}" -eq 0 ] || exit "$ctest_status"
phase_done "sanitizer tests"

phase "fuzzing each harness for ${fuzz_seconds}s"
scripts/fuzz.sh --build-dir "$sanitize" --jobs "$jobs" "$fuzz_seconds"
phase_done "fuzzing"
