"""Test-time augmentation on stored cross-validations: every fold's model scored again with `predict --tta`'s views, paired with its plain scores.

Trains nothing. For each view (the whole film, the teeth box) and training seed, `crop_cv.py`'s run on one fold
seed is reloaded fold by fold from its last-epoch checkpoint (the model the fold was scored with) and its
validation films are predicted with each of `tta_views`' deterministic views: the film itself, a 1.1x centre zoom
and the left-right mirror (the default recipe trains with mirrors), exactly what `JawPredictor.predict_tta`
averages. The plain probabilities must equal the run's `oof.csv` (else the run is refused), so every difference
is the views' alone. The per-view probabilities go to `oof_tta.npz` in each run folder (scratch, outside the
repository; a rerun reads them).

Reported, for each view alone and for the two views averaged (`views=[None, TEETH_BOX]`), per fold and averaged
over the training seeds: balanced accuracy without and with the TTA views, paired fold by fold, and the pooled
sd between training seeds (as `seed_spread.py`). The candidate is the library's TTA (all three views), fixed
before this run; the mirror alone and the zoom alone are shown for what they contribute, not to pick one.

    python bench/tta_cv.py --fold-seed 42 --train-seeds 42 1042 2042 3042
"""
import json, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.train import TEETH_BOX, get_recipe, recipe_items, RECIPE_BEFORE
from jaw_fastai.predict import tta_names, tta_view
from ufba import RESULTS, ufba_parser, machine_line, oof_scores, paired, view_dir, as_whole_films, pooled_sd, box_tag, fold_learner

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seed', type=int, default=42)
p.add_argument('--train-seeds', type=int, nargs='+', default=[42])
p.add_argument('--baseline', default='cv_logit_adjust-1_{fs}', help="the stored whole-film run crop_cv.py pairs with ({fs}: the fold seed)")
p.add_argument('--scratch', type=Path, default=Path('/tmp/jaw_crop'), help="crop_cv.py's scratch folder")
a = p.parse_args()

fs, base = a.fold_seed, a.out/a.baseline.format(fs=a.fold_seed)
if not (base/'oof.csv').exists(): raise SystemExit(f'{base}: not there; run crop_cv.py --fold-seeds {fs} first')
t0 = json.loads((base/'cv.json').read_text()).get('train_seed', fs)
whole = pd.read_csv(base/'oof.csv', dtype={'label': str})
VIEWS = tta_names(mirror=True)                # the default trains with mirrors: every view
MODES = {'plain': ['film'], 'mirror': ['film', 'mirror'], 'zoom': ['film', 'zoom'], 'tta': VIEWS}   # which of those views each mode averages

def view_probs(d:Path, items:pd.DataFrame) -> np.ndarray:
    "(views, films, classes): each fold model's probabilities for its validation films under each of `VIEWS`."
    if (d/'oof_tta.npz').exists(): return np.load(d/'oof_tta.npz')['probs']
    cv = json.loads((d/'cv.json').read_text())
    r = get_recipe({**RECIPE_BEFORE, **cv['recipe']})
    oof = pd.read_csv(d/'oof.csv', dtype={'label': str})
    its, _, cache = recipe_items(items, r)
    if not r['mirror']: raise SystemExit(f'{d}: trained without mirrors; the mirror is not one of its test-time views')
    probs = np.zeros((len(VIEWS), len(its), len(cv['classes'])), np.float32)
    for f in sorted(oof.fold.unique()):
        va = np.flatnonzero(oof.fold.values == f)
        learn = fold_learner(d, f, its, va, r, cache)
        model = learn.model.eval(); out = []
        with torch.no_grad():
            for xb, _ in learn.dls.valid:
                out.append(torch.stack([torch.softmax(model(tta_view(xb, v)).float(), 1) for v in VIEWS]))
        probs[:, va] = torch.cat(out, 1).numpy()
    if not np.allclose(probs[0], oof.filter(like='p_').values, atol=1e-5):
        raise SystemExit(f"{d}: the checkpoints' plain predictions differ from its oof.csv; not the run it says")
    np.savez(d/'oof_tta.npz', probs=probs)
    return probs

def mode_oof(o:pd.DataFrame, probs:np.ndarray, mode:str) -> pd.DataFrame:
    "`o` with its probabilities replaced by the mean over `mode`'s views."
    p = probs[[VIEWS.index(v) for v in MODES[mode]]].mean(0)
    return o.assign(**{c: p[:, i] for i, c in enumerate(o.filter(like='p_').columns)})

views = {'whole': None, 'teeth box': TEETH_BOX}
scores = {}                                  # (view set, mode) -> seeds x folds
for ts in a.train_seeds:
    oofs = {}
    for name, box in views.items():
        d = view_dir(a.scratch, box, fs, ts, base, t0)
        if not (d/'oof.csv').exists(): raise SystemExit(f"{d}: not there; run crop_cv.py --fold-seeds {fs} --train-seeds {' '.join(map(str, a.train_seeds))}")
        o = as_whole_films(pd.read_csv(d/'oof.csv', dtype={'label': str}), whole, d)
        films = whole[['file', 'label']] if box is None else pd.DataFrame(dict(file=[str(a.scratch/f'films_{box_tag(box)}'/(Path(f).stem + '.png')) for f in whole.file], label=whole.label))
        oofs[name] = (o, view_probs(d, films))
    for mode in MODES:
        single, two, _ = oof_scores({n: mode_oof(o, pr, mode) for n, (o, pr) in oofs.items()})
        for n, s in single.items(): scores.setdefault((n, mode), []).append(s)
        scores.setdefault(('two views', mode), []).append(two)
    print(f"training seed {ts}: " + '  '.join(f"{n} {np.mean(scores[(n, 'plain')][-1]):.3f} -> {np.mean(scores[(n, 'tta')][-1]):.3f}" for n in [*views, 'two views']), flush=True)

print(f'\nfold seed {fs}, training seeds {a.train_seeds}; balanced accuracy averaged over the seeds, each mode paired per fold with plain\n')
for n in [*views, 'two views']:
    plain = np.array(scores[(n, 'plain')])
    for mode in MODES:
        s = np.array(scores[(n, mode)])
        vs = '' if mode == 'plain' else f"  minus plain: {paired((s - plain).mean(0))}"
        print(f"{n:<10} {mode:<7} {s.mean():.3f} (per fold: {', '.join(f'{x:.3f}' for x in s.mean(0))})  spread {pooled_sd(s):.3f}{vs}")
    print()
machine = machine_line()
print(machine)
RESULTS.mkdir(exist_ok=True)
(RESULTS/f"tta_cv_{fs}_t{'-'.join(map(str, a.train_seeds))}.json").write_text(json.dumps(dict(
    machine=machine, fold_seed=fs, train_seeds=a.train_seeds, modes=MODES,
    scores={f'{n} | {m}': s for (n, m), s in scores.items()}), indent=2))
