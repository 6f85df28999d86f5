#!/usr/bin/env bash
# The GPU benchmark of issues 6 and 16, in one go (about 5 minutes on one H100 or H200; 3-4 more with --ufba).
# Run from the repository root on a machine with a CUDA GPU and jaw_fastai installed (pip install -e .):
#     bash bench/gpu.sh                     # add --smoke to check it on any machine, CPU included
#     bash bench/gpu.sh --ufba DIR          # also the default recipe's 5-fold CV on the UFBA-425 films in DIR
#                                           # at 128, 256 and 384 px, side by side on the one GPU (fold seed 42)
set -euo pipefail
cd "$(dirname "$0")/.."
ufba=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ufba) ufba="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi: running on $(uname -m)"
python bench/gpu_bench.py --compile --profile "${args[@]+"${args[@]}"}"
if [ -n "$ufba" ]; then
  out=$(mktemp -d)
  for s in 128 256 384; do python bench/ufba_cv.py --data "$ufba" --only default --set size=$s --out "$out/$s" > "$out/$s.log" 2>&1 & done
  wait
  for s in 128 256 384; do echo "-- UFBA default recipe at $s px"; grep -E "^fold|^default" "$out/$s.log" || tail -5 "$out/$s.log"; done
fi
