"""Candidates for the default recipe, paired against it on the same folds: cross-validation on the UFBA-425 developer set.

Arms, all trained with the default recipe (`RECIPES['xray']`, `jaw_resnet`) on the same folds:
- default: from scratch (today's default);
- contrastive: from `pretrain` on the developer set's own films, labels ignored (SimCLR views). The
  pretraining sees every film's pixels, the validation folds' included (never their labels): a
  transductive setting, said so in the results;
- synthetic: from `pretrain(synthetic=N)`, supervised on the findings of N synthetic films;
- attributes: from scratch with the finding head (`--attributes`): each class's findings (all teeth,
  restoration, appliance, implant, more than 32 teeth) from the set's `labels.csv`, one row per class;
- any recipe change, written FIELD=VALUE[,FIELD=VALUE]: e.g. `size=160`, `epochs=60,size=160`,
  `arch_args={'pool':'concat'}` (values are Python literals; the run folder is named after the arm),
  also after a named arm: `attributes,logit_adjust=1` is the finding head with that change.
Started from weights, a run trains with `fine_tune` (1 frozen epoch, then the recipe's epochs).
Each arm is paired with the default on the same folds of each fold seed; the difference is reported per
fold and as mean ± standard error over all folds.

    python bench/candidates_cv.py --data DIR [--fold-seeds 42 7 11] [--arms default contrastive synthetic attributes size=160] [--baseline default]

A result already in candidates_cv.json is reused only when its run folder was made with the recipe the arm
means today (a run from before a recipe field existed counts as made without it, `RECIPE_BEFORE`); the
`default` runs in bench/out are the recipe before logit adjustment, so today's `default` (which has it) is
refused there: compare against them as `--baseline logit_adjust=0 --arms logit_adjust=0 ...` (trained anew).

Writes bench/out/candidates_cv.json after every cross-validation, so a cut-short run keeps what it did.
"""
import ast, json, re, warnings
import numpy as np
import pandas as pd

warnings.filterwarnings('ignore', category=FutureWarning)
from jaw_fastai.cv import cross_validate
from jaw_fastai.train import get_recipe, RECIPE_BEFORE
from jaw_fastai.pretrain import pretrain
from ufba import ufba_parser, ufba_items, machine_line, arm_dir

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--fold-seeds', type=int, nargs='+', default=[42, 7, 11])
p.add_argument('--arms', nargs='+', default=['default', 'contrastive', 'synthetic', 'attributes'])
p.add_argument('--pretrain-epochs', type=int, default=30)
p.add_argument('--synthetic', type=int, default=2000, help='synthetic films for the synthetic arm')
p.add_argument('--synthetic-epochs', type=int, default=10)
p.add_argument('--baseline', default='default', help='the arm every other arm is paired with, fold by fold (one of --arms)')
a = p.parse_args()

def split_arm(arm:str) -> tuple[str, list]:
    "The named arm an arm starts from ('default' when it starts with FIELD=VALUE) and its FIELD=VALUE pieces."
    parts = re.split(r',(?=\w+=)', arm)
    return ('default', parts) if '=' in parts[0] else (parts[0], parts[1:])
named = {split_arm(arm)[0] for arm in a.arms}
items = ufba_items(a)
a.out.mkdir(parents=True, exist_ok=True)
machine = machine_line()
res_file = a.out/'candidates_cv.json'
res = json.loads(res_file.read_text()) if res_file.exists() else {}
res.update(machine=machine, k=a.k, n=len(items))
save = lambda: res_file.write_text(json.dumps(res, indent=2, default=str))

weights = {'default': None}
if 'contrastive' in named:
    d = a.out/'pre_contrastive'
    if not (d/'pretrain.json').exists():
        info = pretrain(list(items.file), d, size=128, epochs=a.pretrain_epochs, bs=64, verbose=True)
        res['pretrain_contrastive'] = {k: info[k] for k in ('films', 'epochs', 'losses', 'seconds', 'method')}; save()
    weights['contrastive'] = d
if 'synthetic' in named:
    d = a.out/'pre_synthetic'
    if not (d/'pretrain.json').exists():
        info = pretrain(out=d, synthetic=a.synthetic, size=128, epochs=a.synthetic_epochs, bs=64, verbose=True)
        res['pretrain_synthetic'] = {k: info[k] for k in ('films', 'epochs', 'losses', 'seconds', 'method')}; save()
    weights['synthetic'] = d
if 'attributes' in named:             # one row per class: its findings, as labels.csv gives them for every film
    lab = pd.read_csv(a.data.parent/'labels.csv', dtype=str)
    table = lab.drop(columns='file').drop_duplicates()
    if table.category.duplicated().any(): raise SystemExit('labels.csv gives one category two sets of findings')
    table.rename(columns={'category': 'class'}).to_csv(a.out/'ufba_attributes.csv', index=False)
    weights['attributes'] = None

def overrides(arm:str) -> dict:
    "The recipe fields an arm changes: its FIELD=VALUE pairs parsed as Python literals ({} for a named arm alone)."
    base, pieces = split_arm(arm)
    if base not in weights: raise SystemExit(f'arm {arm!r}: {base!r} is not a named arm ({", ".join(weights)})')
    pairs = [kv.split('=', 1) for kv in pieces]
    if any(len(kv) != 2 for kv in pairs): raise SystemExit(f'arm {arm!r}: give a named arm or FIELD=VALUE[,FIELD=VALUE]')
    try: return {k: ast.literal_eval(v) for k, v in pairs}
    except (ValueError, SyntaxError): raise SystemExit(f'arm {arm!r}: each value must be a Python literal')

def arm_recipe(arm:str) -> dict:
    "The recipe of an arm: its starting weights or finding table, and its FIELD=VALUE changes (these win)."
    base = split_arm(arm)[0]
    return get_recipe('xray', **{'weights': weights[base], 'attributes': a.out/'ufba_attributes.csv' if base == 'attributes' else None, **overrides(arm)})

for arm in a.arms: arm_recipe(arm)                   # unknown fields and bad values refused before any training
if a.baseline not in a.arms: raise SystemExit(f'--baseline {a.baseline}: give one of the --arms')

def check_reuse(arm:str, fs:int):
    "Refuse a stored result whose run folder was made with another recipe than `arm` means now."
    d = arm_dir(a.out, arm, fs)
    if not (d/'cv.json').exists(): return
    made, want = get_recipe({**RECIPE_BEFORE, **json.loads((d/'cv.json').read_text())['recipe']}), arm_recipe(arm)
    diff = [f'{k}: {made[k]!r} there, {want[k]!r} asked' for k in want if json.dumps(made.get(k), default=str) != json.dumps(want[k], default=str)]
    if diff: raise SystemExit(f"'{arm} seed {fs}' in {res_file} comes from {d}, made with another recipe ({'; '.join(diff)}): "
                              "name the arm by what it changes (e.g. logit_adjust=0), or move the result and folder away")

for fs in a.fold_seeds:
    for arm in a.arms:
        key = f'{arm} seed {fs}'
        if key in res: check_reuse(arm, fs); continue
        cv = cross_validate(items, arm_dir(a.out, arm, fs), k=a.k, recipe=arm_recipe(arm), seed=fs, verbose=True)
        res[key] = dict(balanced_accuracy=cv['summary']['balanced_accuracy']['folds'], macro_f1=cv['summary']['macro_f1']['folds'],
                        seconds=cv['seconds'])
        print(f"{key}: balanced accuracy {np.mean(res[key]['balanced_accuracy']):.3f} ({cv['seconds']/60:.1f} min)", flush=True)
        save()

print(f"\nUFBA-425 dev set, {len(items)} films, {a.k}-fold CV, fold seeds {a.fold_seeds}; {machine}")
base = {fs: res.get(f'{a.baseline} seed {fs}') for fs in a.fold_seeds}
for arm in a.arms:
    runs = [res[f'{arm} seed {fs}'] for fs in a.fold_seeds if f'{arm} seed {fs}' in res]
    ba = [np.mean(r['balanced_accuracy']) for r in runs]
    line = f"{arm:<12} balanced accuracy {np.mean(ba):.3f} (per fold seed: {', '.join(f'{b:.3f}' for b in ba)})"
    if arm != a.baseline:
        d = np.concatenate([np.array(res[f'{arm} seed {fs}']['balanced_accuracy']) - np.array(base[fs]['balanced_accuracy'])
                            for fs in a.fold_seeds if f'{arm} seed {fs}' in res and base[fs]])
        if len(d): line += f"; minus {a.baseline}, paired: {d.mean():+.3f} ± {d.std(ddof=1)/np.sqrt(len(d)):.3f} (SE, {len(d)} folds)"
    print(line)
