"""What the benchmarks on the UFBA-425 developer set share: its options, its films, and the machine line they record."""
import argparse, os, platform
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]

def ufba_parser(description:str) -> argparse.ArgumentParser:
    "An argument parser with the options every UFBA benchmark takes: --data, --label-re, --k, --out."
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--data', type=Path, default=ROOT.parent/'shared'/'data'/'ufba425-dev'/'images',
                   help='the developer set (beside the repository on the development machine)')
    p.add_argument('--label-re', default=r'cate(\d+)-', help="labels from file names; '' for class folders or labels.csv")
    p.add_argument('--k', type=int, default=5, help='folds')
    p.add_argument('--out', type=Path, default=ROOT/'bench'/'out')
    return p

def ufba_items(a):
    "The films and labels of `a.data`, or a one-line exit when the set is not there."
    from jaw_fastai.items import xray_items
    if not a.data.exists(): raise SystemExit(f'{a.data} not found: this benchmark needs the UFBA-425 developer set')
    return xray_items(a.data, label_re=a.label_re or None)

def machine_line() -> str:
    "The processor, cores, torch version and threads, as the results record them."
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, torch {torch.__version__}, {torch.get_num_threads()} threads"
