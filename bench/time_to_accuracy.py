"""Seconds of training until 95 % validation accuracy on the synthetic default set, the project's demo recipe
against fastai's own defaults for a CNN of similar size, one after the other in one run.

Data: `make_synth_dataset(n=600, size=128, seed=0)`, every film checked and hashed, and the demo's stratified
80/20 split (seed 0); both recipes train and validate on exactly these films.

- demo:     `xray_dataloaders(size=128, bs=32, weighted='inverse', mirror=False, memory cache)`, `jaw_learner`
            (jaw_resnet width 32, label smoothing 0.1, its default callbacks), `fit_one_cycle(E, DEFAULT_LR)`,
            as `jaw-fastai demo` trains;
- resnet18: `vision_learner(resnet18, pretrained=False, metrics=accuracy)` on an `ImageBlock` DataBlock with
            `Resize(128)`, default `aug_transforms()`, bs 32 and fastai's default normalisation (none without
            pretrained weights), `fit_one_cycle(E)` at fastai's default lr (1e-3).

A callback notes the wall time from the start of `fit` to the end of the first epoch whose validation accuracy is
at least the threshold, then stops the fit (`CancelFitException`). Each recipe gets at most `--epochs` epochs.
One run of each (they are long, so no repeats), same process, one after the other: timings carry the noise of
a shared machine. The first epoch's time is printed with the longest the recipe could take. Target: the demo
recipe reaches the threshold within its epochs, and sooner than the resnet18 defaults.

    python bench/time_to_accuracy.py [--n 600] [--epochs 8] [--resnet-epochs 8] [--target 0.95]
"""
import argparse, atexit, os, platform, shutil, tempfile, time, warnings
from pathlib import Path
import torch
warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.callback.core import Callback, CancelFitException
from fastai.vision.all import (DataBlock, ImageBlock, CategoryBlock, ColReader, IndexSplitter, Resize, aug_transforms,
                               vision_learner, resnet18, accuracy, set_seed)
from jaw_fastai.items import xray_items, check_items, stratified_split
from jaw_fastai.data import xray_dataloaders
from jaw_fastai.learner import jaw_learner, EpochLineLogger
from jaw_fastai.synth import make_synth_dataset
from jaw_fastai.train import get_recipe

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--n', type=int, default=600, help='synthetic films')
p.add_argument('--epochs', type=int, default=8, help='most epochs for the demo recipe')
p.add_argument('--resnet-epochs', type=int, default=8, help='most epochs for resnet18')
p.add_argument('--resnet-lr', type=float, default=1e-3, help="fastai's default lr")
p.add_argument('--target', type=float, default=0.95)
p.add_argument('--seed', type=int, default=0)
a = p.parse_args()


class TimeToAccuracy(Callback):
    "Record the seconds from the start of `fit` until validation accuracy first reaches `target`, then stop."
    order = 70                                              # after `Recorder` (50) has the epoch's metrics
    def __init__(self, target, label): self.target, self.label, self.best, self.reached_s = target, label, 0., None
    def before_fit(self): self.t0, self.max_epochs = time.perf_counter(), self.n_epoch
    def after_epoch(self):
        acc = float(next(m for m in self.learn.metrics if m.name == 'accuracy').value)
        el = time.perf_counter() - self.t0
        self.best = max(self.best, acc)
        extra = f'  (first epoch: at most {self.n_epoch} epochs would take about {el*self.n_epoch:.0f} s)' if self.epoch == 0 else ''
        print(f'  {self.label} epoch {self.epoch + 1}/{self.n_epoch}: valid accuracy {acc:.3f}, {el:.1f} s since fit started{extra}', flush=True)
        if acc >= self.target:
            self.reached_s, self.reached_epoch = el, self.epoch + 1
            raise CancelFitException

    def result(self):
        if self.reached_s is None: return f'not reached in {self.max_epochs} epochs (best acc {self.best:.3f})'
        return f'{self.reached_s:.1f} s ({self.reached_epoch} epoch{"s" * (self.reached_epoch > 1)})'


tmp = Path(tempfile.mkdtemp())
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
data = make_synth_dataset(tmp/'data', n=a.n, size=128, seed=a.seed)
items, _ = check_items(xray_items(data), where=data)          # as `train_run`: films checked and hashed, then the split
valid_idx = stratified_split(items.label, 0.2, a.seed, groups=items.sha1)[1]
r = get_recipe('demo')
print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), load average {os.getloadavg()[0]:.2f}; "
      f"synthetic set n={a.n}, 128 px, {len(items) - len(valid_idx)} training / {len(valid_idx)} validation films; target accuracy {a.target}; "
      f"one run of each, one after the other")

# the demo recipe, as `fit_recipe` builds it
dls = xray_dataloaders(items, size=r['size'], bs=r['bs'], valid_idx=valid_idx, weighted=r['weighted'], contrast=r['contrast'],
                       mirror=r['mirror'], cache=True, on_bad='ignore')
learn = jaw_learner(dls, arch=r['arch'], path=tmp/'demo', seed=a.seed, progress=False, label_smoothing=r['label_smoothing'], **(r['arch_args'] or {}))
learn.remove_cb(EpochLineLogger)                              # our callback prints one line per epoch instead
demo_cb = TimeToAccuracy(a.target, 'demo')
print(f"demo recipe: {r['arch']} {r['arch_args'] or 'default arguments'}, bs {r['bs']}, weighted {r['weighted']!r}, lr {r['lr']:g}, at most {a.epochs} epochs", flush=True)
with learn.no_logging(): learn.fit_one_cycle(a.epochs, r['lr'], wd=r['wd'], cbs=demo_cb)

# fastai's defaults for a from-scratch CNN on the same films and split
set_seed(a.seed, reproducible=True)
dblock = DataBlock(blocks=(ImageBlock, CategoryBlock), get_x=ColReader('file'), get_y=ColReader('label'),
                   splitter=IndexSplitter(valid_idx), item_tfms=Resize(128), batch_tfms=aug_transforms())
learn = vision_learner(dblock.dataloaders(items, bs=32, num_workers=0), resnet18, pretrained=False, metrics=accuracy, path=tmp/'resnet18')
res_cb = TimeToAccuracy(a.target, 'resnet18')
print(f"resnet18: vision_learner(pretrained=False), Resize(128), aug_transforms(), bs 32, lr {a.resnet_lr:g}, at most {a.resnet_epochs} epochs", flush=True)
with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.resnet_epochs, a.resnet_lr, cbs=res_cb)

print(f"seconds to {a.target:.0%} validation accuracy: demo recipe {demo_cb.result()}; resnet18 defaults {res_cb.result()}")
ok = demo_cb.reached_s is not None and (res_cb.reached_s is None or demo_cb.reached_s < res_cb.reached_s)
verdict = ('the demo recipe did not reach it' if demo_cb.reached_s is None else 'the demo recipe got there first' if ok
           else 'resnet18 got there sooner')
print(f"target (the demo recipe reaches {a.target:.0%} within its epochs, sooner than fastai's resnet18 defaults): "
      f"{'PASS' if ok else 'FAIL'}, {verdict}")
