"""Run every notebook in `nbs/` as a test (one pytest test per notebook), and check that the
exported modules match the notebooks."""
import filecmp, shutil, subprocess, sys, tempfile
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted((ROOT/'nbs').glob('*.ipynb'))


@pytest.mark.parametrize('nb', NBS, ids=lambda p: p.stem)
def test_notebook(nb, monkeypatch):
    "Every cell of the notebook runs without error (cells flagged `notest` are skipped, as in `nbdev-test`)."
    # The notebooks write films, runs and reports under `tempfile` folders (so they read as docs); give each notebook,
    # and the processes it starts, a folder of its own that is removed afterwards, so a test run leaves no gigabytes behind.
    with tempfile.TemporaryDirectory(prefix=f'jaw_fastai_{nb.stem}_') as tmp:
        monkeypatch.setenv('TMPDIR', tmp); monkeypatch.setattr(tempfile, 'tempdir', tmp)
        cfg = get_config(ROOT)
        ok, _ = run_notebook(nb, skip_flags=cfg.tst_flags.split(), cell_timeout=int(cfg.cell_timeout))
    assert ok, f"{nb.name} failed (traceback above); rerun with `nbdev-test --file-glob {nb.name}`"


def test_modules_match_notebooks(tmp_path):
    "`nbdev-export` on the committed notebooks reproduces `jaw_fastai/` exactly: nobody edited generated code."
    for p in ('nbs', 'jaw_fastai'): shutil.copytree(ROOT/p, tmp_path/p)
    shutil.copy(ROOT/'pyproject.toml', tmp_path)
    subprocess.run([str(Path(sys.executable).parent/'nbdev-export')], cwd=tmp_path, check=True, capture_output=True)
    for f in sorted((ROOT/'jaw_fastai').glob('*.py')):
        assert filecmp.cmp(f, tmp_path/'jaw_fastai'/f.name, shallow=False), f"jaw_fastai/{f.name} differs from its notebook: run nbdev-export"
    new = {p.name for p in (tmp_path/'jaw_fastai').glob('*.py')} - {p.name for p in (ROOT/'jaw_fastai').glob('*.py')}
    assert not new, f"notebooks export modules that are not committed: {new}"


def test_notebooks_are_clean(tmp_path):
    "Every notebook is as `nbdev-clean` leaves it (no execution counts, no stray metadata): outputs are kept, noise is not."
    shutil.copytree(ROOT/'nbs', tmp_path/'nbs'); shutil.copy(ROOT/'pyproject.toml', tmp_path)
    subprocess.run([str(Path(sys.executable).parent/'nbdev-clean')], cwd=tmp_path, check=True, capture_output=True)
    dirty = [nb.name for nb in NBS if (tmp_path/'nbs'/nb.name).read_bytes() != nb.read_bytes()]
    assert not dirty, f"not clean: {dirty}; run nbdev-clean"


def test_tutorials_show_their_outputs():
    "The tutorials carry their outputs (films, plots, tables), made from synthetic films only (`tools/execute_notebooks.py`)."
    import json
    for nb in sorted((ROOT/'nbs').glob('2*_tutorial_*.ipynb')):
        outs = [o for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', [])]
        images = [o for o in outs if 'image/png' in o.get('data', {})]
        assert len(images) >= 1 and len(outs) >= 3, f"{nb.name} shows {len(outs)} output(s), {len(images)} figure(s): run python tools/execute_notebooks.py {nb.relative_to(ROOT)}"
        text = json.dumps(outs)
        assert 'ufba' not in text.lower() and '../shared' not in text, f"{nb.name}: an output comes from real films, whose terms forbid redistribution"


def test_readme_matches_index():
    "README.md is generated from nbs/index.ipynb (`python tools/make_readme.py`)."
    sys.path.insert(0, str(ROOT/'tools'))
    from make_readme import render
    assert (ROOT/'README.md').read_text() == render(), "README.md is out of date: run python tools/make_readme.py"


def test_no_notebook_imports_a_later_one():
    "Reading order follows the imports: every `jaw_fastai.X` a notebook imports (exported or not) comes from an earlier notebook."
    import json, re
    number = {}
    for nb in NBS:
        m = re.search(r'#\|\s*default_exp\s+(\S+)', nb.read_text())
        if m: number[m.group(1)] = nb.stem
    for nb in NBS:
        src = '\n'.join(''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code')
        for mod in set(re.findall(r'(?:from|import)\s+jaw_fastai\.(\w+)', src)):
            if mod in number and mod != 'all':
                assert number[mod] <= nb.stem, f"{nb.name} imports jaw_fastai.{mod}, which comes later ({number[mod]}.ipynb)"
