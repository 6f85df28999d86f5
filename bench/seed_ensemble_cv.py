"""Training-seed spread and seed ensembles of a recipe, cross-validated on the same folds, over several fold seeds.

Every run is the default recipe (`RECIPES['xray']`, or it with `--attributes`) on the UFBA-425 developer
set, stratified K-fold; for each fold seed only the training seed changes (`cross_validate(..., train_seed=T)`),
so each fold is scored by several models that differ only in their random start and batches. Training
seeds FS, FS+1000, FS+2000 (for fold seed FS) are the members `--members 3` trains on each fold
(`cross_validate(..., members=3)` seeds member i of fold f with FS + f + 1000*i); fold seed 42 was measured
first, with training seeds 42, 1000 and 2000, and those runs are kept. From the runs'
out-of-fold probabilities it reports, per fold seed and pooled over all of them:

- each single model's balanced accuracy, and the spread (sd) of the CV mean between training seeds;
- the ensemble that averages the models' probabilities (what `predict` does with an ensemble's members),
  paired fold by fold against the mean of its members and against the first training seed's model (the
  default's own CV: `candidates_cv.py`'s runs are reused when they exist);
- how far single models and smaller ensembles (every set of all but one training seed) spread on one fold:
  the sd between them, per fold, averaged over folds.

    python bench/seed_ensemble_cv.py --data DIR [--fold-seeds 42 7 11] [--offsets 0 1000 2000]
    python bench/seed_ensemble_cv.py --fold-seeds 42 --train-seeds 42 1000 2000      # the first run's seeds

A run whose `cv.json` exists is read, not trained again (its `oof.csv`, or one rebuilt from the folds'
last-epoch checkpoints: `ufba.cv_oof`); bench/results/seed_ensemble_cv.json holds the figures. The runs there
were made before the default recipe had logit adjustment: `--logit-adjust 0` reads them; with today's
default a run made without it is refused (`cv_oof`), so give another --out to train it anew.
"""
import itertools, json, warnings
import numpy as np

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.cv import cross_validate
from jaw_fastai.train import get_recipe
from ufba import RESULTS, ufba_parser, ufba_items, machine_line, cv_oof, oof_scores, arm_dir

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seeds', type=int, nargs='+', default=[42, 7, 11])
p.add_argument('--offsets', type=int, nargs='+', default=[0, 1000, 2000], help='training seeds: fold seed + each offset')
p.add_argument('--train-seeds', type=int, nargs='+', default=None, help='the training seeds themselves (one fold seed only)')
p.add_argument('--attributes', action='store_true', help="the finding head's recipe (candidates_cv.py's attribute table) instead of the default")
p.add_argument('--epochs', type=int, default=None, help="the recipe's unless given (a smoke test)")
p.add_argument('--size', type=int, default=None, help="the recipe's unless given (a smoke test)")
p.add_argument('--logit-adjust', type=float, default=None, help="the recipe's unless given (0: as the runs in bench/out were made)")
a = p.parse_args()
if a.train_seeds and len(a.fold_seeds) > 1: raise SystemExit('--train-seeds is for one fold seed; give --offsets for several')
items = ufba_items(a)
machine = machine_line()
arm = 'attributes' if a.attributes else 'default'
table = a.out/'ufba_attributes.csv'
if a.attributes and not table.exists(): raise SystemExit(f'{table} is missing: run candidates_cv.py --arms attributes first (it writes the table)')
recipe = get_recipe('xray', epochs=a.epochs, size=a.size, logit_adjust=a.logit_adjust, attributes=table if a.attributes else None)
se = lambda d: float(np.std(d, ddof=1)/np.sqrt(len(d)))
per_fold_sd = lambda runs: float(np.mean(np.std(np.array(runs), 0, ddof=1)))     # between runs, on the same fold

FIRST_RUN = {42: [42, 1000, 2000]}    # fold seed 42 was measured first, with these training seeds (2026-11-27): reused

results, pooled = {}, dict(d_mean=[], d_first=[], single=[], ens=[])
for fs in a.fold_seeds:
    seeds = a.train_seeds or (FIRST_RUN.get(fs) if arm == 'default' and a.offsets == [0, 1000, 2000] else None) or [fs + o for o in a.offsets]
    oofs, seconds = {}, {}
    for ts in seeds:
        d = arm_dir(a.out, arm, fs, ts)
        if not (d/'cv.json').exists(): cross_validate(items, d, k=a.k, recipe=recipe, seed=fs, train_seed=ts, verbose=True)
        oofs[ts] = cv_oof(d, items, seed=fs, train_seed=ts, recipe=recipe); seconds[ts] = json.loads((d/'cv.json').read_text())['seconds']
    single, ens, aux = oof_scores(oofs)
    probs, rows, ba = aux['probs'], aux['rows'], aux['ba']
    folds, first = list(rows), oofs[seeds[0]]
    d_mean = np.array(ens) - np.mean([single[ts] for ts in seeds], 0)
    d_first = np.array(ens) - np.array(single[seeds[0]])
    subsets = list(itertools.combinations(seeds, len(seeds) - 1)) if len(seeds) > 2 else []
    sub_ens = [[ba(np.mean([probs[t] for t in sub], 0), rows[f]) for f in folds] for sub in subsets]
    cv_means = [float(np.mean(single[ts])) for ts in seeds]
    results[str(fs)] = dict(train_seeds=seeds, seconds=seconds, single={str(k): v for k, v in single.items()}, ensemble=ens,
                            cv_means=cv_means, ensemble_mean=float(np.mean(ens)),
                            per_fold_sd_single=per_fold_sd(list(single.values())), per_fold_sd_subsets=per_fold_sd(sub_ens) if subsets else None,
                            ensemble_minus_members=dict(mean=float(d_mean.mean()), se=se(d_mean)),
                            ensemble_minus_first=dict(mean=float(d_first.mean()), se=se(d_first)))
    pooled['d_mean'] += list(d_mean); pooled['d_first'] += list(d_first)
    pooled['single'].append(list(single.values())); pooled['ens'].append(float(np.mean(ens)))
    print(f"\nfold seed {fs} ({arm} recipe): {len(first)} films, {a.k}-fold CV")
    for ts in seeds:
        print(f"  train seed {ts:<6} balanced accuracy per fold {', '.join(f'{v:.3f}' for v in single[ts])}  mean {np.mean(single[ts]):.3f}  ({seconds[ts]/60:.1f} min)")
    print(f"  ensemble of {len(seeds)}   balanced accuracy per fold {', '.join(f'{v:.3f}' for v in ens)}  mean {np.mean(ens):.3f}")
    print(f"  spread on one fold (sd between runs, mean over folds): single models {per_fold_sd(list(single.values())):.3f}"
          + (f", ensembles of {len(subsets[0])} {per_fold_sd(sub_ens):.3f}" if subsets else ''))
    print(f"  ensemble minus the mean of its members {d_mean.mean():+.3f} ± {se(d_mean):.3f}; minus train seed {seeds[0]} {d_first.mean():+.3f} ± {se(d_first):.3f} (SE, {len(folds)} folds)")

dm, df = np.array(pooled['d_mean']), np.array(pooled['d_first'])
summary = dict(fold_seeds=a.fold_seeds, first_mean=float(np.mean([np.mean(s[0]) for s in pooled['single']])), ensemble_mean=float(np.mean(pooled['ens'])),
               ensemble_minus_members=dict(mean=float(dm.mean()), se=se(dm), n=len(dm)), ensemble_minus_first=dict(mean=float(df.mean()), se=se(df), n=len(df)),
               per_fold_sd_single=float(np.mean([per_fold_sd(s) for s in pooled['single']])))
print(f"\nover fold seeds {a.fold_seeds}: first training seed {summary['first_mean']:.3f}, ensemble {summary['ensemble_mean']:.3f}; "
      f"ensemble minus members' mean {dm.mean():+.3f} ± {se(dm):.3f}, minus the first {df.mean():+.3f} ± {se(df):.3f} (SE, {len(dm)} paired folds); {machine}")
out = RESULTS/f'seed_ensemble_cv{"_attributes" if a.attributes else ""}.json'
old = json.loads(out.read_text()) if out.exists() else {}
old = old.get('fold_seeds_run', {}) if 'fold_seeds_run' in old else ({str(old['fold_seed']): old} if 'fold_seed' in old else {})
out.write_text(json.dumps(dict(machine=machine, k=a.k, n=len(items), fold_seeds_run={**old, **results}, summary=summary), indent=2, default=float))
