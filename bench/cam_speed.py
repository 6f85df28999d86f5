"""Grad-CAM on a batch of 64 images against one image at a time, per image, side by side in one run
(target, issue 4: batched at least 3x faster per image).

Uses `jaw_resnet` at 128 px on synthetic films (weights need not be trained for timing).

    python bench/cam_speed.py [--n 64] [--size 128] [--method gradcam]
"""
import argparse, os, platform, time, warnings
import numpy as np
import torch
warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.models import jaw_resnet
from jaw_fastai.cam import grad_cam
from jaw_fastai.synth import synth_xray, SYNTH_CLASSES

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--n', type=int, default=64); p.add_argument('--size', type=int, default=128)
p.add_argument('--method', default='gradcam'); p.add_argument('--repeats', type=int, default=3)
a = p.parse_args()
torch.manual_seed(0)
model = jaw_resnet(1, 5).eval()
xb = torch.stack([torch.from_numpy(np.asarray(synth_xray(SYNTH_CLASSES[i % 5], a.size, i)[0], np.float32)/255)[None] for i in range(a.n)])
xb = (xb - 0.35)/0.25
grad_cam(model, xb[:2], method=a.method)                       # warm-up

def best(f):
    ts = []
    for _ in range(a.repeats):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return min(ts)

batched = best(lambda: grad_cam(model, xb, method=a.method))
single = best(lambda: [grad_cam(model, xb[i:i + 1], method=a.method) for i in range(a.n)])
same = np.allclose(grad_cam(model, xb[:4], method=a.method)[1], grad_cam(model, xb[1:2], method=a.method)[0], atol=1e-4)
print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads); {a.method}, {a.size} px")
print(f"batch of {a.n}: {batched/a.n*1000:.1f} ms/image; one at a time: {single/a.n*1000:.1f} ms/image; "
      f"speed-up {single/batched:.1f}x (target >= 3: {'PASS' if single/batched >= 3 else 'FAIL'}); same heatmaps: {same}")
