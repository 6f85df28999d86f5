"""Epoch time with and without the prepared-image cache, side by side in one run.

Iterates the training DataLoader (decode JPEG, grey, pad-resize, CLAHE, augment) for two epochs with
no cache, with the memory cache and with the disk (memory-mapped) cache, then times one training epoch
of the default model with and without the cache. Uses the UFBA-425 developer set when present, else a
synthetic set written at 512 px.

    python bench/cache_epoch.py [--size 256] [--data DIR --label-re REGEX]
"""
import argparse, os, platform, tempfile, time, warnings
from pathlib import Path
import torch
warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.data import xray_dataloaders
from jaw_fastai.xray import XrayCache
from jaw_fastai.learner import jaw_learner
from jaw_fastai.synth import make_synth_dataset

ROOT = Path(__file__).resolve().parents[1]
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--data', type=Path, default=ROOT.parent/'shared'/'data'/'ufba425-dev'/'images')
p.add_argument('--label-re', default=r'cate(\d+)-')
p.add_argument('--size', type=int, default=128)
a = p.parse_args()
tmp = Path(tempfile.mkdtemp())
if not a.data.exists():
    a.data, a.label_re = make_synth_dataset(tmp/'synth', n=300, size=512), None


def data_epochs(cache, n=2):
    dls = xray_dataloaders(a.data, label_re=a.label_re, size=a.size, bs=16, cache=cache)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        for _b in dls.train: pass
        times.append(time.perf_counter() - t)
    return dls, times


def train_epoch(cache):
    dls = xray_dataloaders(a.data, label_re=a.label_re, size=a.size, bs=16, cache=cache)
    learn = jaw_learner(dls, path=tmp/'run', progress=False, save_best=False)
    with learn.no_logging():
        learn.fit_one_cycle(1, 1e-3)          # the first epoch fills the cache
        t = time.perf_counter(); learn.fit_one_cycle(1, 1e-3)
    return time.perf_counter() - t


print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads); data {a.data}, {a.size} px")
_, none = data_epochs(None)
_, mem = data_epochs(True)
_, disk1 = data_epochs(XrayCache(tmp/'cache'))
_, disk2 = data_epochs(XrayCache(tmp/'cache'), n=1)            # a new process would see this: files already on disk
print("data only, epoch 1 / epoch 2 seconds:")
print(f"  no cache      {none[0]:6.2f} / {none[1]:6.2f}")
print(f"  memory cache  {mem[0]:6.2f} / {mem[1]:6.2f}   (epoch 2 is {none[1]/mem[1]:.1f}x faster)")
print(f"  disk cache    {disk1[0]:6.2f} / {disk1[1]:6.2f}   (a later run's first epoch: {disk2[0]:.2f}, {none[0]/disk2[0]:.1f}x faster)")
tn, tc = train_epoch(None), train_epoch(True)
print(f"training epoch (model included), no cache {tn:.1f} s, memory cache {tc:.1f} s: {tn/tc:.2f}x")
