"""Post-hoc prior correction, scored offline: what taking the training batches' class shares out of finished models' probabilities does.

A model trained on class-weighted batches learns each class's share of those batches as its prior. Dividing
its out-of-fold probabilities by that share (raised to tau) before the argmax is post-hoc logit adjustment
(Menon et al. 2021); tau = 1 is the value the theory gives for balanced accuracy, not one tuned here. The
shares of each fold are those its training loader drew: `class_balance_weights` of the fold's training
labels with the run's recipe's `weighted` scheme. Every cross-validation run in --out with an `oof.csv` is
scored as it is and corrected, paired fold by fold. This is the offline evidence behind trying
`logit_adjust` (the same correction learned inside the loss) as a candidate; it trains nothing.

    python bench/posthoc_prior.py [--taus 0.5 1 1.5]
"""
import json
import numpy as np
import pandas as pd
from ufba import ufba_parser, machine_line, paired
from jaw_fastai.items import class_balance_weights
from jaw_fastai.data import sampling_share
from jaw_fastai.metrics import classification_metrics

p = ufba_parser(__doc__.splitlines()[0])
p.add_argument('--taus', type=float, nargs='+', default=[0.5, 1., 1.5])
a = p.parse_args()
res, diffs = {}, {t: [] for t in a.taus}
for f in sorted(a.out.glob('cv_*/oof.csv')):
    cv = json.loads((f.parent/'cv.json').read_text())
    if cv['recipe'].get('logit_adjust'): continue                  # already adjusted in training
    o = pd.read_csv(f, dtype={'label': str})
    classes = [c[2:] for c in o.filter(like='p_').columns]
    P, y = o.filter(like='p_').values, np.array([classes.index(l) for l in o.label])
    scores = {0.: [], **{t: [] for t in a.taus}}
    for k in sorted(o.fold.unique()):
        tr, va = o.fold.values != k, o.fold.values == k
        w = class_balance_weights(o.label.values[tr], cv['recipe']['weighted']) if cv['recipe']['weighted'] else None
        share = sampling_share(o.label.values[tr], w, classes).values
        for t in scores: scores[t].append(classification_metrics(y[va], (P[va]/share**t).argmax(1), classes)['balanced_accuracy'])
    res[f.parent.name] = scores
    for t in a.taus: diffs[t] += list(np.array(scores[t]) - scores[0.])
    print(f"{f.parent.name:<32} " + '  '.join(f"tau {t:g}: {np.mean(v):.3f}" for t, v in scores.items()))
machine = machine_line()
for t in a.taus: print(f"tau {t:g} minus uncorrected: {paired(diffs[t])}")
print(machine)
(a.out/'posthoc_prior.json').write_text(json.dumps(dict(machine=machine, runs={r: {str(t): v for t, v in s.items()} for r, s in res.items()},
                                                        diffs={str(t): v for t, v in diffs.items()}), indent=2, default=float))
