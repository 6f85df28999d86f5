"""The documentation site builds from the notebooks without Quarto, every notebook has a page with its
headings, nothing on it points to a missing local file, every page renders in Chromium, and its search works."""
import json, re, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from build_site import build, page_name  # noqa: E402
from jaw_fastai.report import chromium_image_check  # noqa: E402


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    build(out)
    return out


def headings(nb):
    cells = json.loads(nb.read_text())['cells']
    return [m.group(1).strip() for c in cells if c['cell_type'] == 'markdown'
            for m in re.finditer(r'^#{1,2}\s+(.+)$', ''.join(c['source']), re.M)]


@pytest.mark.parametrize('nb', sorted((ROOT/'nbs').glob('*.ipynb')), ids=lambda p: p.stem)
def test_every_notebook_has_a_page_with_its_headings(site, nb):
    page = (site/page_name(nb)).read_text()
    text = re.sub(r'<[^>]+>', '', page)
    for h in headings(nb):
        assert re.sub(r'[`*]', '', h) in text, f'{nb.name}: heading {h!r} missing from {page_name(nb)}'
    for other in (ROOT/'nbs').glob('*.ipynb'):
        assert f'href="{page_name(other)}"' in page, f'{page_name(nb)} sidebar lacks {other.stem}'


def test_local_links_and_images_exist(site):
    for page in site.glob('*.html'):
        for ref in re.findall(r'(?:src|href)="([^"#:]+)(?:#[^"]*)?"', page.read_text()):
            assert (site/ref).exists(), f'{page.name} points to missing {ref}'


@pytest.mark.parametrize('nb', sorted((ROOT/'nbs').glob('*.ipynb')), ids=lambda p: p.stem)
def test_page_renders_in_chromium(site, nb, tmp_path):
    "Every page in a real browser: every image decodes, no script error."
    res = chromium_image_check(site/page_name(nb), tmp_path)
    if res is None: pytest.skip('Chromium is not installed (apt-get install chromium): browser rendering not checked')
    ok, total, errors, dom = res
    assert ok == total, f'{total - ok} of {total} images on {page_name(nb)} did not load'
    assert errors == [], f'script errors on {page_name(nb)}: {errors}'
    assert 'class="copy"' in dom or '<pre' not in dom, 'code blocks got no copy button'
    if nb.stem == 'index': assert total >= 5


@pytest.mark.parametrize('name,page', [('fused_cam', '11_cam.html#fused-cam'), ('XrayAugment', '04_transforms.html#xrayaugment')])
def test_search_finds_api_names(site, tmp_path, name, page):
    "The search box works offline: its index is a local script, its results are links to the name's section."
    res = chromium_image_check(site/'05_data.html', tmp_path, query=f'?q={name}')
    if res is None: pytest.skip('Chromium is not installed: the search was not tried in a browser')
    results = res[3].split('id="results"')[1].split('</div>')[0]
    assert f'href="{page}"' in results, results
    assert (site/page.split('#')[0]).read_text().count(f'id="{page.split("#")[1]}"') == 1


def test_api_sections_as_show_doc(site):
    "Public names as nbdev's `show_doc` renders them (signature with each parameter's comment, docstring), where the notebook"
    "calls it; the others in the API section with the docments' parameter table. Each name once; exported source folded away."
    page = (site/'13_predict.html').read_text()
    entry = page.split('<h3 id="load-jaw-model">')[1].split('<h3')[0]
    assert 'run_dir, # a run folder holding model.json' in entry and "<code>model.json</code>" in entry and 'source</a>' not in entry
    assert page.count('id="load-jaw-model"') == 1
    entry = page.split('<h3 id="expand-inputs">')[1].split('<h3')[0]             # no show_doc cell: the API section's entry
    assert '<table class="params">' in entry and '<code>inputs</code>' in entry
    for p in site.glob('*.html'):
        ids = re.findall(r' id="([^"]+)"', p.read_text())
        assert len(ids) == len(set(ids)), f'{p.name}: repeated ids {sorted({i for i in ids if ids.count(i) > 1})}'
    assert '<details class="src"><summary>Source</summary><pre><code class="language-python">#| export' not in page
    assert page.count('<details class="src">') >= 5 and 'def load_jaw_model' in page.split('<details class="src">', 1)[1]
    assert 'name="viewport"' in page and '@media (max-width:700px)' in page         # readable at phone width
