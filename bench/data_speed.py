"""Training DataLoader throughput against the raw decoding limit, and a warm-cache epoch against the first one,
side by side in one run (targets: a first epoch with a cold cache reaches at least 90 % of the raw limit's
images/s, and an epoch with a warm cache is at least 5x faster than that first epoch).

Loaders come from `xray_dataloaders(size=128, bs=16, weighted='sqrt', num_workers=0)`; an epoch is
`for xb, yb in dls.train`, so it includes fastai's batch transforms (augmentation, gamma, normalisation) on the CPU.
Each round draws one epoch's sampling order (with replacement: `WeightedDL` draws from `np.random`) and replays
that same order, by reseeding, in four timings:

- raw limit:  the drawn films decoded, made grey and pad-resized in a tight loop (`_read_u8`, else `read_xray`,
              then `pad_resize`, as `XrayLoader.prepare` does), one process as with num_workers=0;
- no cache:   an epoch that prepares every drawn film, as the raw loop does (the like-for-like ratio);
- cold cache: the first epoch with an empty memory cache (the default when training): a film drawn twice is
              decoded once, so this epoch decodes fewer films than the raw loop;
- warm cache: an epoch after every training film has been prepared into the cache.

Images/s count the images the epoch yields (the last partial batch is dropped, as fastai does in training; its
films are still prepared, which counts against the loader). Files sit in the OS page cache throughout (the
loader's own check reads them first): "cold" means the prepared-image cache only. After the rounds, a warm epoch
is broken down into item pipeline (cache key and lookup, image creation, to tensor),
collation and each batch transform.

Runs on the UFBA-425 developer set (512x512 JPEG) when present, else on a synthetic set written at 512 px;
then, as a secondary line, on a synthetic set of 128 px PNGs.

The process first calls `jaw_fastai.core.tune_malloc()`, as `jaw-fastai train` does (raw loop and loaders alike);
`--no-tune-malloc` leaves glibc's defaults.

    python bench/data_speed.py [--data DIR --label-re REGEX] [--repeats 5] [--synth-n 600] [--no-tune-malloc]
"""
import argparse, atexit, os, platform, shutil, statistics, tempfile, time, warnings
from pathlib import Path
import numpy as np
import torch
warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.core import tune_malloc
from jaw_fastai.data import xray_dataloaders
from jaw_fastai.synth import make_synth_dataset
from jaw_fastai.xray import XrayCache, _read_u8, read_xray, pad_resize, to_uint8

ROOT = Path(__file__).resolve().parents[1]
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--data', type=Path, default=ROOT.parent/'shared'/'data'/'ufba425-dev'/'images')
p.add_argument('--label-re', default=r'cate(\d+)-')
p.add_argument('--size', type=int, default=128)
p.add_argument('--bs', type=int, default=16)
p.add_argument('--repeats', type=int, default=5)
p.add_argument('--synth-n', type=int, default=600, help='films in the secondary synthetic set of 128 px PNGs')
p.add_argument('--no-tune-malloc', action='store_true', help="keep glibc's default malloc thresholds")
a = p.parse_args()
tuned = False if a.no_tune_malloc else tune_malloc()
tmp = Path(tempfile.mkdtemp())
atexit.register(shutil.rmtree, tmp, ignore_errors=True)


def raw(files):
    "What `XrayLoader.prepare` does to each film, without a cache (contrast enhancement is off in the recipe)."
    for f in files:
        u8 = _read_u8(f)
        _ = pad_resize(u8, a.size) if u8 is not None else to_uint8(pad_resize(read_xray(f), a.size))


def epoch(dl, seed):
    "Time one pass over `dl` with the sampling order of `seed`; returns (seconds, images)."
    np.random.seed(seed)
    t, n = time.perf_counter(), 0
    for xb, yb in dl: n += len(xb)
    return time.perf_counter() - t, n


def timed(f, *args):
    t = time.perf_counter(); f(*args); return time.perf_counter() - t


def ms(rate): return 1000/rate                             # images/s to milliseconds per image


def breakdown(dl, spec, cache, idxs):
    "Seconds spent by a warm epoch in each stage, run stage by stage on the drawn items `idxs`."
    files = dl.dataset.items.file.values[idxs]
    t = time.perf_counter(); items = [dl.do_item(int(i)) for i in idxs]
    out = {'item pipeline': time.perf_counter() - t,
           '  of which the cache key (XrayCache.key)': timed(lambda: [cache.key(f, spec.settings) for f in files])}
    chunks = [items[i:i + a.bs] for i in range(0, len(items) - a.bs + 1, a.bs)]
    t = time.perf_counter(); batches = [dl.do_batch(c) for c in chunks]
    out['collate'] = time.perf_counter() - t
    for tfm in dl.after_batch.fs:                          # in the pipeline's order, each on the previous one's output
        t = time.perf_counter(); batches = [tfm(b, split_idx=0) for b in batches]
        out[f'batch tfm {type(tfm).__name__}'] = time.perf_counter() - t
    return out


def bench(name, source, label_re):
    cache = XrayCache()                                     # the loaders' cache: emptied, or made to keep nothing, below
    dls = xray_dataloaders(source, label_re=label_re, size=a.size, bs=a.bs, weighted='sqrt', num_workers=0, cache=cache)
    dl, spec = dls.train, dls.spec
    files = dl.dataset.items.file.values
    print(f"\n{name}: {len(dls.items)} films, {len(files)} training, {len(dl)} batches of {a.bs} per epoch", flush=True)
    rows = []
    for r in range(a.repeats):
        np.random.seed(r); idxs = dl.get_idxs()             # the order `epoch(dl, r)` will draw
        n = len(dl)*a.bs
        t_raw = timed(raw, files[idxs[:n]])
        cache.mem.clear(); cache.put = lambda key, arr: None     # no cache: nothing is kept, every draw is prepared
        t_none, n_img = epoch(dl, r)
        assert n_img == n
        del cache.put; cache.mem.clear(); cache.hits = cache.misses = 0     # a cold cache
        t_cold, _ = epoch(dl, r)
        decoded = cache.misses
        for f in files: spec.prepare(f, cache)            # fill the cache with every training film
        misses = cache.misses
        t_warm, _ = epoch(dl, r)
        assert cache.misses == misses, 'the warm epoch prepared a film'
        rows.append(dict(raw=n/t_raw, none=n/t_none, cold=n/t_cold, warm=n/t_warm, decoded=decoded,
                         r_none=t_raw/t_none, r_cold=t_raw/t_cold, speedup=t_cold/t_warm))
        print(f"round {r + 1}: raw {n/t_raw:6.1f} img/s | no cache {n/t_none:6.1f} ({t_raw/t_none:.2f} of raw) | "
              f"cold cache {n/t_cold:6.1f} ({t_raw/t_cold:.2f} of raw; {decoded} films decoded for {len(idxs)} drawn) | "
              f"warm {n/t_warm:6.1f} ({t_cold/t_warm:.2f}x cold)", flush=True)
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"median of {a.repeats}: raw {med['raw']:.1f} img/s; first epoch no cache {med['none']:.1f} ({med['r_none']:.2f} of raw), "
          f"cold cache {med['cold']:.1f} ({med['r_cold']:.2f} of raw); warm {med['warm']:.1f} img/s, {med['speedup']:.2f}x the cold epoch")
    stages = breakdown(dl, spec, cache, idxs[:n])
    t_warm = n/rows[-1]['warm']
    print(f"where a warm epoch's time goes (stage by stage on the last round's {n} images; last warm epoch {t_warm:.3f} s):")
    for k, v in stages.items(): print(f"  {k:<46}{v:7.3f} s  {v/t_warm:5.0%}")
    whole = {k: v for k, v in stages.items() if not k.startswith(' ')}
    tfms = sum(v for k, v in whole.items() if k.startswith('batch tfm'))
    print(f"  stages together {sum(whole.values()):.3f} s; largest: {max(whole, key=whole.get)}")
    print(f"per image: the raw loop {ms(med['raw']):.2f} ms; a no-cache epoch {ms(med['none']):.2f} ms, {ms(med['none']) - ms(med['raw']):.2f} ms more; "
          f"a warm epoch {ms(med['warm']):.2f} ms, all of it work besides decoding (item pipeline {1000*whole['item pipeline']/n:.2f} ms, "
          f"batch transforms {1000*tfms/n:.2f} ms, collation {1000*whole['collate']/n:.2f} ms)")
    return med


print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), load average {os.getloadavg()[0]:.2f}; "
      f"size {a.size}, bs {a.bs}, weighted 'sqrt', num_workers 0, {a.repeats} alternating rounds; tune_malloc {'on' if tuned else 'off'}")
if a.data.exists(): main = bench(f'UFBA-425 developer set ({a.data})', a.data, a.label_re)
else: main = bench('synthetic set at 512 px (UFBA-425 not found)', make_synth_dataset(tmp/'synth512', n=300, size=512), None)
small = bench('secondary: synthetic 128 px PNGs', make_synth_dataset(tmp/'synth128', n=a.synth_n, size=128), None)

print(f"\nsecondary (128 px PNGs): cold cache {small['r_cold']:.2f} of raw (no cache {small['r_none']:.2f}); warm {small['speedup']:.2f}x cold")
ok1, ok2 = main['r_cold'] >= 0.9, main['speedup'] >= 5
print(f"first epoch, cold cache: {main['r_cold']:.2f} of the raw limit (like for like, no cache: {main['r_none']:.2f}) "
      f"(target >= 0.90: {'PASS' if ok1 else 'FAIL'}); warm epoch {main['speedup']:.2f}x the first (target >= 5x: {'PASS' if ok2 else 'FAIL'})")
