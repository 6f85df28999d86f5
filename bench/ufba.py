"""What the benchmarks on the UFBA-425 developer set share: its options, its films, and the machine line they record."""
import argparse, itertools, json, os, platform, re
from pathlib import Path
import numpy as np, pandas as pd, torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT/'bench'/'results'   # the benchmarks' per-fold scores, committed: numbers only, no films and no paths to them

def ufba_parser(description:str) -> argparse.ArgumentParser:
    "An argument parser with the options every UFBA benchmark takes: --data, --label-re, --k, --out."
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--data', type=Path, default=ROOT.parent/'shared'/'data'/'ufba425-dev'/'images',
                   help='the developer set (beside the repository on the development machine)')
    p.add_argument('--label-re', default=r'cate(\d+)-', help="labels from file names; '' for class folders or labels.csv")
    p.add_argument('--k', type=int, default=5, help='folds')
    p.add_argument('--out', type=Path, default=ROOT/'bench'/'out')
    return p

def ufba_items(a):
    "The films and labels of `a.data`, or a one-line exit when the set is not there."
    from jaw_fastai.items import xray_items
    if not a.data.exists(): raise SystemExit(f'{a.data} not found: this benchmark needs the UFBA-425 developer set')
    return xray_items(a.data, label_re=a.label_re or None)

def machine_line() -> str:
    "The processor, cores, torch version and threads, as the results record them."
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, torch {torch.__version__}, {torch.get_num_threads()} threads"

def cv_oof(d:Path, items, # the CV folder and the films it cross-validated
           seed:int|None=None, train_seed:int|None=None, recipe:dict|None=None, # what the run must have been made with (None: not checked)
          ) -> pd.DataFrame:
    """A cross-validation folder's out-of-fold predictions: its `oof.csv`; for a folder written before
    `cross_validate` wrote one, rebuilt from each fold's last-epoch checkpoint (the model the fold was scored
    with) and refused unless every fold's balanced accuracy equals the one `cv.json` recorded. A run made
    with another fold seed, training seed or recipe than asked for is refused, not silently reused."""
    from jaw_fastai.train import get_recipe, recipe_items, RECIPE_BEFORE
    from jaw_fastai.tta import predict_valid
    cv = json.loads((d/'cv.json').read_text())
    r = get_recipe({**RECIPE_BEFORE, **cv['recipe']})   # (fields added since the run: what the run did without them)
    made = dict(seed=cv['seed'], train_seed=cv.get('train_seed', cv['seed']), **{f'recipe.{k}': v for k, v in r.items()})
    want = dict(seed=seed, train_seed=train_seed, **{f'recipe.{k}': v for k, v in (recipe or {}).items()})
    diff = [k for k, v in want.items() if v is not None and json.dumps(made.get(k), default=str) != json.dumps(v, default=str)]
    if diff: raise SystemExit(f"{d} was made with other settings than asked ({', '.join(f'{k}: {made.get(k)!r}, not {want[k]!r}' for k in diff)}); move it away or give another --out")
    if (d/'oof.csv').exists(): return pd.read_csv(d/'oof.csv', dtype={'label': str, 'prediction': str})
    if r['tta']: raise SystemExit(f"{d}: its folds were scored with random test-time augmentation, which a rebuild cannot repeat")
    if 'fold' in items.columns or 'split' in items.columns: raise SystemExit(f"{d}: rebuilding needs the stratified folds (no fold or split column)")
    from jaw_fastai.cv import stratified_kfold, oof_table
    from jaw_fastai.metrics import classification_metrics
    its, _, cache = recipe_items(items, r)
    probs, fold_of = np.zeros((len(its), len(cv['classes'])), np.float32), np.zeros(len(its), int)
    for f, (_, va) in enumerate(stratified_kfold(its.label, cv['k'], cv['seed'], groups=its.sha1)):
        learn = fold_learner(d, f, its, va, r, cache)
        p, t = predict_valid(learn, tta=r['tta'])
        got = classification_metrics(t.numpy(), p.argmax(1).numpy(), cv['classes'])['balanced_accuracy']
        if abs(got - cv['folds'][f]['balanced_accuracy']) > 1e-9:
            raise SystemExit(f"{d}/fold{f}: the checkpoint scores {got:.4f}, cv.json recorded {cv['folds'][f]['balanced_accuracy']:.4f}")
        probs[va], fold_of[va] = p.numpy(), f
    oof = oof_table(its.assign(label=its.label.astype(str)), fold_of, probs, cv['classes'])
    oof.to_csv(d/'oof.csv', index=False)
    return oof

def fold_learner(d:Path, f:int, items, valid_idx, recipe:dict, cache=None):
    """The learner of fold `f` of the CV folder `d` (validating on `valid_idx` of `items`), with the weights of
    that fold's last-epoch checkpoint: the model the fold was scored with."""
    from jaw_fastai.train import recipe_learner
    learn = recipe_learner(items, valid_idx, d/f'fold{f}', recipe, cache=cache, progress=False, save_best=False)
    learn.model.load_state_dict(torch.load(d/f'fold{f}'/'checkpoint.pth', weights_only=True)['model'])
    return learn

def oof_scores(oofs:dict) -> tuple[dict, list, dict]:
    """Balanced accuracy per fold of each run's out-of-fold predictions (`oofs`: name -> `cv_oof` table, all on
    the same folds) and of the ensemble that averages their probabilities; also the rows of each fold."""
    from jaw_fastai.metrics import classification_metrics
    names = list(oofs); first = oofs[names[0]]
    for n, o in oofs.items():
        if o[['file', 'fold']].values.tolist() != first[['file', 'fold']].values.tolist(): raise SystemExit(f'{n}: other folds than {names[0]}')
    classes = [c[2:] for c in first.filter(like='p_').columns]
    probs = {n: o.filter(like='p_').values for n, o in oofs.items()}
    y = np.array([classes.index(str(l)) for l in first.label])
    rows = {f: np.flatnonzero(first.fold.values == f) for f in sorted(first.fold.unique())}
    ba = lambda p, r: classification_metrics(y[r], p[r].argmax(1), classes)['balanced_accuracy']
    single = {n: [ba(probs[n], r) for r in rows.values()] for n in names}
    return single, [ba(np.mean([probs[n] for n in names], 0), r) for r in rows.values()], dict(probs=probs, rows=rows, ba=ba)

def paired(d) -> str:
    "Mean ± standard error of paired per-fold differences."
    d = np.asarray(d); return f"{d.mean():+.3f} ± {d.std(ddof=1)/np.sqrt(len(d)):.3f} (SE, {len(d)} folds)"

def arm_dir(out:Path, arm:str, fold_seed:int, train_seed:int|None=None) -> Path:
    """The CV folder of a recipe (`candidates_cv.py`'s arm name) on a fold seed, trained with `train_seed`
    (default: the fold seed, as `cross_validate` does): `cv_ARM_FS`, or `seed_ensemble_cv.py`'s
    `cv_seeds_FS_tTS` (`cv_ARM_seeds_FS_tTS` for other arms) for the same training."""
    ts, name = fold_seed if train_seed is None else train_seed, arm_name(arm)
    own = out/f'cv_{name}_{fold_seed}'
    if ts == fold_seed and (arm != 'default' or (own/'cv.json').exists()): return own
    return out/(f'cv_seeds_{fold_seed}_t{ts}' if arm == 'default' else f'cv_{name}_seeds_{fold_seed}_t{ts}')

def arm_name(arm:str) -> str:
    "An arm as a file name: `size=160` -> `size-160`."
    return re.sub(r'[^\w.-]+', '-', arm).strip('-')

def box_tag(box) -> str:
    "A crop box as a file name: (0.1, 0.22, 0.9, 0.86) -> `crop-0.1-0.22-0.9-0.86`."
    return 'crop-' + '-'.join(f'{x:g}' for x in box)

def view_dir(scratch:Path, box, fold_seed:int, train_seed:int, base:Path, base_seed:int) -> Path:
    """The CV folder `crop_cv.py` writes for one view (`box`; None for the whole film) and training seed: the
    stored whole-film run `base` for its own seed `base_seed`, else a folder in `scratch`."""
    if box is None: return base if train_seed == base_seed else scratch/f'cv_whole_{fold_seed}_t{train_seed}'
    return scratch/(f'cv_{box_tag(box)}_{fold_seed}' + ('' if train_seed == base_seed else f'_t{train_seed}'))

def as_whole_films(v:pd.DataFrame, whole:pd.DataFrame, where) -> pd.DataFrame:
    """A view's out-of-fold table `v` with the whole film's file names (`crop_cv.py` prepares a view's films in
    the whole film's order), refused when its labels or folds differ from `whole`'s."""
    if v.label.tolist() != whole.label.tolist() or v.fold.tolist() != whole.fold.tolist(): raise SystemExit(f'{where}: other films or folds than the whole film\'s run')
    return v.assign(file=whole.file.values)

def pooled_sd(rows) -> float:
    """The pooled sd between runs on the same folds (rows: runs, columns: folds): the root of the mean per-fold
    variance (ddof 1); nan for fewer than two runs."""
    rows = np.asarray(rows)
    return float(np.sqrt(np.mean(np.var(rows, axis=0, ddof=1)))) if len(rows) > 1 else float('nan')

def partitions(seeds:list, m:int):
    "Every split of `seeds` into disjoint groups of `m` (the order of groups and within them ignored)."
    if not seeds: yield []; return
    for rest in itertools.combinations(seeds[1:], m - 1):
        left = [s for s in seeds[1:] if s not in rest]
        for p in partitions(left, m): yield [(seeds[0], *rest)] + p

def seed_key(seeds) -> str: return '+'.join(map(str, seeds))

def group_spread(seeds:list, m:int, scores) -> dict:
    """Seed ensembles of `m` members from runs with `seeds`: `scores(group)` gives the balanced accuracy per fold
    of one group's models averaged. Every split of the seeds into disjoint groups estimates the same per-fold
    variance between ensembles; their mean uses every training. Returns each group's scores (`combos`), the
    splits, the per-fold variance, its pooled sd and the mean balanced accuracy over the groups."""
    combos = {seed_key(g): scores(g) for g in itertools.combinations(seeds, m)}
    splits = list(partitions(list(seeds), m))
    var = np.mean([np.var([combos[seed_key(g)] for g in s], axis=0, ddof=1) for s in splits], axis=0)
    return dict(combos=combos, splits=[[seed_key(g) for g in s] for s in splits], per_fold_var=var.tolist(),
                sd=float(np.sqrt(var.mean())), mean=float(np.mean(list(combos.values()))))
