"""The whole `jaw-fastai train` process against a plain PyTorch training script, side by side in one run.

Both are whole processes started from the shell, on the same synthetic films, with the same model
(`jaw_resnet`, width 32, one grey channel), image size, batch size, number of epochs and validation
films (the same stratified split), and both write their model to disk:

- plain: a hand-written script (below): reads every film with PIL, pads and resizes it to a square,
  trains with AdamW + OneCycleLR (fastai's `fit_one_cycle` hyper-parameters), class-weighted sampling,
  validates every epoch (loss and accuracy), saves the weights with `torch.save`;
- jaw: `jaw-fastai train DATA --out RUN --recipe demo --size S --epochs E --bs B` (no augmentation
  difference is hidden: the recipe augments, the plain script does not), writing the whole run folder:
  metrics, plots, Grad-CAM galleries and localisation scores, the fastai export, the safe model files
  and `report.html`.

- floor: the plain script that first imports what the training stack needs (`fastai.basics`,
  `fastai.vision.augment`: fastai, torchvision, scikit-learn) and uses none of it: the ratio no process
  that trains with fastai can beat, whatever it does after importing.

Throughput = training images / wall time of the whole process; the ratio is plain's wall time over
jaw's (1.0: as fast as the plain script). The two alternate for `--rounds` rounds and the median ratio
is reported. `--profile` then runs `jaw-fastai train` once more under cProfile and prints where its
time goes.

    python bench/train_process.py --size 64 --epochs 3
    python bench/train_process.py --size 128 --epochs 6 --profile
"""
import argparse, cProfile, io, pstats, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--n', type=int, default=600, help='synthetic films (default 600)')
p.add_argument('--size', type=int, default=64)
p.add_argument('--epochs', type=int, default=3)
p.add_argument('--bs', type=int, default=32)
p.add_argument('--rounds', type=int, default=3)
p.add_argument('--profile', action='store_true', help='also profile one `jaw-fastai train` and print where the time goes')
a = p.parse_args()

PLAIN = r'''
import sys, time
t0 = time.perf_counter()
import numpy as np, torch, torch.nn.functional as F
from PIL import Image
from jaw_fastai.models import create_model               # the same network (torch only)
data, out, size, epochs, bs, valid_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
import csv
rows = list(csv.DictReader(open(f'{data}/labels.csv')))
valid = set(open(valid_file).read().split('\n'))
classes = sorted({r['label'] for r in rows})
def load(f):
    im = np.asarray(Image.open(f'{data}/{f}').convert('L'), dtype=np.float32)/255
    h, w = im.shape; s = size/max(h, w)
    t = F.interpolate(torch.from_numpy(im)[None, None], size=(max(1, round(h*s)), max(1, round(w*s))), mode='area' if s < 1 else 'bilinear')
    x = torch.zeros(1, size, size); y0, x0 = (size - t.shape[-2])//2, (size - t.shape[-1])//2
    x[:, y0:y0 + t.shape[-2], x0:x0 + t.shape[-1]] = t[0]
    return (x - 0.35)/0.25
X = torch.stack([load(r['file']) for r in rows]); Y = torch.tensor([classes.index(r['label']) for r in rows])
vi = torch.tensor([i for i, r in enumerate(rows) if r['file'] in valid]); ti = torch.tensor([i for i, r in enumerate(rows) if r['file'] not in valid])
counts = torch.bincount(Y[ti], minlength=len(classes)).float(); w = (1/counts)[Y[ti]]
torch.manual_seed(0)
model = create_model('jaw_resnet', 1, len(classes))
steps = len(ti)//bs
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps*epochs, pct_start=0.25, div_factor=25., final_div_factor=1e5)
for ep in range(epochs):
    model.train()
    order = ti[torch.multinomial(w, steps*bs, replacement=True)]
    for b in range(steps):
        idx = order[b*bs:(b + 1)*bs]
        loss = F.cross_entropy(model(X[idx]), Y[idx], label_smoothing=0.1)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    model.eval(); correct = 0; vl = 0.
    with torch.no_grad():
        for b in range(0, len(vi), bs):
            idx = vi[b:b + bs]; o = model(X[idx]); vl += F.cross_entropy(o, Y[idx], reduction='sum').item(); correct += (o.argmax(1) == Y[idx]).sum().item()
    print(f'epoch {ep + 1}/{epochs}  valid_loss {vl/len(vi):.4f}  accuracy {correct/len(vi):.4f}', flush=True)
torch.save(model.state_dict(), f'{out}/model.pth')
print(f'total {time.perf_counter() - t0:.1f} s', flush=True)
'''

cli = shutil.which('jaw-fastai')
if cli is None: sys.exit('jaw-fastai is not on the PATH: install the project (pip install -e .) first')
tmp = Path(tempfile.mkdtemp())
subprocess.run([cli, 'synth', str(tmp/'data'), '--n', str(a.n), '--size', '256', '--seed', '0'], check=True, capture_output=True)
(tmp/'plain.py').write_text(PLAIN)

def jaw_cmd(out): return [cli, 'train', str(tmp/'data'), '--out', str(out), '--recipe', 'demo', '--size', str(a.size), '--epochs', str(a.epochs), '--bs', str(a.bs)]

def timed(cmd) -> float:
    t = time.perf_counter(); r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode: sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stderr[-3000:]}")
    return time.perf_counter() - t

# one jaw run first: its items.csv gives the validation films, so the plain script holds out the same ones
timed(jaw_cmd(tmp/'jaw0'))
import csv
data_root = (tmp/'data').resolve()
(tmp/'valid.txt').write_text('\n'.join(str(Path(r['file']).relative_to(data_root)) for r in csv.DictReader(open(tmp/'jaw0'/'items.csv')) if r['split'] == 'valid'))
n_train = sum(1 for r in csv.DictReader(open(tmp/'jaw0'/'items.csv')) if r['split'] == 'train')
imgs = n_train//a.bs*a.bs*a.epochs                         # images trained on (whole batches)
(tmp/'plain').mkdir()
plain_cmd = [sys.executable, str(tmp/'plain.py'), str(tmp/'data'), str(tmp/'plain'), str(a.size), str(a.epochs), str(a.bs), str(tmp/'valid.txt')]
(tmp/'floor.py').write_text('import fastai.basics, fastai.vision.augment\n' + PLAIN)   # the training stack's imports, unused
floor_cmd = [sys.executable, str(tmp/'floor.py'), *plain_cmd[2:]]
times = {'plain': [], 'floor': [], 'jaw': []}
for k in range(a.rounds):
    runs = [('plain', plain_cmd), ('floor', floor_cmd), ('jaw', jaw_cmd(tmp/f'jaw{k + 1}'))]
    if k % 2: runs.reverse()                                 # alternate the order
    for name, cmd in runs: times[name].append(timed(cmd))
print(f"{a.n} synthetic films, {a.size} px, {a.epochs} epochs, bs {a.bs}; {n_train} training films; {a.rounds} rounds")
for name, label in [('plain', 'plain script'), ('floor', 'plain + fastai imports'), ('jaw', 'jaw-fastai train')]:
    t = statistics.median(times[name]); line = f"{label:<24}{t:6.1f} s   {imgs/t:6.1f} img/s"
    if name != 'plain':
        r = [p/x for p, x in zip(times['plain'], times[name])]
        line += f"   speed ratio to plain: median {statistics.median(r):.2f} (rounds {', '.join(f'{v:.2f}' for v in r)})"
    print(line)

if a.profile:
    from jaw_fastai.cli import main
    t0 = time.perf_counter()
    pr = cProfile.Profile(); pr.enable()
    main([str(c) for c in jaw_cmd(tmp/'prof')[1:]])
    pr.disable()
    total = time.perf_counter() - t0
    s = io.StringIO(); st = pstats.Stats(pr, stream=s)
    wanted = ['check_items', 'fit_recipe', 'write_run', 'interpret', 'plot_cam_gallery', 'plot_top_losses_cam', 'plot_cam_by_class',
              'localization_scores', 'confidence_drop_by_class', 'plot_history', 'plot_confusion', 'plot_per_class', 'plot_reliability',
              'savefig', 'export_learner', 'save_safe', 'write_report']
    found = {}
    for (f, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
        if name in wanted and 'jaw_fastai' in f or name == 'savefig' and 'matplotlib/figure' in f: found[name] = found.get(name, 0) + ct
    print(f"\nwhere `jaw-fastai train` spends {total:.1f} s in-process (imports of the command itself not included; cumulative, nested):")
    for n in wanted:
        if n in found: print(f"  {n:<26}{found[n]:6.1f} s")
shutil.rmtree(tmp, ignore_errors=True)
