"""The spread between training seeds, recipe against recipe, from the per-fold scores the CV benchmarks stored.

Each fold of a fold seed is one split; every recipe trained on it with several training seeds gives several
balanced accuracies on the same validation films. A recipe's spread is the pooled sd between training
seeds: the square root of the mean over folds of the per-fold variance (ddof 1, so runs with two seeds and
runs with three are comparable). Read from `bench/results` (committed):

- `seed_ensemble_cv.json` (`seed_ensemble_cv.py`): the default recipe as it was when issue 13 was filed
  (one model of the whole film, no logit adjustment), three training seeds per fold seed;
- `crop_cv_BOX_tS1-S2....json` (`crop_cv.py --train-seeds`): the whole film (the default before views), the
  teeth box, the two views averaged (today's default), and, where `--members M` was given, disjoint groups
  of the two views x M seeds (`members=M`); their per-fold variance is averaged over every split of the seeds
  into groups where the run recorded them (`groups_all`);
- `views_cv_FS_tS1-S2....json` (`views_cv.py`): sets of three views or more, one model each;
- `recipe_views_cv_CHANGES_FS_tS1-S2....json` (`recipe_views_cv.py`): the two views with a recipe change, and
  where `--members M` was given, its seed ensembles (every split of the seeds into disjoint groups of M).

The ratio of two recipes' spreads comes with a bootstrap interval over folds (folds resampled together,
both recipes on the same folds).

    python bench/seed_spread.py
"""
import json, sys
from pathlib import Path
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from ufba import RESULTS, ufba_parser
from jaw_fastai.train import TEETH_BOX

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--boot', type=int, default=10000, help='bootstrap resamples of the folds')
a = p.parse_args()

def fold_vars(rows) -> np.ndarray:
    "Per fold, the variance between training seeds (ddof 1): rows are folds, columns training seeds (or groups)."
    return np.array([np.var(r, ddof=1) for r in rows])

class Arm:
    "One recipe on one fold seed: its per-fold scores (folds x training seeds or groups) and per-fold variance between them."
    def __init__(self, rows:np.ndarray, var:np.ndarray|None=None):
        self.rows, self.var = rows, (fold_vars(rows) if var is None else np.asarray(var))
    @property
    def seeds(self) -> int: return self.rows.shape[1]

arms = {}          # arm -> fold seed -> Arm
se = json.loads((RESULTS/'seed_ensemble_cv.json').read_text())
for fs, v in se['fold_seeds_run'].items():
    arms.setdefault('as filed (whole film, no logit adjustment)', {})[int(fs)] = Arm(np.array([v['single'][str(t)] for t in v['train_seeds']]).T)
def more(arm:str, fs:int, new:Arm):
    "Keep the run with the most training seeds (or groups) for this arm and fold seed."
    if fs not in arms.setdefault(arm, {}) or new.seeds > arms[arm][fs].seeds: arms[arm][fs] = new

for f in sorted(RESULTS.glob('crop_cv_*_t*.json')):
    d = json.loads(f.read_text()); fs = d['fold_seeds'][0]
    if tuple(d['box']) != TEETH_BOX: continue         # other boxes are views of `views_cv.py`, read below
    runs = [d['runs'][f'{fs} t{t}'] for t in d['train_seeds']]
    for k, name in (('whole', 'whole film (before views)'), ('box', 'teeth box alone'), ('two', 'two views (default)')):
        if all(k in r for r in runs): more(name, fs, Arm(np.array([r[k] for r in runs]).T))   # (transcribed runs: the two views only)
    if d.get('groups'):                               # (one group: its scores; the spread needs two)
        m = len(next(iter(d['groups'])).split('+'))
        rows = np.array(list(d['groups'].values())).T
        g = d.get('groups_all')                       # the variance averaged over every split of the seeds into groups
        more(f'two views x {m} seeds', fs, Arm(rows, g['per_fold_var'] if g else None))
for f in sorted(RESULTS.glob('views_cv_*_t*.json')):  # sets of more than two views, one model each
    d = json.loads(f.read_text())
    if len(d['train_seeds']) < 2: continue
    for name, rows in d['sets'].items():
        if name.count('+') > 1: more(name, d['fold_seed'], Arm(np.array(rows).T))

for f in sorted(RESULTS.glob('recipe_views_cv_*_t*.json')):   # changes to the default's two views (`recipe_views_cv.py`), several seeds
    d = json.loads(f.read_text())
    if len(d['train_seeds']) < 2 or d.get('against'): continue
    name = 'two views, ' + ', '.join(f'{k}={v!r}' for k, v in d['changes'].items())
    more(name, d['fold_seed'], Arm(np.array(d['candidate']).T))
    g = (d.get('members') or {}).get('candidate')
    if g: more(f"{name} x {d['members']['m']} seeds", d['fold_seed'], Arm(np.array(list(g['combos'].values())).T, g['per_fold_var']))

order = [int(x) for x in se['summary']['fold_seeds']]        # the fold seeds in the order the tables above give them
arms = {n: dict(sorted(by_fs.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order) + kv[0])) for n, by_fs in arms.items()}
print(f"{'recipe':<44} {'fold seeds':<10} {'seeds':>7} {'folds':>5} {'pooled sd':>9}  balanced accuracy: per fold seed, mean over its seeds")
for name, by_fs in arms.items():
    var = np.concatenate([r.var for r in by_fs.values() if r.seeds > 1] or [[]])
    sd = f'{np.sqrt(var.mean()):9.3f}' if len(var) else f"{'':>9}"
    acc = ', '.join(f'{r.rows.mean():.3f}' for r in by_fs.values())
    print(f"{name:<44} {','.join(map(str, by_fs)):<10} {'/'.join(str(r.seeds) for r in by_fs.values()):>7} {len(var):>5} {sd}  {acc} (mean {np.mean([r.rows.mean() for r in by_fs.values()]):.3f})")

def ratio(num:str, den:str):
    "Spread of `num` over spread of `den` on the folds both have, with a 90 % bootstrap interval over those folds."
    fss = [fs for fs in arms[num] if fs in arms.get(den, {}) and arms[num][fs].seeds > 1 and arms[den][fs].seeds > 1]
    if not fss: return None
    vn, vd = (np.concatenate([arms[n][fs].var for fs in fss]) for n in (num, den))
    rng = np.random.default_rng(0); i = rng.integers(0, len(vn), (a.boot, len(vn)))
    boot = np.sqrt(vn[i].mean(1)/np.maximum(vd[i].mean(1), 1e-12))
    r = float(np.sqrt(vn.mean()/vd.mean())); lo, hi = np.percentile(boot, [5, 95])
    print(f"{num} / {den}: {r:.2f} (90 % interval {lo:.2f}-{hi:.2f}; fold seeds {fss}, {len(vn)} folds)")
    return dict(ratio=r, lo=float(lo), hi=float(hi), fold_seeds=fss, folds=len(vn))

print()
res = {}
names = list(arms)
for num in names[1:]:
    for den in (names[0], 'whole film (before views)', 'two views (default)'):
        if num != den and den in arms: res[f'{num} / {den}'] = ratio(num, den)
summary = {n: {fs: dict(seeds=r.seeds, per_fold=r.rows.tolist(), per_fold_var=r.var.tolist()) for fs, r in by_fs.items()} for n, by_fs in arms.items()}
(RESULTS/'seed_spread.json').write_text(json.dumps(dict(arms=summary, ratios=res), indent=2))
