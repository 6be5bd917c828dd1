"""README.md is made from nbs/index.ipynb (nbdev_readme would need Quarto): `python tests/test_readme.py` writes it,
and the test checks that it is in step. The site's relative links become absolute ones, since PyPI shows README.md
without the repository around it."""
import json, re
from pathlib import Path

root = Path(__file__).resolve().parents[1]
DOCS, RAW = 'https://kmeans-nbdev.github.io/kmeans_nbdev/', 'https://raw.githubusercontent.com/kmeans-nbdev/kmeans_nbdev/main/nbs/'
NOTE = '<!-- Made from nbs/index.ipynb by `python tests/test_readme.py`: edit the notebook, then run that. -->'

def absolute(md:str)->str:
    "Markdown with the site's links to notebooks and images made absolute"
    md = re.sub(r'\]\((?:\d+[a-z]?_)?(\w+)\.ipynb(#[^)]*)?\)', lambda m: f"]({DOCS}{m[1]}.html{m[2] or ''})", md)
    return re.sub(r'\]\((images/[^)]+)\)', lambda m: f"]({RAW}{m[1]})", md)

def readme_from_index()->str:
    "README.md's text: the index notebook's markdown, and its code with what the code printed"
    out = []
    for i, c in enumerate(json.loads((root/'nbs'/'index.ipynb').read_text())['cells']):
        src = ''.join(c['source']).strip()
        if c['cell_type'] == 'markdown': out += [absolute(src)] + ([NOTE] if i == 0 else [])
        else:
            out.append(f"``` python\n{src}\n```")
            printed = ''.join(''.join(o.get('text', '')) for o in c.get('outputs', []) if o.get('output_type') == 'stream')
            if printed.strip(): out.append('\n'.join('    ' + l for l in printed.rstrip().splitlines()))
    return '\n\n'.join(out) + '\n'

def test_readme_is_made_from_the_index():
    assert (root/'README.md').read_text() == readme_from_index(), "README.md is out of step: run python tests/test_readme.py"

def test_links_work_on_pypi():
    for target in re.findall(r'\]\(([^)]+)\)', (root/'README.md').read_text()):
        assert target.startswith(('https://', '#')), f"README.md links to {target}, which breaks on PyPI"

def test_pages_and_images_exist():
    "Every page and image README.md points into is one the repository makes"
    pages = {re.sub(r'^\d+[a-z]?_', '', p.stem) for p in (root/'nbs').glob('*.ipynb')}
    for target in re.findall(r'\]\(([^)#]+)', (root/'README.md').read_text()):
        if target.startswith(DOCS) and target != DOCS: assert target[len(DOCS):-len('.html')] in pages, target
        if target.startswith(RAW): assert (root/'nbs'/target[len(RAW):]).exists(), target

if __name__ == '__main__': (root/'README.md').write_text(readme_from_index())
