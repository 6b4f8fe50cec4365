"""Give a stage notebook the shape every stage shares: a Markdown cell that opens with the
registry's heading, and one code cell that shows the stage's app.

    python scripts/stage_notebook.py 3 "Short lead for the coach." [guidance.md]

Writes `notebooks/<the registry's notebook>`, keeping the guidance folded under the lead.
"""

import json
import sys
from pathlib import Path

from kit.registry import NOTEBOOK_FOLDER, stage

# nbval reads a marker only when it is the whole comment line.
CODE = ["# NBVAL_IGNORE_OUTPUT\n", "# (the app's widgets have new ids on every run)\n",
        "from kit.registry import show_stage\n", "\n"]


def stage_notebook(number: int, lead: str, guidance: str = "") -> dict:
    """The notebook of stage `number` as a dict (nbformat 4)."""
    text = f"# {stage(number).heading}\n\n{lead.strip()}\n"
    if guidance.strip():
        text += f"\n<details><summary>More guidance</summary>\n\n{guidance.strip()}\n\n</details>\n"
    return {
        "cells": [
            {"cell_type": "markdown", "id": f"stage-{number}-guidance", "metadata": {},
             "source": text.splitlines(keepends=True)},
            {"cell_type": "code", "execution_count": 1, "id": f"stage-{number}-app", "metadata": {}, "outputs": [],
             "source": CODE + [f"show_stage({number})"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}, "title": stage(number).heading},
        "nbformat": 4, "nbformat_minor": 5,
    }


if __name__ == "__main__":
    number, lead = int(sys.argv[1]), sys.argv[2]
    guidance = Path(sys.argv[3]).read_text(encoding="utf-8") if len(sys.argv) > 3 else ""
    path = NOTEBOOK_FOLDER / stage(number).notebook
    path.write_text(json.dumps(stage_notebook(number, lead, guidance), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    print(f"wrote {path}")
