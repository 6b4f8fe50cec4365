"""Shared test set-up: every test works in its own empty workspace, never the coach's real one."""

import pytest

from kit.workspace import WORKSPACE_ENV


@pytest.fixture(autouse=True)
def fresh_workspace(tmp_path, monkeypatch):
    folder = tmp_path / "workspace"
    monkeypatch.setenv(WORKSPACE_ENV, str(folder))
    return folder


def pytest_collection_modifyitems(items):
    """How `make test` shares the tests between its two workers (`--dist loadgroup`): each test file
    stays on one worker (its module fixtures, such as a built app, are made once), and every browser
    test runs on the same worker, so one Voila server and one Chromium serve them all."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            browser = item.get_closest_marker("browser") is not None
            item.add_marker(pytest.mark.xdist_group("browser" if browser else str(item.path)))
