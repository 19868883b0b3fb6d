#!/usr/bin/env bash
# npm run test:cuda — the CUDA backend's checks, one prepared script for a GPU machine.
#   1. The standalone C++ parity harness (build/cuda/dte_cuda_parity, the CPU kernels as reference):
#      kernel parity, greedy decoding per architecture and weight type, batch invariance, then bench:cuda
#      (decode b1/b8/b32/b128 and a 2,048-token prefill on a ~1B synthetic model per weight type).
#      It needs no Node and no compiler: where they are missing, carry native/build/cuda from a machine
#      that built it (`npm run build:cuda -w native`, which needs nvcc but no GPU).
#   2. Where node and the installed packages exist: the Node-level backend tests on the device.
# Exit status: 0 all passed; 1 a check failed; 77 no usable device (host checks still ran).
# Options: --quick (fewer shapes), --no-bench, --bench-only (for npm run bench:cuda).
set -uo pipefail
cd "$(dirname "$0")/.."
quick=() bench=(--bench) node_tests=1
for a in "$@"; do
  case "$a" in
    --quick) quick=(--quick) ;;
    --no-bench) bench=() ;;
    --bench-only) quick=(--quick) node_tests=0 ;;
    *) echo "usage: $0 [--quick] [--no-bench] [--bench-only]" >&2; exit 2 ;;
  esac
done
lib=build/cuda/libdte_cuda.so
harness=build/cuda/dte_cuda_parity
if command -v node >/dev/null 2>&1 && { command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; } &&
  [ -d build/Release/obj.target ]; then
  node scripts/build-cuda.cjs || exit 1
fi
if [ ! -x "$harness" ] || [ ! -f "$lib" ]; then
  echo "test:cuda: $harness or $lib is missing: build them with \`npm run build:cuda -w native\` (needs nvcc)" >&2
  exit 1
fi
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "== parity harness"
"$harness" --library "$lib" "${quick[@]}" "${bench[@]}"
rc=$?
[ "$rc" -eq 1 ] && exit 1
if [ "$node_tests" -eq 1 ] && command -v node >/dev/null 2>&1 && [ -x ../node_modules/.bin/vitest ]; then
  echo "== node-level backend tests"
  (cd .. && node_modules/.bin/vitest run native/test/backend.test.ts) || exit 1
else
  echo "== node-level backend tests: skipped (no node or no installed packages here)"
fi
exit "$rc"
