"""The GPU path. Tests marked `gpu` need CUDA and are skipped without it; the smoke test of the GPU
benchmark runs anywhere."""
import subprocess, sys
from pathlib import Path
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU')


@gpu
@pytest.mark.gpu
def test_gpu_training_defaults(tmp_path):
    "On a GPU, `jaw_learner` trains in bf16 (or fp16) with channels-last, and the safe export loads on the CPU."
    from jaw_fastai.synth import make_synth_dataset
    from jaw_fastai.data import xray_dataloaders
    from jaw_fastai.learner import jaw_learner
    from jaw_fastai.export import save_safe
    from jaw_fastai.predict import load_jaw_model
    data = make_synth_dataset(tmp_path/'data', n=80, size=64, seed=0)
    dls = xray_dataloaders(data, size=64, bs=16)
    assert dls.device.type == 'cuda'
    learn = jaw_learner(dls, path=tmp_path/'run', width=8, progress=False)
    names = [type(cb).__name__ for cb in learn.cbs]
    assert 'MixedPrecision' in names and 'ChannelsLast' in names
    learn.fit_one_cycle(1, 3e-3)
    assert next(learn.model.parameters()).is_cuda
    save_safe(learn, tmp_path/'run')
    p = load_jaw_model(tmp_path/'run', device='cpu')
    df = p.predict(list(dls.valid_ds.items.file[:4]))
    assert df.error.eq('').all()


def test_gpu_bench_smoke():
    "`bench/gpu_bench.py --smoke --profile` runs to the end on whatever device there is and prints every figure."
    r = subprocess.run([sys.executable, str(ROOT/'bench'/'gpu_bench.py'), '--smoke', '--profile'], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    for s in ('img/s', 'GFLOP/img', 'MFU', 'profile, ', 'convolution', 'loader share of a step', 'time to 95 % validation accuracy'): assert s in r.stdout, (s, r.stdout)
