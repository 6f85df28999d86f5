"""Training time on a CPU: fp32 against bf16 autocast (`precision='bf16'`, with channels-last memory), side by side on the same films.

One learner of the default recipe (one view: the whole film, 128 px, bs 16) per precision on the same
films and split, trained in alternating rounds of `--epochs` one-cycle epochs (fp32, bf16, fp32, bf16...),
so both see the same machine state. Reported: seconds per training epoch (mean of each round after the
first, which pays for the first reads and oneDNN's kernel choices), and their ratio. Also the largest
difference between the first batch's scores in bf16 and in fp32 with the same weights: what bf16 costs in
precision before any training. With `--bf16-size N` the bf16 learner prepares its films at N px (the fp32
one stays at the recipe's 128): what a larger bf16 input costs against today's fp32 default. Accuracy is
measured by cross-validation (`recipe_views_cv.py precision='bf16'`), not here.

    python bench/cpu_bf16.py [--data DIR | --synthetic N] [--rounds 3] [--epochs 2] [--bf16-size 192]
"""
import tempfile, time, warnings
from pathlib import Path
import numpy as np, torch

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.learner import cpu_bf16
from jaw_fastai.train import get_recipe, recipe_items, recipe_learner
from jaw_fastai.items import stratified_split
from jaw_fastai.synth import make_synth_dataset
from ufba import ufba_parser, machine_line

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--synthetic', type=int, default=0, help='N synthetic films at 512 px instead of --data')
p.add_argument('--rounds', type=int, default=3)
p.add_argument('--epochs', type=int, default=2)
p.add_argument('--bf16-size', type=int, default=None, help="the bf16 learner's film size (default: the recipe's)")
a = p.parse_args()
if not cpu_bf16(): raise SystemExit('this CPU has no native bf16 (AVX512-BF16 or AMX): precision=\'bf16\' is refused here')
tmp = Path(tempfile.mkdtemp(prefix='cpu_bf16_'))
data = make_synth_dataset(tmp/'synth', n=a.synthetic, size=512, seed=0) if a.synthetic else a.data
if not a.synthetic and not Path(data).exists(): raise SystemExit(f'{data} not found; give --data DIR or --synthetic N')
r = get_recipe('xray', views='none', epochs=a.epochs)
rs = {'fp32': {**r, 'precision': 'fp32'}, 'bf16': get_recipe(r, precision='bf16', size=a.bf16_size)}
items, _, cache = recipe_items(data, r, a.label_re or None if not a.synthetic else None)
valid = stratified_split(items.label, 0.2, 42, groups=items.sha1)[1]
learns = {prec: recipe_learner(items, valid, tmp/prec, rp, seed=42, cache=cache if rp['size'] == r['size'] else None, progress=False, save_best=False)
          for prec, rp in rs.items()}
xb, _ = learns['fp32'].dls.valid.one_batch()
with torch.no_grad():                          # the same weights, scored both ways
    ref = learns['fp32'].model.eval()(xb)
    with torch.autocast('cpu', dtype=torch.bfloat16): low = learns['fp32'].model(xb).float()
print(f"first batch, same weights: largest score difference bf16 - fp32 {float((low - ref).abs().max()):.4f} (scores up to {float(ref.abs().max()):.2f})")
times = {prec: [] for prec in learns}
for rnd in range(a.rounds):
    for prec, learn in learns.items():
        t0 = time.perf_counter(); learn.fit_one_cycle(a.epochs, r['lr'])
        times[prec].append((time.perf_counter() - t0)/a.epochs)
        print(f"round {rnd + 1}, {prec}: {times[prec][-1]:.2f} s per epoch (train loss {learn.recorder.values[-1][0]:.3f})", flush=True)
per = {prec: float(np.mean(t[1:] if len(t) > 1 else t)) for prec, t in times.items()}
print(f"\n{len(items)} films, {len(items) - len(valid)} trained on per epoch, bs {r['bs']}; {machine_line()}")
print(f"seconds per epoch: fp32 ({rs['fp32']['size']} px) {per['fp32']:.2f}, bf16 ({rs['bf16']['size']} px) {per['bf16']:.2f}; bf16/fp32 {per['bf16']/per['fp32']:.2f}")
