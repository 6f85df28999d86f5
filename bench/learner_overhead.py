"""fastai's training loop against a plain PyTorch loop: training images per second on the same model, batches,
optimiser and schedule, side by side in one run (target: a bare fastai `Learner` reaches at least 95 % of the
plain loop's throughput; `jaw_learner`, with its default callbacks, is reported beside it).

Every variant trains a fresh copy of the same initial `jaw_resnet` (width 32, 1 channel, 128 px) on the same
pre-made batches of synthetic films held in memory (no data loading is timed), with torch's AdamW and a
one-cycle schedule, and validates on the same few batches each epoch (loss and accuracy):

- plain:   a hand-written loop, `torch.optim.AdamW` + `torch.optim.lr_scheduler.OneCycleLR` stepped each batch,
           with the hyper-parameters of fastai's `fit_one_cycle` (pct_start 0.25, div 25, div_final 1e5,
           beta1 cycled 0.95-0.85-0.95, weight decay 0.01);
- Learner: `Learner(dls, model, CrossEntropyLossFlat(), opt_func=partial(OptimWrapper, opt=AdamW), metrics=accuracy)`
           over a fastai `DataLoader` that yields the pre-collated batches as they are (bs=None), `fit_one_cycle`;
- jaw:     `jaw_learner(dls, model, path=<temp dir>, progress=False)`: its loss (label smoothing), three metrics
           and callbacks (history.csv, checkpoint.pth and the best model written every epoch, best reloaded at
           the end), with the same AdamW (its own default is fastai's Adam).

Images/s = training images / wall time of the whole fit (optimiser creation, training and validation passes).
The variants are run in turn `--repeats` times, the order reversed every other round; each ratio is taken within
one round, and the median is reported.

    python bench/learner_overhead.py [--batches 20] [--bs 32] [--epochs 2] [--repeats 5]
"""
import argparse, contextlib, copy, io, os, platform, statistics, tempfile, time, warnings
from functools import partial
import numpy as np
import torch
warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from fastai.learner import Learner
from fastai.losses import CrossEntropyLossFlat
from fastai.metrics import accuracy
from fastai.optimizer import OptimWrapper
from jaw_fastai.learner import jaw_learner, DEFAULT_LR
from jaw_fastai.models import create_model
from jaw_fastai.synth import synth_xray, SYNTH_CLASSES

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--batches', type=int, default=20, help='training batches per epoch')
p.add_argument('--valid-batches', type=int, default=4)
p.add_argument('--bs', type=int, default=32)
p.add_argument('--size', type=int, default=128)
p.add_argument('--epochs', type=int, default=2)
p.add_argument('--repeats', type=int, default=5)
p.add_argument('--lr', type=float, default=DEFAULT_LR)
a = p.parse_args()

WD, PCT, DIV, DIV_FINAL, MOMS = 0.01, 0.25, 25., 1e5, (0.95, 0.85)   # fastai's fit_one_cycle defaults; AdamW's default wd


def make_batches(n, offset):
    "`n` batches of `a.bs` normalised synthetic films and their class indices."
    out = []
    for b in range(n):
        ids = range(offset + b*a.bs, offset + (b + 1)*a.bs)
        x = np.stack([np.asarray(synth_xray(SYNTH_CLASSES[i % 5], a.size, i)[0], np.float32)/255 for i in ids])
        out.append(((torch.from_numpy(x)[:, None] - 0.35)/0.25, torch.tensor([i % 5 for i in ids])))
    return out


train_b, valid_b = make_batches(a.batches, 0), make_batches(a.valid_batches, 10**6)
torch.manual_seed(0)
model0 = create_model('jaw_resnet', in_chans=1, num_classes=5, width=32)
n_img = a.epochs*a.batches*a.bs


def plain():
    model = copy.deepcopy(model0)
    t = time.perf_counter()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=WD)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs*a.batches, pct_start=PCT, anneal_strategy='cos',
                                                div_factor=DIV, final_div_factor=DIV_FINAL/DIV, base_momentum=MOMS[1], max_momentum=MOMS[0])
    loss_fn, log = torch.nn.CrossEntropyLoss(), []
    for _ in range(a.epochs):
        model.train()
        train_loss = torch.zeros(())
        for xb, yb in train_b:
            loss = loss_fn(model(xb), yb)
            loss.backward(); opt.step(); opt.zero_grad(); sched.step()
            train_loss += loss.detach()
        model.eval()
        valid_loss, correct = torch.zeros(()), torch.zeros(())
        with torch.no_grad():
            for xb, yb in valid_b:
                out = model(xb)
                valid_loss += loss_fn(out, yb)*len(yb); correct += (out.argmax(1) == yb).sum()
        n_valid = a.valid_batches*a.bs
        log.append(((train_loss/a.batches).item(), (valid_loss/n_valid).item(), (correct/n_valid).item()))   # what fastai's Recorder logs
    return time.perf_counter() - t


def fastai_dls():
    "The same batches, yielded as they are (bs=None), in the same order."
    return DataLoaders(DataLoader(train_b, bs=None, num_workers=0), DataLoader(valid_b, bs=None, num_workers=0))


OPT = partial(OptimWrapper, opt=torch.optim.AdamW)


def fit(learn):
    with contextlib.redirect_stdout(io.StringIO()):      # logging still runs, its lines are not shown
        t = time.perf_counter(); learn.fit_one_cycle(a.epochs, a.lr)
    return time.perf_counter() - t


def bare():
    learn = Learner(fastai_dls(), copy.deepcopy(model0), loss_func=CrossEntropyLossFlat(), opt_func=OPT, metrics=accuracy)
    with learn.no_bar(): return fit(learn)


def jaw():
    with tempfile.TemporaryDirectory() as d:
        learn = jaw_learner(fastai_dls(), copy.deepcopy(model0), path=d, progress=False)
        learn.opt_func = OPT                             # (jaw_learner takes no opt_func; its default is fastai's Adam)
        return fit(learn)


variants = dict(plain=plain, Learner=bare, jaw_learner=jaw)
print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), load average {os.getloadavg()[0]:.2f}; "
      f"jaw_resnet width 32, 1x{a.size}x{a.size}, {a.batches} training + {a.valid_batches} validation batches of {a.bs}, "
      f"{a.epochs} epochs of one-cycle AdamW (lr {a.lr:g}), {a.repeats} rounds")
for f in variants.values(): f()                          # warm-up: first-call costs out of the timing
times = {k: [] for k in variants}
for r in range(a.repeats):                               # alternate, so machine noise hits all alike
    for k in (list(variants) if r % 2 == 0 else list(variants)[::-1]):   # reversed every other round
        times[k].append(variants[k]())
    print(f"round {r + 1}: " + ', '.join(f"{k} {n_img/times[k][-1]:.1f} img/s" for k in variants), flush=True)

def ratios(k): return [tp/tk for tp, tk in zip(times['plain'], times[k])]   # plain's time over k's: k's share of plain's img/s


print(f"{'variant':<12}{'median img/s':>13}   ratio to plain (median; every round)")
for k in variants:
    print(f"{k:<12}{n_img/statistics.median(times[k]):>13.1f}   {statistics.median(ratios(k)):.3f}; {', '.join(f'{x:.3f}' for x in ratios(k))}")
r_bare, r_jaw = statistics.median(ratios('Learner')), statistics.median(ratios('jaw_learner'))
print(f"bare Learner reaches {r_bare:.1%} of the plain loop (target >= 95%: {'PASS' if r_bare >= 0.95 else 'FAIL'}); "
      f"jaw_learner {r_jaw:.1%} (reported, no target)")
