#!/usr/bin/env bash
# provgate set-up: installs what is missing (Debian 12, as root), configures and builds, then
#   scripts/dev.sh demo   runs `provgate check` on a bundled example
#   scripts/dev.sh test   runs the whole test suite, with every tool the tests use
#   scripts/dev.sh build  only builds
#   scripts/dev.sh fuzz   builds with clang, libFuzzer and sanitizers in build-fuzz/ and runs
#                         the fuzz tests (PROVGATE_FUZZ_SECONDS per target, default 30)
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail

cd "$(dirname "$0")/.."
COMMAND=${1:-demo}
case "$COMMAND" in
  demo|test|build|fuzz) ;;
  *)
    echo "usage: scripts/dev.sh [demo|test|build|fuzz]" >&2
    exit 2
    ;;
esac
BUILD_DIR=${PROVGATE_BUILD_DIR:-build}
JOBS=${PROVGATE_JOBS:-2}

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev libssl-dev
  libboost-dev libgtest-dev libgmock-dev libcli11-dev
  python3 python3-dev pybind11-dev
  python3-jsonschema python3-yaml python3-license-expression python3-cryptography
  python3-markdown-it
  openssl graphviz jq
)
# Node.js and npm run the Sigstore interoperability test; a machine may have them from
# elsewhere than Debian (then the commands are there and nothing is installed).
if [ "$COMMAND" = test ]; then
  # The CI examples' shell steps are linted with shellcheck (tests/ci/integrations_test.py).
  PACKAGES+=(shellcheck)
  # provgate.dask's tests run a local Dask cluster; they read dataframes with pandas.
  PACKAGES+=(python3-dask python3-distributed python3-pandas)
  # provgate export's SPDX 3 documents are checked against the SPDX model (Turtle, read by
  # rdflib) and expanded with the SPDX JSON-LD context (pyld): tests/interop/spdx3_check.py.
  PACKAGES+=(python3-rdflib python3-pyld)
  command -v node >/dev/null || PACKAGES+=(nodejs)
  command -v npm >/dev/null || PACKAGES+=(npm)
fi
if [ "$COMMAND" = fuzz ]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi

# sigstore-js for tests/attest/sigstore_verify.js: exact versions of the packages and of their
# dependencies, installed into the build tree, where the test looks for them.
SIGSTORE_JS_PACKAGES=(
  @sigstore/verify@2.1.1
  @sigstore/bundle@3.1.0
  @sigstore/core@2.0.0
  @sigstore/protobuf-specs@0.4.3
)
# cel-spec's conformance tests, as @bufbuild/cel-spec ships them, for the test
# expr.cel_conformance (tests/conformance/cel): an exact version, installed into the build tree
# without its optional peer dependency (the test reads only the test data).
CEL_SPEC_PACKAGES=(
  @bufbuild/cel-spec@0.6.1
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

# Installs npm packages (NAME@VERSION, after $1 the directory and $2 the test that needs them)
# into DIR/node_modules unless exactly those versions are there. Peer dependencies are not
# installed: each package needed is listed with its exact version.
install_npm_packages() {
  local dir=$1 test_name=$2 spec name version have
  shift 2
  local stale=0
  for spec in "$@"; do
    name=${spec%@*}
    version=${spec##*@}
    have=$(node -p "require('$dir/node_modules/$name/package.json').version" 2>/dev/null || true)
    [ "$have" = "$version" ] || stale=1
  done
  [ "$stale" -eq 0 ] && return 0
  echo "Installing into $dir: $*"
  mkdir -p "$dir"
  if ! npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
       --ignore-scripts --legacy-peer-deps --loglevel=error "$@"; then
    echo "warning: npm could not install $*; $test_name will be skipped" >&2
  fi
}

if [ "$COMMAND" = fuzz ]; then
  FUZZ_DIR=${PROVGATE_FUZZ_BUILD_DIR:-build-fuzz}
  if [ ! -f "$FUZZ_DIR/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DPROVGATE_FUZZ=ON -DPROVGATE_BUILD_BENCH=OFF
  fi
  cmake "$FUZZ_DIR" -DPROVGATE_FUZZ_SECONDS="${PROVGATE_FUZZ_SECONDS:-30}" >/dev/null
  cmake --build "$FUZZ_DIR" -j "$JOBS"
  exec ctest --test-dir "$FUZZ_DIR" -L fuzz --output-on-failure
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPROVGATE_WERROR="${PROVGATE_WERROR:-OFF}" -DPROVGATE_PYTHON_PACKAGE=ON
elif ! grep -q '^PROVGATE_PYTHON_BUILT:INTERNAL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  # Configured before the Python package's dependencies were installed: look for them again.
  cmake "$BUILD_DIR" -DPROVGATE_PYTHON_PACKAGE=ON -Dpybind11_DIR= > /dev/null
fi
cmake --build "$BUILD_DIR" -j "$JOBS"
# What a user needs: the command (on the PATH, /usr/local/bin), the library and its headers,
# and the Python package (for Debian's python3, in /usr/local/lib/python3.*/dist-packages).
if [ "$COMMAND" = demo ] || [ "$COMMAND" = test ]; then
  cmake --install "$BUILD_DIR" > /dev/null
  # The package is built for Debian's python3. When the python3 a shell finds first is another
  # interpreter of the same version (pyenv, say), it is pointed at the package too.
  package_dir=$(sed -n 's/^PROVGATE_PYTHON_INSTALL_DIR:PATH=//p' "$BUILD_DIR/CMakeCache.txt")
  other=$(command -v python3 || true)
  if [ -n "$package_dir" ] && [ -n "$other" ] && [ "$(readlink -f "$other")" != "$(readlink -f /usr/bin/python3)" ] &&
     [ "$("$other" -c 'import sys; print(sys.version_info[:2])' 2>/dev/null)" = \
       "$(/usr/bin/python3 -c 'import sys; print(sys.version_info[:2])')" ]; then
    site_dir=$("$other" -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null || true)
    if [ -n "$site_dir" ] && [ -d "$site_dir" ]; then
      echo "$package_dir" > "$site_dir/provgate-debian.pth"
    fi
  fi
fi

case "$COMMAND" in
  demo)
    provgate check examples/licensed-closed/manifest.json --format text
    /usr/bin/python3 -c 'import provgate; print("provgate", provgate.__version__, "for Python:",
      provgate.check("examples/licensed-closed/manifest.json").verdict)'
    ;;
  test)
    install_npm_packages "$(cd "$BUILD_DIR" && pwd)/sigstore-js" attest.sigstore_js \
      "${SIGSTORE_JS_PACKAGES[@]}"
    install_npm_packages "$(cd "$BUILD_DIR" && pwd)/cel-spec" expr.cel_conformance \
      "${CEL_SPEC_PACKAGES[@]}"
    # The Python package's tests are part of the suite: registered, or the suite is not whole.
    if [ "$(ctest --test-dir "$BUILD_DIR" -N -R '^python[.]' | grep -c 'Test *#')" -lt 5 ]; then
      echo "error: the Python package's tests (python.*) are not registered" >&2
      exit 1
    fi
    ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure
    ;;
  build)
    ;;
esac
