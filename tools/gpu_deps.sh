#!/usr/bin/env bash
# Copy the pure-Python packages jaw_fastai needs beyond a CUDA image's usual ones (torch, torchvision, numpy,
# pandas, scikit-learn, matplotlib, opencv, safetensors, accelerate ...) from this virtual environment into DEST,
# for a GPU machine that cannot reach a package index. There:  PYTHONPATH=DEST:$PWD python3 -m pytest -m gpu tests/test_gpu.py
# plum-dispatch's compiled modules are left out (they are for this Python; its pure-Python ones run anywhere).
#     bash tools/gpu_deps.sh .gpu/site
set -euo pipefail
dest=${1:?usage: tools/gpu_deps.sh DEST}
site=$(python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
mkdir -p "$dest"
for p in fastai fastcore fastprogress fasttransform plum beartype fastdownload pytorch_grad_cam ttach \
         fasthtml itsdangerous python_multipart multipart starlette; do
  [ -d "$site/$p" ] || { echo "missing in $site: $p" >&2; exit 1; }
  cp -r "$site/$p" "$dest/"
done
find "$dest" -name __pycache__ -prune -exec rm -rf {} +
rm -f "$dest"/plum/*.so
du -sh "$dest"
