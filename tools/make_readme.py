"""Write README.md from nbs/index.ipynb without Quarto (which `nbdev-readme` needs and this project's
machines cannot install): markdown cells as they are, code cells as Python blocks with nbdev
directives removed, cells marked `#| hide` left out, and text outputs as plain blocks.

    python tools/make_readme.py          # write README.md
    python tools/make_readme.py --check  # exit 1 if README.md is out of date
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render(nb_path=ROOT/'nbs'/'index.ipynb') -> str:
    "Markdown text of the notebook at `nb_path`."
    cells, parts = json.loads(Path(nb_path).read_text())['cells'], []
    for c in cells:
        src = ''.join(c['source']).rstrip()
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code':
            lines = src.splitlines()
            if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
            code = '\n'.join(l for l in lines if not l.lstrip().startswith('#|')).strip()
            if code: parts.append(f'```python\n{code}\n```')
            text = ''.join(''.join(o.get('text', '')) for o in c.get('outputs', []) if o.get('output_type') == 'stream').rstrip()
            if text: parts.append(f'```\n{text}\n```')
    return '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'


if __name__ == '__main__':
    text, readme = render(), ROOT/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text: sys.exit('README.md is out of date: run python tools/make_readme.py')
    else: readme.write_text(text)
