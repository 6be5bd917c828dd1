"README.md is kept by hand in step with nbs/index.ipynb (nbdev_readme needs Quarto); this test holds them together."
import json, re
from pathlib import Path

root = Path(__file__).resolve().parents[1]
RAW = 'https://raw.githubusercontent.com/kmeans-nbdev/kmeans_nbdev/main/'

def index_cells():
    "Markdown and code cells of nbs/index.ipynb as (type, text)"
    nb = json.loads((root/'nbs'/'index.ipynb').read_text())
    for c in nb['cells']: yield c['cell_type'], ''.join(c['source']).strip()

def test_readme_has_every_index_cell():
    readme = (root/'README.md').read_text()
    for kind, src in index_cells():
        blocks = [b for b in src.split('\n\n') if b.strip()] if kind == 'markdown' else [src]
        for b in blocks: assert b in readme, f"README.md lacks this {kind} from nbs/index.ipynb:\n{b}"

def test_links_work_on_pypi():
    "PyPI shows README.md without the repository around it: every link and image must be absolute"
    for target in re.findall(r'\]\(([^)]+)\)', (root/'README.md').read_text()):
        assert target.startswith(('https://', 'http://', '#')), f"README.md links to {target}, which breaks on PyPI"

def test_readme_images_exist():
    for url in re.findall(r'!\[[^\]]*\]\(([^)]+)\)', (root/'README.md').read_text()):
        assert url.startswith(RAW), url
        assert (root/url[len(RAW):]).exists(), f"README.md shows {url}, which is missing from the repository"
