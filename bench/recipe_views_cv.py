"""A change to the default recipe (two views), cross-validated on one fold seed with several training seeds, paired per fold with the default trained with the same seeds.

The default's runs are `crop_cv.py`'s: the whole film (`--baseline`, or `cv_whole_FS_tTS` in the scratch
folder) and the teeth box, one run per view and training seed, their out-of-fold probabilities averaged as
`cross_validate(views=...)` does. The candidate is `cross_validate` itself with the default recipe and the
changes given (`FIELD=VALUE`, Python literals), on the same films, folds (fold seed FS) and training seeds
(fold f of seed S trained with S + f, both views): so each fold's difference is the change's alone, up to
the thread count (keep the one the default's runs were made with; `crop_cv.py`'s are two threads). With
`--against CHANGES` the baseline is instead this script's own stored runs of those changes (e.g.
`--against precision="'bf16'"` pairs a bf16 candidate with the bf16 default), trained here too where
missing. Where the default's runs are gone, its two views' per-fold scores transcribed in `bench/results`
stand in, and the candidate trains on `cross_validate`'s folds of the fold seed, as they did. Reported:
balanced accuracy per fold and training seed, each paired with the default, and both recipes' pooled sd
between training seeds. With `--members M`, both recipes are also scored as seed ensembles of M members
(what `train --members M` trains), from the same runs: every split of the training seeds into disjoint
groups of M, each group's out-of-fold probabilities averaged, and the pooled sd between groups. A run folder
already there is reused only when it was made with this recipe.

    python bench/recipe_views_cv.py mixup=0.4 --fold-seed 42 --train-seeds 42 1042
    python bench/recipe_views_cv.py size=192 precision="'bf16'" --against precision="'bf16'" --train-seeds 42
    python bench/recipe_views_cv.py precision="'bf16'" --train-seeds 42 1042 2042 3042 --members 2
"""
import ast, json, warnings
from pathlib import Path
import numpy as np, pandas as pd

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.cv import cross_validate
from jaw_fastai.train import TEETH_BOX, get_recipe, RECIPE_BEFORE
from ufba import RESULTS, ufba_parser, ufba_items, machine_line, oof_scores, paired, view_dir, as_whole_films, pooled_sd, arm_name, box_tag, group_spread

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('changes', nargs='+', help='recipe fields to change, FIELD=VALUE (Python literals)')
p.add_argument('--fold-seed', type=int, default=42)
p.add_argument('--train-seeds', type=int, nargs='+', default=[42])
p.add_argument('--baseline', default='cv_logit_adjust-1_{fs}', help="crop_cv.py's stored whole-film run ({fs}: the fold seed)")
p.add_argument('--against', nargs='+', default=None, help="the baseline: this script's stored runs of these changes (FIELD=VALUE), not the default's")
p.add_argument('--members', type=int, default=None, help='also score both recipes as seed ensembles of M members, from disjoint groups of the training seeds')
p.add_argument('--scratch', type=Path, default=Path('/tmp/jaw_crop'), help="crop_cv.py's scratch folder; the candidate's runs go there too")
a = p.parse_args()

def parse_changes(args:list) -> dict:
    "FIELD=VALUE arguments as a dict of recipe changes."
    pairs = [c.split('=', 1) for c in args]
    if any(len(kv) != 2 for kv in pairs): raise SystemExit('give each change as FIELD=VALUE')
    try: return {k: ast.literal_eval(v) for k, v in pairs}
    except (ValueError, SyntaxError): raise SystemExit('each value must be a Python literal')

changes = parse_changes(a.changes)
r = get_recipe('xray', **changes)
if r == get_recipe('xray'): raise SystemExit(f'{a.changes}: that is the default recipe')
against = None if a.against is None else get_recipe('xray', **parse_changes(a.against))
if against == r: raise SystemExit('the candidate and --against are the same recipe')
if a.members is not None and (a.members < 2 or len(a.train_seeds) < 2*a.members or len(a.train_seeds) % a.members):
    raise SystemExit(f'--members {a.members}: give at least two disjoint groups, a multiple of M training seeds')
fs, base = a.fold_seed, a.out/a.baseline.format(fs=a.fold_seed)
items = ufba_items(a)
if (base/'oof.csv').exists():                          # the default's stored runs fix the films' order and folds
    t0 = json.loads((base/'cv.json').read_text()).get('train_seed', fs)
    whole = pd.read_csv(base/'oof.csv', dtype={'label': str})
    if sorted(items.file.astype(str)) != sorted(whole.file.astype(str)): raise SystemExit(f'{a.data}: other films than {base}')
    items = items.set_index(items.file.astype(str)).loc[whole.file.astype(str)].reset_index(drop=True).assign(fold=whole.fold.values)   # its films and folds, in its order
else: whole = None    # cross_validate's folds of fold seed FS: with --against both recipes train here (checked equal); without, the default's scores are those transcribed in bench/results
name = arm_name(','.join(a.changes))
base_name = 'default' if against is None else arm_name(','.join(a.against))

def default_tables(ts:int) -> list|None:
    "The out-of-fold tables of the default's two views trained with seed `ts` (`crop_cv.py`'s runs); None where they did not survive."
    if whole is None: return None
    vs = []
    for box in (None, TEETH_BOX):
        d = view_dir(a.scratch, box, fs, ts, base, t0)
        if not (d/'oof.csv').exists(): raise SystemExit(f"{d}: not there; run crop_cv.py --fold-seeds {fs} --train-seeds {ts}")
        vs.append(as_whole_films(pd.read_csv(d/'oof.csv', dtype={'label': str}), whole, d))
    return vs

def mean_scores(tables:list) -> list:
    "Balanced accuracy per fold of several runs' out-of-fold probabilities averaged (`oof_scores`), e.g. two views, or two views x seeds."
    return oof_scores(dict(enumerate(tables)))[1]

def transcribed_scores(ts:int) -> list|None:
    "The default's two views' balanced accuracy per fold with training seed `ts`, as `bench/results` recorded it where its runs did not survive (`crop_cv_BOX_t...json`); None if never run."
    for f in sorted(RESULTS.glob(f'crop_cv_{box_tag(TEETH_BOX)}_t*.json')):
        run = json.loads(f.read_text())['runs'].get(f'{fs} t{ts}', {})
        if 'two' in run: return run['two']

def stored_oof(d:Path, recipe:dict, ts:int) -> pd.DataFrame:
    "The out-of-fold table of the CV folder `d` (trained with seed `ts` unless there), refused unless made with `recipe` on the default's films and folds."
    if (d/'cv.json').exists():
        made = get_recipe({**RECIPE_BEFORE, **json.loads((d/'cv.json').read_text())['recipe']})
        if made != recipe: raise SystemExit(f'{d} was made with another recipe; move it away')
    else: cross_validate(items, d, recipe=recipe, seed=fs, train_seed=ts, verbose=True)
    o = pd.read_csv(d/'oof.csv', dtype={'label': str})
    if whole is not None and (o.file.astype(str).tolist() != whole.file.astype(str).tolist() or o.fold.tolist() != whole.fold.tolist()): raise SystemExit(f'{d}: other films or folds than {base}')
    return o

res, tables = {}, {}
for ts in a.train_seeds:                               # the baseline first (trained too if not there), both checked on the same folds
    base_t = default_tables(ts) if against is None else [stored_oof(a.scratch/f'cv_{base_name}_{fs}_t{ts}', against, ts)]
    tables[ts] = {'default': base_t, name: [stored_oof(a.scratch/f'cv_{name}_{fs}_t{ts}', r, ts)]}
    res[ts] = s = {k: transcribed_scores(ts) if t is None else mean_scores(t) for k, t in tables[ts].items()}
    if s['default'] is None: print(f"training seed {ts}: {name} {np.mean(s[name]):.3f} (the default's runs with this seed are neither stored nor transcribed: not paired)", flush=True)
    else: print(f"training seed {ts}: {base_name} {np.mean(s['default']):.3f}  {name} {np.mean(s[name]):.3f}  per fold minus {base_name}: "
                f"{', '.join(f'{x:+.3f}' for x in np.subtract(s[name], s['default']))}", flush=True)

both = [t for t in a.train_seeds if res[t]['default'] is not None]   # the seeds both recipes were trained with
C = np.array([res[t][name] for t in a.train_seeds])
machine = machine_line()
print(f"\nfold seed {fs}, training seeds {a.train_seeds}, both views; {machine}")
print(f"{name:<21} {C.mean():.3f}  spread {pooled_sd(C):.3f}")
if both:
    D, Cb = np.array([res[t]['default'] for t in both]), np.array([res[t][name] for t in both])
    print(f"{base_name + ' (two views)':<21} {D.mean():.3f}  spread {pooled_sd(D):.3f} (training seeds {both})")
    print(f"{name} minus {base_name}, per fold averaged over seeds {both}: {paired((Cb - D).mean(0))}; over every fold and seed: {paired((Cb - D).ravel())}")
members = {}
if a.members:                                          # seed ensembles: each group's models (both views x M seeds) averaged
    for k, label, key in (('default', base_name, 'default'), (name, name, 'candidate')):
        if any(tables[ts][k] is None for ts in a.train_seeds): print(f'{label}: its runs are gone, so its seed ensembles cannot be scored'); continue
        members[key] = g = group_spread(a.train_seeds, a.members, lambda seeds: mean_scores([t for ts in seeds for t in tables[ts][k]]))
        print(f"{label} x {a.members} seeds: {g['mean']:.3f} over all {len(g['combos'])} groups, spread {g['sd']:.3f} (pooled sd over all {len(g['splits'])} splits into disjoint groups)")
RESULTS.mkdir(exist_ok=True)
vs = '' if against is None else f'_vs_{base_name}'
(RESULTS/f"recipe_views_cv_{name}{vs}_{fs}_t{'-'.join(map(str, a.train_seeds))}.json").write_text(json.dumps(dict(
    machine=machine, fold_seed=fs, train_seeds=a.train_seeds, changes=changes, against=None if against is None else parse_changes(a.against),
    default=[res[t]['default'] for t in a.train_seeds], candidate=C.tolist(), members=dict(m=a.members, **members) if members else None), indent=2))
