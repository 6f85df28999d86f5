"""The documentation site builds from the notebooks without Quarto, every notebook has a page with its
headings, and nothing on it points to a missing local file."""
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


def test_index_renders_in_chromium(site, tmp_path):
    res = chromium_image_check(site/'index.html', tmp_path)
    if res is None: pytest.skip('Chromium is not installed (apt-get install chromium): browser rendering not checked')
    ok, total = res
    assert total >= 5 and ok == total, f'{total - ok} of {total} images on the index page did not load'
