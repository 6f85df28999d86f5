"""What one prediction costs a user: `jaw-fastai predict RUN film.png` as a whole process, against
`python -c "import torch"`, side by side in one run.

Trains a small run folder once (the demo recipe on synthetic films; its model and input spec are what
`predict` loads), then alternates the commands for `--rounds` rounds so machine noise hits them alike,
and reports the median wall time and peak resident memory (the child's `ru_maxrss`, from `os.wait4`)
of each and their ratios. `--also-fastai` adds `python -c "import fastai.vision.all"` for scale.
`cam` (one Grad-CAM overlay) and `evaluate` (20 unseen films) are shown beside it. Targets (issue 12), for
`predict`: at most 1.5x the wall time and 1.2x the peak memory of `import torch`.

    python bench/predict_cost.py --rounds 7
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--rounds', type=int, default=7, help='alternating rounds (default 7)')
p.add_argument('--size', type=int, default=128, help='side of the films the model sees (default 128)')
p.add_argument('--also-fastai', action='store_true', help='also time `import fastai.vision.all`')
a = p.parse_args()

cli = shutil.which('jaw-fastai')
if cli is None: sys.exit('jaw-fastai is not on the PATH: install the project (pip install -e .) first')
tmp = Path(tempfile.mkdtemp())
subprocess.run([cli, 'synth', str(tmp/'data'), '--n', '60', '--size', '256', '--seed', '0'], check=True, capture_output=True)
r = subprocess.run([cli, 'train', str(tmp/'data'), '--out', str(tmp/'run'), '--recipe', 'demo', '--epochs', '1', '--size', str(a.size)],
                   capture_output=True, text=True)
if r.returncode: sys.exit(r.stderr)
film = sorted((tmp/'data'/'implant').glob('*.png'))[0]
subprocess.run([cli, 'synth', str(tmp/'new'), '--n', '20', '--size', '256', '--seed', '1'], check=True, capture_output=True)   # 20 films it never saw

def run(cmd) -> tuple[float, float]:
    "Wall seconds and peak resident MB of one process running `cmd`."
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status: sys.exit(f"{' '.join(map(str, cmd))} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, ru.ru_maxrss/1024                                  # (Linux: kilobytes)

cmds = {'import torch': [sys.executable, '-c', 'import torch'],
        'jaw-fastai predict RUN film.png': [cli, 'predict', str(tmp/'run'), str(film)],
        'jaw-fastai cam RUN film.png': [cli, 'cam', str(tmp/'run'), str(film), '--out', str(tmp/'cam.png')],
        'jaw-fastai evaluate RUN DATA': [cli, 'evaluate', str(tmp/'run'), str(tmp/'new')]}
if a.also_fastai: cmds['import fastai.vision.all'] = [sys.executable, '-c', 'import fastai.vision.all']
for c in cmds.values(): run(c)                                      # warm the page cache once
res = {k: [] for k in cmds}
for _ in range(a.rounds):
    for k, c in cmds.items(): res[k].append(run(c))
med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in res.items()}
base = med['import torch']
print(f"{a.rounds} rounds, median of each; run folder: jaw_resnet at {a.size} px; predict and cam: one film")
print(f"{'command':<34}{'wall s':>8}{'peak MB':>9}{'wall ratio':>12}{'memory ratio':>14}")
for k, (w, m) in med.items(): print(f"{k:<34}{w:>8.2f}{m:>9.0f}{w/base[0]:>12.2f}{m/base[1]:>14.2f}")
shutil.rmtree(tmp, ignore_errors=True)
