#!/usr/bin/env bash
# The GPU benchmark of issue 6, in one go (under 5 minutes on one H100 or H200).
# Run from the repository root on a machine with a CUDA GPU and jaw_fastai installed (pip install -e .):
#     bash bench/gpu.sh            # add --smoke to check it on any machine, CPU included
set -euo pipefail
cd "$(dirname "$0")/.."
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi: running on $(uname -m)"
python bench/gpu_bench.py --compile "$@"
