#!/bin/sh
# Runs one of the core's unit test programs compiled to wasm32 (tests/wasm) under Node.
# Exit 77 (CTest: skipped) when it is not built: ./build.sh test builds it, or
#   cmake --build build/wasm --target chat_wasm_tests
# Emscripten 3.1.6's output needs --no-experimental-fetch under Node 20 to load its .wasm.
js="$1"
shift
if [ ! -f "$js" ]; then
  echo "not built: $js (./build.sh test, or cmake --build build/wasm --target chat_wasm_tests)"
  exit 77
fi
exec node --no-experimental-fetch "$js" "$@"
