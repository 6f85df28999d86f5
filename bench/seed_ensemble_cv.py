"""Training-seed spread and seed ensembles of the default recipe, cross-validated on the same folds.

Every run is the default recipe (`RECIPES['xray']`) on the UFBA-425 developer set, stratified K-fold with
one fold seed; only the training seed changes (`cross_validate(..., train_seed=T)`), so the folds are the
same and each fold is scored by several models that differ only in their random start and batches. From
the runs' `oof.csv` (each film's out-of-fold probabilities) it reports, per fold and over all folds:

- each single model's balanced accuracy, and the spread (sd) of the CV mean between training seeds;
- the ensemble that averages the models' probabilities (what `predict` does with an ensemble's members),
  paired fold by fold against the mean of its members and against the first training seed's model;
- how far single models and smaller ensembles (every set of all but one training seed) spread on one fold:
  the sd between them, per fold, averaged over folds.

    python bench/seed_ensemble_cv.py --data DIR [--fold-seed 42] [--train-seeds 42 1000 2000]

A run whose `cv.json` and `oof.csv` exist is read, not trained again; bench/out/seed_ensemble_cv.json
holds the figures.
"""
import itertools, json, warnings
import numpy as np
import pandas as pd

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.cv import cross_validate
from jaw_fastai.metrics import classification_metrics
from ufba import ufba_parser, ufba_items, machine_line

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seed', type=int, default=42)
p.add_argument('--train-seeds', type=int, nargs='+', default=[42, 1000, 2000])
p.add_argument('--epochs', type=int, default=None, help="the recipe's unless given (a smoke test)")
p.add_argument('--size', type=int, default=None, help="the recipe's unless given (a smoke test)")
a = p.parse_args()
items = ufba_items(a)
machine = machine_line()

oofs, seconds = {}, {}
for ts in a.train_seeds:
    d = a.out/f'cv_seeds_{a.fold_seed}_t{ts}'
    if not ((d/'cv.json').exists() and (d/'oof.csv').exists()):
        cross_validate(items, d, k=a.k, seed=a.fold_seed, train_seed=ts, verbose=True, epochs=a.epochs, size=a.size)
    oofs[ts] = pd.read_csv(d/'oof.csv', dtype={'label': str}); seconds[ts] = json.loads((d/'cv.json').read_text())['seconds']

first = oofs[a.train_seeds[0]]
for ts, o in oofs.items():
    if o[['file', 'fold']].values.tolist() != first[['file', 'fold']].values.tolist(): raise SystemExit(f'train seed {ts}: other folds than the first run')
classes = [c[2:] for c in first.filter(like='p_').columns]
probs = {ts: o.filter(like='p_').values for ts, o in oofs.items()}
folds = sorted(first.fold.unique())

y = np.array([classes.index(str(l)) for l in first.label])

def ba(p, rows):
    "Balanced accuracy of probabilities `p` on the rows `rows`."
    return classification_metrics(y[rows], p[rows].argmax(1), classes)['balanced_accuracy']

rows = {f: np.flatnonzero(first.fold.values == f) for f in folds}
single = {ts: [ba(probs[ts], rows[f]) for f in folds] for ts in a.train_seeds}
ens_p = np.mean([probs[ts] for ts in a.train_seeds], 0)
ens = [ba(ens_p, rows[f]) for f in folds]
mean_members = np.mean([single[ts] for ts in a.train_seeds], 0)
d_mean, d_first = np.array(ens) - mean_members, np.array(ens) - np.array(single[a.train_seeds[0]])
se = lambda d: d.std(ddof=1)/np.sqrt(len(d))
cv_means = [np.mean(single[ts]) for ts in a.train_seeds]
per_fold_sd = lambda runs: float(np.mean(np.std(np.array(runs), 0, ddof=1)))     # between runs, on the same fold
subsets = list(itertools.combinations(a.train_seeds, len(a.train_seeds) - 1)) if len(a.train_seeds) > 2 else []
sub_ens = [[ba(np.mean([probs[t] for t in sub], 0), rows[f]) for f in folds] for sub in subsets]

print(f"{a.data.name}: {len(first)} films, {a.k}-fold CV, fold seed {a.fold_seed}; {machine}")
for ts in a.train_seeds:
    print(f"train seed {ts:<6} balanced accuracy per fold {', '.join(f'{v:.3f}' for v in single[ts])}  mean {np.mean(single[ts]):.3f}  ({seconds[ts]/60:.1f} min)")
print(f"ensemble of {len(a.train_seeds)}   balanced accuracy per fold {', '.join(f'{v:.3f}' for v in ens)}  mean {np.mean(ens):.3f}")
print(f"spread between training seeds of the CV mean: sd {np.std(cv_means, ddof=1):.3f} (range {min(cv_means):.3f} to {max(cv_means):.3f})")
print(f"spread on one fold (sd between runs, mean over folds): single models {per_fold_sd(list(single.values())):.3f}"
      + (f", ensembles of {len(subsets[0])} {per_fold_sd(sub_ens):.3f}" if subsets else ''))
print(f"ensemble minus the mean of its members, paired: {d_mean.mean():+.3f} ± {se(d_mean):.3f} (SE, {len(folds)} folds)")
print(f"ensemble minus train seed {a.train_seeds[0]}, paired: {d_first.mean():+.3f} ± {se(d_first):.3f} (SE, {len(folds)} folds)")
(a.out/'seed_ensemble_cv.json').write_text(json.dumps(dict(
    machine=machine, k=a.k, fold_seed=a.fold_seed, train_seeds=a.train_seeds, n=len(first), seconds=seconds,
    single={str(k): v for k, v in single.items()}, ensemble=ens, cv_means=cv_means,
    per_fold_sd_single=per_fold_sd(list(single.values())), per_fold_sd_subsets=per_fold_sd(sub_ens) if subsets else None,
    ensemble_minus_members=dict(mean=float(d_mean.mean()), se=float(se(d_mean))),
    ensemble_minus_first=dict(mean=float(d_first.mean()), se=float(se(d_first)))), indent=2, default=float))
