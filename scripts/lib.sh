# Shared by scripts/run.sh, scripts/test.sh and scripts/fuzz.sh: Debian
# package installation and the CMake builds. Sourced, not executed.

SPIEGEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages needed to build and run spiegeld.
SPIEGEL_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache sqlite3
  libboost-dev libboost-system-dev
  libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libfmt-dev
  libyaml-cpp-dev
  prometheus-cpp-dev libcivetweb-dev zlib1g-dev libcurl4-openssl-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libre2-dev libutf8proc-dev libxxhash-dev
  libmimalloc-dev
  libhowardhinnant-date-dev libkainjow-mustache-dev
  libssl-dev libpq-dev
)
# Additional packages the test suite uses.
SPIEGEL_TEST_PACKAGES=(
  googletest libgtest-dev libgmock-dev libbenchmark-dev prometheus
  chromium fonts-dejavu-core wrk python3-jsonschema
  chromium-driver python3-selenium npm openssl curl
  postgresql
)

# The clang build with AddressSanitizer, UndefinedBehaviorSanitizer and the
# libFuzzer harnesses (docs/fuzzing.md). libclang-rt-14-dev holds the
# sanitizer and libFuzzer runtimes (only recommended by clang, so named here);
# llvm-14 has llvm-symbolizer for readable stack traces.
SPIEGEL_FUZZ_PACKAGES=(clang libclang-rt-14-dev libfuzzer-14-dev llvm-14)
# CMake options of that build: -O1 with line tables (fast enough to fuzz,
# quick to compile, symbolised reports), assertions on, no benchmarks.
SPIEGEL_SANITIZE_CMAKE_ARGS=(
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only"
  -DSPIEGEL_SANITIZE=ON -DSPIEGEL_FUZZ=ON -DSPIEGEL_BUILD_BENCH=OFF
)

# Sanitizer settings for every instrumented process (tests, the spiegeld they
# start, the harnesses): leaks are errors, UBSan prints a stack and stops.
spiegel_sanitizer_env() {
  export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
  fi
}

spiegel_log() { printf '==> %s\n' "$*" >&2; }

# Installs the given Debian packages that are not installed yet. Runs
# apt-get update only when something must be installed; uses sudo when not root.
spiegel_install() {
  local missing=() pkg
  for pkg in "$@"; do
    # NodeSource's nodejs ships its own npm and conflicts with Debian's.
    if [ "$pkg" = npm ] && command -v npm >/dev/null; then
      continue
    fi
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  spiegel_log "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# spiegel_build BUILD_DIR [extra cmake args...]
spiegel_build() {
  local dir=$1
  shift
  spiegel_log "configuring $dir"
  cmake -S "$SPIEGEL_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  spiegel_log "building $dir"
  cmake --build "$dir" -- -j"$(nproc)"
}

# spiegel_daemon_port LOG PID [TRIES]: the port a `spiegeld serve --listen
# 127.0.0.1:0` (pid PID, stderr in LOG) reports, printed once it is
# listening; fails (printing LOG) when the daemon ends first, or when it has
# not reported after TRIES x 50 ms (default 200). Use as port=$(...) under set -e.
spiegel_daemon_port() {
  local log=$1 pid=$2 tries=${3:-200} port=""
  for _ in $(seq 1 "$tries"); do
    port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && { echo "$port"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.05
  done
  echo "the daemon did not report its address" >&2
  return 1
}

# spiegel_wrk_ms VALUE: a wrk latency (1.23ms, 456.00us, 1.02s) in milliseconds.
spiegel_wrk_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.2f", n }'
}
