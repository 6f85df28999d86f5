"""Worker processes kept between passes (`KeepWorkers`) against fastai's own, which start afresh on every pass,
and against no workers, side by side in one run on the same films and warm disk cache.

Two shapes of data set, both synthetic 128 px films, sqrt-weighted training loaders from `xray_dataloaders`:
- small: 300 films, bs 16 (about the UFBA-425 developer set's 15 batches a pass), where starting workers
  dominates a pass;
- large: 2,400 films, bs 128.
For each, a warm-up pass fills the shared disk cache, then `--rounds` rounds each time one training pass and
one validation pass of every arm in turn (alternating, so drift hits all arms alike). Reported: median seconds
for a training + validation pass (an epoch's loading), and the first training batch's latency.

    python bench/loader_workers.py [--workers 2] [--rounds 5]
"""
import argparse, statistics, tempfile, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
from jaw_fastai.synth import make_synth_dataset
from jaw_fastai.data import xray_dataloaders
from jaw_fastai.xray import XrayCache
from ufba import machine_line

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--workers', type=int, default=2)
p.add_argument('--rounds', type=int, default=5)
a = p.parse_args()
tmp = Path(tempfile.mkdtemp())

def one_pass(dl):
    t0, first = time.perf_counter(), None
    for _ in dl:
        if first is None: first = time.perf_counter() - t0
    return time.perf_counter() - t0, first

print(f"machine: {machine_line()}")
for name, n, bs in (('small', 300, 16), ('large', 2400, 128)):
    data = make_synth_dataset(tmp/name, n=n, size=128, seed=0)
    arms = {'no workers (memory cache)': dict(num_workers=0, cache=True),
            f"fastai's {a.workers} workers (new each pass)": dict(num_workers=a.workers, cache=XrayCache(tmp/f'{name}_c1'), persistent_workers=False),
            f'{a.workers} kept workers (KeepWorkers)': dict(num_workers=a.workers, cache=XrayCache(tmp/f'{name}_c2'))}
    dls = {k: xray_dataloaders(data, size=128, bs=bs, weighted='sqrt', device='cpu', **kw) for k, kw in arms.items()}
    for d in dls.values(): one_pass(d.train); one_pass(d.valid)          # warm the caches (and start kept workers)
    res = {k: ([], []) for k in arms}
    for _ in range(a.rounds):
        for k, d in dls.items():
            (tt, first), (tv, _) = one_pass(d.train), one_pass(d.valid)
            res[k][0].append(tt + tv); res[k][1].append(first)
    print(f"\n{name}: {n} films, bs {bs}, {len(dls[next(iter(dls))].train)} training batches a pass; median of {a.rounds} rounds")
    base = statistics.median(res[next(iter(arms))][0])
    for k, (t, f) in res.items():
        print(f"  {k:<36} {statistics.median(t):6.3f} s a training + validation pass ({base/statistics.median(t):4.2f}x no workers), "
              f"first batch after {1000*statistics.median(f):5.0f} ms")
