"""Where the kit keeps a coach's work: the workspace folder, outside the repository's tracked files."""

import json
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

SETTINGS_FILE = "settings.json"
UPLOADS_FOLDER = "uploads"


def load_settings() -> dict:
    """The coach's saved choices (which data, which cycle), shared by every app; {} when none yet."""
    path = workspace_dir() / SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def save_settings(**changes) -> dict:
    """Merge `changes` into the saved settings, writing a new file and renaming it over the old one,
    so a crash mid-write never leaves half a file."""
    settings = {**load_settings(), **changes}
    path = workspace_dir() / SETTINGS_FILE
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
    return settings


def uploads_dir() -> Path:
    """Where uploaded tables that loaded without errors are kept, one file per table."""
    folder = workspace_dir() / UPLOADS_FOLDER
    folder.mkdir(exist_ok=True)
    return folder
