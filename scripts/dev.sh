#!/usr/bin/env bash
# provgate set-up: installs what is missing (Debian 12, as root), configures and builds, then
#   scripts/dev.sh demo   runs `provgate check` on a bundled example
#   scripts/dev.sh test   runs the whole test suite
#   scripts/dev.sh build  only builds
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${PROVGATE_BUILD_DIR:-build}
JOBS=${PROVGATE_JOBS:-2}

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev libssl-dev
  libboost-dev libgtest-dev libgmock-dev
  python3 python3-jsonschema python3-yaml python3-license-expression python3-cryptography
  openssl
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPROVGATE_WERROR="${PROVGATE_WERROR:-OFF}"
fi
cmake --build "$BUILD_DIR" -j "$JOBS"

case "${1:-demo}" in
  demo)
    "$BUILD_DIR/cli/provgate" check examples/licensed-closed/manifest.json --format text
    ;;
  test)
    ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure
    ;;
  build)
    ;;
  *)
    echo "usage: scripts/dev.sh [demo|test|build]" >&2
    exit 2
    ;;
esac
