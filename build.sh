#!/usr/bin/env bash
# One entry point for everything: ./build.sh <command>
#
#   deps              install what is missing (Debian packages, npm, Dear ImGui source)
#   test [--sanitize] build and run the whole test suite through CTest, the core's unit tests
#                     also compiled to wasm32 and run under Node (CTest label wasm)
#                     (--sanitize: unit + integration suites built with ASan + UBSan)
#   test-e2e          only the browser tests (headless Chromium against the real gateway)
#   web               build the WebAssembly client into build/wasm/dist
#   run               build client and gateway, start the gateway serving the client, print URL
#   bench             run every benchmark, write build/bench/results.{md,json}
#   fuzz [SECONDS]    build the libFuzzer harnesses (clang, ASan + UBSan) in build/fuzz and
#                     run each for SECONDS (default 60); crashing inputs fail the run
#
# Idempotent: each command installs or builds only what is missing or stale.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$ROOT/build"
DEPS="$BUILD/deps"
IMGUI_VERSION="1.90.1"
IMGUI_DIR="$DEPS/imgui-$IMGUI_VERSION"
JOBS="${JOBS:-$(nproc)}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

T0=$SECONDS
elapsed() { local s=$((SECONDS - T0)); printf '%d:%02d' $((s / 60)) $((s % 60)); }
log() { printf '\033[1m==> [+%s] %s\033[0m\n' "$(elapsed)" "$*" >&2; }

# ccache (installed by deps, used by CMake as the compiler launcher when present): one cache
# for every checkout and build kind; BASEDIR makes its keys independent of the checkout's path.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$ROOT")}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
export CCACHE_NOHASHDIR=1
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_PACKAGES=(
  cmake g++ make ninja-build ccache pkg-config git
  emscripten
  nlohmann-json3-dev googletest libgtest-dev libgmock-dev libbenchmark-dev
  libboost-dev libsqlite3-dev libssl-dev openssl
  fonts-dejavu-core chromium
  fonttools brotli
  fonts-noto-color-emoji fonts-wqy-microhei
  clang-14 libclang-rt-14-dev libfuzzer-14-dev slowhttptest
  redis-server libhiredis-dev haproxy
)

missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
  # Node.js may come from another packaging (with its own npm): only ask Debian when absent.
  command -v node >/dev/null 2>&1 || echo nodejs
  command -v npm >/dev/null 2>&1 || echo npm
}

install_apt() {
  local missing
  missing="$(missing_apt_packages | tr '\n' ' ')"
  [ -z "${missing// }" ] && return 0
  log "installing Debian packages: $missing"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# Dear ImGui is in no binary package: fetch Debian trixie's source package through a private apt
# configuration inside build/deps, so the machine's own apt sources stay untouched. The mirror
# and keyring are read from the machine's apt configuration at build time.
fetch_imgui() {
  [ -f "$IMGUI_DIR/imgui.h" ] && return 0
  log "fetching Dear ImGui $IMGUI_VERSION (Debian trixie source package)"
  local apt="$DEPS/apt" src_file uris signed
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$DEPS/src"
  src_file=/etc/apt/sources.list.d/debian.sources
  if [ -f "$src_file" ]; then
    uris="$(awk '/^URIs:/ {print $2; exit}' "$src_file")"
    signed="$(awk '/^Signed-By:/ {print $2; exit}' "$src_file")"
  else
    uris="$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)"
    signed=/usr/share/keyrings/debian-archive-keyring.gpg
  fi
  [ -n "$uris" ] || die "cannot find the Debian mirror in the machine's apt configuration"
  [ -n "$signed" ] || signed=/usr/share/keyrings/debian-archive-keyring.gpg
  cat > "$apt/imgui.sources" <<SRC
Types: deb-src
URIs: $uris
Suites: trixie
Components: main
Signed-By: $signed
SRC
  local opts=(-o "Dir::Etc::SourceList=$apt/imgui.sources" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -qq)
  apt-get "${opts[@]}" update
  (cd "$DEPS/src" && apt-get "${opts[@]}" source --download-only "imgui=$IMGUI_VERSION*" 2>/dev/null ||
     apt-get "${opts[@]}" source --download-only imgui)
  local orig
  orig="$(ls "$DEPS"/src/imgui_"$IMGUI_VERSION"*.orig.tar.* 2>/dev/null | head -n1)"
  [ -n "$orig" ] || die "Dear ImGui source tarball not found in $DEPS/src"
  rm -rf "$IMGUI_DIR.tmp" && mkdir -p "$IMGUI_DIR.tmp"
  tar -xf "$orig" -C "$IMGUI_DIR.tmp" --strip-components=1
  mv "$IMGUI_DIR.tmp" "$IMGUI_DIR"
}

install_npm() {
  if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
    log "installing npm packages for the browser tests"
    (cd "$ROOT/tests/e2e" && npm install --no-audit --no-fund --silent)
  fi
  # The benchmark's reference gateway (tests/bench/node_ref_gateway.mjs) runs on npm `ws`.
  if [ ! -d "$ROOT/tests/bench/node_modules/ws" ]; then
    log "installing npm packages for the benchmark's Node reference gateway"
    (cd "$ROOT/tests/bench" && npm install --no-audit --no-fund --silent)
  fi
}

cmd_deps() {
  install_apt
  fetch_imgui
  install_npm
}

deps_if_missing() {
  if [ -n "$(missing_apt_packages)" ] || [ ! -f "$IMGUI_DIR/imgui.h" ] ||
     [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] ||
     [ ! -d "$ROOT/tests/bench/node_modules/ws" ]; then
    cmd_deps
  fi
}

configure_native() {  # $1 = preset
  local preset="$1" dir
  dir="$BUILD/${preset#native-}"; [ "$preset" = native ] && dir="$BUILD/native"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake --preset "$preset" -S "$ROOT" >&2
  fi
  echo "$dir"
}

build_native() {  # $1 = preset, then optional targets (default: everything)
  local preset="$1" dir; shift
  dir="$(configure_native "$preset")"
  local targets=()
  local t; for t in "$@"; do targets+=(--target "$t"); done
  log "building native ($preset${*:+: $*}) in ${dir#"$ROOT"/}; [done/total] steps follow"
  cmake --build "$dir" -j "$JOBS" "${targets[@]}" >&2  # progress to stderr: stdout carries the directory
  echo "$dir"
}

cmd_web() {
  deps_if_missing
  local dir="$BUILD/wasm"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    log "configuring the wasm build"
    emcmake cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHAT_IMGUI_DIR="$IMGUI_DIR" >/dev/null
  fi
  log "building the wasm client in ${dir#"$ROOT"/}; [done/total] steps follow"
  cmake --build "$dir" -j "$JOBS" >&2
  log "client in $dir/dist"
}

# The core's unit tests (protocol, chat, engine) compiled with Emscripten into the wasm tree
# (tests/wasm; GoogleTest built there from Debian's googletest source). CTest runs them under
# Node as wasm_*_tests, label wasm.
build_wasm_tests() {
  log "building the core's unit tests for wasm32 in ${BUILD#"$ROOT"/}/wasm/tests/wasm; [done/total] steps follow"
  cmake --build "$BUILD/wasm" -j "$JOBS" --target chat_wasm_tests >&2
}

cmd_test() {
  deps_if_missing
  local preset=native
  local filter=()
  if [ "${1:-}" = "--sanitize" ]; then
    # The sanitized build runs the unit and integration suites (the gateway and the native
    # client under ASan/UBSan); the browser tests run once, in the plain build.
    # The fuzz harnesses are sanitized builds of their own: their short run is in the plain suite
    # (so are the wasm runs of the core's tests).
    preset=native-sanitize; filter=(-LE "e2e|fuzz|wasm"); shift
  fi
  if [ "$preset" = native ]; then
    cmd_web  # the browser tests need the client
    build_wasm_tests  # the core's unit tests on wasm32, run by CTest (label wasm) under Node
    if command -v clang++-14 >/dev/null 2>&1; then
      build_fuzz  # built here, where its progress shows, not inside the fuzz_short_run test
    fi
  fi
  local dir
  dir="$(build_native "$preset" | tail -n1)"
  if [ "$preset" = native ]; then
    # Compiled, not run (./build.sh bench runs them): a benchmark that stopped building shows here.
    build_native native chat_benches >/dev/null
  fi
  log "running tests ($preset)"
  local rc=0
  (cd "$dir" && ctest --output-on-failure -j "$JOBS" "${filter[@]}" "$@") || rc=$?
  log "tests ($preset) finished with status $rc after $(elapsed) (m:ss)"
  return "$rc"
}

cmd_test_e2e() {
  deps_if_missing
  cmd_web
  local dir
  dir="$(build_native native | tail -n1)"
  local rc=0
  (cd "$dir" && ctest --output-on-failure -L e2e "$@") || rc=$?
  log "browser tests finished with status $rc after $(elapsed) (m:ss)"
  return "$rc"
}

cmd_run() {
  deps_if_missing
  local static_dir=""
  if [ -f "$ROOT/src/web/CMakeLists.txt" ]; then cmd_web; static_dir="$BUILD/wasm/dist"; fi
  # Only what runs: the gateway and its libraries, none of the test targets.
  local dir
  dir="$(build_native native chat-gateway | tail -n1)"
  [ -x "$dir/src/gateway/chat-gateway" ] || die "the gateway is not built yet"
  mkdir -p "$BUILD/data"
  local args=(--db "$BUILD/data/chat.db")
  [ -n "$static_dir" ] && args+=(--static "$static_dir")
  log "built after $(elapsed) (m:ss); starting the gateway (Ctrl+C stops it)"
  exec "$dir/src/gateway/chat-gateway" "${args[@]}" "$@"
}

cmd_bench() {
  deps_if_missing
  local dir
  dir="$(build_native native | tail -n1)"
  [ -x "$ROOT/tests/bench/run_all.sh" ] || die "benchmarks are not built yet"
  "$ROOT/tests/bench/run_all.sh" "$dir" "$BUILD/bench"
}

build_fuzz() {
  local dir="$BUILD/fuzz"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    log "configuring the fuzz harnesses (clang-14, libFuzzer, ASan + UBSan) in ${dir#"$ROOT"/}"
    cmake -S "$ROOT/tests/fuzz" -B "$dir" -G Ninja \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  fi
  log "building the fuzz harnesses in ${dir#"$ROOT"/}; [done/total] steps follow"
  cmake --build "$dir" -j "$JOBS" >&2
}

cmd_fuzz() {  # [seconds per harness]
  local seconds="${1:-60}"
  command -v clang++-14 >/dev/null 2>&1 || die "clang++-14 (libFuzzer) is missing: ./build.sh deps"
  local dir="$BUILD/fuzz"
  build_fuzz
  log "fuzzing, ${seconds} s per harness"
  "$ROOT/tests/fuzz/run_fuzzers.sh" "$dir" "$seconds"
}

case "${1:-}" in
  deps) shift; cmd_deps "$@" ;;
  test) shift; cmd_test "$@" ;;
  test-e2e) shift; cmd_test_e2e "$@" ;;
  web) shift; cmd_web "$@" ;;
  run) shift; cmd_run "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
