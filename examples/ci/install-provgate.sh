#!/usr/bin/env bash
# Installs the provgate command line for CI jobs on Debian 12: builds it without tests and
# benchmarks, installs the packages it needs to run, and names a build for a cache.
#
#   install-provgate.sh key SOURCE [PLATFORM]
#       print the cache key of the CLI built from SOURCE: provgate's version, the platform
#       (default: this machine's distribution, release and architecture) and a digest of the
#       sources the build reads, of this script and of the Dockerfile beside it
#   install-provgate.sh build SOURCE PREFIX
#       install the build packages, build the CLI from SOURCE (no tests, no benchmarks) and
#       install it into PREFIX, with the list of packages it needs at run time
#   install-provgate.sh runtime PREFIX [PACKAGE...]
#       install the packages PREFIX's CLI needs, git (for `provgate gate --base`) and any
#       PACKAGE given, then check that PREFIX/bin/provgate runs
#   install-provgate.sh record PREFIX
#       write PREFIX/share/provgate/runtime-packages: the Debian packages that hold the shared
#       libraries PREFIX/bin/provgate loads (build does this)
#   install-provgate.sh vendor DEST
#       copy the GitHub action with the sources it builds from into DEST, a directory of a
#       repository of training manifests (.github/actions/provgate), replacing an earlier copy
#
# Only packages that are missing are installed, with apt-get: directly as root, through sudo
# otherwise (a GitHub-hosted runner); a container without sudo must run as root. On a machine
# that has everything, nothing needs root.
set -euo pipefail

# The Debian 12 packages the CLI's build needs (scripts/dev.sh lists these and the test tools).
BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libsimdjson-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev libssl-dev libboost-dev
  libcli11-dev
)
# What the build reads: the cache key is a digest of these (and of this script), and
# examples/ci/Dockerfile copies the same paths.
SOURCE_PATHS=(CMakeLists.txt cmake engine cli rules schemas)

die() {
  echo "install-provgate.sh: error: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "installing packages needs root, and sudo is not installed: run as root, or install: $*"
  fi
}

APT_UPDATED=false
# Installs the packages given that are not installed yet.
apt_install() {
  local package
  local -a missing=()
  command -v dpkg-query >/dev/null 2>&1 || die "this needs Debian (dpkg and apt-get)"
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "install-provgate.sh: installing ${missing[*]}"
  if [ "$APT_UPDATED" = false ]; then
    as_root apt-get update -qq
    APT_UPDATED=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

cache_key() {
  local source=$1 platform=${2:-} version digest path
  [ -f "$source/CMakeLists.txt" ] || die "$source holds no provgate source (no CMakeLists.txt)"
  version=$(sed -n 's/^project(provgate VERSION \([0-9A-Za-z.]*\).*/\1/p' "$source/CMakeLists.txt")
  [ -n "$version" ] || die "$source/CMakeLists.txt declares no provgate version"
  if [ -z "$platform" ]; then
    # shellcheck disable=SC1091
    platform=$(. /etc/os-release && echo "${ID:-unknown}-${VERSION_ID:-unknown}")-$(uname -m)
  fi
  for path in "${SOURCE_PATHS[@]}"; do
    [ -e "$source/$path" ] || die "$source/$path is missing"
  done
  digest=$(
    {
      (cd "$source" && find "${SOURCE_PATHS[@]}" -type f -print0 | LC_ALL=C sort -z |
        xargs -0 sha256sum)
      sha256sum < "${BASH_SOURCE[0]}"
      if [ -f "$(dirname "${BASH_SOURCE[0]}")/Dockerfile" ]; then
        sha256sum < "$(dirname "${BASH_SOURCE[0]}")/Dockerfile"
      fi
    } | sha256sum | cut -c1-32
  )
  echo "provgate-cli-$version-$platform-$digest"
}

record() {
  local prefix=$1 library candidate line owner path found
  local binary=$prefix/bin/provgate
  [ -x "$binary" ] || die "$binary is not an executable"
  command -v ldd >/dev/null 2>&1 || die "ldd is not installed"
  local -a libraries=() candidates=() packages=()
  mapfile -t libraries < <(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
  # usrmerge puts /lib beneath /usr, and dpkg may know a library under either name.
  for library in "${libraries[@]}"; do
    candidates+=("$library" "/usr$library" "${library#/usr}" "$(readlink -f "$library")")
  done
  local -A owners=()
  while IFS= read -r line; do
    owner=${line%%: /*}
    path=/${line#*: /}
    owners[$path]=${owner%%[:,]*}
  done < <(dpkg-query -S "${candidates[@]}" 2>/dev/null || true)
  for library in "${libraries[@]}"; do
    found=
    for candidate in "$library" "/usr$library" "${library#/usr}" "$(readlink -f "$library")"; do
      if [ -n "${owners[$candidate]:-}" ]; then
        found=${owners[$candidate]}
        break
      fi
    done
    [ -n "$found" ] || die "no Debian package holds $library, which provgate loads"
    packages+=("$found")
  done
  mkdir -p "$prefix/share/provgate"
  printf '%s\n' "${packages[@]}" | LC_ALL=C sort -u > "$prefix/share/provgate/runtime-packages"
}

build() {
  local source=$1 prefix=$2 build_dir
  [ -f "$source/CMakeLists.txt" ] || die "$source holds no provgate source (no CMakeLists.txt)"
  apt_install "${BUILD_PACKAGES[@]}"
  build_dir=$(mktemp -d "${TMPDIR:-/tmp}/provgate-build.XXXXXX")
  cmake -S "$source" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPROVGATE_BUILD_TESTS=OFF -DPROVGATE_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$prefix"
  cmake --build "$build_dir" --target provgate -j "$(nproc)"
  # The CLI alone: the default rule pack is built into it.
  install -D -m 0755 "$build_dir/cli/provgate" "$prefix/bin/provgate"
  strip "$prefix/bin/provgate" 2>/dev/null || true
  rm -rf "$build_dir"
  record "$prefix"
  "$prefix/bin/provgate" --version
}

runtime() {
  local prefix=$1
  shift
  local list=$prefix/share/provgate/runtime-packages
  [ -f "$list" ] || die "$list is missing: $prefix is not an install made by this script"
  local -a packages=()
  mapfile -t packages < "$list"
  apt_install git ca-certificates tar "${packages[@]}" "$@"
  "$prefix/bin/provgate" --version >/dev/null || die "$prefix/bin/provgate does not run"
}

vendor() {
  local dest=$1 source parent staging path version commit
  source=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  [ -f "$source/examples/ci/action.yml" ] || die "$source is not a provgate source tree"
  if [ -e "$dest" ] && [ ! -f "$dest/VENDORED" ]; then
    die "$dest exists and is not a copy this script made; remove it or choose another directory"
  fi
  parent=$(dirname "$dest")
  mkdir -p "$parent"
  staging=$(mktemp -d "$parent/.provgate-vendor.XXXXXX")
  for path in "${SOURCE_PATHS[@]}" examples/ci; do
    mkdir -p "$staging/$(dirname "$path")"
    cp -R "$source/$path" "$staging/$path"
  done
  # The action at the top, where `uses: ./.github/actions/provgate` looks for it.
  cp "$source/examples/ci/action.yml" "$staging/action.yml"
  version=$(sed -n 's/^project(provgate VERSION \([0-9A-Za-z.]*\).*/\1/p' "$source/CMakeLists.txt")
  commit=$(git -C "$source" rev-parse HEAD 2>/dev/null || echo unknown)
  if [ "$commit" != unknown ] && [ -n "$(git -C "$source" status --porcelain -- \
       "${SOURCE_PATHS[@]}" examples/ci 2>/dev/null)" ]; then
    commit="$commit with local changes"
  fi
  printf 'provgate %s, commit %s: the GitHub action and the sources it builds provgate from.\n%s\n' \
    "$version" "$commit" \
    "Replace it with: examples/ci/install-provgate.sh vendor DIR, run from a newer provgate." \
    > "$staging/VENDORED"
  rm -rf "$dest"
  mv "$staging" "$dest"
  echo "install-provgate.sh: provgate $version ($commit) copied to $dest"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  key)
    { [ "$#" -ge 2 ] && [ "$#" -le 3 ]; } || usage
    cache_key "$2" "${3:-}"
    ;;
  build) [ "$#" -eq 3 ] || usage; build "$2" "$3" ;;
  runtime) [ "$#" -ge 2 ] || usage; shift; runtime "$@" ;;
  record) [ "$#" -eq 2 ] || usage; record "$2" ;;
  vendor) [ "$#" -eq 2 ] || usage; vendor "$2" ;;
  *) usage ;;
esac
