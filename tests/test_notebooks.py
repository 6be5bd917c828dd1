"""Every notebook runs top to bottom in a Jupyter kernel, as a user's Run All does: the cells `nbdev_test` skips
(`#| eval: false`, `#| cuda`) included, on a machine without a GPU too."""
from pathlib import Path
import nbformat, pytest
from nbclient import NotebookClient

nbs = Path(__file__).resolve().parents[1]/'nbs'

@pytest.mark.parametrize('path', sorted(nbs.glob('*.ipynb')), ids=lambda p: p.name)
def test_runs_in_jupyter(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': str(nbs)}}).execute()
