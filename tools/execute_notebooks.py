"""Run notebooks and save their outputs into them, as fastai's and fastcore's notebooks carry theirs.

Images are stored at most 720 px wide with a 256-colour palette, so the notebooks stay small.
Each notebook runs in a temporary folder of its own (removed afterwards) with nbdev's test runner (cells
flagged `notest` skipped), on synthetic films only: `JAW_FASTAI_FILMS` is cleared, so no film of a set
whose terms forbid redistribution can end up in a committed output. Then `nbdev-clean` tidies them.

    python tools/execute_notebooks.py [NOTEBOOK ...]      # default: every notebook in nbs/
"""
import argparse, base64, io, json, os, subprocess, sys, tempfile, warnings
from pathlib import Path
from PIL import Image
from nbdev.config import get_config
from nbdev.test import test_nb

ROOT = Path(__file__).resolve().parents[1]
for w in (FutureWarning, DeprecationWarning): warnings.filterwarnings('ignore', category=w)   # torch's and pandas' deprecation notices are not what the docs should show


def execute(nb: Path) -> bool:
    "Run `nb` and write its outputs back; False (and the notebook untouched) when a cell fails."
    env = dict(os.environ)
    os.environ.pop('JAW_FASTAI_FILMS', None)
    try:
        with tempfile.TemporaryDirectory(prefix=f'jaw_fastai_{nb.stem}_') as tmp:
            os.environ['TMPDIR'] = tmp; tempfile.tempdir = tmp
            ok, _ = test_nb(nb, skip_flags=get_config(ROOT).tst_flags.split(), save=True)
    finally:
        os.environ.clear(); os.environ.update(env); tempfile.tempdir = None
    return ok


def shrink_png(b64: str, width: int = 720) -> str:
    "A figure as a smaller PNG: at most `width` px wide, 256 colours (plots and films lose nothing visible)."
    im = Image.open(io.BytesIO(base64.b64decode(b64))).convert('RGB')
    if im.width > width: im = im.resize((width, round(im.height*width/im.width)), Image.LANCZOS)
    out = io.BytesIO(); im.quantize(256, method=Image.Quantize.MEDIANCUT).save(out, 'PNG', optimize=True)
    return base64.b64encode(out.getvalue()).decode()


def shrink_images(nb: Path):
    "Re-encode every PNG output of `nb` with `shrink_png`."
    d = json.loads(nb.read_text())
    for c in d['cells']:
        for o in c.get('outputs', []):
            if 'image/png' in o.get('data', {}): o['data']['image/png'] = shrink_png(''.join(o['data']['image/png']))
    nb.write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', type=Path)
    nbs = [nb.resolve() for nb in p.parse_args().notebooks or sorted((ROOT/'nbs').glob('*.ipynb'))]
    failed = [nb.name for nb in nbs if not execute(nb)]
    for nb in nbs: shrink_images(nb)
    subprocess.run([str(Path(sys.executable).parent/'nbdev-clean')], cwd=ROOT, check=True)
    for nb in nbs: print(f'{nb.name}: {nb.stat().st_size/1e3:.0f} kB')
    if failed: sys.exit(f'failed (outputs not saved): {failed}')
