"""Which data the coach works on, remembered in the workspace so every app opens the same dataset.

The choice is one of: the bundled sample district, a folder of tables, or files the coach uploaded.
Uploaded files that load without errors are kept in the workspace (one per table); a file with
errors is never saved over a good one, and stays pending until the coach fixes or confirms it.
"""

import dataclasses
import json
from pathlib import Path

import traitlets

from kit.errors import DataError
from kit.io import SAMPLE_FOLDER, Dataset, open_dataset
from kit.io.reading import EXCEL_SUFFIXES, TEXT_SUFFIXES
from kit.workspace import load_settings, save_settings, uploads_dir, write_atomically

SAMPLE, FOLDER, UPLOADS = "sample", "folder", "uploads"


def folder_for(source: str, folder: str = "") -> Path:
    """The folder a data choice reads: the sample, the coach's folder, or the workspace's uploads."""
    if source == FOLDER and folder:
        return Path(folder)
    return uploads_dir() if source == UPLOADS else SAMPLE_FOLDER


_opened: dict[tuple, Dataset] = {}


def folder_signature(folder: Path) -> tuple:
    """The folder's files with their sizes and times: it changes when any table file changes."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                        for path in folder.iterdir() if path.is_file()))


def open_folder(folder: Path, confirmed: dict) -> Dataset:
    """`open_dataset(folder)`, kept while the folder's files are unchanged, so every app (and a
    preheated kernel warming up) opens the same data once. Each caller gets its own problem lists;
    the frames are shared and never modified."""
    if not folder.is_dir():
        return open_dataset(folder, confirmed=confirmed)  # says the folder does not exist
    key = (str(folder.resolve()), json.dumps(confirmed, sort_keys=True), folder_signature(folder))
    if key not in _opened:
        _opened.clear()
        _opened[key] = open_dataset(folder, confirmed=confirmed)
    kept = _opened[key]
    return dataclasses.replace(
        kept, problems=list(kept.problems),
        loaded={name: dataclasses.replace(table, problems=list(table.problems)) for name, table in kept.loaded.items()})


def open_saved_dataset() -> Dataset:
    """The dataset the coach last chose (the sample district until they choose another)."""
    settings = load_settings()
    folder = folder_for(settings.get("data_source", SAMPLE), settings.get("data_folder", ""))
    return open_folder(folder, settings.get("confirmed", {}))


class DataChoice(traitlets.HasTraits):
    """The model behind the data loader: no widgets, so it is tested and reused directly."""

    source = traitlets.Unicode(SAMPLE)
    dataset = traitlets.Instance(Dataset, allow_none=True)
    #: Problems of uploaded files that were not kept (they had errors), shown beside the dataset's own.
    rejected = traitlets.List()
    #: Uploaded files with errors, kept in memory so a confirmed column name can re-check them.
    pending = traitlets.Dict()
    #: Column names the kit proposes in files not kept, as (table, the coach's header, the kit's column).
    pending_proposals = traitlets.List()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        settings = load_settings()
        self.confirmed: dict[str, dict[str, str]] = settings.get("confirmed", {})
        self.folder = settings.get("data_folder", "")
        self.source = settings.get("data_source", SAMPLE)

    def reopen(self) -> Dataset:
        dataset = open_folder(folder_for(self.source, self.folder), self.confirmed)
        dataset.problems.extend(self.rejected)
        self.dataset = dataset
        return dataset

    def proposals(self) -> list[tuple[str, str, str]]:
        """Every column name waiting for the coach to confirm: (table, their header, the kit's column)."""
        loaded = self.dataset.loaded.values() if self.dataset else []
        found = [(table.name, header, column) for table in loaded if table.headers
                 for header, column in table.headers.proposed.items()]
        return found + [proposal for proposal in self.pending_proposals if proposal not in found]

    def use_sample(self) -> Dataset:
        self.source, self.rejected, self.pending, self.pending_proposals = SAMPLE, [], {}, []
        save_settings(data_source=SAMPLE)
        return self.reopen()

    def use_folder(self, folder: str) -> Dataset:
        folder = folder.strip().strip('"').strip("'")
        if not folder:
            raise DataError("Type the path of the folder that holds your tables first.")
        if not Path(folder).expanduser().is_dir():
            raise DataError(f"There is no folder {folder}. Check the path (copy it from your file manager).")
        self.source, self.folder = FOLDER, str(Path(folder).expanduser())
        self.rejected, self.pending, self.pending_proposals = [], {}, []
        save_settings(data_source=FOLDER, data_folder=self.folder)
        return self.reopen()

    def add_uploads(self, uploads) -> Dataset:
        """Check each uploaded file; keep the good ones in the workspace, hold the others as pending."""
        files = {str(upload["name"]): bytes(upload["content"]) for upload in uploads}
        if not files:
            raise DataError("Choose one or more files with the Upload button first.")
        self.source = UPLOADS
        save_settings(data_source=UPLOADS)
        return self._check_files({**self.pending, **files})

    def confirm(self, table: str, header: str, column: str) -> Dataset:
        """Record that the coach's column `header` is the schema's `column` in `table`, and re-check."""
        self.confirmed = {**self.confirmed, table: {**self.confirmed.get(table, {}), header: column}}
        save_settings(confirmed=self.confirmed)
        if self.source == UPLOADS:
            return self._check_files(dict(self.pending))
        return self.reopen()

    def _check_files(self, files: dict[str, bytes]) -> Dataset:
        rejected, pending, proposals = [], {}, []
        for name, content in files.items():
            checked = open_dataset([{"name": name, "content": content}], confirmed=self.confirmed)
            good = [table for table in checked.loaded.values() if table.ok]
            if good and not checked.error_count:
                _keep(good[0].name, name, content)
            else:
                rejected.extend(checked.problems)
                pending[name] = content
                proposals.extend((table.name, header, column) for table in checked.loaded.values()
                                 if table.headers for header, column in table.headers.proposed.items())
        self.rejected, self.pending, self.pending_proposals = rejected, pending, proposals
        return self.reopen()


def _keep(table: str, file_name: str, content: bytes) -> None:
    """Save an uploaded table as the workspace's copy of that table, replacing any earlier copy."""
    folder = uploads_dir()
    suffix = Path(file_name).suffix.lower()
    suffix = suffix if suffix in TEXT_SUFFIXES + EXCEL_SUFFIXES else ".csv"
    kept = folder / f"{table}{suffix}"
    write_atomically(kept, content)
    for other in folder.glob(f"{table}.*"):
        if other != kept:
            other.unlink()
