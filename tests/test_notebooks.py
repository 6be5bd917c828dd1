"""Every notebook runs top to bottom in a Jupyter kernel, as a user's Run All does: the cells `nbdev_test` skips as
`#| eval: false` or `#| cuda` included, on a machine without a GPU too. Cells flagged `#| slow` (the kernel built from
scratch, and cells that only time or measure things) are left out unless KMEANS_NBDEV_SLOW=1 is set: they took a
third of this test's time, and none of the other cells uses what they make (`nbdev_test` runs the notebooks without
them). Run `KMEANS_NBDEV_SLOW=1 pytest tests/test_notebooks.py` after changing a notebook that has them."""
import os
from pathlib import Path
import nbformat, pytest
from nbclient import NotebookClient
from nbdev.process import extract_directives

nbs = Path(__file__).resolve().parents[1]/'nbs'
SLOW = os.environ.get('KMEANS_NBDEV_SLOW') == '1'

def is_slow(cell)->bool:
    "A code cell flagged `#| slow`, read as nbdev_test reads its flags"
    return cell.cell_type == 'code' and 'slow' in extract_directives(cell, remove=False)

@pytest.mark.parametrize('path', sorted(nbs.glob('*.ipynb')), ids=lambda p: p.name)
def test_runs_in_jupyter(path):
    nb = nbformat.read(path, as_version=4)
    if not SLOW: nb.cells = [c for c in nb.cells if not is_slow(c)]
    NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': str(nbs)}}).execute()
