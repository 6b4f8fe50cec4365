"""Write the stage notebooks from their cells here, then run them so nbval has outputs to compare.

Usage: python scripts/make_notebooks.py [name ...]   (all notebooks when no name is given)
Notebooks stay thin: guidance in Markdown, one call into the kit.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
IGNORE_OUTPUT = "# NBVAL_IGNORE_OUTPUT (the app's widgets have new ids on every run)\n"

CELLS = {
    "00_start_here": [
        ("markdown", """# Start here

Welcome. This kit takes you through one cycle of professional learning, stage by stage:
**student learning needs → professional learning → what educators know, can do and believe →
classroom practice → student results → what next.** Each stage is one page like this one.

**What to do on this page**

1. Choose your data. The kit opens with a *fictional sample district*, so you can try every stage
   before you bring your own. When you are ready, choose **A folder of my tables** (type the folder's
   path) or **Upload my files** (CSV or Excel, one file per table, named after the table, such as
   `students.csv`).
2. Read the **data check**. Each table says *ready*, *not provided*, or *fix the errors below*.
   Every problem names the file, the row as you see it in your spreadsheet, the column, and how to
   fix it. If the kit thinks one of your columns is one of its own under another name, it asks you
   to confirm.
3. Missing a table? Each is optional; download its empty template, fill it, and upload it.
4. Go on to the stages with the links at the bottom.

Student data stays private: the kit needs no names, only codes, and never shows a result about
fewer than 10 students."""),
        ("code", IGNORE_OUTPUT + "from kit.apps.start_here import start_here_app\n\nstart_here_app()"),
        ("markdown", """## The tables the kit reads

Each table is one CSV or Excel file with a header row. The full data dictionary, with every column,
is in `docs/data-dictionary.md`; the empty templates are in `data/templates/`."""),
        ("code", "from kit.schema import tables_overview\n\ntables_overview()"),
    ],
}


def build(name: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    notebook.cells = [make[kind](source) for kind, source in CELLS[name]]
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
                   store_widget_state=False).execute()
    path = NOTEBOOKS / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


if __name__ == "__main__":
    for notebook_name in sys.argv[1:] or list(CELLS):
        print(build(notebook_name))
