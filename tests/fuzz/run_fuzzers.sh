#!/usr/bin/env bash
# Runs every libFuzzer harness built in BUILD_DIR for SECONDS each, one after the other
# (-jobs=1: one core), after replaying the inputs that once crashed (tests/fuzz/regressions/
# <harness>/). The corpus grows in BUILD_DIR/corpus/<harness> (seeded from tests/fuzz/seeds/);
# a crash, leak or sanitizer report is saved in BUILD_DIR/crashes/ and fails the run.
# Prints one line per harness: executions, exec/s, corpus size.
#   usage: run_fuzzers.sh BUILD_DIR SECONDS [harness ...]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="$1"; SECONDS_EACH="$2"; shift 2
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$DIR"/fuzz_*; do [ -x "$f" ] && [ -f "$f" ] && harnesses+=("$(basename "$f")"); done
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for name in "${harnesses[@]}"; do
  bin="$DIR/$name"
  corpus="$DIR/corpus/$name"
  mkdir -p "$corpus" "$DIR/crashes"
  regress="$HERE/regressions/$name"
  if [ -d "$regress" ] && [ -n "$(ls -A "$regress" 2>/dev/null)" ]; then
    if ! "$bin" "$regress"/* >"$DIR/$name.regress.log" 2>&1; then
      echo "FAIL $name: a regression input crashes again (see $DIR/$name.regress.log)"
      status=1
      continue
    fi
  fi
  seeds=()
  [ -d "$HERE/seeds/$name" ] && seeds+=("$HERE/seeds/$name")
  log="$DIR/$name.log"
  "$bin" -max_total_time="$SECONDS_EACH" -jobs=1 -workers=1 -print_final_stats=1 \
    -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$DIR/crashes/$name-" "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  rate="$(grep -o 'exec/s: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')"
  units="$(ls "$corpus" | wc -l)"
  if [ "$rc" -ne 0 ]; then
    echo "FAIL $name: exit $rc after ${execs:-?} executions; input in $DIR/crashes/ (log $log)"
    grep -m5 -E "ERROR|SUMMARY|runtime error|deadly signal" "$log" | sed 's/^/    /'
    status=1
  else
    echo "ok   $name: ${execs:-?} executions in ${SECONDS_EACH} s (${rate:-?} exec/s), corpus $units"
  fi
done
exit "$status"
