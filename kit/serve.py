"""Serve the stage notebooks as Voila apps with the kit's settings: `python -m kit.serve [voila options]`.

The settings live in `voila.json` at the top of the project (bound to 127.0.0.1, sources stripped,
tracebacks hidden, preheated kernels, idle kernels culled); this module starts Voila there, over
`notebooks/` only, with the kit's template (a landing page instead of a file listing).
"""

import os
import sys
from pathlib import Path

from kit.workspace import PROJECT_ROOT

TEMPLATE_ROOT = Path(__file__).resolve().parent / "share"  # holds voila/templates/kit


def voila_environment(base: dict | None = None) -> dict:
    """The environment Voila needs to find the kit's template (JUPYTER_PATH)."""
    environment = dict(os.environ if base is None else base)
    environment["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), environment.get("JUPYTER_PATH")]))
    return environment


def voila_command(*options: str) -> list[str]:
    """The command that serves the kit (run it from PROJECT_ROOT with `voila_environment()`)."""
    return [sys.executable, "-m", "voila", "notebooks", *options]


def main() -> None:
    os.chdir(PROJECT_ROOT)  # Voila reads voila.json from the folder it starts in
    os.execve(sys.executable, voila_command(*sys.argv[1:]), voila_environment())


if __name__ == "__main__":
    main()
