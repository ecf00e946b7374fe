# Shared by scripts/run.sh and scripts/test.sh: Debian package installation
# and the CMake build. Sourced, not executed.

SPIEGEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages needed to build and run spiegeld.
SPIEGEL_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache sqlite3
  libboost-dev libboost-system-dev
  libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libfmt-dev
  libyaml-cpp-dev
  prometheus-cpp-dev libcivetweb-dev zlib1g-dev libcurl4-openssl-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libre2-dev libutf8proc-dev
  libhowardhinnant-date-dev libkainjow-mustache-dev
  libssl-dev
)
# Additional packages the test suite uses.
SPIEGEL_TEST_PACKAGES=(
  googletest libgtest-dev libgmock-dev libbenchmark-dev prometheus
  chromium fonts-dejavu-core wrk python3-jsonschema
)

spiegel_log() { printf '==> %s\n' "$*" >&2; }

# Installs the given Debian packages that are not installed yet. Runs
# apt-get update only when something must be installed; uses sudo when not root.
spiegel_install() {
  local missing=() pkg
  for pkg in "$@"; do
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
