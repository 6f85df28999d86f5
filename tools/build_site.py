"""Build the documentation site from the notebooks without Quarto.

`nbdev-docs` needs Quarto, which this project's machines cannot install, so this builds a plain static
site from the same notebooks: nbdev's notebook processing (directives parsed, `#| hide` cells left out),
markdown rendered with markdown-it, code cells as code blocks (exported source folded away), saved
outputs (text and images) embedded, an API section per module (each public name's signature, docstring
and parameter table from its docments, as `show_doc` shows them), a sidebar linking every page, a search
box over pages, headings and API names that works offline (a client-side index, `search.js`), copy
buttons on code blocks, and a layout that reads at phone width.

    python tools/build_site.py [--out _site] [--execute]

--execute runs each notebook first (as `nbdev-test` does) so the pages show fresh outputs.
Open _site/index.html in a browser; every link and image is local.
"""
import argparse, html, importlib, inspect, json, re
from pathlib import Path
from fastcore.docments import docments
from markdown_it import MarkdownIt
from nbdev.process import NBProcessor

ROOT = Path(__file__).resolve().parents[1]
MD = MarkdownIt('commonmark', {'html': True}).enable('table')
CSS = """body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222;display:flex}
nav{width:230px;min-height:100vh;background:#f6f7f9;border-right:1px solid #e3e3e3;padding:1em;box-sizing:border-box;position:sticky;top:0;align-self:flex-start}
nav a{display:block;color:#234;text-decoration:none;padding:.2em 0}nav a.here{font-weight:bold}main{max-width:900px;padding:1em 2em;flex:1;min-width:0}
pre{background:#f4f4f4;padding:.6em;overflow-x:auto;border-radius:4px}code{font-size:.92em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}
img{max-width:100%}.out{border-left:3px solid #cde;padding-left:.6em}.api{border-top:1px solid #ddd;margin-top:1em}.sig{font-family:monospace;background:#eef3f8;padding:.3em .5em}
details.src summary{cursor:pointer;color:#567;font-size:.9em}.codebox{position:relative}.copy{position:absolute;top:.3em;right:.3em;font-size:.75em;opacity:.7}
#q{width:100%;box-sizing:border-box;margin:.5em 0;padding:.3em}#results a{font-size:.9em}#results small{color:#777}
@media (max-width:700px){body{display:block}nav{width:auto;min-height:0;position:static;border-right:0;border-bottom:1px solid #e3e3e3}main{padding:1em}}"""
SEARCH_JS = """function jawSearch(q){const r=document.getElementById('results');r.innerHTML='';q=q.trim().toLowerCase();if(!q)return;
let hits=SEARCH_INDEX.filter(e=>e.t.toLowerCase().includes(q));hits.sort((a,b)=>(a.t.toLowerCase()!==q)-(b.t.toLowerCase()!==q));
for(const e of hits.slice(0,20)){const a=document.createElement('a');a.href=e.u;a.textContent=e.t+' ';const s=document.createElement('small');s.textContent=e.p;a.appendChild(s);r.appendChild(a)}
if(!hits.length)r.textContent='No match'}
document.addEventListener('DOMContentLoaded',()=>{const i=document.getElementById('q');i.addEventListener('input',()=>jawSearch(i.value));
const q=new URLSearchParams(location.search).get('q');if(q){i.value=q;jawSearch(q)}
for(const pre of document.querySelectorAll('main pre')){if(!pre.querySelector('code'))continue;const b=document.createElement('button');b.className='copy';b.textContent='copy';
b.addEventListener('click',()=>{const t=pre.innerText.replace(/copy$/,'');const done=()=>{b.textContent='copied'};
if(navigator.clipboard&&window.isSecureContext)navigator.clipboard.writeText(t).then(done);else{const ta=document.createElement('textarea');ta.value=t;document.body.appendChild(ta);ta.select();document.execCommand('copy');ta.remove();done()}});
pre.classList.add('codebox');pre.appendChild(b)}})"""


def slug(s): return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')


def page_name(nb: Path) -> str: return 'index.html' if nb.stem == 'index' else f'{nb.stem}.html'


def title_of(cells, nb):
    for c in cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return nb.stem


def render_md(src):
    out = MD.render(src)
    return re.sub(r'<h([1-4])>(.*?)</h\1>', lambda m: f'<h{m.group(1)} id="{slug(re.sub("<[^>]+>", "", m.group(2)))}">{m.group(2)}</h{m.group(1)}>', out)


def show_doc_md(md: str) -> str:
    "nbdev's `show_doc` markdown without its Quarto-only parts: the source link (no repository URL is configured) and `{...}` attributes."
    return re.sub(r'^\[source\]\([^)]*\)\{[^}]*\}\s*$', '', md, flags=re.M)


def unique_ids(page: str) -> str:
    "The same heading twice on a page (a name `show_doc`-ed in two places) gets `-2`, `-3`...: every anchor leads somewhere."
    seen = {}
    def new(m):
        i = m.group(1); seen[i] = seen.get(i, 0) + 1
        return f' id="{i}"' if seen[i] == 1 else f' id="{i}-{seen[i]}"'
    return re.sub(r' id="([^"]+)"', new, page)


def shown_names(cells) -> set:
    "Names a page already documents with a `show_doc` output (nbdev's own rendering)."
    return {m for c in cells for o in c.get('outputs', []) for m in re.findall(r'^#{2,4} (\w+)\s*$', ''.join(o.get('data', {}).get('text/markdown', '')), re.M)}


def render_outputs(outputs):
    parts = []
    for o in outputs:
        data = o.get('data', {})
        if o.get('output_type') == 'stream': parts.append(f"<pre class='out'>{html.escape(''.join(o.get('text', '')))}</pre>")
        elif 'image/png' in data: parts.append(f"<img alt='output' src='data:image/png;base64,{''.join(data['image/png']).strip()}'>")
        elif 'text/html' in data: parts.append(f"<div class='out'>{''.join(data['text/html'])}</div>")
        elif 'text/markdown' in data: parts.append(f"<div class='out doc'>{render_md(show_doc_md(''.join(data['text/markdown'])))}</div>")
        elif 'text/plain' in data: parts.append(f"<pre class='out'>{html.escape(''.join(data['text/plain']))}</pre>")
    return ''.join(parts)


def _anno(a) -> str:
    if a is inspect.Parameter.empty or a is None: return ''
    return a if isinstance(a, str) else getattr(a, '__name__', str(a))


def param_table(obj) -> str:
    "The parameter table `show_doc` gives: name, type, default and the comment beside each parameter (fastcore's docments)."
    try: d = docments(obj, full=True)
    except Exception: return ''
    rows = [(k, _anno(v.get('anno')), '' if v.get('default') is inspect.Parameter.empty else repr(v.get('default')), v.get('docment') or '')
            for k, v in d.items() if k not in ('self', 'return')]
    if not rows: return ''
    body = ''.join(f'<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(t)}</td><td>{html.escape(dv)}</td><td>{MD.renderInline(c)}</td></tr>' for k, t, dv, c in rows)
    return f'<table class="params"><tr><th></th><th>Type</th><th>Default</th><th>Details</th></tr>{body}</table>'


def api_section(module, skip=()):
    "Signature, docstring and parameter table of every public name of `module` that the page does not `show_doc` already (`skip`)."
    try: mod = importlib.import_module(module)
    except Exception as e: return f'<p><em>API of {module} not available: {html.escape(str(e))}</em></p>'
    parts = [f'<section class="api"><h2 id="api">API: <code>{module}</code></h2>']
    for name in getattr(mod, '__all__', []):
        if name in skip: continue
        obj = getattr(mod, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)): continue
        try: sig = str(inspect.signature(obj))
        except (TypeError, ValueError): sig = '(...)'
        kind = 'class ' if inspect.isclass(obj) else ''
        parts.append(f'<h3 id="{slug(name)}">{name}</h3><div class="sig">{kind}{html.escape(name + sig)}</div><p>{MD.renderInline(inspect.getdoc(obj) or "")}</p>'
                     + param_table(obj))
    return ''.join(parts) + '</section>'


def build(out=ROOT/'_site', execute=False) -> Path:
    "Write the site to `out`; returns the index page."
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'), key=lambda p: (p.stem != 'index', p.stem))
    pages, index = [], []
    for nb in nbs:
        proc = NBProcessor(nb, procs=[], rm_directives=True, process=True)
        if execute:
            from execnb.shell import CaptureShell
            sh = CaptureShell(nb)
            sh.run_all(proc.nb, exc_stop=True)
        pages.append((nb, proc.nb.cells, title_of(proc.nb.cells, nb)))
    sidebar = lambda here: ('<nav><b>jaw_fastai</b><input id="q" type="search" placeholder="Search the docs" aria-label="Search"><div id="results"></div>'
                            ) + ''.join(
        f'<a href="{page_name(nb)}"{" class=here" if nb == here else ""}>{html.escape(t)}</a>' for nb, _, t in pages) + '</nav>'
    for nb, cells, title in pages:
        body, module = [], None
        for c in cells:
            d = c.get('directives_', {})
            if 'default_exp' in d: v = d['default_exp']; module = 'jaw_fastai.' + (v if isinstance(v, str) else v[0]).strip()   # nbdev 3: a string
            if 'hide' in d or 'default_exp' in d: continue
            if c.cell_type == 'markdown': body.append(render_md(c.source))
            elif c.cell_type == 'code' and c.source.strip():
                code = f'<pre><code class="language-python">{html.escape(c.source)}</code></pre>'
                if 'export' in d or 'exports' in d: code = f'<details class="src"><summary>Source</summary>{code}</details>'   # the API below says what it does
                body.append(code + render_outputs(c.get('outputs', [])))
        if module: body.append(api_section(module, shown_names(cells)))
        html_body = unique_ids(''.join(body))
        index.append(dict(t=title, u=page_name(nb), p='page'))
        index += [dict(t=re.sub('<[^>]+>', '', h), u=f'{page_name(nb)}#{i}', p=title) for i, h in re.findall(r'<h[1-3] id="([^"]+)">(.*?)</h[1-3]>', html_body)]
        doc = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
               f'<title>{html.escape(title)} - jaw_fastai</title><style>{CSS}</style><script src="search.js"></script></head>'
               f'<body>{sidebar(nb)}<main>{html_body}</main></body></html>')
        # the README's images live in images/: copy what pages point to, so every link stays local
        for src in re.findall(r'src="(images/[^"]+)"', doc):
            (out/src).parent.mkdir(parents=True, exist_ok=True); (out/src).write_bytes((ROOT/src).read_bytes())
        (out/page_name(nb)).write_text(doc, encoding='utf-8')
    (out/'search.js').write_text('const SEARCH_INDEX=' + json.dumps(index) + ';\n' + SEARCH_JS, encoding='utf-8')   # a script, not JSON: works from file://
    return out/'index.html'


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', type=Path, default=ROOT/'_site'); p.add_argument('--execute', action='store_true')
    a = p.parse_args()
    print(f'Wrote {build(a.out, a.execute)}')
