"README.md is kept by hand in step with nbs/index.ipynb (nbdev_readme needs Quarto); this test holds them together."
import json, re
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def index_cells():
    "Markdown and code cells of nbs/index.ipynb as (type, text), relative links re-rooted at the repository"
    nb = json.loads((root/'nbs'/'index.ipynb').read_text())
    for c in nb['cells']:
        src = ''.join(c['source']).strip()
        if c['cell_type'] == 'markdown': src = re.sub(r'\]\((?!https?:|#)([^)]+)\)', r'](nbs/\1)', src)
        yield c['cell_type'], src

def test_readme_has_every_index_cell():
    readme = (root/'README.md').read_text()
    for kind, src in index_cells():
        blocks = [b for b in src.split('\n\n') if b.strip()] if kind == 'markdown' else [src]
        for b in blocks: assert b in readme, f"README.md lacks this {kind} from nbs/index.ipynb:\n{b}"

def test_readme_images_exist():
    for path in re.findall(r'!\[[^\]]*\]\(([^)]+)\)', (root/'README.md').read_text()):
        assert (root/path).exists(), f"README.md shows {path}, which is missing"
