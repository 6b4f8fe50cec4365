"""Run notebooks top to bottom and save them with fresh outputs, so nbval has outputs to compare.

Usage: python scripts/run_notebooks.py [notebooks/NAME.ipynb ...]   (every notebook when none is given)

The notebooks themselves are the source: guidance in Markdown, one call into the kit. Mark a cell
whose output changes on every run (a widget's ids) with a first line `# NBVAL_IGNORE_OUTPUT`.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # run times only make diffs noisy
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(str(path) for path in NOTEBOOKS.glob("*.ipynb")):
        run(Path(name))
        print(name)
