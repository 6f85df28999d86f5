"""Ensembles of different recipes, scored from their cross-validation runs' out-of-fold predictions: no training.

Each arm is a recipe `candidates_cv.py` (or `seed_ensemble_cv.py`) has cross-validated on the UFBA-425
developer set with the same fold seeds, hence the same folds; averaging the arms' out-of-fold
probabilities scores the ensemble of one model of each arm per fold. It is an offline score: the library's
`Ensemble` holds members of one model spec and one input spec, so an ensemble of different recipes (other
heads, sizes or architectures) cannot be trained or saved as one model today. For every fold seed, and pooled over them, it reports each
arm's balanced accuracy per fold, the ensemble's, and the ensemble paired fold by fold against the first
arm and against the mean of its members.

    python bench/recipe_ensemble_cv.py [--fold-seeds 42 7 11] [--arms default attributes]

An arm's run is `cv_ARM_FS` in --out (for the default, `cv_seeds_FS_tFS` where that is the one that exists);
a run written before `cross_validate` wrote `oof.csv` has it rebuilt from its folds' checkpoints (`ufba.cv_oof`).
"""
import json, warnings
import numpy as np

warnings.filterwarnings('ignore', category=FutureWarning)
from ufba import ufba_parser, ufba_items, machine_line, cv_oof, oof_scores, arm_dir, arm_name, paired

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seeds', type=int, nargs='+', default=[42, 7, 11])
p.add_argument('--arms', nargs='+', default=['default', 'attributes'])
a = p.parse_args()
items = ufba_items(a)
res, d_first, d_mean, means = {}, [], [], {arm: [] for arm in a.arms + ['ensemble']}
for fs in a.fold_seeds:
    dirs = {arm: arm_dir(a.out, arm, fs) for arm in a.arms}
    missing = [str(d) for d in dirs.values() if not (d/'cv.json').exists()]
    if missing: raise SystemExit(f"fold seed {fs}: no cross-validation in {', '.join(missing)}; run candidates_cv.py --arms ... --fold-seeds {fs} first")
    single, ens, _ = oof_scores({arm: cv_oof(d, items, seed=fs, train_seed=fs) for arm, d in dirs.items()})
    d_first += list(np.array(ens) - single[a.arms[0]]); d_mean += list(np.array(ens) - np.mean(list(single.values()), 0))
    res[str(fs)] = dict(single=single, ensemble=ens)
    print(f"fold seed {fs}:")
    for arm, v in {**single, 'ensemble': ens}.items():
        means[arm].append(float(np.mean(v)))
        print(f"  {arm:<12} balanced accuracy per fold {', '.join(f'{x:.3f}' for x in v)}  mean {np.mean(v):.3f}")
machine = machine_line()
print(f"\nmeans over fold seeds {a.fold_seeds}: " + ', '.join(f"{arm} {np.mean(v):.3f}" for arm, v in means.items()))
print(f"ensemble minus {a.arms[0]}: {paired(d_first)}; minus the mean of its members: {paired(d_mean)}; {machine}")
(a.out/f"recipe_ensemble_cv_{'+'.join(map(arm_name, a.arms))}.json").write_text(json.dumps(dict(
    machine=machine, k=a.k, n=len(items), arms=a.arms, fold_seeds=a.fold_seeds, runs=res, means={k: float(np.mean(v)) for k, v in means.items()},
    ensemble_minus_first=list(d_first), ensemble_minus_members=list(d_mean)), indent=2, default=float))
