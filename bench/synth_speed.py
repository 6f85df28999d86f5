"""Synthetic X-ray generator throughput on one core (target: at least 100 images/s at 128 px).

Generates and writes (PNG image + PNG mask + CSV) a dataset with the process pinned to one CPU core,
and reports images per second; drawing alone is reported beside it.

    python bench/synth_speed.py [--n 1000] [--size 128]
"""
import argparse, os, platform, tempfile, time
from pathlib import Path
import numpy as np
from jaw_fastai.synth import make_synth_dataset, synth_xray, SYNTH_CLASSES

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--n', type=int, default=1000); p.add_argument('--size', type=int, default=128)
a = p.parse_args()
if hasattr(os, 'sched_setaffinity'): os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

t = time.perf_counter()
for i in range(a.n): synth_xray(SYNTH_CLASSES[i % 5], a.size, np.random.default_rng(i))
draw = a.n/(time.perf_counter() - t)
with tempfile.TemporaryDirectory() as d:
    t = time.perf_counter()
    make_synth_dataset(Path(d)/'ds', n=a.n, size=a.size, seed=0)
    full = a.n/(time.perf_counter() - t)
print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, pinned to 1 core")
print(f"draw only:        {draw:8.0f} images/s at {a.size} px")
print(f"draw + write PNG: {full:8.0f} images/s at {a.size} px  (target >= 100: {'PASS' if full >= 100 else 'FAIL'})")
