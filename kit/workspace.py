"""Where the kit keeps a coach's work: the workspace folder, outside the repository's tracked files."""

import json
import os
import tempfile
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
    """Merge `changes` into the saved settings; a crash mid-write never leaves half a file."""
    settings = {**load_settings(), **changes}
    write_atomically(workspace_dir() / SETTINGS_FILE, json.dumps(settings, indent=2, sort_keys=True).encode("utf-8"))
    return settings


def write_atomically(path: Path, content: bytes) -> Path:
    """Write `content` to `path` so the file appears complete or not at all: written beside it,
    flushed to disk, then renamed over it. A crash mid-write leaves the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def uploads_dir() -> Path:
    """Where uploaded tables that loaded without errors are kept, one file per table."""
    folder = workspace_dir() / UPLOADS_FOLDER
    folder.mkdir(exist_ok=True)
    return folder
