"""The teeth box of every film (`crop`) against the whole film, on the folds of a stored cross-validation, and the two averaged.

The baseline is a stored `cross_validate` run in --out (default `cv_logit_adjust-1_FS`: the whole film with
the default recipe, made here with training seed FS when it is not there). Every film is prepared once with `XraySpec(size, crop=BOX)` into a scratch folder outside the
repository (the same pixels `crop=BOX` gives in training), and the default recipe is cross-validated on
those films with the baseline's own folds (its `oof.csv` fold column) and training seeds. Reported per fold
seed: the box alone and the average of the two models' out-of-fold probabilities, each paired fold by fold
with the baseline. The average is what a recipe with `views=[None, BOX]` scores (`cross_validate` trains
each view exactly as here and averages their probabilities; 18_cv tests that it equals the views' own
`oof.csv` files averaged).

`--train-seeds S...` also trains other models on the same folds (training seeds S + fold index, as
`cross_validate(train_seed=S)` does): both views are trained anew for a seed other than the baseline's, and
the spread between training seeds is reported per fold for each view alone and for the two averaged.
With `--members M`, the training seeds are also taken M at a time (42 1042 | 2042 3042 ...: what
`members=M` trains, member i seeded S + 1000 i) and each group's two views x M seeds are averaged: its
balanced accuracy, and with two groups or more the spread of that ensemble, on disjoint groups of trainings
(also averaged over every split of the seeds into groups of M: with seeds 42 1042 2042 3042 and M = 2, the
three splits 42+1042 | 2042+3042, 42+2042 | 1042+3042, 42+3042 | 1042+2042).

    python bench/crop_cv.py [--fold-seeds 42 7 11] [--box 0.1 0.22 0.9 0.86] [--scratch /tmp/jaw_crop] [--train-seeds 42 1042 2042 3042 --members 2]
"""
import functools, json, warnings
from pathlib import Path
import numpy as np, pandas as pd
from PIL import Image

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.cv import cross_validate
from jaw_fastai.train import get_recipe, RECIPE_BEFORE
from jaw_fastai.xray import XraySpec
from ufba import RESULTS, ufba_parser, ufba_items, machine_line, oof_scores, paired, box_tag, view_dir, as_whole_films, pooled_sd, group_spread, seed_key

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seeds', type=int, nargs='+', default=[42, 7, 11])
p.add_argument('--box', type=float, nargs=4, default=[0.1, 0.22, 0.9, 0.86], metavar=('L', 'T', 'R', 'B'))
p.add_argument('--baseline', default='cv_logit_adjust-1_{fs}', help='the stored run each fold seed is paired with ({fs}: the fold seed)')
p.add_argument('--scratch', type=Path, default=Path('/tmp/jaw_crop'), help='where the cropped films and runs go (never inside the repository)')
p.add_argument('--train-seeds', type=int, nargs='+', default=None, help="training seeds (default: the baseline's); one fold seed only")
p.add_argument('--members', type=int, default=None, help='also average the views of M consecutive training seeds at a time (disjoint groups)')
a = p.parse_args()
if a.train_seeds and len(a.fold_seeds) != 1: raise SystemExit('--train-seeds: give one fold seed')
if a.members and (not a.train_seeds or len(a.train_seeds) % a.members):
    raise SystemExit('--members M: give --train-seeds, whole groups of M (two groups or more for their spread)')
r = get_recipe('xray', views='none')                  # one view per run: this script trains each view by itself and averages
spec = XraySpec(r['size'], r['contrast'], crop=tuple(a.box))
tag = box_tag(a.box)
films = a.scratch/f'films_{tag}'; films.mkdir(parents=True, exist_ok=True)   # one folder per box: the same names, other pixels
res, d_box, d_two, oofs = {}, [], [], {}
def cv(items, out, ts):
    "The out-of-fold table of the default recipe on `items` (their fold column), trained with seed `ts`: read when `out` has it."
    if not (out/'cv.json').exists(): cross_validate(items, out, recipe=r, seed=ts, train_seed=ts, verbose=True)
    return pd.read_csv(out/'oof.csv', dtype={'label': str})

for fs in a.fold_seeds:
    base = a.out/a.baseline.format(fs=fs)
    if not (base/'cv.json').exists():                 # a fresh checkout: the whole film's run with the fold seed's own training seed
        print(f'{base}: not there, cross-validating the whole film (training seed {fs})', flush=True)
        cross_validate(ufba_items(a), base, recipe=r, seed=fs, train_seed=fs, verbose=True)
    cvb = json.loads((base/'cv.json').read_text())
    if get_recipe({**RECIPE_BEFORE, **cvb['recipe']}) != r: raise SystemExit(f'{base} was made with another recipe than the default; give --baseline')
    o = pd.read_csv(base/'oof.csv', dtype={'label': str})
    for f in o.file:
        dst = films/(Path(f).stem + '.png')
        if not dst.exists(): Image.fromarray(spec.prepare(f)).save(dst)     # lossless: training reads these exact pixels
    boxed_items = pd.DataFrame(dict(file=[str(films/(Path(f).stem + '.png')) for f in o.file], label=o.label, fold=o.fold))
    t0 = cvb.get('train_seed', fs)
    for ts in a.train_seeds or [t0]:
        whole = o if ts == t0 else cv(o[['file', 'label', 'fold']], view_dir(a.scratch, None, fs, ts, base, t0), ts)
        bd = view_dir(a.scratch, a.box, fs, ts, base, t0)
        boxed = as_whole_films(cv(boxed_items, bd, ts), o, bd)   # the same films, by their original names
        single, two, _ = oof_scores({'whole': whole, 'box': boxed})
        if ts == t0: d_box += list(np.array(single['box']) - single['whole']); d_two += list(np.array(two) - single['whole'])
        res[f'{fs} t{ts}'] = dict(whole=single['whole'], box=single['box'], two=two)
        oofs[ts] = {'whole': whole, 'box': boxed}
        print(f"fold seed {fs}, training seed {ts}: whole {np.mean(single['whole']):.3f}  box {np.mean(single['box']):.3f}  both averaged {np.mean(two):.3f}  "
              f"(per fold: {', '.join(f'{x:.3f}' for x in two)})", flush=True)
machine = machine_line()
means = {k: float(np.mean([np.mean(v[k]) for v in res.values()])) for k in ('whole', 'box', 'two')}
print(f"\nmeans over {list(res)}: " + ', '.join(f'{k} {v:.3f}' for k, v in means.items()))
if len(d_box) > 1: print(f"box minus whole: {paired(d_box)}; both averaged minus whole: {paired(d_two)}")
spread = {}
if a.train_seeds and len(a.train_seeds) > 1:
    for k in ('whole', 'box', 'two'): spread[k] = pooled_sd([v[k] for v in res.values()])
    print('spread between training seeds on one fold (pooled sd): ' + ', '.join(f'{k} {v:.3f}' for k, v in spread.items()))
groups, groups_all = {}, None
@functools.cache                                      # the consecutive groups are scored again among every group below
def views_x_seeds(seeds:tuple) -> list:
    "Balanced accuracy per fold of both views x `seeds`, their probabilities averaged."
    return oof_scores({f'{v} t{t}': oofs[t][v] for t in seeds for v in ('whole', 'box')})[1]
if a.members:                                         # disjoint groups of M seeds: each group's 2 x M models averaged
    for g in range(0, len(a.train_seeds), a.members):
        ts = a.train_seeds[g:g + a.members]; groups[seed_key(ts)] = ens = views_x_seeds(tuple(ts))
        print(f"views x seeds {ts}: {np.mean(ens):.3f} (per fold: {', '.join(f'{x:.3f}' for x in ens)})")
    if len(groups) > 1:
        spread[f'views x {a.members} seeds'] = pooled_sd(list(groups.values()))
        print(f"spread between the consecutive groups on one fold (pooled sd): {spread[f'views x {a.members} seeds']:.3f}")
        # Every way of splitting the seeds into disjoint groups of M gives an estimate of the same per-fold variance;
        # their mean uses all the trainings (the consecutive groups above are one of these splits).
        g = group_spread(a.train_seeds, a.members, views_x_seeds)
        print(f"pooled sd between groups over all {len(g['splits'])} splits into groups of {a.members}: {g['sd']:.3f} "
              f"(per-fold variance: {', '.join(f'{x:.4f}' for x in g['per_fold_var'])}); balanced accuracy over all {len(g['combos'])} groups: {g['mean']:.3f}")
        groups_all = {k: g[k] for k in ('combos', 'splits', 'per_fold_var')}
print(machine)
name = f'crop_cv_{tag}' + (f"_t{'-'.join(map(str, a.train_seeds))}" if a.train_seeds else '')
RESULTS.mkdir(exist_ok=True)
(RESULTS/f'{name}.json').write_text(json.dumps(dict(machine=machine, box=a.box, baseline=a.baseline, fold_seeds=a.fold_seeds, train_seeds=a.train_seeds, runs=res,
                                                  means=means, box_minus_whole=d_box, two_minus_whole=d_two, spread=spread, groups=groups, groups_all=groups_all), indent=2, default=float))
