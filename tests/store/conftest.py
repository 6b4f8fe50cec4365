"""Fixtures for the store suite: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from `KIT_TEST_POSTGRES_URL` (see scripts/test-postgres). Without it the
PostgreSQL runs are skipped, except under CI (`CI` set), where they fail: CI must test both.
Each test gets a fresh store: a new SQLite file in tmp_path, or a new PostgreSQL schema
(named in the URL's search_path, dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from kit.store import open_store

POSTGRES_ENV = "KIT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    reason = (f"{POSTGRES_ENV} is not set: start PostgreSQL with "
              f"`export {POSTGRES_ENV}=$(scripts/test-postgres)` to test the team store")
    if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
        pytest.fail(f"CI must test the PostgreSQL store, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend, tmp_path):
    """A URL for a fresh, empty store on the back end under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    base = _postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def store(store_url):
    """A fresh store, written by coach "ana"."""
    with open_store(store_url, author="ana", read_only=False) as opened:
        yield opened


@pytest.fixture
def cycle(store):
    return store.cycles.create(name="Fall literacy", focus="Reading fluency in grades 3-5",
                               start_date="2025-09-01", end_date="2025-12-19", status="active")


# -- figures of the crash and concurrency tests, printed at the end of the run ------------------
FIGURES: list[tuple[str, dict]] = []


@pytest.fixture
def store_figures():
    """Record figures (`store_figures("crash [sqlite]", runs=25, lost=0)`) for the run's summary,
    also written to test-artifacts/store-figures.json."""
    def record(name: str, **figures) -> None:
        FIGURES.append((name, figures))
    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    import json
    from pathlib import Path

    terminalreporter.section("coaching store: crash and concurrency figures")
    for name, figures in FIGURES:
        terminalreporter.write_line(f"{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
    out = Path(config.rootpath) / "test-artifacts" / "store-figures.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(FIGURES), indent=1))


# -- "nothing changed": byte-for-byte (SQLite) or row-for-row (PostgreSQL) -----------------------
def snapshot(url: str):
    """What must not change when nothing should: every file in an SQLite store's folder, byte for
    byte (SQLite's -shm index aside: it is shared memory, not data); every row of every table of a
    PostgreSQL store."""
    if url.startswith("sqlite"):
        from pathlib import Path

        folder = Path(url.split(":///", 1)[1]).parent
        # An empty -wal holds no data: any reader of a WAL store may leave one (SQLite's own rule).
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()
                and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)}
    from sqlalchemy import inspect

    engine = create_engine(url)
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        rows = {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr) for t in tables}
    engine.dispose()
    return rows


@pytest.fixture
def unchanged():
    """`with unchanged(url): ...` asserts that the store at `url` is the same afterwards."""
    from contextlib import contextmanager

    @contextmanager
    def check(url: str):
        before = snapshot(url)
        yield
        assert snapshot(url) == before, "the store changed"
    return check


@pytest.fixture
def read_only_media(tmp_path):
    """(folder, make_read_only): fill the folder, then call make_read_only(). As root (which writes
    through permissions) the folder is a small tmpfs remounted read-only; otherwise it loses its
    write permission."""
    import subprocess

    folder = tmp_path / "media"
    folder.mkdir()
    mounted = os.geteuid() == 0
    if mounted and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "kit-test-media", str(folder)],
                                  capture_output=True).returncode != 0:
        pytest.skip("read-only media need a mount (as root) or a user without root rights")

    def make_read_only():
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)
    yield folder, make_read_only
    if mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.chmod(0o755)


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 1 MB disk of its own (a tmpfs; needs root), to fill up."""
    import subprocess

    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "kit-test-disk", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("a small disk of its own needs a tmpfs mount (as root)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_disk(folder) -> None:
    """Fill the disk `folder` is on, leaving no free byte."""
    handle = os.open(os.path.join(folder, "filler"), os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)
