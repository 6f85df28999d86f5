"""Time and score `jaw-fastai demo` as a user runs it (targets: under 3 minutes on 2 CPU cores,
validation accuracy at least 0.95).

Runs the installed command in a fresh process per seed, so start-up and imports count, then reads
the run folder's metrics.json. Also reports the pointing game of the default (`fused`) CAM for the four
finding classes (target >= 0.85), strict (peak inside the mask) and with the standard tolerance of
Zhang et al. (15 px at 224 px, here 9 px at 128 px), with the distance of the farthest missed peak.

    python bench/demo.py [--seeds 0 1 2] [--images images]

With --images, the first run's plots (and a grid of synthetic films) are copied into that folder for
the README.
"""
import argparse, json, os, platform, shutil, subprocess, sys, time
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--seeds', type=int, nargs='+', default=[0])
p.add_argument('--out', type=Path, default=Path('bench/out'))
p.add_argument('--images', type=Path, default=None, help='copy the first run\'s plots here')
a = p.parse_args()
exe = shutil.which('jaw-fastai') or str(Path(sys.executable).parent/'jaw-fastai')
rows = []
for s in a.seeds:
    out = a.out/f'demo_seed{s}'
    t = time.perf_counter()
    r = subprocess.run([exe, 'demo', '--out', str(out), '--seed', str(s)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode: sys.exit(f'demo failed for seed {s}:\n{r.stderr[-3000:]}')
    m = json.loads((out/'metrics.json').read_text())
    rows.append((s, wall, m['accuracy'], m['balanced_accuracy'], m['macro_f1'], m.get('localization', {}), m.get('localization_gradcam', {})))

print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch threads default; python {platform.python_version()}")
print(f"{'seed':>4} {'wall s':>8} {'accuracy':>9} {'bal.acc':>8} {'macroF1':>8}")
for s, w, acc, bal, f1, loc, locg in rows:
    pg = ', '.join(f"{c} {v['pointing']:.2f}/{v['pointing_tol']:.2f} (farthest miss {v.get('max_miss_px', float('nan')):.1f} px)"
                   for c, v in loc.items() if isinstance(v, dict))
    pgg = ', '.join(f"{c} {v['pointing']:.2f}/{v['pointing_tol']:.2f}" for c, v in locg.items() if isinstance(v, dict))
    print(f"{s:>4} {w:>8.1f} {acc:>9.3f} {bal:>8.3f} {f1:>8.3f}   pointing game, {loc.get('method', '?')} CAM, strict/within {loc.get('tol_px', '?')} px: {pg or 'n/a'}")
    print(f"{'':>41}   plain Grad-CAM, strict/within {locg.get('tol_px', '?')} px: {pgg or 'n/a'}")
fused = [v for r in rows for v in r[5].values() if isinstance(v, dict)]
worst_pg = min((v['pointing_tol'] for v in fused), default=float('nan'))
worst_strict = min((v['pointing'] for v in fused), default=float('nan'))
far = max((v.get('max_miss_px', float('nan')) for v in fused), default=float('nan'))
worst_t, worst_acc = max(r[1] for r in rows), min(r[2] for r in rows)
print(f"slowest {worst_t:.1f} s (target < 180: {'PASS' if worst_t < 180 else 'FAIL'}); "
      f"lowest accuracy {worst_acc:.3f} (target >= 0.95: {'PASS' if worst_acc >= 0.95 else 'FAIL'}); "
      f"lowest pointing game of a finding class, within the standard tolerance {worst_pg:.2f} (target >= 0.85: {'PASS' if worst_pg >= 0.85 else 'FAIL'}); "
      f"strict (peak inside the mask) {worst_strict:.2f} ({'PASS' if worst_strict >= 0.85 else 'FAIL'}; the farthest missed peak lies {far:.1f} px from its mask)")

if a.images:
    a.images.mkdir(parents=True, exist_ok=True)
    first = a.out/f'demo_seed{a.seeds[0]}'
    for f in ('curves.png', 'confusion_matrix.png', 'per_class_accuracy.png', 'top_losses.png', 'gradcam.png', 'gradcam_by_class.png', 'reliability.png'):
        shutil.copy(first/f, a.images/f)
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from jaw_fastai.synth import synth_xray, SYNTH_CLASSES
    fig, axs = plt.subplots(2, 5, figsize=(12, 5))
    for j, c in enumerate(SYNTH_CLASSES):
        im, mk = synth_xray(c, 128, j)
        axs[0, j].imshow(im, cmap='gray'); axs[0, j].set_title(c); axs[1, j].imshow(mk, cmap='gray')
    for ax in axs.flat: ax.axis('off')
    axs[1, 0].set_title('masks (ground truth)', loc='left', fontsize=9)
    fig.tight_layout(); fig.savefig(a.images/'synth_samples.png', dpi=90)
    print(f'plots copied to {a.images}')
