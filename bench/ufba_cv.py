"""Stratified 5-fold cross-validation on real panoramic X-rays (UFBA-425 developer set): the project's
default recipe against the plain fastai recipe a user would write by hand, on the same folds.

Plain recipe: `vision_learner(resnet18, pretrained=False)`, `Resize(128)`, `aug_transforms()`,
15 epochs of `fit_one_cycle` (no pretrained weights can be downloaded here; both train from scratch).
Prints balanced accuracy and macro F1 as mean ± sd over folds, and wall time, for both.

    python bench/ufba_cv.py [--data ../shared/data/ufba425-dev/images] [--k 5] [--only default|plain]

Writes bench/out/ufba_cv.json. Targets (issue 3): default beats plain by >= 0.15 balanced accuracy,
and reaches 0.60 or more; one training of the default recipe under 15 minutes on 2 CPU cores.
"""
import json, time, warnings
from pathlib import Path

warnings.filterwarnings('ignore', category=FutureWarning)
from fastai.vision.all import (DataBlock, ImageBlock, CategoryBlock, IndexSplitter, RegexLabeller, Resize, aug_transforms,
                               vision_learner, resnet18, accuracy, set_seed)
from jaw_fastai.items import content_hashes
from jaw_fastai.cv import stratified_kfold, cross_validate, summarize_folds
from jaw_fastai.metrics import classification_metrics
from jaw_fastai.train import get_recipe
from ufba import ufba_parser, ufba_items, machine_line

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--seed', type=int, default=42)
p.add_argument('--only', choices=['default', 'plain'], default=None)
p.add_argument('--set', nargs='*', default=[], help='recipe overrides for the default recipe, e.g. epochs=40 mirror=True')
a = p.parse_args()
items = ufba_items(a)

def parse(v):
    for f in (int, float):
        try: return f(v)
        except ValueError: pass
    return {'True': True, 'False': False, 'None': None}.get(v, v)


overrides = {k: parse(v) for k, v in (s.split('=', 1) for s in a.set)}
vocab = sorted(items.label.unique())
folds = stratified_kfold(items.label, a.k, a.seed, groups=content_hashes(items.file))
results = {}


def plain_fold(f, va):
    "The recipe a fastai user writes by hand, trained from scratch."
    set_seed(a.seed + f, reproducible=True)
    files = [Path(x) for x in items.file]
    dblock = DataBlock(blocks=(ImageBlock, CategoryBlock(vocab=vocab)), get_items=lambda _: files,
                       get_y=RegexLabeller(a.label_re, match=False), splitter=IndexSplitter(va),
                       item_tfms=Resize(128), batch_tfms=aug_transforms())
    dls = dblock.dataloaders(a.data, bs=32, num_workers=0)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=accuracy)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(15)
        p, t = learn.get_preds()
    return classification_metrics(t.numpy(), p.argmax(1).numpy(), vocab)


if a.only in (None, 'plain'):
    t0, per_fold = time.time(), []
    for f, (tr, va) in enumerate(folds):
        per_fold.append(plain_fold(f, va))
        print(f"plain fold {f + 1}/{a.k}: balanced accuracy {per_fold[-1]['balanced_accuracy']:.3f} ({time.time() - t0:.0f} s)", flush=True)
    results['plain'] = dict(summary=summarize_folds(per_fold), seconds=round(time.time() - t0, 1),
                            recipe='vision_learner(resnet18, pretrained=False), Resize(128), aug_transforms(), fit_one_cycle(15), bs 32')

if a.only in (None, 'default'):
    r = get_recipe('xray', **overrides)
    res = cross_validate(items, a.out/('ufba_default' + ''.join('_' + s for s in a.set)), k=a.k, recipe=r, seed=a.seed)
    results['default'] = dict(summary=res['summary'], seconds=res['seconds'], recipe=r, pooled_balanced_accuracy=res['pooled']['balanced_accuracy'],
                              summary_without_tta=res.get('summary_without_tta'), pooled_per_class=res['pooled']['per_class'])
    if res.get('summary_without_tta'): print(f"default without TTA: balanced accuracy {res['summary_without_tta']['balanced_accuracy']['mean']:.3f} ± {res['summary_without_tta']['balanced_accuracy']['sd']:.3f}")

machine = machine_line()
print(f"\nUFBA-425 dev set: {len(items)} films, {len(vocab)} classes, stratified {a.k}-fold CV (seed {a.seed}); machine: {machine}")
print(f"{'recipe':<10}{'balanced accuracy':>22}{'macro F1':>18}{'wall time':>12}")
for name, r in results.items():
    s = r['summary']
    print(f"{name:<10}{s['balanced_accuracy']['mean']:>14.3f} ± {s['balanced_accuracy']['sd']:.3f}{s['macro_f1']['mean']:>10.3f} ± {s['macro_f1']['sd']:.3f}{r['seconds']/60:>9.1f} min")
if len(results) == 2:
    gain = results['default']['summary']['balanced_accuracy']['mean'] - results['plain']['summary']['balanced_accuracy']['mean']
    print(f"default - plain balanced accuracy: {gain:+.3f} (target >= +0.15: {'PASS' if gain >= 0.15 else 'FAIL'})")
if 'default' in results:
    b = results['default']['summary']['balanced_accuracy']['mean']
    print(f"default balanced accuracy {b:.3f} (target >= 0.60: {'PASS' if b >= 0.60 else 'not reached'}); "
          f"one training {results['default']['seconds']/a.k/60:.1f} min per fold (target < 15)")
a.out.mkdir(parents=True, exist_ok=True)
prev = json.loads((a.out/'ufba_cv.json').read_text()) if (a.out/'ufba_cv.json').exists() else {}
key = ' '.join(a.set)
if key and 'default' in results: results = {**{k: v for k, v in results.items() if k != 'default'}, f'default {key}': results['default']}
(a.out/'ufba_cv.json').write_text(json.dumps({**prev, **results, 'machine': machine, 'k': a.k, 'seed': a.seed}, indent=2, default=str))
