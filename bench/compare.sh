#!/usr/bin/env bash
# Runs the engine benchmarks side by side and prints one table per bench (bench/compare.py):
#   Swift   .build/release/m2f bench engine      ("impl": "swift"; build it with `make build`)
#   C       bench/sgemm_openblas.c               ("impl": "c_openblas"; compiled into .build/bench/)
#           bench/minilm_openblas.c              ("impl": "c_openblas_gemms_only": MiniLM's 36 GEMMs alone)
#   PyTorch bench/torch_engine.py, 2 threads     ("impl": "torch"; needs `pip install torch`)
#   CTranslate2 bench/ctranslate2_whisper.py     ("impl": "ctranslate2"; needs `pip install ctranslate2`)
# Every program prints JSON lines {"bench", "impl", "median_ms", "gflops"}; `m2f bench text` has
# no reference program (its target is absolute). ROUNDS=1 for a quick look.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { echo "compare: $*" >&2; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT

# The machine may be shared or steal vCPUs in bursts, so every program runs ROUNDS times, interleaved
# (Swift, C, PyTorch, Swift, ...): a burst then hits both sides of a ratio instead of one.
ROUNDS=${ROUNDS:-3}

have_c=0
mkdir -p .build/bench
if cc -O2 bench/sgemm_openblas.c $(pkg-config --cflags --libs openblas) -o .build/bench/sgemm_openblas &&
    cc -O2 bench/minilm_openblas.c $(pkg-config --cflags --libs openblas) -o .build/bench/minilm_openblas; then
    have_c=1
else
    log "could not compile bench/sgemm_openblas.c; install libopenblas-dev and pkg-config"
fi

for ((round = 1; round <= ROUNDS; round++)); do
log "round $round of $ROUNDS"
if [[ -x .build/release/m2f ]]; then
    .build/release/m2f bench engine >>"$results" || log "m2f bench engine failed (exit $?)"
else
    log ".build/release/m2f not found; run 'make build' first (Swift numbers left out)"
fi

if [[ $have_c == 1 ]]; then
    .build/bench/sgemm_openblas >>"$results" || log "sgemm_openblas failed (exit $?)"
    .build/bench/minilm_openblas >>"$results" || log "minilm_openblas failed (exit $?)"
fi

if python3 -c "import torch" 2>/dev/null; then
    python3 bench/torch_engine.py >>"$results" || log "torch_engine.py failed (exit $?)"
    python3 bench/torch_minilm.py >>"$results" || log "torch_minilm.py failed (exit $?)"
else
    log "PyTorch is not installed; 'pip install torch' (CPU wheel is enough) to get the torch column"
fi

# Whisper tiny.en encoder: Swift vs CTranslate2 (needs `m2f models fetch` and `pip install ctranslate2`).
if [[ -x .build/release/m2f ]]; then
    .build/release/m2f bench speech >>"$results" || log "m2f bench speech failed (run 'm2f models fetch' first)"
    .build/release/m2f bench text >>"$results" || log "m2f bench text failed (run 'm2f models fetch' first)"
fi
if python3 -c "import ctranslate2" 2>/dev/null; then
    python3 bench/ctranslate2_whisper.py >>"$results" || log "ctranslate2_whisper.py failed (exit $?)"
else
    log "CTranslate2 is not installed; 'pip install ctranslate2' to get the Whisper reference column"
fi

done

python3 bench/compare.py <"$results"
