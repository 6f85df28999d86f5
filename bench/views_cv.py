"""Which views of the film to average: every set of the whole film and the boxes given, on the folds of one fold seed, paired with the default's two views.

A view is the whole film or a box of it (`XraySpec.crop`). `crop_cv.py --box L T R B --train-seeds ...`
cross-validates one box on the folds of the stored whole-film run, with the same training seeds; this script
trains nothing: it reads those runs (their `oof.csv`) for every box given and scores every set of two views
or more by averaging their out-of-fold probabilities, as `cross_validate` with `views=[...]` does.

Each set's balanced accuracy per fold (averaged over the training seeds) is paired with the default's two views (the whole
film and `TEETH_BOX`) trained with the same seed on the same folds. With two training seeds or more, each
set's spread is the pooled sd between training seeds (the square root of the mean over folds of the per-fold
variance, ddof 1), as `seed_spread.py` computes it, which also reads the scores this script stores in
`bench/results/views_cv_FS_tS1-S2....json`.

The sets are scored on the films they are compared on: a set picked as the best of this table is picked on
this data, and its figure is optimistic.

    python bench/views_cv.py --fold-seed 42 --train-seeds 42 1042 2042 3042 --boxes 0.1,0.22,0.9,0.86 0.1,0.22,0.55,0.86 0.45,0.22,0.9,0.86
"""
import itertools, json, warnings
from pathlib import Path
import numpy as np, pandas as pd

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.train import TEETH_BOX
from ufba import RESULTS, ufba_parser, machine_line, oof_scores, paired, view_dir, as_whole_films, pooled_sd

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seed', type=int, default=42)
p.add_argument('--train-seeds', type=int, nargs='+', default=[42])
p.add_argument('--boxes', nargs='+', default=[','.join(map(str, TEETH_BOX))], help='boxes as L,T,R,B fractions (the teeth box first is the default pair)')
p.add_argument('--baseline', default='cv_logit_adjust-1_{fs}', help="the stored whole-film run crop_cv.py pairs with ({fs}: the fold seed)")
p.add_argument('--scratch', type=Path, default=Path('/tmp/jaw_crop'), help="crop_cv.py's scratch folder")
a = p.parse_args()

def name(box) -> str: return 'whole' if box is None else f"box {','.join(f'{x:g}' for x in box)}"
boxes = [tuple(float(x) for x in b.split(',')) for b in a.boxes]
if TEETH_BOX not in boxes: raise SystemExit(f"--boxes must include the teeth box {','.join(map(str, TEETH_BOX))}: the default pairs the whole film with it")
fs, base = a.fold_seed, a.out/a.baseline.format(fs=a.fold_seed)
if not (base/'oof.csv').exists(): raise SystemExit(f'{base}: not there; run crop_cv.py --fold-seeds {fs} first')
t0 = json.loads((base/'cv.json').read_text()).get('train_seed', fs)
o = pd.read_csv(base/'oof.csv', dtype={'label': str})

def oof(box, ts) -> pd.DataFrame:
    "A view's out-of-fold table, its films named as the whole film's (crop_cv.py keeps their order)."
    d = view_dir(a.scratch, box, fs, ts, base, t0)
    if not (d/'oof.csv').exists():
        raise SystemExit(f"{d}: not there; run crop_cv.py --fold-seeds {fs} --box {' '.join(map(str, box or TEETH_BOX))} --train-seeds {' '.join(map(str, a.train_seeds))}")
    return as_whole_films(pd.read_csv(d/'oof.csv', dtype={'label': str}), o, d)

views = [None] + boxes
default = (None, TEETH_BOX)
sets = [s for n in range(2, len(views) + 1) for s in itertools.combinations(views, n)]
oofs = {ts: {v: oof(v, ts) for v in views} for ts in a.train_seeds}
scores = {' + '.join(map(name, s)): [oof_scores({name(v): oofs[ts][v] for v in s})[1] for ts in a.train_seeds] for s in sets}   # set -> seeds x folds
singles = {name(v): [oof_scores({name(v): oofs[ts][v]})[0][name(v)] for ts in a.train_seeds] for v in views}
dname = ' + '.join(map(name, default))

print(f'fold seed {fs}, training seeds {a.train_seeds}; balanced accuracy per fold averaged over the training seeds\n')
for n, s in singles.items(): print(f"{n:<60} alone {np.mean(s):.3f}  spread {pooled_sd(s):.3f}")
print()
for n, s in scores.items():
    s = np.array(s); d = (s - np.array(scores[dname])).mean(0)         # per fold, averaged over the training seeds
    vs = '' if n == dname else f"  minus two views: {paired(d)}"
    print(f"{n:<60} {s.mean():.3f}  (per fold: {', '.join(f'{x:.3f}' for x in s.mean(0))})  spread {pooled_sd(s):.3f}{vs}")
machine = machine_line()
print(machine)
RESULTS.mkdir(exist_ok=True)
(RESULTS/f"views_cv_{fs}_t{'-'.join(map(str, a.train_seeds))}.json").write_text(json.dumps(dict(
    machine=machine, fold_seed=fs, train_seeds=a.train_seeds, boxes=boxes, default=dname, singles=singles, sets=scores), indent=2))
