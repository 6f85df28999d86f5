"""A run report renders in a real browser: every embedded image decodes in headless Chromium. Skipped,
visibly, where Chromium is not installed (`.ci/run` installs it)."""
import numpy as np
import pytest
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from jaw_fastai.run import RunFolder
from jaw_fastai.metrics import classification_metrics, calibration
from jaw_fastai.interpret import plot_confusion, plot_per_class, plot_reliability
from jaw_fastai.report import write_report, chromium_image_check


def test_report_renders_in_chromium(tmp_path):
    run = RunFolder(tmp_path/'run')
    rng = np.random.default_rng(1)
    targs, probs = rng.integers(0, 3, 30), rng.dirichlet(np.ones(3), 30)
    m = classification_metrics(targs, probs.argmax(1), ['a', 'b', 'c'])
    run.write_json('metrics', m)
    for k, fig in dict(confusion=plot_confusion(m), per_class=plot_per_class(m), reliability=plot_reliability(calibration(probs, targs))).items():
        run.savefig(k, fig, dpi=50); plt.close(fig)
    res = chromium_image_check(write_report(run.path), tmp_path)
    if res is None: pytest.skip('Chromium is not installed (apt-get install chromium): the report was not rendered in a browser')
    ok, total, errors, dom = res
    assert (ok, total) == (3, 3), f'{total - ok} of {total} images did not decode in Chromium'
    assert errors == [], f'script errors in the report: {errors}'
    assert 'Weakest class' in dom.split('Settings')[0], 'the verdict is not on the first screen'
