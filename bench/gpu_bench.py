"""The GPU path (issue 6): training throughput, model FLOPs utilisation, and time to 95 % accuracy.

1. Training images/s of `jaw_resnet_seed` at 256 px and of the default model (`jaw_resnet`, width 32)
   at the default recipe's 128 px, through `jaw_learner` as users train, side by side in fp32, bf16,
   bf16 + channels-last (what `precision='auto'` picks on a GPU) and, with `--compile`, that plus
   torch.compile. Batches are made on the device, so this is the model's speed.
   The default model is timed again with the real data path (`xray_dataloaders`' GPU plan: persistent
   workers over a shared disk cache, augmentation on the GPU), and the loader alone: the share of a
   step that is the GPU waiting for films is 1 - (real-path rate / device-batch rate).
2. Model FLOPs utilisation: training FLOPs per image (3 x the forward FLOPs counted by
   torch.utils.flop_counter) x images/s / the card's dense bf16 peak.
3. With `--profile`: where a training step of `jaw_resnet_seed` goes (torch.profiler, 5 steps), by kind
   of kernel: convolutions, batch norms, layout copies, the optimizer, the rest.
4. Seconds to 95 % validation accuracy on a synthetic set of 5,000 films with the default recipe
   settings (128 px, weighted sampling), timed from the first batch.

    bash bench/gpu.sh                  # on a GPU machine: the whole thing, under 5 minutes on an H100/H200
    python bench/gpu_bench.py --smoke  # anywhere: tiny sizes, checks the script runs (CPU is fine)
"""
import argparse, os, platform, tempfile, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore', category=FutureWarning)
import torch
from torch.utils.flop_counter import FlopCounterMode
from fastai.callback.core import Callback, CancelFitException
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from fastai.callback.channelslast import ChannelsLast
from jaw_fastai.synth import make_synth_dataset
from jaw_fastai.data import xray_dataloaders
from jaw_fastai.xray import XraySpec
from jaw_fastai.learner import jaw_learner, DEFAULT_LR
from jaw_fastai.models import create_model

PEAK_BF16 = {'H100': 989e12, 'H200': 989e12, 'A100': 312e12, 'L4': 121e12, 'L40S': 362e12}   # dense, SXM where there are two

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--smoke', action='store_true', help='tiny sizes, to check the script anywhere')
p.add_argument('--compile', action='store_true', help='also time torch.compile')
p.add_argument('--bs', type=int, default=256, help='batch size for the throughput runs')
p.add_argument('--n', type=int, default=5000, help='synthetic films for the time-to-accuracy run')
p.add_argument('--profile', action='store_true', help='also profile training steps of jaw_resnet_seed (as users train it): time per kind of kernel')
a = p.parse_args()
if a.smoke: a.bs, a.n = 8, 100
cuda = torch.cuda.is_available()
dev = torch.device('cuda' if cuda else 'cpu')
card = torch.cuda.get_device_name() if cuda else platform.processor() or platform.machine()
peak = next((v for k, v in PEAK_BF16.items() if k in card), None)
print(f"device: {card}; torch {torch.__version__}; {os.cpu_count()} CPU cores")

def train_flops_per_image(arch, size, **kw) -> float:
    m = create_model(arch, 1, 5, **kw).eval()
    with FlopCounterMode(display=False) as fc: m(torch.randn(1, 1, size, size))
    return 3*fc.get_total_flops()                 # forward + backward (about twice the forward)

class Timer(Callback):
    "Images/s over the training batches after `skip` warm-up batches."
    order = 100
    def __init__(self, skip): self.skip, self.n, self.t0 = skip, 0, None
    def before_batch(self):
        if self.training and self.iter == self.skip and self.epoch == 0:
            if cuda: torch.cuda.synchronize()
            self.t0 = time.perf_counter()
    def after_batch(self):
        if self.training and self.t0 is not None: self.n += find_bs(self.yb)
    def after_train(self):
        if cuda: torch.cuda.synchronize()
        self.t1 = time.perf_counter()
    @property
    def rate(self): return self.n/(self.t1 - self.t0)

class EpochTimer(Callback):
    "Images/s over whole training passes after the first (each pass's start, worker wake-up included; validation not)."
    order = 100
    def __init__(self): self.n, self.t = 0, 0.
    def before_train(self):
        if cuda: torch.cuda.synchronize()
        self.t0 = time.perf_counter()
    def after_batch(self):
        if self.training and self.epoch > 0: self.n += find_bs(self.yb)
    def after_train(self):
        if cuda: torch.cuda.synchronize()
        if self.epoch > 0: self.t += time.perf_counter() - self.t0
    @property
    def rate(self): return self.n/self.t

def find_bs(yb): return yb[0].shape[0]

def device_dls(size:int, steps:int) -> DataLoaders:
    "`steps` training batches of random films already on the device (4 distinct ones, repeated), one validation batch."
    g = torch.Generator().manual_seed(0)
    batches = [(torch.randn(a.bs, 1, size, size, generator=g).to(dev), torch.randint(0, 5, (a.bs,), generator=g).to(dev)) for _ in range(4)]
    dls = DataLoaders(DataLoader(batches*(steps//4 + 1), bs=None, device=dev), DataLoader(batches[:1], bs=None, device=dev), device=dev)
    dls.vocab, dls.spec = list('abcde'), XraySpec(size)     # the input spec `jaw_learner` reads (one grey channel)
    return dls

def throughput(arch, size, steps, precision='auto', channels_last=True, compile=False, dls=None, **kw) -> float:
    "Training images/s of `arch` at `size` through `jaw_learner` in `precision`, on batches already on the device (or, over 3 passes after one, from `dls`)."
    real = dls is not None
    if not real: dls = device_dls(size, steps)
    t = EpochTimer() if real else Timer(skip=3 if not compile else 10)   # (compilation happens in the first batches)
    learn = jaw_learner(dls, arch=arch, path=tempfile.mkdtemp(), progress=False, save_best=False, checkpoint=False,
                        metrics=[], precision=precision, compile=compile, cbs=[t], **kw)
    if not channels_last: learn.remove_cb(ChannelsLast)
    learn.fit(4 if isinstance(t, EpochTimer) else 1, DEFAULT_LR)
    return t.rate

steps = 8 if a.smoke else 60
size_seed = 64 if a.smoke else 256
# (label, precision, channels-last, compile): fp32 alone on a CPU, where mixed precision is refused
modes = [('fp32', 'fp32', False, False), ('bf16', 'bf16', False, False), ('bf16 + channels-last', 'bf16', True, False)] if cuda else [('fp32', 'fp32', False, False)]
if a.compile: modes.append((modes[-1][0] + ' + compile', *modes[-1][1:3], True))
rows, rates = [], {}
for name, arch, size, kw in [('jaw_resnet_seed', 'jaw_resnet_seed', size_seed, {}), ('jaw_resnet (default)', 'jaw_resnet', 128, dict(width=32))]:
    if arch == 'jaw_resnet_seed' and a.smoke: name, arch, kw = 'jaw_resnet w8 (smoke)', 'jaw_resnet', dict(width=8)   # (the seed layout needs 256 px)
    fl = train_flops_per_image(arch, size, **kw)
    for mode, prec, cl, comp in modes:
        r = rates[name, mode] = throughput(arch, size, steps, precision=prec, channels_last=cl, compile=comp, **kw)
        mfu = f"{fl*r/peak:.1%}" if peak and cuda else 'n/a (no known peak for this device)'
        rows.append(f"{name:<22} {size:>4} px  bs {a.bs:<4} {mode:<31} {r:>9.0f} img/s   {fl/1e9:6.2f} GFLOP/img (train)   MFU {mfu}")
        print(rows[-1], flush=True)
print('\n'.join(['', f'MFU: training FLOPs x img/s / the dense bf16 peak ({peak/1e12:.0f} TFLOP/s)' if peak and cuda else 'MFU: no known peak here'] + rows))
best = 'bf16 + channels-last' if cuda else 'fp32'   # what `precision='auto'` picks, uncompiled: what users train with

KINDS = (('convolution', ('conv', 'cudnn', 'cutlass', 'xmma', 'sm90', 'implicit_gemm', 'wgrad', 'dgrad')), ('batch norm', ('batch_norm', 'bn_', 'welford')),
         ('optimizer', ('adam', 'foreach', 'multi_tensor')), ('layout copy', ('copy_', 'contiguous', 'nchw', 'nhwc', 'transpose')))
def kernel_kind(name:str) -> str:
    "A profiled kernel or operator's kind, by its name."
    n = name.lower()
    return next((k for k, keys in KINDS if any(w in n for w in keys)), 'other (element-wise, loss, ...)')

class Profile(Callback):
    "Profiles training batches `skip` to `skip + n` of the first epoch with `torch.profiler`."
    order = 100
    def __init__(self, skip, n): self.skip, self.n, self.prof = skip, n, None
    def before_batch(self):
        if self.training and self.iter == self.skip:
            from torch.profiler import profile, ProfilerActivity
            self.prof = profile(activities=[ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else []))
            self.prof.__enter__()
    def after_batch(self):
        if self.prof is not None and self.training and self.iter == self.skip + self.n - 1:
            if cuda: torch.cuda.synchronize()
            self.prof.__exit__(None, None, None); raise CancelFitException

if a.profile:                                      # where the seed model's step goes, by kind of kernel
    arch, size, kw = ('jaw_resnet', 64, dict(width=8)) if a.smoke else ('jaw_resnet_seed', 256, {})
    prof = Profile(skip=3, n=5)
    learn = jaw_learner(device_dls(size, 12), arch=arch, path=tempfile.mkdtemp(), progress=False, save_best=False, checkpoint=False, metrics=[], cbs=[prof], **kw)
    learn.fit(1, DEFAULT_LR)
    ev = prof.prof.key_averages()                  # by name; self times add up to the whole (GPU kernels on a GPU, operators on a CPU)
    dur = (lambda e: e.self_device_time_total) if cuda else (lambda e: e.self_cpu_time_total)
    total, by = sum(dur(e) for e in ev), {}
    for e in ev: by[kernel_kind(e.key)] = by.get(kernel_kind(e.key), 0) + dur(e)
    print(f"profile, {arch} at {size} px, bs {a.bs}, {best}, 5 training steps: {total/5/1e3:.1f} ms of {'GPU kernels' if cuda else 'CPU operators'} a step")
    for k, v in sorted(by.items(), key=lambda kv: -kv[1]): print(f"  {k:<32} {v/total:6.1%}")
    print(ev.table(sort_by='cuda_time_total' if cuda else 'cpu_time_total', row_limit=12))

# time to 95 % on 5,000 synthetic films, default recipe settings, real data path (cache, GPU batch transforms)
tmp = Path(tempfile.mkdtemp())
t0 = time.perf_counter(); data = make_synth_dataset(tmp/'data', n=a.n, size=128, seed=0); t_synth = time.perf_counter() - t0
def loader_rate(dls, passes=3) -> float:
    "Films/s of the training loader alone over `passes` passes after a warm one: read, augmented on the device, synchronised at the end."
    for _ in dls.train: pass                       # warms the cache (and starts kept workers)
    t0, n = time.perf_counter(), 0
    for _ in range(passes):
        for xb, yb in dls.train: n += len(yb)
    if cuda: torch.cuda.synchronize()
    return n/(time.perf_counter() - t0)

w = {} if cuda else dict(num_workers=2)           # (on a CPU the plan has no workers: show the two worker arms with 2)
plans = {'kept workers (the GPU plan)': w, "fastai's workers, new each pass (before)": dict(w, persistent_workers=False),
         'no workers, memory cache': dict(num_workers=0)}
loaders, r_dev = {}, rates['jaw_resnet (default)', best]
for k, kw in plans.items():
    loaders[k] = xray_dataloaders(data, size=128, bs=a.bs, weighted='inverse', cache=True, **kw)
    r = loader_rate(loaders[k])
    print(f"loader alone, {k:<42} {loaders[k].train.fake_l.num_workers} workers: {r:>7.0f} img/s over 3 passes", flush=True)
dls = loaders['kept workers (the GPU plan)']
r_data = throughput('jaw_resnet', 128, steps, dls=dls, width=32)
print(f"jaw_resnet (default)    128 px  bs {a.bs:<4} {best}: {r_data:.0f} img/s with the real data path (kept workers, passes 2-4), "
      f"{r_dev:.0f} on device batches; loader share of a step {max(0., 1 - r_data/r_dev):.0%}")
print(f"data: {a.n} synthetic films written in {t_synth:.0f} s", flush=True)

class TimeTo(Callback):
    order = 100
    def __init__(self, target): self.target, self.hit = target, None
    def before_fit(self): self.t0 = time.perf_counter()
    def after_epoch(self):
        acc = float(self.recorder.values[-1][2])
        if acc >= self.target: self.hit = (time.perf_counter() - self.t0, self.epoch + 1, acc); raise CancelFitException
tt = TimeTo(0.95)
learn = jaw_learner(dls, arch='jaw_resnet', width=32, path=tmp/'run', progress=False, save_best=False, checkpoint=False, cbs=[tt])
max_epochs = 2 if a.smoke else 20
learn.fit_one_cycle(max_epochs, DEFAULT_LR)
if tt.hit: print(f"time to 95 % validation accuracy: {tt.hit[0]:.1f} s ({tt.hit[1]} epochs, accuracy {tt.hit[2]:.3f})")
else: print(f"time to 95 % validation accuracy: not reached in {max_epochs} epochs (last accuracy {float(learn.recorder.values[-1][2]):.3f})")
