"""Where the kit keeps a coach's work: the workspace folder, outside the repository's tracked files."""

import os
from pathlib import Path

WORKSPACE_ENV = "KIT_WORKSPACE"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FOLDER = PROJECT_ROOT / "data" / "sample"
TEMPLATE_FOLDER = PROJECT_ROOT / "data" / "templates"


def workspace_dir() -> Path:
    """The workspace folder (created on first use): `$KIT_WORKSPACE`, else `~/coaching-kit-workspace`."""
    folder = Path(os.environ.get(WORKSPACE_ENV) or Path.home() / "coaching-kit-workspace")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
