#!/usr/bin/env bash
# Runs every benchmark and writes <out dir>/results.md and results.json.
#
#   tests/bench/run_all.sh <native build dir> <out dir>      (./build.sh bench calls it)
#
# Pieces, each bounded in time and stopping by itself (raw outputs and logs in <out dir>/raw):
#   core      chat_core_bench (Google Benchmark, JSON)           client decode / reduce / encode
#   ui        chat_ui_bench                                      frame CPU while a long reply streams
#   a11y      chat_a11y_bench                                    the accessible twin's cost per frame
#   idle      chat-loadgen idle    1k and 10k idle WebSocket clients, gateway RSS per connection
#   stream    chat-loadgen stream  1, 100, 1000 clients streaming /long replies
#   fairness  chat-loadgen fairness 100 paced streams alone and beside one flooding session
#   storm     chat-loadgen storm   5,000 clients, gateway SIGKILLed and restarted
#   poll      chat-loadgen poll    1,000 HTTP long-polling clients
#   hardening hardening_bench.mjs  /api/health p99 under 1,000 slowloris connections
#                                  (slowhttptest), RSS with 2,000 unauthenticated bodies and after
#   versus-*  chat-loadgen stream  ours (SQLite, :memory:) vs the Node `ws` reference, same run
#   upstream  chat-upstream-bench  relaying a fake OpenAI-compatible upstream: tokens/s, first-token overhead
#   redis     chat-redis-bench     the Redis log and the gateway's commit path on it: events/s one node
#                                  vs two (and with appendfsync always), cross-node delivery p50/p99
#   browser   browser_bench.mjs    the real page in headless Chromium (needs build/wasm/dist)
# No figure is a pass/fail check: a piece that fails is listed as failed in the table.
#
# CHAT_BENCH_PIECES="name-prefix ..." runs only the pieces whose names start with one of the
# prefixes (builds included: name them too), e.g. the side-by-side comparison alone:
#   CHAT_BENCH_PIECES="build-loadgen versus" tests/bench/run_all.sh build/native build/bench
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$(cd "${1:?usage: run_all.sh <native build dir> <out dir>}" && pwd)"
OUT="${2:?usage: run_all.sh <native build dir> <out dir>}"
DIST="${CHAT_DIST:-$ROOT/build/wasm/dist}"
mkdir -p "$OUT/raw"
OUT="$(cd "$OUT" && pwd)"
RAW="$OUT/raw"
rm -f "$RAW"/*.jsonl "$RAW"/*.log "$RAW"/core.json "$RAW"/status.tsv
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

# 10k clients need 10k descriptors in the load generator and as many in the gateway.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "==> bench: open files limit $(ulimit -n)" >&2

T_START=$(date +%s)
GATEWAY="$BUILD/src/gateway/chat-gateway"
LOADGEN="$BUILD/tests/bench/chat-loadgen"
CORE="$BUILD/tests/bench/chat_core_bench"
UI="$BUILD/tests/bench/chat_ui_bench"
A11Y="$BUILD/tests/bench/chat_a11y_bench"

# run <name> <time limit s> <command...>: stdout -> raw/<name>.jsonl, stderr -> raw/<name>.log
# wanted <name>: true unless CHAT_BENCH_PIECES leaves the piece out.
wanted() {
  [ -z "${CHAT_BENCH_PIECES:-}" ] && return 0
  local prefix
  for prefix in $CHAT_BENCH_PIECES; do
    case "$1" in "$prefix"*) return 0 ;; esac
  done
  return 1
}

run() {
  local name="$1" limit="$2"; shift 2
  local t0 rc
  wanted "$name" || return 0
  t0=$(date +%s)
  echo "==> bench: $name" >&2
  timeout --kill-after=10 "$limit" "$@" >"$RAW/$name.jsonl" 2>"$RAW/$name.log"
  rc=$?
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - t0 ))" >>"$RAW/status.tsv"
  [ "$rc" = 0 ] || echo "==> bench: $name exited with $rc (see $RAW/$name.log)" >&2
  tail -n 3 "$RAW/$name.log" >&2
}

# The benchmark targets are not part of the default build (EXCLUDE_FROM_ALL): build them here.
run build-core-bench 1200 cmake --build "$BUILD" --target chat_core_bench -j "$(nproc)"
run build-ui-bench 1200 cmake --build "$BUILD" --target chat_ui_bench -j "$(nproc)"
run build-a11y-bench 1200 cmake --build "$BUILD" --target chat_a11y_bench -j "$(nproc)"
run build-loadgen 1200 cmake --build "$BUILD" --target chat-loadgen -j "$(nproc)"
run build-upstream-bench 1200 cmake --build "$BUILD" --target chat-upstream-bench -j "$(nproc)"
run build-redis-bench 1200 cmake --build "$BUILD" --target chat-redis-bench -j "$(nproc)"

# The browser piece measures the client built from the current sources: ./build.sh web (a
# no-op when up to date). Never two wasm builds at once in build/wasm: wait for one already
# running. CHAT_DIST=DIR (a client built elsewhere) or CHAT_BENCH_WEB_BUILD=0 skip this.
if [ -z "${CHAT_DIST:-}" ] && [ "${CHAT_BENCH_WEB_BUILD:-1}" = 1 ] && command -v emcc >/dev/null 2>&1 && wanted build-web; then
  for _ in $(seq 120); do
    pgrep -f "build.sh web" >/dev/null 2>&1 || break
    echo "==> bench: waiting for a running ./build.sh web" >&2
    sleep 5
  done
  run build-web 1200 "$ROOT/build.sh" web
fi

if [ -x "$CORE" ]; then
  run core 300 "$CORE" --benchmark_format=json --benchmark_out="$RAW/core.json" \
    --benchmark_out_format=json --benchmark_min_time=0.5
else
  printf 'core\tmissing\t0\n' >>"$RAW/status.tsv"
fi

if [ -x "$UI" ]; then
  run ui 300 "$UI"
else
  printf 'ui\tmissing\t0\n' >>"$RAW/status.tsv"
fi

if [ -x "$A11Y" ]; then
  run a11y 120 "$A11Y"
else
  printf 'a11y\tmissing\t0\n' >>"$RAW/status.tsv"
fi

if [ -x "$LOADGEN" ] && [ -x "$GATEWAY" ]; then
  run idle 240 "$LOADGEN" idle --gateway "$GATEWAY" --counts 1000,10000 --hold-ms 3000
  run stream 300 "$LOADGEN" stream --gateway "$GATEWAY" --clients 1,100,1000 --delay-ms 20 --events 20000 --timeout-s 60
  run fairness 240 "$LOADGEN" fairness --gateway "$GATEWAY" --clients 100 --words 100 --delay-ms 20 --flood-bytes 16384 --flood-window 32
  run storm 360 "$LOADGEN" storm --gateway "$GATEWAY" --clients 5000 --words 20 --delay-ms 20
  run poll 180 "$LOADGEN" poll --gateway "$GATEWAY" --clients 1000 --words 20 --delay-ms 20 --timeout-s 90
  # Side by side, same run, same load generator: ours with its SQLite log, ours with
  # --db :memory:, and the minimal Node `ws` reference (node_ref_gateway.mjs, in memory).
  # Unpaced (--demo-delay-ms 0) at 100 and 1,000 clients, paced (20 ms) at 1,000 and 10,000.
  NODE_REF="$HERE/node_ref_gateway.mjs"
  if [ -d "$HERE/node_modules/ws" ]; then
    versus() {  # versus <piece> <loadgen stream options...>
      local piece="$1"; shift
      run "$piece-ours-sqlite" 300 "$LOADGEN" stream --gateway "$GATEWAY" --label ours-sqlite "$@"
      run "$piece-ours-memory" 300 "$LOADGEN" stream --gateway "$GATEWAY" --label ours-memory --db memory "$@"
      run "$piece-node-ws" 300 "$LOADGEN" stream --gateway "$NODE_REF" --label node-ws "$@"
    }
    versus versus-100 --clients 100 --delay-ms 0 --words 400 --timeout-s 120
    versus versus-1000 --clients 1000 --delay-ms 0 --words 100 --timeout-s 120
    versus versus-1000p --clients 1000 --delay-ms 20 --words 100 --timeout-s 120
    versus versus-10000p --clients 10000 --delay-ms 20 --words 50 --timeout-s 120
  else
    echo "==> bench: Node reference skipped: tests/bench/node_modules/ws missing (./build.sh deps)" >&2
    printf 'versus\tmissing\t0\n' >>"$RAW/status.tsv"
  fi
  run upstream 180 "$BUILD/tests/bench/chat-upstream-bench" --tokens 200000 --runs 30
  if command -v redis-server >/dev/null 2>&1; then
    run redis 180 "$BUILD/tests/bench/chat-redis-bench" --events 200000 --samples 2000
  else
    printf 'redis\tmissing\t0\n' >>"$RAW/status.tsv"
  fi
  run hardening 180 node "$HERE/hardening_bench.mjs" --gateway "$GATEWAY"
else
  echo "==> bench: gateway pieces skipped: $GATEWAY or $LOADGEN is not built" >&2
  printf 'gateway\tmissing\t0\n' >>"$RAW/status.tsv"
fi

if [ -f "$DIST/index.html" ] && [ -x "$GATEWAY" ] && [ -x "$LOADGEN" ]; then
  run browser 420 node "$HERE/browser_bench.mjs" --gateway "$GATEWAY" --loadgen "$LOADGEN" --dist "$DIST" \
    --playwright "$ROOT/tests/e2e/node_modules/playwright-core"
elif [ ! -f "$DIST/index.html" ]; then
  echo "==> bench: browser skipped: no client in $DIST (run ./build.sh web first)" >&2
  printf 'browser\tmissing-client\t0\n' >>"$RAW/status.tsv"
else
  echo "==> bench: browser skipped: the gateway or the load generator is not built" >&2
  printf 'browser\tmissing\t0\n' >>"$RAW/status.tsv"
fi

T_END=$(date +%s)
node "$HERE/report.mjs" --raw "$RAW" --out "$OUT" --seconds "$(( T_END - T_START ))" --dist "$DIST"
echo "==> bench: $OUT/results.md ($(( T_END - T_START )) s)" >&2
